import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { api, changeAndWait, launch, openView, signIn, type Browser } from "./harness/Browser.ts"

// The overview's figures against a month and a year earlier, the class selector above them,
// the month under way kept out of the charts, and names found by name.
const target = inject("target")
let browser: Browser

const get = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined
const list = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [])
const percent = (share: unknown) => `${(Number(share) * 100).toFixed(Number(share) * 100 < 10 ? 1 : 0)}%`

beforeAll(async () => {
  browser = await launch({ baseUrl: target.baseUrl })
  await signIn(browser.page, target.keys.dashboards)
})
afterAll(async () => {
  await browser.close()
})

describe("the overview's context", () => {
  it("folds the past as the read models count the present", async () => {
    const context = await api(target.baseUrl, target.keys.dashboards, "/v1/dashboard/overview/context")
    const overview = await api(target.baseUrl, target.keys.dashboards, "/v1/dashboard/overview")
    expect(context.status).toBe(200)
    const points = list(get(context.body, "points"))
    expect(points.length).toBe(13)
    const now = points.at(-1)
    for (const key of ["activeStudents", "withStrongRelationship", "isolated"])
      expect(get(now, key), key).toEqual(get(overview.body, key))
    expect(get(now, "letterReady")).toEqual(get(get(overview.body, "nextCycle"), "ready"))
  })

  it("shows each figure's change since a month and a year ago and a trend line", async () => {
    const { page } = browser
    await openView(page, "/")
    const strong = page.locator("[data-kpi=strong]")
    await strong.locator(".sparkline").waitFor()
    const context = await api(target.baseUrl, target.keys.dashboards, "/v1/dashboard/overview/context")
    const points = list(get(context.body, "points"))
    const monthAgo = Number(get(points.at(-2), "isolated"))
    const yearAgo = Number(get(points.at(0), "isolated"))
    const isolatedNow = Number(get(points.at(-1), "isolated"))
    const signed = (n: number) => (n === 0 ? "no change" : `${n > 0 ? "+" : "−"}${Math.abs(n).toLocaleString("en-US")}`)
    const isolated = await page.locator("[data-kpi=isolated] .kpi-changes").innerText()
    expect(isolated).toContain(`${signed(isolatedNow - monthAgo)} since a month ago`)
    expect(isolated).toContain(`${signed(isolatedNow - yearAgo)} since a year ago`)
    for (const kpi of ["strong", "isolated", "letter-ready", "contact"])
      expect(await page.locator(`[data-kpi=${kpi}] .sparkline`).getAttribute("data-points"), kpi).toMatch(/^1[23]$/)
    // the month under way is named, and left out of the charts
    const partial = page.locator("[data-partial-month]")
    const month = String(get(context.body, "currentMonth"))
    expect(await partial.getAttribute("data-partial-month")).toBe(month)
    expect(await partial.innerText()).toContain("partial month")
  })

  it("changes the figures it sits above when a class is chosen", async () => {
    const { page } = browser
    await openView(page, "/")
    const trends = await api(target.baseUrl, target.keys.dashboards, "/v1/dashboard/trends")
    const year = String(get(list(get(trends.body, "byGraduationYear")).at(-1), "graduationYear"))
    await changeAndWait(page, `graduationYear=${year}`, () => page.getByLabel("Figures for").selectOption(year))
    await page.locator("[data-kpi=strong] .sparkline").waitFor()
    const context = await api(
      target.baseUrl,
      target.keys.dashboards,
      `/v1/dashboard/overview/context?graduationYear=${year}`
    )
    const now = get(context.body, "now")
    expect(await page.locator("[data-kpi=isolated] .kpi-value").innerText()).toBe(String(get(now, "isolated")))
    expect(await page.locator("[data-kpi=strong] .kpi-value").innerText()).toBe(
      percent(get(now, "withStrongRelationshipShare"))
    )
    expect(await page.locator("[data-kpi=strong] .kpi-context").innerText()).toContain(`class of ${year}`)
    expect(await page.locator("#trends-title").innerText()).toContain(`class of ${year}`)
  })
})

describe("names", () => {
  it("finds a student by name and opens their page", async () => {
    const { page } = browser
    const students = await api(target.baseUrl, target.keys.dashboards, "/v1/dashboard/students?pageSize=1")
    const row = list(get(students.body, "rows"))[0]
    const name = String(get(row, "displayName"))
    const id = String(get(row, "studentId"))
    expect(name).toMatch(/^\S+ [A-Z]\. \S+$/)
    await openView(page, "/students")
    // part of the name, in another case: every word must be somewhere in the name
    const words = name.split(" ")
    const query = `${words[0]?.toLowerCase()} ${words.at(-1)?.toUpperCase()}`
    await page.getByLabel("Name or student id").fill(query)
    await changeAndWait(page, "directory/search", () => page.getByRole("button", { name: "Search" }).click())
    const match = page.locator(`.name-matches [data-person="${id}"]`)
    expect(await match.innerText()).toBe(name)
    await match.click()
    await page.waitForURL((url) => url.pathname === `/students/${encodeURIComponent(id)}`)
    await page.getByRole("heading", { level: 1 }).filter({ hasText: name }).waitFor()
  })

  it("is not offered to aggregate access", async () => {
    const answer = await api(target.baseUrl, target.keys.aggregates, "/v1/directory/search?q=a")
    expect(answer.status).toBe(403)
  })
})

describe("console", () => {
  it("no view logged a console error", () => {
    expect(browser.errors()).toEqual([])
  })
})
