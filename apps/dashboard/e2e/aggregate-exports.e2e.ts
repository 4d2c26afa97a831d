/**
 * Every CSV export an `aggregates:read` key can make, on every view it may open (each
 * application cycle, each class of the trends): no individual in any of them (no student or
 * faculty id, whether the dean's API lists it or it merely looks like one), and each export
 * hides exactly the cells the screen hides, row for row, with the numbers the screen shows.
 */
import type { Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { api, launch, openView, signIn, waitForView, type Browser } from "./harness/Browser.ts"
import { exportTable } from "./harness/Csv.ts"

const target = inject("target")
let browser: Browser

const get = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined
const list = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [])

/** every id the dean's key can list: students of every status, and faculty */
const individuals = async (): Promise<ReadonlyArray<string>> => {
  const ids: Array<string> = []
  for (const [path, field] of [
    ["/v1/dashboard/students?status=all&", "studentId"],
    ["/v1/dashboard/faculty?", "facultyId"]
  ] as const) {
    for (let page = 1; ; page++) {
      const { body } = await api(target.baseUrl, target.keys.dashboards, `${path}pageSize=200&page=${page}`)
      for (const row of list(get(body, "rows"))) ids.push(String(get(row, field)))
      if (page * 200 >= Number(get(body, "total"))) break
    }
  }
  return ids
}

/** the table an export comes from, as the screen has it (the chart's table is in the page for screen readers) */
const screenTable = (page: Page, exportAs: string) =>
  page
    .locator(`table[data-table="${exportAs}"]`)
    .first()
    .evaluate((table) => ({
      header: [...table.querySelectorAll("thead th")].map((th) => (th.textContent ?? "").replace(/[▲▼↕]/g, "").trim()),
      rows: [...table.querySelectorAll("tbody tr")]
        .filter((tr) => tr.querySelector(".empty-cell") === null)
        .map((tr) => [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").trim()))
    }))

/** whether a cell on screen and its CSV field say the same thing */
const agree = (screen: string, field: string): boolean => {
  if (field.startsWith("suppressed")) return screen.startsWith("hidden")
  if (screen.startsWith("hidden")) return false
  const value = Number(field)
  if (field === "" || Number.isNaN(value)) return true
  if (/^-?[\d,]+$/.test(screen)) return Number(screen.replaceAll(",", "")) === value
  if (/^-?[\d.]+%$/.test(screen)) return Math.abs(value * 100 - Number.parseFloat(screen)) <= 0.51
  if (/^-?[\d.,]+( days?)?$/.test(screen))
    return Math.abs(Number.parseFloat(screen.replaceAll(",", "")) - value) <= 0.01
  return true
}

const exportsOn = async (page: Page, where: string, ids: ReadonlySet<string>, seen: Array<string>) => {
  const buttons = await page
    .locator("button[data-export]:not([disabled])")
    .evaluateAll((all) => all.map((button) => button.getAttribute("data-export") ?? ""))
  const problems: Array<string> = []
  for (const exportAs of [...new Set(buttons)]) {
    const csv = await exportTable(page, exportAs)
    const screen = await screenTable(page, exportAs)
    seen.push(`${where} ${exportAs}`)
    const fields = csv.rows.map((row) => csv.header.map((name) => row[name] ?? ""))
    for (const field of fields.flat()) {
      if (ids.has(field) || /\bs-\d{4}-\d{4}\b|\bf-1\d{4}\b/.test(field))
        problems.push(`${where} ${exportAs}: an individual (${field})`)
    }
    if (JSON.stringify(screen.header) !== JSON.stringify(csv.header))
      problems.push(`${where} ${exportAs}: columns ${csv.header} on screen ${screen.header}`)
    if (screen.rows.length !== fields.length)
      problems.push(`${where} ${exportAs}: ${fields.length} rows exported, ${screen.rows.length} on screen`)
    for (const [r, row] of fields.entries()) {
      for (const [c, field] of row.entries()) {
        const shown = screen.rows[r]?.[c] ?? ""
        if (!agree(shown, field))
          problems.push(
            `${where} ${exportAs} row ${r + 1} "${csv.header[c]}": "${field}" exported, "${shown}" on screen`
          )
      }
    }
  }
  return problems
}

beforeAll(async () => {
  browser = await launch({ baseUrl: target.baseUrl })
  await signIn(browser.page, target.keys.aggregates)
})
afterAll(async () => {
  await browser.close()
})

describe("every CSV export of an aggregates:read key", () => {
  it("holds no individual and hides exactly what the screen hides, on every view and filter", async () => {
    const { page } = browser
    const ids = new Set(await individuals())
    expect(ids.size).toBeGreaterThan(100)
    const seen: Array<string> = []
    const problems: Array<string> = []

    await openView(page, "/")
    problems.push(...(await exportsOn(page, "overview", ids, seen)))
    const classes = await page
      .getByLabel("Figures for")
      .locator("option")
      .evaluateAll((options) =>
        options.map((option) => option.getAttribute("value") ?? "").filter((value) => value !== "")
      )
    for (const value of classes) {
      // Chromium lets one page start about ten downloads before it holds the next back
      // ("download multiple files?"): a page of its own for each class
      await openView(page, "/")
      await page.getByLabel("Figures for").selectOption(value)
      // the class's figures arrive after the selection: export what they show, not a table
      // being replaced under the click
      await page.waitForLoadState("networkidle")
      await waitForView(page)
      problems.push(...(await exportsOn(page, `overview class ${value}`, ids, seen)))
    }
    for (const path of ["/faculty", "/follow-ups", "/coverage"]) {
      await openView(page, path)
      problems.push(...(await exportsOn(page, path, ids, seen)))
    }
    const letters = await api(target.baseUrl, target.keys.aggregates, "/v1/dashboard/letters")
    for (const cycle of list(get(letters.body, "cycles"))) {
      await openView(page, `/letters?cycle=${get(cycle, "cycle")}`)
      problems.push(...(await exportsOn(page, `letters ${get(cycle, "cycle")}`, ids, seen)))
    }
    expect(problems).toEqual([])
    // every table an aggregates:read key is offered was exported: trends and contact (each
    // class), support check-ins, faculty, follow-ups and nudges, coverage (sources and
    // months), letter readiness and letters (each cycle)
    for (const exportAs of [
      "monthly-trends",
      "monthly-contact",
      "support-check-ins",
      "faculty-by-department",
      "follow-ups-by-rule",
      "nudges",
      "coverage-sources",
      "coverage-by-month"
    ])
      expect(
        seen.some((s) => s.endsWith(exportAs)),
        exportAs
      ).toBe(true)
    expect(seen.filter((s) => s.includes(" letters-")).length).toBe(list(get(letters.body, "cycles")).length)
    expect(seen.filter((s) => s.includes(" letter-readiness-")).length).toBe(list(get(letters.body, "cycles")).length)
    // and nothing else: no export of individuals is offered to this key
    for (const s of seen) expect(s, s).not.toMatch(/ (students|faculty|follow-ups|student-.*|faculty-[^b].*)$/)
    expect(seen.length).toBeGreaterThan(15)
  })

  it("logged no console error", () => {
    expect(browser.errors()).toEqual([])
  })
})
