import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { api, launch, openView, signIn, type Browser } from "./harness/Browser.ts"
import { seriousViolations } from "./harness/Axe.ts"

// axe-core on every view, for a dean (individual drill-down) and for an analyst (aggregate
// access, whose person pages and student list are a notice): no serious or critical
// violation, and exactly one <h1> on each page.
const target = inject("target")
let dean: Browser
let analyst: Browser
let studentId = ""
let facultyId = ""

const first = (body: unknown, key: string): string => {
  const rows = typeof body === "object" && body !== null ? Reflect.get(body, "rows") : undefined
  const row: unknown = Array.isArray(rows) ? rows[0] : undefined
  const id = typeof row === "object" && row !== null ? Reflect.get(row, key) : undefined
  return typeof id === "string" ? id : ""
}

beforeAll(async () => {
  studentId = first(
    (await api(target.baseUrl, target.keys.dashboards, "/v1/dashboard/students?pageSize=1")).body,
    "studentId"
  )
  facultyId = first(
    (await api(target.baseUrl, target.keys.dashboards, "/v1/dashboard/faculty?pageSize=1")).body,
    "facultyId"
  )
  dean = await launch({ baseUrl: target.baseUrl })
  await signIn(dean.page, target.keys.dashboards)
  analyst = await launch({ baseUrl: target.baseUrl })
  await signIn(analyst.page, target.keys.aggregates)
})
afterAll(async () => {
  await dean.close()
  await analyst.close()
})

const views = () => [
  "/",
  "/?graduationYear=2027",
  "/students",
  "/students?q=a",
  `/students/${encodeURIComponent(studentId)}`,
  "/faculty",
  `/faculty/${encodeURIComponent(facultyId)}`,
  "/letters",
  "/follow-ups",
  "/coverage",
  // an address that is not the dashboard's is answered 404 by the server (operations.e2e.ts);
  // one that is, about nobody, is the dashboard's own "not found"
  "/students/no-such-student"
]

describe("accessibility (axe-core)", () => {
  for (const who of ["dean", "analyst"] as const) {
    it(`every view has one <h1> and no serious or critical violation, for the ${who}`, async () => {
      const { page } = who === "dean" ? dean : analyst
      const found: Record<string, unknown> = {}
      for (const path of views()) {
        await openView(page, path)
        // the overview's comparison with earlier months arrives after the figures
        if (path.startsWith("/?") || path === "/")
          await page.locator("[data-kpi=strong] .kpi-history:not(.loading-quiet)").waitFor()
        expect(await page.locator("h1").count(), `${path}: one <h1>`).toBe(1)
        const violations = await seriousViolations(page)
        if (violations.length > 0) found[path] = violations
      }
      expect(found).toEqual({})
    })
  }
})
