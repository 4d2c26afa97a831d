/**
 * The laws that keep a school's follow-up list one a person can work through (issue #17),
 * for any history: expiry is idempotent and final, evaluation does not depend on the
 * order events arrive in, a student–faculty pair has at most one open follow-up, none names
 * a faculty member who left, and a student has at most one open mentor-cadence and one
 * open outreach follow-up.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { RapportEvent } from "../../src/Event.js"
import * as FollowUp from "../../src/FollowUp.js"
import * as Rules from "../../src/rules/BuiltinRules.js"
import * as RuleContext from "../../src/rules/Context.js"
import * as RuleEngine from "../../src/rules/RuleEngine.js"
import { arbitraryEvent, arbitraryInstant } from "../arbitraries.js"
import { shuffle } from "./given.js"

const from = Date.UTC(2025, 6, 1)
const to = Date.UTC(2027, 0, 1)
const people = { studentIds: ["s-1", "s-2"], facultyIds: ["f-1", "f-2", "f-3"], from, to }

// Histories dense in what triggers, settles or ends follow-ups — departures and lecture
// questions included — plus a few events of any type.
const arbitraryHistory: fc.Arbitrary<ReadonlyArray<RapportEvent>> = fc
  .tuple(
    fc.array(
      arbitraryEvent({
        ...people,
        types: [
          "StudentEnrolled",
          "RotationCompleted",
          "CourseStarted",
          "FollowUpSent",
          "MentorAssigned",
          "MentorshipEnded",
          "MentorshipMeetingHeld",
          "OfficeHoursVisited",
          "LectureEngagementRecorded",
          "ResearchRoleStarted",
          "LetterRequested",
          "LetterCommitted",
          "FacultyLeft",
          "FacultyJoined"
        ]
      }),
      { minLength: 10, maxLength: 60 }
    ),
    fc.array(arbitraryEvent(people), { maxLength: 6 })
  )
  .map(([triggers, others]) => [...triggers, ...others])

const arbitraryAsOf = arbitraryInstant(Date.UTC(2026, 0, 1), Date.UTC(2027, 3, 1))

const evaluateAt = (events: ReadonlyArray<RapportEvent>, asOf: string) => {
  const context = RuleContext.fromEvents(events, asOf)
  return { context, followUps: RuleEngine.evaluate(Rules.all, events, asOf, context) }
}

const laterDay = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

describe("a workable list, for any history", () => {
  it("expiry is idempotent and final: settling again changes nothing, and expired stays expired", () => {
    fc.assert(
      fc.property(arbitraryHistory, arbitraryAsOf, fc.nat({ max: 400 }), (events, asOf, ahead) => {
        const { context, followUps } = evaluateAt(events, asOf)
        const today = context.dateOf(asOf)
        const later = laterDay(today, ahead)
        for (const f of followUps) {
          expect(FollowUp.settle(f, today)).toEqual(f)
          const settled = FollowUp.settle(f, later)
          expect(FollowUp.settle(settled, later)).toEqual(settled)
          if (f.state === "expired") expect(settled.state).toBe("expired")
          if (f.state === "expired") expect(today > f.expiresOn).toBe(true)
          if (FollowUp.isOpen(f)) expect(today <= f.expiresOn).toBe(true)
        }
        // Evaluated again later, with the same events, an expired follow-up is still expired
        // (or gone: a rule may drop one whose reason went away); never open or done again.
        const laterAsOf = new Date(Date.parse(asOf) + ahead * 86_400_000).toISOString()
        const again = RuleEngine.byId(evaluateAt(events, laterAsOf).followUps)
        for (const f of followUps) {
          if (f.state !== "expired") continue
          const now = again.get(f.id)
          if (now !== undefined) expect(now.state).toBe("expired")
        }
      }),
      { numRuns: 50 }
    )
  })

  it("evaluation is order-independent: shuffled events give the same follow-ups", () => {
    fc.assert(
      fc.property(arbitraryHistory, arbitraryAsOf, fc.nat(), (events, asOf, seed) => {
        expect(evaluateAt(shuffle(events, seed), asOf).followUps).toEqual(evaluateAt(events, asOf).followUps)
      }),
      { numRuns: 50 }
    )
  })

  it("a pair has at most one open follow-up, and none names faculty who left", () => {
    fc.assert(
      fc.property(arbitraryHistory, arbitraryAsOf, (events, asOf) => {
        const { context, followUps } = evaluateAt(events, asOf)
        const open = followUps.filter(FollowUp.isOpen)
        const pairs = open.flatMap((f) => f.facultyIds.map((facultyId) => `${f.studentId} ${facultyId}`))
        expect(new Set(pairs).size).toBe(pairs.length)
        for (const f of open) expect(f.facultyIds.some((id) => context.facultyHasLeft?.(id) === true)).toBe(false)
        for (const ruleId of ["mentor-cadence", "outreach", "letter-readiness"]) {
          const students = open.filter((f) => f.ruleId === ruleId).map((f) => f.studentId)
          expect(new Set(students).size).toBe(students.length)
        }
      }),
      { numRuns: 50 }
    )
  })

  it("lists the most important first, and a student's top few are their most important open ones", () => {
    fc.assert(
      fc.property(arbitraryHistory, arbitraryAsOf, fc.integer({ min: 1, max: 4 }), (events, asOf, n) => {
        const { followUps } = evaluateAt(events, asOf)
        const top = RuleEngine.topFew(followUps, n)
        for (const studentId of new Set(followUps.map((f) => f.studentId))) {
          const own = followUps.filter((f) => f.studentId === studentId && FollowUp.isOpen(f))
          const expected = [...own].sort(FollowUp.compareImportance).slice(0, n)
          expect(top.filter((f) => f.studentId === studentId)).toEqual(expected)
        }
        for (let i = 1; i < top.length; i++) {
          const [a, b] = [top[i - 1], top[i]]
          if (a !== undefined && b !== undefined) expect(FollowUp.compareImportance(a, b)).toBeLessThan(0)
        }
      }),
      { numRuns: 40 }
    )
  })
})
