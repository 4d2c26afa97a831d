import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { api, launch, openView, signIn, waitForView, type Browser } from "./harness/Browser.ts"
import { exportTable } from "./harness/Csv.ts"

const target = inject("target")
let browser: Browser

const get = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined
const list = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [])
const cellText = (cell: unknown): string => {
  if (typeof cell === "number") return String(cell)
  if (get(cell, "suppressed") === true)
    return get(cell, "reason") === "sensitive"
      ? "suppressed (sensitive)"
      : `suppressed (small group < ${get(cell, "threshold")})`
  return ""
}

beforeAll(async () => {
  browser = await launch({ baseUrl: target.baseUrl })
  await signIn(browser.page, target.keys.dashboards)
})
afterAll(async () => {
  await browser.close()
})

describe("CSV export", () => {
  it("exports the students shown, row for row as the API answers", async () => {
    const { page } = browser
    const response = page.waitForResponse((r) => r.url().includes("/v1/dashboard/students"))
    await openView(page, "/students?graduationYear=&sort=studentId&order=asc")
    const apiPath = new URL((await response).url()).pathname + new URL((await response).url()).search
    await waitForView(page)
    const csv = await exportTable(page, "students")
    const fromApi = await api(target.baseUrl, target.keys.dashboards, apiPath)
    expect(fromApi.status).toBe(200)
    const rows = list(get(fromApi.body, "rows"))
    expect(csv.fileName).toMatch(/^rapport-.+-students-\d{4}-\d{2}-\d{2}\.csv$/)
    expect(csv.header).toContain("Student")
    expect(csv.rows.map((r) => r.Student)).toEqual(rows.map((r) => String(get(r, "studentId"))))
    expect(csv.rows.map((r) => r["Class of"])).toEqual(rows.map((r) => String(get(r, "graduationYear") ?? "")))
    expect(csv.rows.map((r) => r.Advocates)).toEqual(rows.map((r) => String(get(r, "advocates"))))
    expect(csv.rows.map((r) => r["Strongest relationship"])).toEqual(rows.map((r) => String(get(r, "highestTier"))))
  })

  it("exports the table behind a chart, cell for cell as the API answers", async () => {
    const { page } = browser
    await openView(page, "/faculty")
    const csv = await exportTable(page, "faculty-by-department")
    const fromApi = await api(target.baseUrl, target.keys.dashboards, "/v1/dashboard/faculty")
    const departments = list(get(fromApi.body, "departments"))
    // every department (a dean sees all of them), then the total
    expect(csv.rows.length).toBe(departments.length + 1)
    const total = csv.rows.at(-1)
    expect(total?.Department).toBe("All departments")
    expect(total?.["Active mentoring pairs"]).toBe(
      cellText(get(get(fromApi.body, "departmentsTotal"), "activeMentoringPairs"))
    )
    for (const department of departments) {
      const row = csv.rows.find((r) => r.Department === get(department, "department"))
      expect(row, String(get(department, "department"))).toBeDefined()
      expect(row?.Faculty).toBe(cellText(get(department, "faculty")))
      expect(row?.["Active mentoring pairs"]).toBe(cellText(get(department, "activeMentoringPairs")))
      expect(row?.["Letters submitted"]).toBe(cellText(get(department, "lettersSubmitted")))
    }
  })

  it("logged no console error", () => {
    expect(browser.errors()).toEqual([])
  })
})
