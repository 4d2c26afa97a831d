/**
 * Every view of a school through one dashboard, with many filters, sorts and pages: what
 * two databases must answer identically.
 */
import * as Effect from "effect/Effect"
import * as ReadModel from "../src/ReadModel.js"
import type * as Sql from "../src/Sql.js"
import { rounded, schoolId, type TestDashboard } from "./harness.js"

export const everyView = async (
  dashboard: TestDashboard,
  students: ReadonlyArray<string>,
  faculty: ReadonlyArray<string>
): Promise<Record<string, unknown>> => {
  const out: Record<string, unknown> = {}
  for (const audience of ["individual", "aggregate"] as const) {
    out[`overview ${audience}`] = await dashboard.overview(schoolId, audience)
    out[`trends ${audience}`] = await dashboard.trends(schoolId, audience, { from: "2000-01" })
    out[`trends 2028 ${audience}`] = await dashboard.trends(schoolId, audience, { graduationYear: 2028 })
    out[`letters ${audience}`] = await dashboard.letters(schoolId, audience, {})
    out[`coverage ${audience}`] = await dashboard.coverage(schoolId, audience)
    out[`follow-ups ${audience}`] = await dashboard.followUps(schoolId, audience, { pageSize: 200 })
    for (const sort of ["facultyId", "department", "load", "letters"] as const) {
      for (const order of ["asc", "desc"] as const) {
        out[`faculty ${sort} ${order} ${audience}`] = await dashboard.faculty(schoolId, audience, { sort, order })
      }
    }
  }
  for (const state of ["due", "overdue", "done"] as const) {
    for (let page = 1; page <= 3; page++) {
      out[`follow-ups ${state} ${page}`] = await dashboard.followUps(schoolId, "individual", {
        state,
        page,
        pageSize: 25
      })
    }
  }
  for (const sort of ["studentId", "graduationYear", "lastContact", "relationships", "tier"] as const) {
    for (const order of ["asc", "desc"] as const) {
      for (const page of [1, 2, 3]) {
        out[`students ${sort} ${order} ${page}`] = await dashboard.students(schoolId, {
          sort,
          order,
          page,
          pageSize: 20,
          status: "all"
        })
      }
    }
  }
  for (const tier of ["none", "acquainted", "developing", "strong", "advocate"] as const) {
    out[`students ${tier}`] = await dashboard.students(schoolId, { tier, pageSize: 200 })
  }
  out["students isolated"] = await dashboard.students(schoolId, { isolated: "true", pageSize: 200 })
  for (const stage of ["new", "pre-clinical", "clinical", "applying"] as const)
    out[`students ${stage}`] = await dashboard.students(schoolId, { stage, status: "all", pageSize: 200 })
  out["students q"] = await dashboard.students(schoolId, { q: "s-2028", pageSize: 200 })
  for (const id of students) {
    for (const asOf of [undefined, "2026-02-01", "2026-06-15T12:00:00Z"]) {
      out[`student ${id} ${asOf}`] = await Effect.runPromise(dashboard.studentPage(schoolId, id, asOf))
    }
  }
  for (const id of faculty) {
    for (const asOf of [undefined, "2026-02-01"]) {
      out[`faculty page ${id} ${asOf}`] = await Effect.runPromise(dashboard.facultyPage(schoolId, id, asOf))
    }
  }
  return rounded(out) as Record<string, unknown>
}

/** The same cell from either driver: BIGINT arrives as a string from postgres.js. */
const normalized = (value: unknown): unknown =>
  typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : rounded(value)

/** Every read-model row but the lease and checkpoint time, normalised across drivers. */
export const rows = async (db: Sql.SqlDatabase): Promise<Record<string, ReadonlyArray<string>>> => {
  const out: Record<string, ReadonlyArray<string>> = {}
  for (const table of ReadModel.tables) {
    if (table === "rm_meta") continue
    const all = await db.all(`SELECT * FROM ${table}`)
    out[table] = all
      .map((row) => {
        const { updated_at: _time, ...rest } = row
        return JSON.stringify(Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, normalized(v)])))
      })
      .sort()
  }
  return out
}
