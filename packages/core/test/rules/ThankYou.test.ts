import { describe, expect, it } from "vitest"
import * as Result from "effect/Result"
import * as Rule from "../../src/Rule.js"
import * as ThankYou from "../../src/rules/ThankYou.js"
import { acceptance } from "./acceptance.js"
import { enrolled, ev, given, meeting } from "./given.js"

const rotation = ev("RotationCompleted", "2026-10-02T18:00:00Z", {
  studentId: "s-1",
  facultyIds: ["f-204"],
  rotationId: "rot-7",
  specialty: "cardiology",
  startedOn: "2026-09-07",
  endedOn: "2026-10-02"
})
const thanks = (when: string, facultyId = "f-204", kind: "thank-you" | "update" = "thank-you") =>
  ev("FollowUpSent", when, { studentId: "s-1", facultyId, kind, channel: "email" })

acceptance({
  ruleId: "thank-you",
  history: [enrolled(), rotation],
  before: "2026-10-01",
  due: "2026-10-05",
  overdue: "2026-10-10",
  settle: thanks("2026-10-11"),
  settled: "2026-10-12",
  expired: "2026-11-05",
  later: [meeting("2026-11-01", "f-9")],
  dueOn: "2026-10-09",
  statusOn: "2026-09-01"
})

describe("thank-you", () => {
  it("says what to do in words", () => {
    const [followUp] = given([enrolled(), rotation]).at("2026-10-03").followUps("thank-you")
    expect(followUp?.sentence).toBe(
      "Encourage s-1 to thank faculty f-204 for the cardiology rotation that ended on 2026-10-02 (due by 2026-10-09)."
    )
    expect(followUp?.subject).toBe("rot-7")
    expect(followUp?.facultyIds).toEqual(["f-204"])
  })

  const shared = ev("RotationCompleted", "2026-10-02", {
    studentId: "s-1",
    facultyIds: ["f-2", "f-1"],
    rotationId: "rot-8",
    specialty: "surgery",
    startedOn: "2026-09-01",
    endedOn: "2026-10-02"
  })

  it("fires once per rotation, naming its faculty, and one note to any of them settles it", () => {
    const open = given([enrolled(), shared]).at("2026-10-03").followUps("thank-you")
    expect(open.map((f) => [f.facultyIds, f.state])).toEqual([[["f-1", "f-2"], "due"]])
    expect(open[0]?.sentence).toBe(
      "Encourage s-1 to thank faculty f-1 or f-2 for the surgery rotation that ended on 2026-10-02 (due by 2026-10-09)."
    )
    const found = given([enrolled(), shared, thanks("2026-10-04", "f-2")])
      .at("2026-10-05")
      .followUps("thank-you")
    expect(found.map((f) => f.state)).toEqual(["done"])
  })

  it("fires once per faculty member when a school asks for a note to each", () => {
    const each = Result.getOrThrow(Rule.configure(ThankYou.rule, { eachFaculty: true }))
    const found = given([enrolled(), shared, thanks("2026-10-04", "f-1")], { rules: [each] })
      .at("2026-10-05")
      .followUps("thank-you")
    expect(found.map((f) => [f.facultyIds[0], f.state]).sort()).toEqual([
      ["f-1", "done"],
      ["f-2", "due"]
    ])
  })

  it("names no faculty member who left, and asks nothing when all of them did", () => {
    const left = (facultyId: string) => ev("FacultyLeft", "2026-10-03", { facultyId })
    const one = given([enrolled(), shared, left("f-1")])
      .at("2026-10-04")
      .followUps("thank-you")
    expect(one.map((f) => f.facultyIds)).toEqual([["f-2"]])
    expect(
      given([enrolled(), shared, left("f-1"), left("f-2")])
        .at("2026-10-04")
        .followUps("thank-you")
    ).toEqual([])
  })

  it("is done only by a note before it expired; a note after is too late", () => {
    const late = given([enrolled(), rotation, thanks("2026-11-01")])
      .at("2026-11-02")
      .followUps("thank-you")
    expect(late.map((f) => [f.state, f.expiresOn])).toEqual([["expired", "2026-10-30"]])
  })

  it("is not settled by a note of another kind, to another person, or before the end", () => {
    const events = [enrolled(), rotation, thanks("2026-10-03", "f-204", "update"), thanks("2026-10-03", "f-9")]
    const early = thanks("2026-09-30")
    const [followUp] = given([...events, early])
      .at("2026-10-05")
      .followUps("thank-you")
    expect(followUp?.state).toBe("due")
  })

  it("fires after lecture courses only when a school switches them on", () => {
    const course = ev("CourseCompleted", "2026-12-15", {
      studentId: "s-1",
      courseId: "c-101",
      facultyIds: ["f-3"],
      endedOn: "2026-12-15"
    })
    expect(given([enrolled(), course]).at("2026-12-16").followUps("thank-you")).toEqual([])
    const on = Result.getOrThrow(Rule.configure(ThankYou.rule, { courses: true }))
    const [followUp] = given([enrolled(), course], { rules: [on] })
      .at("2026-12-16")
      .followUps("thank-you")
    expect(followUp?.sentence).toBe(
      "Encourage s-1 to thank faculty f-3 for course c-101 that ended on 2026-12-15 (due by 2026-12-22)."
    )
  })

  it("takes its window from the parameters", () => {
    const longer = Result.getOrThrow(Rule.configure(ThankYou.rule, { withinDays: 14 }))
    const [followUp] = given([enrolled(), rotation], { rules: [longer] })
      .at("2026-10-12")
      .followUps("thank-you")
    expect(followUp?.dueOn).toBe("2026-10-16")
    expect(followUp?.state).toBe("due")
  })

  it("rejects parameters that do not validate, naming each", () => {
    const result = Rule.configure(ThankYou.rule, { withinDays: 0, withinDay: 3 })
    expect(Result.isFailure(result)).toBe(true)
    if (Result.isFailure(result)) {
      expect(result.failure.ruleId).toBe("thank-you")
      expect(result.failure.problems.map((p) => p.path.join("."))).toEqual(
        expect.arrayContaining(["withinDays", "withinDay"])
      )
    }
  })
})
