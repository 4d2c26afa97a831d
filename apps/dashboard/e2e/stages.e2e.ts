import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { api, changeAndWait, launch, openView, signIn, type Browser } from "./harness/Browser.ts"
import { shoot } from "./harness/Shots.ts"

// Issue #16 as a dean reads it: each relationship's explanation adds up to its score and
// says what the next tier needs; the students list by stage (the applying class on its own,
// new students shown as new); the overview's isolation by stage.
const target = inject("target")
let browser: Browser

const get = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined
const list = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [])
const stages = ["new", "pre-clinical", "clinical", "applying"] as const
const stageLabels = {
  new: "New (first semester)",
  "pre-clinical": "Pre-clinical",
  clinical: "Clinical",
  applying: "Applying (residency)"
}

beforeAll(async () => {
  browser = await launch({ baseUrl: target.baseUrl })
  await signIn(browser.page, target.keys.dashboards)
})
afterAll(async () => {
  await browser.close()
})

describe("a student's page explains each score", () => {
  it("lists points that add up to the score and what the next tier still needs", async () => {
    const students = await api(
      target.baseUrl,
      target.keys.dashboards,
      "/v1/dashboard/students?sort=relationships&order=desc&pageSize=1"
    )
    const studentId = String(get(list(get(students.body, "rows"))[0], "studentId"))
    const page_ = await api(target.baseUrl, target.keys.dashboards, `/v1/students/${encodeURIComponent(studentId)}`)
    const relationships = list(get(page_.body, "relationships"))
    expect(relationships.length).toBeGreaterThan(1)
    // The API: the listed points and the rest are the score; below advocate, a next tier.
    for (const r of relationships) {
      const explanation = get(r, "explanation")
      const listed = list(get(explanation, "topContributions")).reduce<number>(
        (sum, c) => sum + Number(get(c, "points")),
        0
      )
      expect(listed + Number(get(explanation, "otherPoints"))).toBeCloseTo(Number(get(r, "score")), 6)
      if (get(r, "tier") !== "advocate") expect(get(explanation, "nextTier"), String(get(r, "facultyId"))).toBeDefined()
    }

    const { page } = browser
    await openView(page, `/students/${encodeURIComponent(studentId)}`)
    const rows = page.locator("table[data-table$=relationships] tbody tr")
    const shown = await rows.count()
    expect(shown).toBeGreaterThan(1)
    for (let i = 0; i < Math.min(shown, 5); i++) {
      const row = rows.nth(i)
      const score = Number((await row.locator(".score").innerText()).trim())
      await row.locator("details.explanation summary").click()
      const details = row.locator("details.explanation[open]")
      // each contribution and "everything else": "<what> on <date>: 20.4 points (...)"
      const items = (await details.locator("ol li").allInnerTexts()).map((line) =>
        Number(/([\d.]+) points/.exec(line)?.[1] ?? Number.NaN)
      )
      expect(items.length, `row ${i}`).toBeGreaterThan(0)
      // points shown to one decimal, the score rounded: within their rounding
      const sum = items.reduce((total, points) => total + points, 0)
      expect(Math.abs(sum - score), `row ${i}: ${items.join(" + ")} vs ${score}`).toBeLessThanOrEqual(
        0.5 + 0.05 * items.length + 1e-9
      )
      const text = await details.innerText()
      expect(text).toContain("they add up to it")
      expect(text, `row ${i}`).toMatch(/needs|the highest tier/)
    }
    await shoot(page, "student-explanation")
  })
})

describe("the students list by stage", () => {
  it("answers each stage's students, new ones never isolated", async () => {
    for (const stage of stages) {
      const { status, body } = await api(
        target.baseUrl,
        target.keys.dashboards,
        `/v1/dashboard/students?stage=${stage}&pageSize=200`
      )
      expect(status).toBe(200)
      const rows = list(get(body, "rows"))
      expect(
        rows.every((r) => get(r, "stage") === stage),
        stage
      ).toBe(true)
      if (stage === "new") expect(rows.some((r) => get(r, "isolated") === true)).toBe(false)
      if (stage === "applying") expect(Number(get(body, "total"))).toBeGreaterThan(0)
    }
    const bad = await api(target.baseUrl, target.keys.dashboards, "/v1/dashboard/students?stage=year-5")
    expect(bad.status).toBe(400)
  })

  it("shows the applying class on its own, with the filter in the address", async () => {
    const { page } = browser
    await openView(page, "/students")
    await changeAndWait(page, "stage=applying", () =>
      page.getByLabel("Stage", { exact: true }).selectOption("applying")
    )
    expect(page.url()).toContain("stage=applying")
    const cells = await page.locator("table[data-table=students] tbody td:nth-child(3)").allInnerTexts()
    expect(cells.length).toBeGreaterThan(0)
    expect(
      cells.every((c) => c === stageLabels.applying),
      cells.join(",")
    ).toBe(true)
    const { body } = await api(
      target.baseUrl,
      target.keys.dashboards,
      "/v1/dashboard/students?stage=applying&pageSize=1"
    )
    expect(await page.locator("main").innerText()).toContain(Number(get(body, "total")).toLocaleString("en-US"))
    await shoot(page, "students-applying")
  })
})

describe("the overview's isolation by stage", () => {
  it("shows each stage's isolated students as the API counts them, and years 2–4 without mentoring", async () => {
    const { body } = await api(target.baseUrl, target.keys.dashboards, "/v1/dashboard/overview")
    const byStage = list(get(body, "isolatedByStage"))
    expect(byStage.map((r) => get(r, "stage"))).toEqual([...stages])
    expect(get(byStage[0], "isolated")).toBe(0)
    const { page } = browser
    await openView(page, "/")
    const section = page.locator("#isolation-by-stage")
    await section.waitFor()
    const rows = section.locator("figure.chart-figure table tbody tr")
    expect(await rows.count()).toBe(4)
    for (let i = 0; i < 4; i++) {
      const cells = await rows.nth(i).locator("th, td").allInnerTexts()
      const stage = stages[i] ?? "new"
      expect(cells[0]).toBe(stageLabels[stage])
      expect(cells[1]).toBe(Number(get(byStage[i], "students")).toLocaleString("en-US"))
      expect(cells[2]).toBe(Number(get(byStage[i], "isolated")).toLocaleString("en-US"))
    }
    const mentoring = get(body, "noRecentMentoring")
    const note = await page.locator("#no-recent-mentoring").innerText()
    expect(note).toContain(
      `${Number(get(mentoring, "withoutMentoring")).toLocaleString("en-US")} of ${Number(get(mentoring, "students")).toLocaleString("en-US")}`
    )
    expect(note).toContain(`last ${String(get(mentoring, "gapDays"))} days`)
    await section.scrollIntoViewIfNeeded()
    await shoot(page, "overview-stages")
  })
})
