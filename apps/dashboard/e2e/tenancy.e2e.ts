import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { api, launch, openView, signIn, type Browser } from "./harness/Browser.ts"
import { shoot } from "./harness/Shots.ts"

const target = inject("target")
let browser: Browser
let studentId = ""

const get = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined
const list = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [])

beforeAll(async () => {
  browser = await launch({ baseUrl: target.baseUrl })
  const students = await api(target.baseUrl, target.keys.dashboards, "/v1/dashboard/students?pageSize=1")
  studentId = String(get(list(get(students.body, "rows"))[0], "studentId"))
  await signIn(browser.page, target.keys.otherSchool)
})
afterAll(async () => {
  await browser.close()
})

describe("a key of another school", () => {
  it("signs in to its own (empty) school, with guidance instead of a blank page", async () => {
    const { page } = browser
    await openView(page, "/")
    expect(await page.locator("[data-school]").textContent()).not.toBe(target.school)
    await page.getByRole("heading", { name: "No data from your school yet" }).waitFor()
    await shoot(page, "empty-school")
  })

  it("sees nothing of this school, in the UI or the API", async () => {
    const { page } = browser
    browser.expectConsoleError(/status of 404/)
    await page.goto(`/students/${encodeURIComponent(studentId)}`)
    await page.locator(".state.error").waitFor()
    expect(await page.locator("main").textContent()).not.toContain("Relationships")

    const key = target.keys.otherSchool
    expect((await api(target.baseUrl, key, `/v1/students/${encodeURIComponent(studentId)}`)).status).toBe(404)
    const students = await api(target.baseUrl, key, "/v1/dashboard/students")
    expect(get(students.body, "total")).toBe(0)
    const coverage = await api(target.baseUrl, key, "/v1/dashboard/coverage")
    expect(list(get(coverage.body, "sources"))).toEqual([])
    for (const view of ["overview", "faculty", "letters", "follow-ups", "coverage"]) {
      const answer = await api(target.baseUrl, key, `/v1/dashboard/${view}`)
      expect(get(get(answer.body, "meta"), "school"), view).not.toBe(target.school)
      expect(JSON.stringify(answer.body), view).not.toContain(studentId)
    }
  })

  it("logged no other console error", () => {
    expect(browser.errors()).toEqual([])
  })
})
