import { Faculty, Letter, School } from "@rapport/core"
import { InMemoryEventStore } from "@rapport/event-store"
import { beforeAll, describe, expect, it } from "vitest"
import type * as Filters from "../src/Filters.js"
import * as Sql from "../src/Sql.js"
import type * as Views from "../src/Views.js"
import type { SchoolState } from "./expected.js"
import { load, simulatedEvents } from "./fixtures.js"
import { coreState, defaultNow, type Projected, project, schoolId } from "./harness.js"
import { event, walkIn, walkInEvents } from "./people.js"

const asOf = defaultNow.toISOString()
const leaver = "f-10003"

const lettersOf = (state: SchoolState, facultyId: string) => {
  const { requested, committed, submitted, declined } = Letter.countLetters(
    state.faculty.get(facultyId)?.students.values() ?? []
  )
  return { requested, committed, submitted, declined }
}

const rowOf = (state: SchoolState, f: Faculty.FacultySummary): Views.FacultyRow => ({
  facultyId: f.facultyId,
  displayName: null,
  department: f.department ?? null,
  rank: f.rank ?? null,
  status: f.status,
  mentees: {
    acquainted: f.mentees.acquainted,
    developing: f.mentees.developing,
    strong: f.mentees.strong,
    advocate: f.mentees.advocate
  },
  activeMentoringPairs: f.activeMentoringPairs,
  letters: lettersOf(state, f.facultyId),
  loadRatio: f.load.ratioToMedian ?? null
})

type Sort = NonNullable<Filters.FacultyQuery["sort"]>

const sortKey: Record<Sort, (r: Views.FacultyRow) => string | number | null> = {
  facultyId: (r) => r.facultyId,
  department: (r) => r.department,
  load: (r) => r.activeMentoringPairs,
  letters: (r) => r.letters.submitted
}

/** Ties by faculty id; no department sorts last in either order. */
const sorted = (rows: ReadonlyArray<Views.FacultyRow>, sort: Sort, order: "asc" | "desc") =>
  [...rows].sort((a, b) => {
    const ka = sortKey[sort](a)
    const kb = sortKey[sort](b)
    if ((ka === null) !== (kb === null)) return ka === null ? 1 : -1
    if (ka !== null && kb !== null && ka !== kb) return (ka < kb ? -1 : 1) * (order === "asc" ? 1 : -1)
    return a.facultyId < b.facultyId ? -1 : 1
  })

describe("the faculty view agrees with core", () => {
  let school: Projected
  let state: SchoolState
  let summary: School.SchoolSummary
  let rows: ReadonlyArray<Views.FacultyRow>

  beforeAll(async () => {
    const store = InMemoryEventStore.make()
    const left = event({ type: "FacultyLeft", occurredAt: "2026-08-01T12:00:00Z", data: { facultyId: leaver } })
    // New faculty without mentees yet: they are peers whose load is 0 (core's median counts them).
    const joiners = [1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
      event({
        type: "FacultyJoined",
        occurredAt: "2026-09-01T12:00:00Z",
        data: { facultyId: `f-new-${n}`, department: "Anatomy" }
      })
    )
    // A pair with no scored contact (a support check-in only) is not a mentee in any tier.
    const support = event({
      type: "SupportCheckInHeld",
      occurredAt: "2026-09-10T12:00:00Z",
      data: { studentId: walkIn, facultyId: "f-new-1", kind: "wellbeing" }
    })
    await load(store, schoolId, [...simulatedEvents(13), ...walkInEvents, left, ...joiners, support], 400)
    school = await project(store, Sql.openSqlite(":memory:"))
    state = await coreState(store)
    summary = School.summarize(state, asOf)
    rows = Faculty.summarizeAll(state, asOf).map((f) => rowOf(state, f))
  }, 60_000)

  it("concentration: top-10% share of active mentoring pairs and the Gini coefficient", async () => {
    const view = await school.dashboard().faculty(schoolId, "individual", {})
    const c = summary.concentration
    expect(c.top.total).toBeGreaterThan(0)
    expect(view.concentration.topDecileShare).toBeCloseTo(c.top.share, 12)
    expect(view.concentration.gini).toBeCloseTo(c.gini, 12)
    expect(c.giniFaculty).toBeGreaterThan(1)
    expect(view.concentration.activeMentoringPairs).toBe(c.top.total)
  })

  it("departments: faculty, mentees by tier, mentoring pairs, letters and concentration", async () => {
    const view = await school.dashboard().faculty(schoolId, "individual", {})
    const expected = summary.byDepartment.map((d) => {
      const ofDepartment = [...state.faculty.values()].filter(
        (f) => f.status === "active" && f.department === d.department
      )
      return {
        department: d.department ?? "(unknown)",
        faculty: d.activeFaculty,
        menteesByTier: d.pairsByTier,
        activeMentoringPairs: d.activeMentoringPairs,
        lettersSubmitted: ofDepartment.reduce((n, f) => n + Letter.countLetters(f.students.values()).submitted, 0),
        topDecileShare: d.concentration.top.share,
        gini: d.concentration.gini
      }
    })
    expect(expected.some((d) => d.department === "(unknown)")).toBe(true)
    const byName = (a: { department: string }, b: { department: string }) => (a.department < b.department ? -1 : 1)
    expect(view.departments).toEqual(expected.sort(byName))
  })

  it("rows: mentees by tier, mentoring pairs, letters and load against the median of every active peer", async () => {
    expect(rows.find((r) => r.facultyId === leaver)?.status).toBe("left")
    expect(rows.some((r) => r.loadRatio !== null && r.loadRatio !== 1)).toBe(true)
    const view = await school.dashboard().faculty(schoolId, "individual", { pageSize: 200 })
    expect(view.total).toBe(rows.length)
    expect(view.rows).toEqual(sorted(rows, "facultyId", "asc"))
  })

  it("lists faculty who left apart, and answers the peer median the ratios divide by", async () => {
    const active = await school.dashboard().faculty(schoolId, "individual", { status: "active", pageSize: 200 })
    const left = await school.dashboard().faculty(schoolId, "individual", { status: "left", pageSize: 200 })
    expect(left.rows.map((r) => r.facultyId)).toContain(leaver)
    expect(left.rows).toEqual(sorted(rows, "facultyId", "asc").filter((r) => r.status === "left"))
    expect(active.rows).toEqual(sorted(rows, "facultyId", "asc").filter((r) => r.status === "active"))
    expect(active.total + left.total).toBe(rows.length)
    const median = active.peerMedian
    expect(median).toBeGreaterThan(0)
    for (const row of active.rows) expect(row.loadRatio).toBeCloseTo(row.activeMentoringPairs / Number(median), 12)
  })

  it("filters by department and id prefix, sorts by every key in both orders, pages", async () => {
    const departments = [...new Set(rows.flatMap((r) => r.department ?? []))]
    for (const department of departments) {
      const view = await school.dashboard().faculty(schoolId, "individual", { department, pageSize: 200 })
      expect(view.rows).toEqual(rows.filter((r) => r.department === department))
    }
    const prefixed = await school.dashboard().faculty(schoolId, "individual", { q: "f-1000", pageSize: 200 })
    expect(prefixed.rows.map((r) => r.facultyId)).toEqual(
      rows.map((r) => r.facultyId).filter((id) => id.startsWith("f-1000"))
    )
    expect((await school.dashboard().faculty(schoolId, "individual", { q: "f-%" })).total).toBe(0)
    for (const sort of ["facultyId", "department", "load", "letters"] as const) {
      for (const order of ["asc", "desc", undefined] as const) {
        const query = order === undefined ? { sort, pageSize: 200 } : { sort, order, pageSize: 200 }
        const view = await school.dashboard().faculty(schoolId, "individual", query)
        const fallback = sort === "load" || sort === "letters" ? "desc" : "asc"
        expect(view.rows, `${sort} ${order}`).toEqual(sorted(rows, sort, order ?? fallback))
      }
    }
    const all = sorted(rows, "load", "desc")
    for (let page = 1; page <= Math.ceil(all.length / 4) + 1; page++) {
      const view = await school.dashboard().faculty(schoolId, "individual", { sort: "load", page, pageSize: 4 })
      expect(view.rows).toEqual(all.slice((page - 1) * 4, page * 4))
    }
  })
})
