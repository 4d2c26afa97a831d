import { describe, expect, it } from "vitest"
import * as School from "../src/School.js"
import * as SchoolFold from "../src/SchoolFold.js"
import { event } from "./scoringFixtures.js"
import { asOf, schoolEvents } from "./summaryScenario.js"

const state = SchoolFold.fromEvents(schoolEvents)
const summary = School.summarize(state, asOf)

describe("School.summarize", () => {
  it("counts active students only in every denominator", () => {
    // s-a, s-b and s-d (no status event: active until told otherwise); not s-c, graduated.
    expect(summary.students.activeStudents).toBe(3)
    // Isolated: s-b only (no discretionary contact); s-d's one visit in a few months is not isolation.
    expect(summary.students.isolated).toBe(1)
    expect(summary.students.isolatedShare).toBe(1 / 3)
    expect(summary.students.withStrongShare).toBe(1 / 3)
    expect(summary.activeFaculty).toBe(3)
    // s-b's lecture question is not a relationship (Student.dealtWith): one "none" pair, s-d's.
    expect(summary.pairsByTier).toEqual({ none: 1, acquainted: 0, developing: 1, strong: 0, advocate: 2 })
  })

  it("adds up monthly counts in the school's time zone, support check-ins apart", () => {
    const june = summary.monthly.find((m) => m.month === "2026-06")
    expect(june).toEqual({
      month: "2026-06",
      interactions: 7,
      pairsWithContact: 4,
      studentsWithContact: 2,
      supportCheckIns: 0
    })
    expect(summary.monthly.map((m) => m.supportCheckIns).reduce((a, b) => a + b, 0)).toBe(2)
    expect(summary.monthly.at(-1)?.month).toBe("2026-06")
  })

  it("puts a late event in its own month", () => {
    const late = event("FollowUpSent", "2026-02-10T10:00:00Z", {
      studentId: "s-b",
      facultyId: "f-ped",
      kind: "thank-you",
      channel: "email"
    })
    const after = School.summarize(SchoolFold.fromEvents([...schoolEvents, late]), asOf)
    const feb = (s: School.SchoolSummary) => s.monthly.find((m) => m.month === "2026-02")
    expect(feb(after)?.interactions).toBe((feb(summary)?.interactions ?? 0) + 1)
    expect(feb(after)?.pairsWithContact).toBe((feb(summary)?.pairsWithContact ?? 0) + 1)
    expect(after.monthly.find((m) => m.month === "2026-06")).toEqual(summary.monthly.find((m) => m.month === "2026-06"))
  })

  it("breaks down by graduation year and department", () => {
    expect(summary.byGraduationYear.map((y) => [y.graduationYear, y.activeStudents, y.isolated])).toEqual([
      [2027, 2, 1]
    ])
    expect(summary.byDepartment.map((d) => [d.department, d.activeFaculty, d.activeMentoringPairs])).toEqual([
      ["Medicine", 1, 1],
      ["Pediatrics", 1, 1],
      ["Surgery", 1, 1]
    ])
  })

  it("measures mentoring concentration over active faculty", () => {
    expect(summary.concentration.top).toEqual({ members: 1, held: 1, total: 3, share: 1 / 3 })
    expect(summary.concentration.gini).toBe(0)
    expect(summary.concentration.giniFaculty).toBe(3)
  })

  it("reports letter readiness per cycle", () => {
    expect(summary.letterReadiness).toEqual([
      { cycle: 2027, activeStudents: 2, ready: 0, readyShare: 0, withAnyAdvocate: 1 }
    ])
  })

  it("is empty for an empty school", () => {
    const empty = School.summarize(SchoolFold.fromEvents([]), asOf)
    expect(empty.students.activeStudents).toBe(0)
    expect(empty.students.isolatedShare).toBe(0)
    expect(empty.monthly).toEqual([])
    expect(empty.concentration.top.share).toBe(0)
  })
})
