import { describe, expect, it } from "vitest"
import { acceptance } from "./acceptance.js"
import { enrolled, ev, given, meeting, visit } from "./given.js"

const assigned = ev("MentorAssigned", "2026-09-01", { studentId: "s-1", facultyId: "f-5", program: "advisory-college" })
const ended = (when: string) =>
  ev("MentorshipEnded", when, { studentId: "s-1", facultyId: "f-5", program: "advisory-college" })

acceptance({
  ruleId: "mentor-cadence",
  history: [enrolled(), assigned],
  before: "2026-09-20",
  due: "2026-09-25",
  overdue: "2026-10-02",
  settle: meeting("2026-10-03", "f-5"),
  settled: "2026-10-10",
  later: [visit("2026-10-12", "f-1")],
  dueOn: "2026-10-01",
  statusOn: "2026-08-15"
})

describe("mentor-cadence", () => {
  it("opens the next gap at each meeting and keeps the history done", () => {
    const events = [enrolled(), assigned, meeting("2026-09-20", "f-5"), meeting("2026-11-05", "f-5")]
    const found = given(events).at("2026-12-01").followUps("mentor-cadence")
    expect(found.map((f) => [f.dueOn, f.state])).toEqual([
      // 2026-09-01 → 09-20: met before the follow-up opened, so none was needed.
      ["2026-10-20", "done"],
      ["2026-12-05", "due"]
    ])
    expect(found[1]?.sentence).toBe(
      "Meet your advisory-college mentor, faculty f-5 (last met on 2026-11-05; due by 2026-12-05)."
    )
  })

  it("stops when the mentorship ends, and counts an end at the same instant as ended", () => {
    expect(
      given([enrolled(), assigned, ended("2026-09-20")])
        .at("2026-10-05")
        .followUps("mentor-cadence")
    ).toEqual([])
    const sameInstant = [enrolled(), assigned, ended("2026-09-01")]
    expect(given(sameInstant).at("2026-10-05").followUps("mentor-cadence")).toEqual([])
  })

  it("does not count meetings with someone else", () => {
    const [followUp] = given([enrolled(), assigned, meeting("2026-09-27", "f-6")])
      .at("2026-10-05")
      .followUps("mentor-cadence")
    expect(followUp?.state).toBe("overdue")
  })

  it("starts again with a new assignment", () => {
    const events = [
      enrolled(),
      assigned,
      ended("2026-09-10"),
      { ...assigned, id: "00000000-0000-4000-8000-00000000aaaa", occurredAt: "2027-01-04T12:00:00.000Z" }
    ]
    const found = given(events).at("2027-02-02").followUps("mentor-cadence")
    expect(found.map((f) => [f.dueOn, f.state])).toEqual([["2027-02-03", "due"]])
  })
})
