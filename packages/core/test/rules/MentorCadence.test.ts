import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import * as Rule from "../../src/Rule.js"
import * as MentorCadence from "../../src/rules/MentorCadence.js"
import { acceptance } from "./acceptance.js"
import { enrolled, ev, given, meeting, visit } from "./given.js"

const assigned = ev("MentorAssigned", "2026-09-01", { studentId: "s-1", facultyId: "f-5", program: "advisory-college" })
const ended = (when: string) =>
  ev("MentorshipEnded", when, { studentId: "s-1", facultyId: "f-5", program: "advisory-college" })

acceptance({
  ruleId: "mentor-cadence",
  history: [enrolled(), assigned],
  before: "2026-12-10",
  due: "2026-12-20",
  overdue: "2027-01-02",
  settle: meeting("2027-01-03", "f-5"),
  settled: "2027-01-10",
  expired: "2027-03-05",
  later: [visit("2027-01-12", "f-1")],
  dueOn: "2026-12-30",
  statusOn: "2026-08-15"
})

// A program that means its students to meet monthly (a school's setting).
const monthly = Result.getOrThrow(
  Rule.configure(MentorCadence.rule, { programs: { "advisory-college": { everyDays: 30, noticeDays: 7 } } })
)

describe("mentor-cadence", () => {
  it("meets as often as the program means: its own cadence, else about three times a year", () => {
    const [own] = given([enrolled(), assigned], { rules: [monthly] })
      .at("2026-09-28")
      .followUps("mentor-cadence")
    expect(own?.dueOn).toBe("2026-10-01")
    const other = ev("MentorAssigned", "2026-09-01", { studentId: "s-1", facultyId: "f-6", program: "research" })
    const [fallback] = given([enrolled(), other], { rules: [monthly] })
      .at("2026-12-20")
      .followUps("mentor-cadence")
    expect(fallback?.dueOn).toBe("2026-12-30")
    expect(MentorCadence.defaults.everyDays).toBe(120)
  })

  it("refuses a program whose notice is not shorter than its cadence, naming the program", () => {
    const bad = Rule.configure(MentorCadence.rule, { programs: { college: { everyDays: 10, noticeDays: 10 } } })
    expect(Result.isFailure(bad) ? bad.failure.message : "").toBe(
      "Rule mentor-cadence: programs.college.noticeDays: Expected noticeDays to be less than everyDays"
    )
  })

  it("opens the next gap at each meeting and keeps the history done", () => {
    const events = [enrolled(), assigned, meeting("2026-09-20", "f-5"), meeting("2026-11-05", "f-5")]
    const found = given(events, { rules: [monthly] })
      .at("2026-12-01")
      .followUps("mentor-cadence")
    expect(found.map((f) => [f.dueOn, f.state])).toEqual([
      // 2026-09-01 → 09-20: met before the follow-up opened, so none was needed.
      ["2026-10-20", "done"],
      ["2026-12-05", "due"]
    ])
    expect(found[1]?.sentence).toBe(
      "Arrange a meeting between s-1 and their advisory-college mentor, faculty f-5 (last met on 2026-11-05; due by 2026-12-05)."
    )
  })

  it("lets a missed meeting expire, then asks again a cadence after it, never a backlog", () => {
    const events = [enrolled(), assigned]
    expect(
      given(events)
        .at("2027-03-05")
        .followUps("mentor-cadence")
        .map((f) => [f.dueOn, f.state])
    ).toEqual([["2026-12-30", "expired"]])
    const found = given(events).at("2027-04-20").followUps("mentor-cadence")
    expect(found.map((f) => [f.dueOn, f.state])).toEqual([
      ["2026-12-30", "expired"],
      ["2027-04-29", "due"]
    ])
    expect(found[1]?.sentence).toBe(
      "Arrange a meeting between s-1 and their advisory-college mentor, faculty f-5 (assigned on 2026-09-01; due by 2027-04-29)."
    )
  })

  it("keeps one open cadence follow-up per student, the one due first", () => {
    const second = ev("MentorAssigned", "2026-09-15", { studentId: "s-1", facultyId: "f-6", program: "research" })
    const found = given([enrolled(), assigned, second]).at("2027-01-05").followUps("mentor-cadence")
    expect(found.map((f) => [f.facultyIds, f.dueOn, f.state])).toEqual([[["f-5"], "2026-12-30", "overdue"]])
  })

  it("names no program for a legacy assignment, and no mentor who left", () => {
    const legacy = ev("MentorAssigned", "2026-09-01", { studentId: "s-1", facultyId: "f-5", program: "unspecified" })
    const [followUp] = given([enrolled(), legacy]).at("2026-12-20").followUps("mentor-cadence")
    expect(followUp?.sentence).toBe(
      "Arrange a meeting between s-1 and their mentor, faculty f-5 (assigned on 2026-09-01; due by 2026-12-30)."
    )
    const left = ev("FacultyLeft", "2026-12-01", { facultyId: "f-5" })
    expect(given([enrolled(), legacy, left]).at("2026-12-20").followUps("mentor-cadence")).toEqual([])
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
    const [followUp] = given([enrolled(), assigned, meeting("2026-09-27", "f-6")], { rules: [monthly] })
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
    const found = given(events, { rules: [monthly] })
      .at("2027-02-02")
      .followUps("mentor-cadence")
    expect(found.map((f) => [f.dueOn, f.state])).toEqual([["2027-02-03", "due"]])
  })
})
