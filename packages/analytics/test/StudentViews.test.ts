import { InMemoryEventStore } from "@rapport/event-store"
import { beforeAll, describe, expect, it } from "vitest"
import type * as Filters from "../src/Filters.js"
import * as Sql from "../src/Sql.js"
import type * as Views from "../src/Views.js"
import { type SchoolState, type StudentFacts, studentFacts } from "./expected.js"
import { coreState, defaultNow, type Projected, project, schoolId } from "./harness.js"
import { load, simulatedEvents } from "./fixtures.js"
import { walkIn, walkInEvents } from "./people.js"

type Sort = NonNullable<Filters.StudentsQuery["sort"]>

const keyOf: Record<Sort, (s: StudentFacts) => number | string> = {
  studentId: (s) => s.studentId,
  graduationYear: (s) => s.graduationYear ?? Number.NaN,
  lastContact: (s) => s.lastContactMs ?? 0,
  relationships: (s) => s.relationshipCount,
  tier: (s) => ["none", "acquainted", "developing", "strong", "advocate"].indexOf(s.highestTier)
}

/** Ties by student id; students without a graduation year last in either order. */
const sorted = (rows: ReadonlyArray<StudentFacts>, sort: Sort, order: "asc" | "desc") =>
  [...rows].sort((a, b) => {
    const ka = keyOf[sort](a)
    const kb = keyOf[sort](b)
    const aMissing = typeof ka === "number" && Number.isNaN(ka)
    const bMissing = typeof kb === "number" && Number.isNaN(kb)
    if (aMissing !== bMissing) return aMissing ? 1 : -1
    if (ka !== kb && !aMissing) return (ka < kb ? -1 : 1) * (order === "asc" ? 1 : -1)
    return a.studentId < b.studentId ? -1 : a.studentId > b.studentId ? 1 : 0
  })

const asRow = (s: StudentFacts): Views.StudentRow => ({
  studentId: s.studentId,
  displayName: null,
  status: s.status,
  graduationYear: s.graduationYear,
  specialty: s.specialty,
  highestTier: s.highestTier,
  relationships: s.relationships,
  advocates: s.advocates,
  isolated: s.isolated,
  stage: s.stage,
  lastContactAt: s.lastContactAt,
  daysSinceContact: s.daysSinceContact,
  departmentsReached: s.departmentsReached
})

const matches = (query: Filters.StudentsQuery, s: StudentFacts, withTier = true): boolean => {
  const status = query.status ?? "active"
  if (status === "active" && !s.active) return false
  if (status !== "active" && status !== "all" && s.status !== status) return false
  if (query.graduationYear !== undefined && s.graduationYear !== query.graduationYear) return false
  if (query.specialty !== undefined && s.specialty !== query.specialty) return false
  if (query.q !== undefined && !s.studentId.startsWith(query.q)) return false
  if (query.isolated !== undefined && s.isolated !== (query.isolated === "true")) return false
  if (query.stage !== undefined && s.stage !== query.stage) return false
  if (withTier && query.tier !== undefined && s.highestTier !== query.tier) return false
  return true
}

describe("the students table agrees with core", () => {
  let school: Projected
  let state: SchoolState
  let facts: ReadonlyArray<StudentFacts>

  beforeAll(async () => {
    const store = InMemoryEventStore.make()
    await load(store, schoolId, [...simulatedEvents(11), ...walkInEvents], 400)
    school = await project(store, Sql.openSqlite(":memory:"))
    state = await coreState(store)
    facts = [...state.students.values()].map((s) => studentFacts(state, s, defaultNow.getTime()))
  }, 60_000)

  const everything = async (query: Filters.StudentsQuery) => {
    const first = await school.dashboard().students(schoolId, { ...query, pageSize: 200 })
    const rows = [...first.rows]
    for (let page = 2; page <= Math.ceil(first.total / 200); page++) {
      rows.push(...(await school.dashboard().students(schoolId, { ...query, page, pageSize: 200 })).rows)
    }
    return { view: first, rows }
  }

  const check = async (query: Filters.StudentsQuery) => {
    const { view, rows } = await everything(query)
    const expected = sorted(
      facts.filter((s) => matches(query, s)),
      query.sort ?? "studentId",
      query.order ?? (query.sort === "lastContact" || query.sort === "tier" ? "desc" : "asc")
    )
    expect(view.total, JSON.stringify(query)).toBe(expected.length)
    expect(rows, JSON.stringify(query)).toEqual(expected.map(asRow))
    const population = facts.filter((s) => matches(query, s, false))
    const byTier = { none: 0, acquainted: 0, developing: 0, strong: 0, advocate: 0 }
    for (const s of population) byTier[s.highestTier]++
    expect(view.byTier, JSON.stringify(query)).toEqual(byTier)
    return expected.length
  }

  it("lists every active student as core summarises them (a student known only from contact is active)", async () => {
    expect(facts.find((s) => s.studentId === walkIn)?.active).toBe(true)
    expect(await check({})).toBe(facts.filter((s) => s.active).length)
    // Departments reached count only acquainted-or-better relationships now.
    expect(facts.some((s) => s.departmentsReached > 0)).toBe(true)
  })

  it("filters by status, graduation year, specialty, tier, isolation and id prefix", async () => {
    for (const status of ["active", "leave", "withdrawn", "graduated", "all"] as const) await check({ status })
    const years = [...new Set(facts.flatMap((s) => s.graduationYear ?? []))]
    for (const graduationYear of years) {
      expect(await check({ graduationYear, status: "all" })).toBeGreaterThan(0)
      await check({ graduationYear })
    }
    const specialties = [...new Set(facts.flatMap((s) => s.specialty ?? []))]
    expect(specialties.length).toBeGreaterThan(1)
    for (const specialty of specialties) await check({ specialty, status: "all" })
    let tiers = 0
    for (const tier of ["none", "acquainted", "developing", "strong", "advocate"] as const) {
      tiers += await check({ tier })
      await check({ tier, isolated: "false", status: "all" })
    }
    expect(tiers).toBe(facts.filter((s) => s.active).length)
    expect(await check({ isolated: "true" })).toBeGreaterThan(0)
    expect(await check({ isolated: "false" })).toBeGreaterThan(0)
    expect(await check({ q: "s-2028" })).toBeGreaterThan(0)
    expect(await check({ q: "s-20%" })).toBe(0)
    expect(await check({ q: "s-2028-000_" })).toBe(0)
    const year = years[0] ?? 0
    await check({ graduationYear: year, isolated: "true", sort: "lastContact" })
  })

  it("filters by stage as core's Stage.stageOf says: the applying class on its own, new students never isolated", async () => {
    let staged = 0
    for (const stage of ["new", "pre-clinical", "clinical", "applying"] as const) {
      const n = await check({ stage })
      staged += n
      if (stage !== "new") expect(n, stage).toBeGreaterThan(0)
      await check({ stage, status: "all", sort: "tier" })
      await check({ stage, isolated: "true" })
    }
    expect(await check({ stage: "new", isolated: "true" })).toBe(0)
    expect(staged).toBe(facts.filter((s) => s.active && s.stage !== null).length)
  })

  it("sorts by every key in both orders, ties by student id", async () => {
    for (const sort of ["studentId", "graduationYear", "lastContact", "relationships", "tier"] as const) {
      await check({ sort, status: "all" })
      for (const order of ["asc", "desc"] as const) await check({ sort, order, status: "all" })
    }
  })

  it("pages: full pages, a short last page, and an empty page beyond the end", async () => {
    const all = sorted(
      facts.filter((s) => s.active),
      "tier",
      "desc"
    ).map(asRow)
    const pageSize = 7
    expect(all.length % pageSize).not.toBe(0)
    const pages = Math.ceil(all.length / pageSize)
    for (let page = 1; page <= pages + 1; page++) {
      const view = await school.dashboard().students(schoolId, { sort: "tier", page, pageSize })
      expect(view.total).toBe(all.length)
      expect(view.page).toBe(page)
      expect(view.pageSize).toBe(pageSize)
      expect(view.rows).toEqual(all.slice((page - 1) * pageSize, page * pageSize))
      if (page === pages) expect(view.rows.length).toBe(all.length % pageSize)
      if (page === pages + 1) expect(view.rows).toEqual([])
    }
  })
})
