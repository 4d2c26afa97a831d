import { InMemoryEventStore } from "@rapport/event-store"
import { beforeAll, describe, expect, it } from "vitest"
import * as Sql from "../src/Sql.js"
import type * as Views from "../src/Views.js"
import { type SchoolState, specialtyOf } from "./expected.js"
import { load } from "./fixtures.js"
import { coreState, type Projected, project, schoolId, simulatedSchool } from "./harness.js"
import { smallSchool } from "./people.js"

const small = { suppressed: true, reason: "small-group", threshold: 10 }
const sensitive = { suppressed: true, reason: "sensitive", threshold: 10 }
const complementary = { suppressed: true, reason: "complementary", threshold: 10 }

const isCell = (value: unknown): value is Views.Cell =>
  typeof value === "number" || (typeof value === "object" && value !== null && "suppressed" in value)

/** Every suppressed cell anywhere in a response says why, and with which threshold. */
const suppressedCells = (input: unknown, out: Array<unknown> = []): Array<unknown> => {
  if (Array.isArray(input)) for (const item of input) suppressedCells(item, out)
  else if (typeof input === "object" && input !== null) {
    if ("suppressed" in input) out.push(input)
    else for (const value of Object.values(input)) suppressedCells(value, out)
  }
  return out
}

const allSuppressed = (cells: Record<string, unknown>, expected: unknown, where: string) => {
  for (const [name, cell] of Object.entries(cells)) {
    if (isCell(cell)) expect(cell, `${where}.${name}`).toEqual(expected)
  }
}

describe("small-group suppression for aggregates:read", () => {
  let school: Projected

  beforeAll(async () => {
    const store = InMemoryEventStore.make()
    await load(store, schoolId, smallSchool(), 100)
    school = await project(store, Sql.openSqlite(":memory:"))
  })

  it("a school of six students shows no number to an aggregate reader, and all of them to a dean", async () => {
    const aggregate = await school.dashboard().overview(schoolId, "aggregate")
    const { meta, nextCycle, followUps, trends, ...cells } = aggregate
    allSuppressed(cells, small, "overview")
    const { cycle, requiredAdvocates, ...readiness } = nextCycle
    allSuppressed(readiness, small, `nextCycle ${cycle}`)
    expect(requiredAdvocates).toBe(3)
    allSuppressed(followUps, small, "followUps")
    expect(trends.length).toBeGreaterThan(0)
    for (const point of trends) allSuppressed(point, small, point.month)
    expect(meta.suppressionThreshold).toBe(10)

    const dean = await school.dashboard().overview(schoolId, "individual")
    expect(dean.activeStudents).toBe(6)
    expect(dean.nextCycle.students).toBe(6)
    expect(suppressedCells(dean)).toEqual([])
  })

  it("faculty and follow-ups list no individual rows for aggregates; concentration of three faculty is hidden", async () => {
    const faculty = await school.dashboard().faculty(schoolId, "aggregate", {})
    expect(faculty.rows).toEqual([])
    expect(faculty.total).toBe(0)
    expect(faculty.concentration.activeMentoringPairs).toEqual(small)
    expect(faculty.concentration.topDecileShare).toBeNull()
    expect(faculty.concentration.gini).toBeNull()
    // Both departments are under ten: no row of their own, summed in a hidden "Other".
    expect(faculty.departments).toEqual([])
    expect(faculty.otherDepartments?.departments.length).toBe(2)
    for (const group of [faculty.otherDepartments, faculty.departmentsTotal]) {
      const { menteesByTier, topDecileShare, gini, ...cells } = group ?? faculty.departmentsTotal
      allSuppressed(cells, small, "departments")
      allSuppressed(menteesByTier, small, "departments")
      expect(topDecileShare).toBeNull()
      expect(gini).toBeNull()
    }
    const followUps = await school.dashboard().followUps(schoolId, "aggregate", {})
    expect(followUps.rows).toEqual([])
    expect(followUps.total).toBe(0)
    expect(followUps.byRule).toEqual([])
    expect(followUps.otherRules?.ruleIds.length).toBeGreaterThan(0)
    allSuppressed(followUps.otherRules ?? {}, small, "other rules")
    allSuppressed(followUps.rulesTotal, small, "all rules")
    const letters = await school.dashboard().letters(schoolId, "aggregate", {})
    expect(letters.cycles.flatMap((c) => c.specialties)).toEqual([])
    const others = letters.cycles.flatMap((c) => (c.otherSpecialties === null ? [] : [c.otherSpecialties]))
    expect(others.length).toBeGreaterThan(0)
    for (const row of others) allSuppressed(row, small, row.specialties.join())
    for (const cycle of letters.cycles) allSuppressed(cycle.total, small, `${cycle.cycle} total`)
    const dean = await school.dashboard().faculty(schoolId, "individual", {})
    expect(dean.rows.length).toBe(3)
    expect(dean.concentration.topDecileShare).not.toBeNull()
  })

  it("support check-ins of fewer than ten students are hidden as sensitive, from deans too", async () => {
    for (const audience of ["individual", "aggregate"] as const) {
      const trends = await school.dashboard().trends(schoolId, audience, { from: "2026-01" })
      const august = trends.supportCheckIns.find((m) => m.month === "2026-08")
      expect(august?.checkIns, audience).toEqual(sensitive)
      for (const month of trends.supportCheckIns) expect(month.checkIns).toEqual(sensitive)
    }
  })
})

describe("suppression in a simulated school counts each group's own population", () => {
  let school: Projected
  let state: SchoolState

  beforeAll(async () => {
    school = await simulatedSchool(7)
    state = await coreState(school.store)
  }, 60_000)

  it("graduation years, specialties, departments and rules smaller than 10 are hidden, larger ones shown", async () => {
    const dashboard = school.dashboard()
    const count = (keep: (s: State) => boolean) => [...state.students.values()].filter(keep).length
    type State = SchoolState["students"] extends ReadonlyMap<string, infer S> ? S : never
    const trends = await dashboard.trends(schoolId, "aggregate", { from: "2000-01" })
    for (const year of trends.byGraduationYear) {
      const population = count((s) => s.graduationYear === year.graduationYear)
      for (const point of year.months) {
        if (population < 10) allSuppressed(point, small, `${year.graduationYear} ${point.month}`)
        else expect(typeof point.interactions).toBe("number")
      }
    }
    const letters = await dashboard.letters(schoolId, "aggregate", {})
    for (const cycle of letters.cycles) {
      for (const row of cycle.specialties) {
        const population = count(
          (s) =>
            s.graduationYear === cycle.cycle &&
            (s.status === "active" || s.status === "unknown") &&
            (specialtyOf(s) ?? "(undeclared)") === row.specialty
        )
        // a row of its own only for a specialty of at least ten; the smaller ones are in "Other"
        expect(population, `${cycle.cycle} ${row.specialty}`).toBeGreaterThanOrEqual(10)
        expect(row.students).toBe(population)
      }
      for (const specialty of cycle.otherSpecialties?.specialties ?? []) {
        expect(cycle.specialties.map((row) => row.specialty)).not.toContain(specialty)
      }
    }
    const faculty = await dashboard.faculty(schoolId, "aggregate", {})
    for (const department of faculty.departments) {
      const members = [...state.faculty.values()].filter(
        (f) => f.status === "active" && (f.department ?? "(unknown)") === department.department
      ).length
      expect(members).toBeGreaterThanOrEqual(10)
      expect(department.faculty).toEqual(members)
    }
    const followUps = await dashboard.followUps(schoolId, "aggregate", {})
    expect(followUps.rows).toEqual([])
    for (const nudge of followUps.nudges) {
      if (typeof nudge.sent !== "number") expect(nudge.medianDaysToContact).toBeNull()
    }
    const hidden = suppressedCells([trends, letters, faculty, followUps])
    expect(hidden.length).toBeGreaterThan(0)
    for (const cell of hidden) {
      expect([small, sensitive, complementary]).toContainEqual(cell)
    }
  })
})
