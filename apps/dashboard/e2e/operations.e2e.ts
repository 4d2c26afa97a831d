/**
 * Issue #19, the server's half, in Chromium against a real `rapport demo`: a whole filtered
 * list downloaded as CSV is the API's list row for row (and, for an aggregates:read key, the
 * aggregate table with its hidden cells labelled); data coverage shows the server's days of
 * silence (never negative, whatever the browser's time zone) per source and per rotation
 * specialty; a student's timeline comes 50 entries at a time; addresses that are not the
 * dashboard's answer 404 while its own views still load on a reload.
 */
import { readFileSync } from "node:fs"
import type { Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import * as Csv from "../src/lib/Csv.ts"
import { api, launch, openView, signIn, type Browser } from "./harness/Browser.ts"

const target = inject("target")
let browser: Browser

const get = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined
const list = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [])

/** Every page of a JSON list, as a client would read it. */
const allRows = async (key: string, path: string): Promise<ReadonlyArray<unknown>> => {
  const rows: Array<unknown> = []
  for (let page = 1; page < 1000; page++) {
    const answer = await api(target.baseUrl, key, `${path}&page=${page}&pageSize=200`)
    expect(answer.status, path).toBe(200)
    rows.push(...list(get(answer.body, "rows")))
    if (rows.length >= Number(get(answer.body, "total"))) break
  }
  return rows
}

/** Downloads a URL in the page, as a link to it does, and reads the file back. */
const download = async (page: Page, url: string) => {
  const started = page.waitForEvent("download")
  await page.evaluate((href) => {
    const link = document.createElement("a")
    link.href = href
    link.download = ""
    document.body.append(link)
    link.click()
    link.remove()
  }, url)
  const file = await started
  const text = readFileSync((await file.path()) ?? "", "utf8")
  const [header = [], ...rows] = Csv.parse(text)
  return { fileName: file.suggestedFilename(), text, header, rows }
}

/** A JSON value as the export writes it (numbers, true/false, lists joined by spaces, hidden cells labelled). */
const asCsv = (value: unknown): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "number" || typeof value === "boolean") return String(value)
  if (Array.isArray(value)) return value.join(" ")
  if (get(value, "suppressed") === true)
    return get(value, "reason") === "sensitive"
      ? "suppressed (sensitive)"
      : get(value, "reason") === "complementary"
        ? `suppressed (protects a group < ${get(value, "threshold")})`
        : `suppressed (small group < ${get(value, "threshold")})`
  const text = String(value)
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}
const at = (row: unknown, column: string): unknown => column.split(".").reduce<unknown>((v, k) => get(v, k), row)

beforeAll(async () => {
  // a browser far ahead of the school's time zone: a date computed in the browser shows
  browser = await launch({ baseUrl: target.baseUrl, timezoneId: "Pacific/Kiritimati" })
  await signIn(browser.page, target.keys.dashboards)
})
afterAll(async () => {
  await browser.close()
})

describe("whole lists as CSV", () => {
  it("downloads every student of a filtered, sorted list, equal to the API's list", async () => {
    const query = "status=all&sort=lastContact&order=desc"
    const api = await allRows(target.keys.dashboards, `/v1/dashboard/students?${query}`)
    expect(api.length).toBeGreaterThan(200)
    const csv = await download(browser.page, `/v1/dashboard/students?${query}&format=csv`)
    expect(csv.fileName).toMatch(/^rapport-.+-students-\d{4}-\d{2}-\d{2}\.csv$/)
    expect(csv.text.startsWith("\uFEFF")).toBe(true)
    expect(csv.header).toContain("relationships.developing")
    expect(csv.rows.length).toBe(api.length)
    expect(csv.rows).toEqual(api.map((row) => csv.header.map((column) => asCsv(at(row, column)))))
    const isolated = await allRows(target.keys.dashboards, "/v1/dashboard/students?isolated=true&sort=studentId")
    const narrowed = await download(browser.page, "/v1/dashboard/students?isolated=true&sort=studentId&format=csv")
    expect(narrowed.rows.map((row) => row[0])).toEqual(isolated.map((row) => get(row, "studentId")))
  })

  it("downloads the faculty and follow-ups lists whole", async () => {
    for (const path of ["/v1/dashboard/faculty?sort=load&order=desc", "/v1/dashboard/follow-ups?state=overdue"]) {
      const api = await allRows(target.keys.dashboards, path)
      const csv = await download(browser.page, `${path}&format=csv`)
      expect(csv.rows, path).toEqual(api.map((row) => csv.header.map((column) => asCsv(at(row, column)))))
    }
  })

  it("gives an aggregates:read key the table it sees, hidden cells labelled, never a number", async () => {
    const analyst = await launch({ baseUrl: target.baseUrl })
    try {
      await signIn(analyst.page, target.keys.aggregates)
      const view = (await api(target.baseUrl, target.keys.aggregates, "/v1/dashboard/faculty")).body
      const csv = await download(analyst.page, "/v1/dashboard/faculty?format=csv")
      const departments = list(get(view, "departments"))
      expect(csv.rows.length).toBe(departments.length + (get(view, "otherDepartments") === null ? 0 : 1) + 1)
      expect(csv.rows.at(-1)?.[0]).toBe("All departments")
      for (const department of departments) {
        const row = csv.rows.find((r) => r[0] === get(department, "department"))
        expect(row, String(get(department, "department"))).toEqual(
          csv.header.map((column) => asCsv(at(department, column)))
        )
      }
      const students = await api(target.baseUrl, target.keys.aggregates, "/v1/dashboard/students?format=csv")
      expect(students.status).toBe(403)
    } finally {
      await analyst.close()
    }
  })
})

describe("data coverage", () => {
  it("shows the server's days of silence per source and per rotation specialty", async () => {
    const { page } = browser
    const coverage = (await api(target.baseUrl, target.keys.dashboards, "/v1/dashboard/coverage")).body
    const sources = list(get(coverage, "sources"))
    const specialties = list(get(coverage, "specialties"))
    expect(sources.length).toBeGreaterThan(0)
    expect(specialties.length).toBeGreaterThan(0)
    await openView(page, "/coverage")
    // each row's name, its "Silent for" cell, and whether that cell is flagged
    const cells = (table: string) =>
      page.evaluate(
        (name) =>
          [...document.querySelectorAll(`table[data-table="${name}"] tbody tr`)].map((tr) => {
            const all = [...tr.querySelectorAll("th, td")]
            const quiet = all[4]
            return [
              all[0]?.textContent?.trim() ?? "",
              { text: quiet?.textContent?.trim() ?? "", flagged: quiet?.querySelector(".flag") !== null }
            ] as const
          }),
        table
      )
    const shown = (days: number) => `${days} ${days === 1 ? "day" : "days"}`
    const shownSources = new Map(await cells("coverage-sources"))
    for (const source of sources) {
      const days = Number(get(source, "daysSilent"))
      expect(days).toBeGreaterThanOrEqual(0)
      const name = String(get(source, "source"))
      const cell = shownSources.get(name === "" ? "(no source given)" : name)
      expect(cell, name).toEqual({ text: shown(days), flagged: get(source, "unusualSilence") === true })
    }
    await page.getByRole("heading", { name: "Clinical rotations by specialty" }).waitFor()
    const shownSpecialties = new Map(await cells("coverage-specialties"))
    expect(shownSpecialties.size).toBe(specialties.length)
    for (const specialty of specialties) {
      const days = Number(get(specialty, "daysSilent"))
      // a specialty is flagged only when quieter than it has been all year, never for the block schedule alone
      expect(get(specialty, "unusualSilence")).toBe(days > Math.max(14, Number(get(specialty, "longestGapDays") ?? 0)))
      expect(shownSpecialties.get(String(get(specialty, "specialty")))).toEqual({
        text: shown(days),
        flagged: get(specialty, "unusualSilence") === true
      })
    }
    expect(await page.locator("main").textContent()).not.toMatch(/-\d+ days?/)
  })
})

describe("a student's timeline", () => {
  it("loads 50 entries, then more on request", async () => {
    const { page } = browser
    const top = await api(
      target.baseUrl,
      target.keys.dashboards,
      "/v1/dashboard/students?sort=relationships&order=desc&pageSize=1"
    )
    const studentId = String(get(list(get(top.body, "rows"))[0], "studentId"))
    const whole = await api(target.baseUrl, target.keys.dashboards, `/v1/students/${encodeURIComponent(studentId)}`)
    const total = list(get(whole.body, "timeline")).length
    expect(total).toBeGreaterThan(50)
    await openView(page, `/students/${encodeURIComponent(studentId)}`)
    const rows = page.locator('table[data-table$="-timeline"] tbody tr')
    expect(await rows.count()).toBe(50)
    const more = page.waitForResponse((r) => r.url().includes("timelineCursor="))
    await page.getByRole("button", { name: /^Show more/ }).click()
    expect((await more).status()).toBe(200)
    await page.waitForFunction(() => document.querySelectorAll('table[data-table$="-timeline"] tbody tr').length > 50)
    expect(await rows.count()).toBe(Math.min(100, total))
  })
})

describe("addresses that are not the dashboard's", () => {
  it("answer 404, while the dashboard's own views load on a reload", async () => {
    const { page } = browser
    browser.expectConsoleError(/status of 404/)
    for (const path of ["/metrics/", "/api/v1/events", "/nope", "/students/", "/coverage/extra"]) {
      const response = await page.goto(path)
      expect(response?.status(), path).toBe(404)
      expect(response?.headers()["content-type"], path).toBe("application/problem+json")
    }
    for (const path of ["/students", "/coverage", "/follow-ups?state=overdue"]) {
      const response = await page.goto(path)
      expect(response?.status(), path).toBe(200)
      await page.locator("main h1").first().waitFor()
    }
    expect((await page.goto("/metrics"))?.status()).toBe(200)
  })

  it("logged no console error", () => {
    expect(browser.errors()).toEqual([])
  })
})
