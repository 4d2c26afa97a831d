import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { api, launch, openView, signIn, type Browser } from "./harness/Browser.ts"
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
  it("exports the whole filtered list of students, row for row as the API's list", async () => {
    const { page } = browser
    const filter = "graduationYear=&isolated=false&sort=studentId&order=asc"
    await openView(page, `/students?${filter}`)
    // the API's whole list: every page of the same filters and sort
    const fromApi: Array<unknown> = []
    let total = 0
    for (let p = 1; p === 1 || fromApi.length < total; p++) {
      const answer = await api(
        target.baseUrl,
        target.keys.dashboards,
        `/v1/dashboard/students?isolated=false&sort=studentId&order=asc&pageSize=200&page=${p}`
      )
      expect(answer.status).toBe(200)
      total = Number(get(answer.body, "total"))
      fromApi.push(...list(get(answer.body, "rows")))
    }
    expect(total).toBeGreaterThan(25)
    expect(await page.locator('button[data-export="students"]').textContent()).toContain(`Export all ${total}`)
    const csv = await exportTable(page, "students")
    expect(csv.fileName).toMatch(/^rapport-.+-students-\d{4}-\d{2}-\d{2}\.csv$/)
    expect(csv.header).toContain("Student")
    expect(csv.rows.length).toBe(total)
    expect(csv.rows.map((r) => r.Student)).toEqual(fromApi.map((r) => String(get(r, "studentId"))))
    expect(csv.rows.map((r) => r.Name)).toEqual(fromApi.map((r) => String(get(r, "displayName") ?? "")))
    expect(csv.rows.map((r) => r["Class of"])).toEqual(fromApi.map((r) => String(get(r, "graduationYear") ?? "")))
    expect(csv.rows.map((r) => r.Advocates)).toEqual(fromApi.map((r) => String(get(r, "advocates"))))
    expect(csv.rows.map((r) => r["Strongest relationship"])).toEqual(fromApi.map((r) => String(get(r, "highestTier"))))
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
