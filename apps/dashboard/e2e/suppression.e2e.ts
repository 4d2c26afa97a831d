import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { api, launch, openView, signIn, type Browser } from "./harness/Browser.ts"
import { exportTable } from "./harness/Csv.ts"
import { shoot } from "./harness/Shots.ts"

const target = inject("target")
let browser: Browser

const get = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined
const list = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [])

beforeAll(async () => {
  browser = await launch({ baseUrl: target.baseUrl })
  await signIn(browser.page, target.keys.aggregates)
})
afterAll(async () => {
  await browser.close()
})

describe("an aggregates:read key", () => {
  it("sees no individual students: no Students link, an explanation instead, 403 from the API", async () => {
    const { page } = browser
    await openView(page, "/")
    expect(await page.locator(".app-nav a", { hasText: "Students" }).count()).toBe(0)
    expect(await page.locator(".badge").textContent()).toContain("Aggregate access")
    await shoot(page, "overview-aggregates")
    await page.goto("/students")
    await page.getByRole("heading", { name: "Aggregate access only" }).waitFor()
    expect((await api(target.baseUrl, target.keys.aggregates, "/v1/dashboard/students")).status).toBe(403)
  })

  it("sees no faculty or follow-up rows", async () => {
    const { page } = browser
    await openView(page, "/faculty")
    expect(await page.locator("table[data-table=faculty]").count()).toBe(0)
    const faculty = await api(target.baseUrl, target.keys.aggregates, "/v1/dashboard/faculty")
    expect(list(get(faculty.body, "rows"))).toEqual([])
    const followUps = await api(target.baseUrl, target.keys.aggregates, "/v1/dashboard/follow-ups")
    expect(list(get(followUps.body, "rows"))).toEqual([])
  })

  it("sees small groups summed in Other beside the total, alike on screen and in the CSV, and why", async () => {
    const { page } = browser
    const letters = await api(target.baseUrl, target.keys.aggregates, "/v1/dashboard/letters")
    const threshold = Number(get(get(letters.body, "meta"), "suppressionThreshold"))
    expect(threshold).toBeGreaterThan(0)
    const cellText = (cell: unknown) =>
      typeof cell === "number" ? String(cell) : `suppressed (small group < ${threshold})`

    const faculty = await api(target.baseUrl, target.keys.aggregates, "/v1/dashboard/faculty")
    await openView(page, "/faculty")
    const departmentsCsv = await exportTable(page, "faculty-by-department")
    for (const department of list(get(faculty.body, "departments"))) {
      const row = departmentsCsv.rows.find((r) => r.Department === get(department, "department"))
      expect(row?.["Active mentoring pairs"]).toBe(cellText(get(department, "activeMentoringPairs")))
    }
    expect(departmentsCsv.rows.at(-1)?.["Active mentoring pairs"]).toBe(
      cellText(get(get(faculty.body, "departmentsTotal"), "activeMentoringPairs"))
    )

    let others = 0
    for (const cycle of list(get(letters.body, "cycles"))) {
      const year = get(cycle, "cycle")
      await openView(page, `/letters?cycle=${year}`)
      const csv = await exportTable(page, `letters-${year}`)
      // every specialty with a row of its own has at least the threshold of students
      for (const row of list(get(cycle, "specialties"))) {
        expect(get(row, "students")).toBeGreaterThanOrEqual(threshold)
        expect(csv.rows.find((r) => r.Specialty === get(row, "specialty"))?.["Students applying"]).toBe(
          cellText(get(row, "students"))
        )
      }
      const other = get(cycle, "otherSpecialties")
      if (other !== null) {
        others++
        const names = list(get(other, "specialties")).map(String)
        const row = csv.rows.find((r) => r.Specialty === `Other (${names.length} specialties)`)
        expect(row?.["Students applying"]).toBe(cellText(get(other, "students")))
        expect(row?.Submitted).toBe(cellText(get(other, "lettersSubmitted")))
        expect(await page.locator(".table-footnote").first().textContent()).toContain(names.join(", "))
      }
      const total = csv.rows.at(-1)
      expect(total?.Specialty).toBe("All specialties")
      expect(total?.["Students applying"]).toBe(cellText(get(get(cycle, "total"), "students")))
      if (other !== null && others === 1) await shoot(page, "letters-aggregates")
    }
    // the mid-sized demo school has many small specialties: summed, not a column of hidden rows
    expect(others).toBeGreaterThan(0)
    expect(await page.locator("main").textContent()).toContain(`fewer than ${threshold} people are combined`)

    // wherever the API hides a cell, the screen says why
    await openView(page, "/")
    const trends = await api(target.baseUrl, target.keys.aggregates, "/v1/dashboard/trends")
    const hiddenMonths = list(get(trends.body, "supportCheckIns")).filter(
      (m) => get(get(m, "checkIns"), "suppressed") === true
    )
    if (hiddenMonths.length > 0) expect(await page.locator("main").textContent()).toContain("hidden (sensitive)")
  })

  it("keeps the whole school's figures, every class and every department of at least the threshold in view", async () => {
    const read = async (key: string, path: string) => (await api(target.baseUrl, key, path)).body
    const overview = await read(target.keys.aggregates, "/v1/dashboard/overview")
    const threshold = Number(get(get(overview, "meta"), "suppressionThreshold"))
    for (const name of ["activeStudents", "withStrongRelationship", "isolated"])
      expect(typeof get(overview, name), name).toBe("number")
    for (const name of ["due", "overdue"]) expect(typeof get(get(overview, "followUps"), name), name).toBe("number")
    // classes: the dean's trends list every class; each of at least the threshold keeps its own series
    const trends = await read(target.keys.aggregates, "/v1/dashboard/trends")
    const shownYears = list(get(trends, "byGraduationYear")).map((y) => get(y, "graduationYear"))
    for (const year of list(get(await read(target.keys.dashboards, "/v1/dashboard/trends"), "byGraduationYear"))) {
      const graduationYear = get(year, "graduationYear")
      const size = get(
        await read(
          target.keys.dashboards,
          `/v1/dashboard/students?status=all&graduationYear=${graduationYear}&pageSize=1`
        ),
        "total"
      )
      if (Number(size) >= threshold)
        expect(shownYears, `class of ${graduationYear} (${size})`).toContain(graduationYear)
    }
    const faculty = await read(target.keys.aggregates, "/v1/dashboard/faculty")
    const shownDepartments = list(get(faculty, "departments")).map((d) => get(d, "department"))
    for (const department of list(get(await read(target.keys.dashboards, "/v1/dashboard/faculty"), "departments")))
      if (Number(get(department, "faculty")) >= threshold)
        expect(shownDepartments).toContain(get(department, "department"))
    expect(typeof get(get(faculty, "departmentsTotal"), "activeMentoringPairs")).toBe("number")
  })

  it("logged no console error", () => {
    expect(browser.errors()).toEqual([])
  })
})
