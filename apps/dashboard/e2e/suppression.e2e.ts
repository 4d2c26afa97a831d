import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { api, launch, openView, signIn, type Browser } from "./harness/Browser.ts"
import { exportTable } from "./harness/Csv.ts"
import { shoot } from "./harness/Shots.ts"

const target = inject("target")
let browser: Browser

const get = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined
const list = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [])
const isSuppressed = (cell: unknown) => get(cell, "suppressed") === true

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

  it("sees small groups hidden alike on screen and in the CSV, with the reason given", async () => {
    const { page } = browser
    const faculty = await api(target.baseUrl, target.keys.aggregates, "/v1/dashboard/faculty")
    const letters = await api(target.baseUrl, target.keys.aggregates, "/v1/dashboard/letters")
    const threshold = get(get(faculty.body, "meta"), "suppressionThreshold")
    expect(threshold).toBeGreaterThan(0)

    let hiddenSeen = 0
    await openView(page, "/faculty")
    const departmentsCsv = await exportTable(page, "faculty-by-department")
    for (const department of list(get(faculty.body, "departments"))) {
      const row = departmentsCsv.rows.find((r) => r.Department === get(department, "department"))
      const cell = get(department, "activeMentoringPairs")
      if (isSuppressed(cell)) {
        hiddenSeen++
        expect(row?.["Active mentoring pairs"]).toBe(`suppressed (small group < ${threshold})`)
      } else expect(row?.["Active mentoring pairs"]).toBe(String(cell))
    }

    const cycles = list(get(letters.body, "cycles"))
    const cycle = cycles.find((c) => list(get(c, "specialties")).some((s) => isSuppressed(get(s, "students"))))
    if (cycle !== undefined) {
      await openView(page, `/letters?cycle=${get(cycle, "cycle")}`)
      const lettersCsv = await exportTable(page, `letters-${get(cycle, "cycle")}`)
      for (const specialty of list(get(cycle, "specialties"))) {
        const row = lettersCsv.rows.find((r) => r.Specialty === get(specialty, "specialty"))
        if (isSuppressed(get(specialty, "students"))) {
          hiddenSeen++
          expect(row?.["Students applying"]).toBe(`suppressed (small group < ${threshold})`)
          // A share derived from a hidden count is hidden too.
          expect(row?.["Share letter-ready"]).toMatch(/^suppressed/)
        }
      }
      expect(await page.locator(".suppression-note").first().textContent()).toContain(`fewer than ${threshold} people`)
      await shoot(page, "letters-aggregates")
    }
    // A mid-sized school has small departments and specialties: the check above is not empty.
    expect(hiddenSeen).toBeGreaterThan(0)
    expect(await page.locator("main").textContent()).toContain(`hidden (<${threshold})`)
  })

  it("logged no console error", () => {
    expect(browser.errors()).toEqual([])
  })
})
