import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { RapportEvent } from "../../src/Event.js"
import * as FollowUp from "../../src/FollowUp.js"
import * as Rules from "../../src/rules/BuiltinRules.js"
import * as RuleContext from "../../src/rules/Context.js"
import * as FollowUps from "../../src/rules/RuleEngine.js"
import { arbitraryEvent, arbitraryInstant } from "../arbitraries.js"
import { at, enrolled, ev, given, shuffle, visit } from "./given.js"

const course = ev("CourseStarted", "2026-09-01", {
  studentId: "s-1",
  courseId: "c-1",
  facultyIds: ["f-1"],
  startedOn: "2026-09-01"
})

const from = Date.UTC(2026, 0, 1)
const to = Date.UTC(2027, 0, 1)
const people = { studentIds: ["s-1", "s-2"], facultyIds: ["f-1", "f-2", "f-3"], from, to }

// Dense histories of two students and three faculty — mostly events that trigger or
// settle follow-ups, some of any type (statuses, erasures, nudges…) — with some retracted.
const arbitraryHistory: fc.Arbitrary<ReadonlyArray<RapportEvent>> = fc
  .tuple(
    fc.array(
      arbitraryEvent({
        ...people,
        types: [
          "RotationCompleted",
          "CourseStarted",
          "CourseCompleted",
          "FollowUpSent",
          "MentorAssigned",
          "MentorshipMeetingHeld",
          "OfficeHoursVisited",
          "ResearchRoleStarted",
          "LetterRequested",
          "LetterCommitted",
          "LetterSubmitted"
        ]
      }),
      { minLength: 10, maxLength: 60 }
    ),
    fc.array(arbitraryEvent(people), { maxLength: 8 })
  )
  .map(([triggers, others]) => [...triggers, ...others])
  .chain((events) =>
    fc.subarray(events, { maxLength: Math.min(4, events.length) }).map(
      (targets): ReadonlyArray<RapportEvent> => [
        ...events,
        ...targets.map(
          (target, i): RapportEvent => ({
            id: `00000000-0000-4000-9000-${String(i).padStart(12, "0")}`,
            type: "EventRetracted",
            v: 1,
            occurredAt: target.occurredAt,
            data: { eventId: target.id, reason: "a correction" }
          })
        )
      ]
    )
  )

const arbitraryAsOf = arbitraryInstant(Date.UTC(2026, 2, 1), Date.UTC(2027, 2, 1))

const evaluateAt = (events: ReadonlyArray<RapportEvent>, asOf: string, input?: FollowUps.State) =>
  FollowUps.evaluate(Rules.all, input ?? events, asOf, RuleContext.fromEvents(events, asOf))

describe("FollowUps laws", () => {
  it("evaluation is order-independent: shuffled events give the same follow-ups", () => {
    fc.assert(
      fc.property(arbitraryHistory, arbitraryAsOf, fc.nat(), (events, asOf, seed) => {
        const shuffled = shuffle(events, seed)
        expect(evaluateAt(shuffled, asOf)).toEqual(evaluateAt(events, asOf))
      }),
      { numRuns: 60 }
    )
  })

  it("evaluation is idempotent: again, re-folded, folded twice, in batches, or one by one in an accumulator", () => {
    fc.assert(
      fc.property(arbitraryHistory, arbitraryAsOf, fc.nat(), (events, asOf, cut) => {
        const once = evaluateAt(events, asOf)
        expect(evaluateAt(events, asOf)).toEqual(once)
        const twice = FollowUps.fold(events, FollowUps.fold(events))
        expect(evaluateAt(events, asOf, twice)).toEqual(once)
        const split = cut % (events.length + 1)
        const batched = FollowUps.fold(events.slice(split), FollowUps.fold(events.slice(0, split)))
        expect(evaluateAt(events, asOf, batched)).toEqual(once)
        const accumulated = FollowUps.make().applyAll(shuffle([...events, ...events], cut))
        expect(evaluateAt(events, asOf, accumulated)).toEqual(once)
      }),
      { numRuns: 60 }
    )
  })

  it("every follow-up is well formed: opened by asOf, a stable id of its rule, done only with a reason", () => {
    fc.assert(
      fc.property(arbitraryHistory, arbitraryAsOf, (events, asOf) => {
        const today = asOf.slice(0, 10)
        for (const f of evaluateAt(events, asOf)) {
          expect(f.opensOn <= today).toBe(true)
          expect(FollowUp.ruleIdOf(f.id)).toBe(f.ruleId)
          expect(f.id).toMatch(/^[A-Za-z0-9._~:@-]{1,128}$/)
          if (f.doneOn !== undefined) expect(f.state).toBe("done")
          if (f.state === "overdue") expect(today > f.dueOn).toBe(true)
        }
      }),
      { numRuns: 60 }
    )
  })
})

describe("FollowUps engine", () => {
  it("never changes the state it folds into", () => {
    const first = FollowUps.fold([enrolled(), course])
    const before = evaluateAt([enrolled(), course], at("2026-09-02"), first)
    FollowUps.fold([visit("2026-09-02", "f-1")], first)
    expect(evaluateAt([enrolled(), course], at("2026-09-02"), first)).toEqual(before)
  })

  it("sees only events that occurred by asOf, including ones that arrived later", () => {
    const late = visit("2026-09-10", "f-1")
    expect(given([enrolled(), course, late]).at("2026-09-05").followUps("early-office-hours")[0]?.state).toBe("due")
    expect(given([late, enrolled(), course]).at("2026-09-11").followUps("early-office-hours")[0]?.state).toBe("done")
  })

  it("forgets a student whose erasure was requested, whenever the request arrives", () => {
    const erase = ev("StudentErasureRequested", "2026-09-03", { studentId: "s-1" })
    expect(given([erase, enrolled(), course]).at("2026-09-05").all).toEqual([])
  })

  it("evaluates one student as the whole evaluation does", () => {
    const events = [
      enrolled(),
      course,
      enrolled("s-2"),
      { ...course, id: "00000000-0000-4000-8000-00000000bbbb", data: { ...course.data, studentId: "s-2" } }
    ]
    const asOf = at("2026-09-05")
    const context = RuleContext.fromEvents(events, asOf)
    const all = FollowUps.evaluate(Rules.all, events, asOf, context)
    expect(FollowUps.evaluateStudent(Rules.all, events, "s-2", asOf, context)).toEqual(
      all.filter((f) => f.studentId === "s-2")
    )
    expect(FollowUps.countByRule(all).get("early-office-hours")).toEqual({ due: 2, overdue: 0, done: 0, expired: 0 })
  })

  it("rejects an asOf that is not an instant", () => {
    const context = RuleContext.fromEvents([], at("2026-09-05"))
    expect(() => FollowUps.evaluate(Rules.all, [], "yesterday", context)).toThrow(/asOf must be/)
  })
})

describe("FollowUp ids", () => {
  const identity = { ruleId: "thank-you", studentId: "s-1", facultyIds: ["f-2", "f-1"], subject: "rot-7" }

  it("depend on the rule, the people and the subject, not on the order of the faculty", () => {
    const id = FollowUp.makeId(identity)
    expect(FollowUp.makeId({ ...identity, facultyIds: ["f-1", "f-2"] })).toBe(id)
    expect(FollowUp.makeId({ ...identity, subject: "rot-8" })).not.toBe(id)
    expect(FollowUp.makeId({ ...identity, studentId: "s-2" })).not.toBe(id)
    expect(FollowUp.makeId({ ...identity, occasion: "course" })).not.toBe(id)
    expect(FollowUp.makeId({ ...identity, ruleId: "other" })).not.toBe(id)
  })

  it("do not run ids together: the parts cannot be re-cut into other parts", () => {
    expect(FollowUp.makeId({ ...identity, studentId: "s-1f", facultyIds: ["-2"] })).not.toBe(
      FollowUp.makeId({ ...identity, studentId: "s-1", facultyIds: ["f-2"] })
    )
  })

  it("fit a NudgeSent's followUpId even for the longest person ids", () => {
    const long = "x".repeat(128)
    const id = FollowUp.makeId({ ruleId: "a".repeat(64), studentId: long, facultyIds: [long, long], subject: long })
    expect(id).toMatch(/^[A-Za-z0-9._~:@-]{1,128}$/)
    expect(FollowUp.ruleIdOf(id)).toBe("a".repeat(64))
    expect(FollowUp.ruleIdOf("not-an-id")).toBeUndefined()
  })
})
