import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Config from "../src/Config.js"
import * as SchoolFold from "../src/SchoolFold.js"
import * as Student from "../src/Student.js"
import { event } from "./scoringFixtures.js"
import { asOf, schoolEvents } from "./summaryScenario.js"

const state = SchoolFold.fromEvents(schoolEvents)

describe("Student.summarize", () => {
  it("sorts relationships strongest first and counts them by tier", () => {
    const a = Student.summarize(state, "s-a", asOf)
    expect(a?.relationships.map((r) => [r.facultyId, r.tier])).toEqual([
      ["f-ped", "advocate"],
      ["f-med", "advocate"],
      ["f-sur", "developing"]
    ])
    expect(a?.tiers).toEqual({ none: 0, acquainted: 0, developing: 1, strong: 0, advocate: 2 })
    expect(a?.bestTier).toBe("advocate")
    expect(a?.isolated).toBe(false)
  })

  it("splits advocates by the specialty the student aims for (interests until one is declared)", () => {
    const a = Student.summarize(state, "s-a", asOf)
    expect(a?.specialtySource).toBe("interests")
    expect(a?.advocatesInSpecialty).toEqual(["f-ped"])
    expect(a?.advocatesOutOfSpecialty).toEqual(["f-med"])
    const declared = SchoolFold.fromEvents([
      ...schoolEvents,
      event("SpecialtyDeclared", "2026-06-30T00:00:00Z", { studentId: "s-a", specialty: "Medicine" })
    ])
    const b = Student.summarize(declared, "s-a", asOf)
    expect(b?.specialtySource).toBe("declared")
    expect(b?.advocatesInSpecialty).toEqual(["f-med"])
  })

  it("is letter-ready only with enough advocates, enough of them in specialty", () => {
    expect(Student.summarize(state, "s-a", asOf)?.letterReady).toBe(false)
    const lenient = Result.getOrThrow(Config.makeConfig({ letters: { advocatesNeeded: 2, inSpecialtyNeeded: 1 } }))
    const ready = SchoolFold.fromEvents(schoolEvents, lenient)
    expect(Student.summarize(ready, "s-a", asOf)?.letterReady).toBe(true)
    const strict = Result.getOrThrow(Config.makeConfig({ letters: { advocatesNeeded: 2, inSpecialtyNeeded: 2 } }))
    expect(Student.summarize(SchoolFold.fromEvents(schoolEvents, strict), "s-a", asOf)?.letterReady).toBe(false)
  })

  it("reports departments reached, proactivity and days since last contact", () => {
    const a = Student.summarize(state, "s-a", asOf)
    expect(a?.departmentsReached).toEqual(["Medicine", "Pediatrics", "Surgery"])
    // 18 discretionary contacts (12 meetings, 2 research roles, a visit, 2 letter requests, a
    // commitment); the visit and the two letter requests were the student's.
    expect(a?.proactivity).toBeCloseTo(3 / 18, 12)
    expect(a?.lastContactAt).toBe("2026-06-25T14:00:00.000Z")
    expect(a?.daysSinceLastContact).toBe(6)
    expect(a?.noRecentContact).toBe(false)
    expect(a?.letters.map((l) => [l.letterId, l.stage])).toEqual([
      ["l-2", "declined"],
      ["l-1", "committed"]
    ])
  })

  it("flags an active student without discretionary contact as isolated, lecture questions and support check-ins notwithstanding", () => {
    const b = Student.summarize(state, "s-b", asOf)
    expect(b?.isolated).toBe(true)
    expect(b?.discretionaryPerYear).toBe(0)
    // A lecture question is not someone the student dealt with: nothing is listed.
    expect(b?.relationships.map((r) => r.facultyId)).toEqual([])
    expect(b?.noRecentContact).toBe(true)
    expect(JSON.stringify(b)).not.toMatch(/SupportCheckIn|support/)
  })

  it("never calls a student isolated who took up an assigned mentor (met within takeUpDays), however little they reach out", () => {
    const withMentor = (meetingAt: string) =>
      SchoolFold.fromEvents([
        ...schoolEvents,
        event("MentorAssigned", "2026-02-02T14:00:00Z", {
          studentId: "s-b",
          facultyId: "f-med",
          program: "advisory-college"
        }),
        event("MentorshipMeetingHeld", meetingAt, {
          studentId: "s-b",
          facultyId: "f-med",
          durationMinutes: 30,
          topics: []
        })
      ])
    // Met eight days after the assignment: took the mentor up, so never isolated.
    const tookUp = withMentor("2026-02-10T14:00:00Z")
    const b = tookUp.students.get("s-b")
    expect(b === undefined ? false : Student.tookUpMentor(b, 14)).toBe(true)
    expect(b === undefined ? 0 : Student.isolatedFromMs(b, tookUp)).toBe(Number.POSITIVE_INFINITY)
    expect(Student.summarize(tookUp, "s-b", asOf)?.isolated).toBe(false)
    // The same one meeting five weeks on: one contact in under a year, fewer than 2, isolated.
    const late = withMentor("2026-03-10T14:00:00Z")
    expect(Student.summarize(late, "s-b", asOf)?.discretionaryPerYear).toBeLessThan(2)
    expect(Student.summarize(late, "s-b", asOf)?.isolated).toBe(true)
    // Judged as of a date: before the meeting, nothing was taken up yet.
    expect(Student.summarize(tookUp, "s-b", "2026-02-05T00:00:00Z")?.isolated).toBe(true)
  })

  it("never calls a student isolated who is not active; one with no status event is active", () => {
    expect(Student.summarize(state, "s-c", asOf)?.status).toBe("graduated")
    expect(Student.summarize(state, "s-c", asOf)?.isolated).toBe(false)
    expect(Student.summarize(state, "s-d", asOf)?.status).toBe("unknown")
    // Active: judged like anyone, from their first contact (one visit in under half a year).
    expect(Student.summarize(state, "s-d", asOf)?.discretionaryPerYear).toBe(2)
    expect(Student.summarize(state, "s-d", asOf)?.isolated).toBe(false)
    expect(Student.summarize(state, "nobody", asOf)).toBeUndefined()
  })
})
