/**
 * The three subtractions that gave hidden groups away (issue 13), tried again through the
 * routes: each now leaves at least the threshold of students behind the difference.
 */
import { Sql } from "@rapport/analytics"
import { describe, expect, it } from "vitest"
import { fetchJson } from "./disclosure-audit.js"
import { plainStudent, run, type StudentSpec, studentId } from "./disclosure-school.js"

const complementary = { suppressed: true, reason: "complementary", threshold: 10 }
const get = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined
const list = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [])
const open = (students: ReadonlyArray<StudentSpec>, extra: ReadonlyArray<Record<string, unknown>> = []) =>
  run(
    { threshold: 10, students, faculty: ["Medicine", "Surgery"] },
    Sql.openSqlite(":memory:"),
    Sql.openSqlite(":memory:"),
    extra
  )
const october = (point: unknown) => get(point, "month") === "2026-10"
const classOf = (count: number, year: number, overrides: Partial<StudentSpec> = {}) =>
  Array.from({ length: count }, () => plainStudent(year, overrides))

describe("subtraction no longer singles out a small group", () => {
  it("trends: the school minus the classes shown is never a class of 3, however many interactions it has", async () => {
    const students = [...classOf(30, 2027), ...classOf(12, 2028), ...classOf(3, 2029)]
    // in October the class of 3 has 50 interactions (the threshold counts students, not
    // interactions) and each student of the class of 12 one
    const visit = (i: number, student: number) => ({
      id: `eeeeeeee-0000-7000-8000-${i.toString(16).padStart(12, "0")}`,
      type: "OfficeHoursVisited",
      v: 1,
      occurredAt: "2026-10-14T15:00:00Z",
      data: {
        studentId: studentId(student),
        facultyId: "dis-fac-000",
        durationMinutes: 10,
        topic: "other",
        initiatedBy: "student"
      }
    })
    const visits = [
      ...Array.from({ length: 50 }, (_, i) => visit(i, 42 + (i % 3))),
      ...Array.from({ length: 12 }, (_, i) => visit(50 + i, 30 + i))
    ]
    const school = await open(students, visits)
    const trends = await fetchJson(school.app, school.keys.aggregates, "/v1/dashboard/trends")
    const shownYears = list(get(trends, "byGraduationYear")).map((y) => get(y, "graduationYear"))
    expect(shownYears).toEqual([2027])
    const other = get(trends, "otherGraduationYears")
    expect(get(other, "graduationYears")).toEqual([2028, 2029])
    // the difference a reader computes is the class of 12 and the class of 3 together
    const whole = Number(get(list(get(trends, "months")).find(october), "interactions"))
    const shown = Number(
      get(list(get(list(get(trends, "byGraduationYear"))[0], "months")).find(october), "interactions") ?? 0
    )
    expect(whole - shown).toBe(Number(get(list(get(other, "months")).find(october), "interactions")))
    expect(whole - shown).toBe(62)
    // and neither class is one filter away
    for (const [year, reason] of [
      [2028, "complementary"],
      [2029, "small-group"]
    ] as const) {
      const filtered = await fetchJson(
        school.app,
        school.keys.aggregates,
        `/v1/dashboard/trends?graduationYear=${year}`
      )
      expect(get(list(get(filtered, "months")).find(october), "interactions")).toEqual({
        suppressed: true,
        reason,
        threshold: 10
      })
    }
  })

  it("follow-ups: the overview's totals minus the rules shown never leave a rule of 2 students", async () => {
    const students = [...classOf(12, 2030, { rotation: true }), ...classOf(2, 2030, { mentor: true })]
    const school = await open(students)
    const dean = await fetchJson(school.app, school.keys.dean, "/v1/dashboard/follow-ups")
    // every student of this school also has an outreach follow-up (no discretionary contact)
    expect(list(get(dean, "byRule")).map((r) => get(r, "ruleId"))).toEqual(["mentor-cadence", "outreach", "thank-you"])
    const overview = await fetchJson(school.app, school.keys.aggregates, "/v1/dashboard/overview")
    const followUps = await fetchJson(school.app, school.keys.aggregates, "/v1/dashboard/follow-ups")
    expect(typeof get(get(overview, "followUps"), "overdue")).toBe("number")
    expect(list(get(followUps, "byRule")).map((r) => get(r, "ruleId"))).toEqual(["outreach"])
    expect(get(get(followUps, "otherRules"), "ruleIds")).toEqual(["mentor-cadence", "thank-you"])
    expect(get(get(followUps, "rulesTotal"), "overdue")).toBe(get(get(overview, "followUps"), "overdue"))
  })

  it("support check-ins: the school minus the classes, filtered one by one, never isolates one student, for deans too", async () => {
    const students = [...classOf(15, 2027, { checkIns: ["2026-10"] }), plainStudent(2028, { checkIns: ["2026-10"] })]
    const school = await open(students)
    for (const key of [school.keys.aggregates, school.keys.dean]) {
      const whole = await fetchJson(school.app, key, "/v1/dashboard/trends")
      expect(get(list(get(whole, "supportCheckIns")).find(october), "checkIns")).toBe(16)
      const big = await fetchJson(school.app, key, "/v1/dashboard/trends?graduationYear=2027")
      expect(get(list(get(big, "supportCheckIns")).find(october), "checkIns")).toEqual(complementary)
      const single = await fetchJson(school.app, key, "/v1/dashboard/trends?graduationYear=2028")
      expect(get(list(get(single, "supportCheckIns")).find(october), "checkIns")).toEqual({
        suppressed: true,
        reason: "sensitive",
        threshold: 10
      })
    }
  })
})
