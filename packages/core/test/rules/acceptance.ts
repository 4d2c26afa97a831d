/**
 * The acceptance every built-in rule must meet, as one scenario-driven suite:
 * the follow-up appears when it should (and not before), moves from due to overdue as
 * `asOf` passes its due date (unless it closes on its due date), expires once past its
 * expiry and stays expired, turns done when the matching event arrives — also when that
 * event is folded after later events — keeps its id across `asOf`, and never fires for a
 * withdrawn or graduated student (nor one on leave; it comes back on return).
 */
import { describe, expect, it } from "vitest"
import type { RapportEvent } from "../../src/Event.js"
import type { FollowUp } from "../../src/FollowUp.js"
import { given, shuffle, status } from "./given.js"

export interface Scenario {
  readonly ruleId: string
  /** Events that make the follow-up due (enrolment included). */
  readonly history: ReadonlyArray<RapportEvent>
  /**
   * Days: before it opens, while due, past the due date (before `settle`; absent for a
   * follow-up that closes on its due date), after it was settled, past its expiry.
   */
  readonly before: string
  readonly due: string
  readonly overdue?: string
  readonly settled: string
  readonly expired: string
  /** The event that settles it; it occurs after the due date (done late) when there is an overdue day, else before it. */
  readonly settle: RapportEvent
  /** Unrelated events that occur after `settle` but are folded before it. */
  readonly later: ReadonlyArray<RapportEvent>
  /** The expected due date. */
  readonly dueOn: string
  /** Picks the follow-up under test among the rule's follow-ups for student "s-1". */
  readonly pick?: (followUp: FollowUp) => boolean
  /** A day before `due` on which a status change takes effect. */
  readonly statusOn: string
}

export const acceptance = (scenario: Scenario): void => {
  const { ruleId, history, settle, later } = scenario
  const pick = scenario.pick ?? (() => true)
  const find = (events: ReadonlyArray<RapportEvent>, when: string): ReadonlyArray<FollowUp> =>
    given(events)
      .at(when)
      .followUps(ruleId)
      .filter((f) => pick(f))
  const only = (events: ReadonlyArray<RapportEvent>, when: string): FollowUp => {
    const found = find(events, when)
    expect(found, `one ${ruleId} follow-up at ${when}`).toHaveLength(1)
    const [first] = found
    if (first === undefined) throw new Error("unreachable")
    return first
  }

  describe(`${ruleId}: acceptance`, () => {
    it("does not fire before it opens", () => {
      expect(find(history, scenario.before)).toEqual([])
    })

    it("fires when it should, due, with the expected due date, the people and a sentence", () => {
      const followUp = only(history, scenario.due)
      expect(followUp.state).toBe("due")
      expect(followUp.dueOn).toBe(scenario.dueOn)
      expect(followUp.studentId).toBe("s-1")
      expect(followUp.sentence).toContain(scenario.dueOn)
      expect(followUp.id.startsWith(`${ruleId}~`)).toBe(true)
    })

    const overdueDay = scenario.overdue
    if (overdueDay !== undefined) {
      it("moves from due to overdue as asOf passes the due date, keeping its id", () => {
        const due = only(history, scenario.due)
        const overdue = only(history, overdueDay)
        expect(overdue.state).toBe("overdue")
        expect(overdue.id).toBe(due.id)
      })
    }

    it("expires past its expiry, keeping its id, is asked of no one and stays expired", () => {
      const due = only(history, scenario.due)
      const expired = only(history, scenario.expired)
      expect(expired.state).toBe("expired")
      expect(expired.id).toBe(due.id)
      expect(scenario.expired > expired.expiresOn).toBe(true)
      const later = find(history, "2031-01-01").find((f) => f.id === due.id)
      expect(later === undefined || later.state === "expired").toBe(true)
    })

    it("turns done when the matching event arrives, keeping its id", () => {
      const due = only(history, scenario.due)
      const done = only([...history, settle], scenario.settled)
      expect(done.state).toBe("done")
      expect(done.id).toBe(due.id)
      // Before the settling event occurred, the same events say it is still asked for.
      expect(only([...history, settle], scenario.overdue ?? scenario.due).state).toBe(
        scenario.overdue === undefined ? "due" : "overdue"
      )
    })

    it("turns done when the matching event arrives late (folded after later events)", () => {
      const inOrder = [...history, settle, ...later]
      const late = [...history, ...later, settle]
      const expected = given(inOrder).at(scenario.settled).all
      expect(given(late).at(scenario.settled).all).toEqual(expected)
      expect(given(shuffle(late, 7)).at(scenario.settled).all).toEqual(expected)
      expect(only(late, scenario.settled).state).toBe("done")
    })

    it("stays done, with the same id, as asOf moves on", () => {
      const events = [...history, settle, ...later]
      const first = only(events, scenario.settled)
      const afterwards = find(events, "2031-01-01").find((f) => f.id === first.id)
      expect(afterwards?.state).toBe("done")
    })

    for (const value of ["withdrawn", "graduated", "leave"] as const) {
      it(`never fires for a student whose status is ${value}`, () => {
        const events = [...history, status(scenario.statusOn, value)]
        for (const when of [scenario.due, scenario.overdue ?? scenario.due]) expect(find(events, when)).toEqual([])
        expect(find([...events, settle], scenario.settled)).toEqual([])
      })
    }

    it("comes back with the same id when a student on leave returns", () => {
      const id = only(history, scenario.due).id
      const events = [...history, status(scenario.statusOn, "leave"), status(scenario.due, "active")]
      expect(only(events, scenario.overdue ?? scenario.due).id).toBe(id)
    })

    it("ignores a retracted settling event, even one retracted before it arrived", () => {
      const followUp = only([...history, settle], scenario.settled)
      const retractSettle = {
        id: "00000000-0000-4000-8000-ffffffffffff",
        type: "EventRetracted" as const,
        v: 1,
        occurredAt: settle.occurredAt,
        data: { eventId: settle.id, reason: "entered twice" }
      }
      const reopened = only([retractSettle, ...history, settle], scenario.settled)
      expect(reopened.id).toBe(followUp.id)
      expect(reopened.state).toBe(scenario.settled > reopened.dueOn ? "overdue" : "due")
    })
  })
}
