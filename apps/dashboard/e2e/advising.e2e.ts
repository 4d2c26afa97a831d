/**
 * Advising in Chromium, on a `rapport serve` of its own (a small school posted through the
 * API): a concern raised by a teaching faculty member reaches the right owner's worklist
 * (a wellbeing concern reaches student affairs only), and closing it tells the raiser
 * without the notes; assigning a mentor stores `MentorAssigned` and moves both caseloads;
 * follow-ups are dismissed and snoozed with a reason; the counseling conflict is warned
 * about on assignment and listed for the dean. Every write goes with the session's CSRF
 * token (the server refuses a cookie write without it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { seriousViolations } from "./harness/Axe.ts"
import { type Browser, launch, signIn, waitForView } from "./harness/Browser.ts"
import { startOwnServer } from "./harness/OwnServer.ts"
import { shoot } from "./harness/Shots.ts"

const school = "advising-school"
let server: Awaited<ReturnType<typeof startOwnServer>>
let browser: Browser
const keys: Record<string, string> = {}

const call = async (key: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`)
  return text.length === 0 ? {} : JSON.parse(text)
}

let n = 0
const event = (type: string, occurredAt: string, data: Record<string, unknown>) => {
  n += 1
  const v = type === "MentorAssigned" ? 2 : 1
  return { id: `0193a1c4-5e2b-7c1d-9f00-${n.toString(16).padStart(12, "0")}`, type, v, occurredAt, data }
}

const waitForProjection = async () => {
  for (;;) {
    const ready = await fetch(`${server.baseUrl}/readyz`)
    const body = (await ready.json()) as { lag?: number }
    if (ready.ok && (body.lag === undefined || body.lag === 0)) return
    await new Promise((r) => setTimeout(r, 200))
  }
}

const switchTo = async (key: string) => {
  const { page } = browser
  if (await page.getByRole("button", { name: "Sign out" }).isVisible()) {
    await page.getByRole("button", { name: "Sign out" }).click()
    await page.getByText("You are signed out.").waitFor()
  }
  await signIn(page, key, "/advising")
  await waitForView(page)
}

beforeAll(async () => {
  server = await startOwnServer()
  const make = (name: string, scopes: string) => {
    keys[name] = server.key(school, scopes, `e2e-${name}`)
  }
  make("events", "events:write")
  make("admin", "admin")
  make("dean", "dashboards:read,advising:write")
  make("teacher", "advising:write")
  make("advisor2", "advising,advising:write")
  make("advisor3", "advising,advising:write")
  make("affairs", "advising,advising:write")
  const events = [
    event("FacultyJoined", "2025-01-02T12:00:00Z", { facultyId: "f-1", department: "Surgery" }),
    event("FacultyJoined", "2025-01-02T12:00:00Z", { facultyId: "f-2", department: "Medicine" }),
    event("FacultyJoined", "2025-01-02T12:00:00Z", { facultyId: "f-3", department: "Medicine" }),
    event("StudentEnrolled", "2025-01-03T12:00:00Z", { studentId: "s-1", graduationYear: 2027, program: "MD" }),
    event("OfficeHoursVisited", "2026-09-10T15:00:00Z", {
      studentId: "s-1",
      facultyId: "f-1",
      durationMinutes: 30,
      topic: "coursework",
      initiatedBy: "student"
    }),
    event("ClinicalFeedbackGiven", "2026-09-20T15:00:00Z", {
      studentId: "s-1",
      facultyId: "f-3",
      setting: "clerkship",
      domains: ["clinical-skills"]
    }),
    event("LetterRequested", "2026-09-01T15:00:00Z", {
      studentId: "s-1",
      facultyId: "f-1",
      letterId: "l-1",
      cycle: 2027,
      specialty: "Surgery"
    }),
    event("MentorAssigned", "2026-08-01T12:00:00Z", {
      studentId: "s-1",
      facultyId: "f-2",
      program: "advisory-college"
    }),
    // Two follow-ups open whatever the day the test runs: research roles started three days
    // ago, with two faculty members (follow-ups expire, and a pair has one open at a time).
    event("FacultyJoined", "2025-01-02T12:00:00Z", { facultyId: "f-4", department: "Medicine" }),
    ...["f-1", "f-4"].map((facultyId) =>
      event("ResearchRoleStarted", new Date(Date.now() - 3 * 86_400_000).toISOString(), {
        studentId: "s-1",
        facultyId,
        projectId: `p-${facultyId}`,
        role: "assistant"
      })
    )
  ]
  await call(keys.events ?? "", "POST", "/v1/events", events)
  await call(keys.admin ?? "", "PUT", "/v1/advising/settings", {
    programRoles: { "advisory-college": "academic-counselor", "career-advising": "career-advisor" },
    studentAffairs: ["sa-1"],
    defaultCapacity: 10
  })
  for (const [name, facultyId] of [
    ["dean", "dean-1"],
    ["teacher", "f-1"],
    ["advisor2", "f-2"],
    ["advisor3", "f-3"],
    ["affairs", "sa-1"]
  ] as const) {
    await call(keys.admin ?? "", "PUT", `/v1/advising/keys/e2e-${name}/faculty`, { facultyId })
  }
  await waitForProjection()
  browser = await launch({ baseUrl: server.baseUrl })
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const caseIds = async (key: string): Promise<ReadonlyArray<string>> => {
  const list = await call(key, "GET", "/v1/worklist")
  return list.items.flatMap((i: { behind: { cases: Array<{ caseId: string }> } }) =>
    i.behind.cases.map((c) => c.caseId)
  )
}

describe("advising", () => {
  it("a teaching faculty member raises an academic and a wellbeing concern from the dashboard", async () => {
    const { page } = browser
    await switchTo(keys.teacher ?? "")
    const raise = async (category: string, note: string, owner: string) => {
      await page.getByLabel("Student id").first().fill("s-1")
      await page.getByLabel("Category").selectOption(category)
      await page.getByLabel("Short note (optional)").fill(note)
      await page.getByRole("button", { name: "Raise concern" }).click()
      await expect
        .poll(() => page.getByRole("status").first().textContent())
        .toContain(`Your concern about s-1 went to ${owner}`)
    }
    await raise("academic", "Missed two exams", "academic counselor")
    await raise("wellbeing", "Seemed exhausted", "student affairs")
    await expect.poll(() => page.locator("[data-raised]").count()).toBe(2)
    expect(await page.locator("ul.raised").textContent()).not.toContain("handled on")
  })

  it("reaches the advisor (academic) and student affairs (wellbeing) only; the advisor closes it with a note", async () => {
    const { page } = browser
    const [advisorCases, affairsCases, deanCases] = [
      await caseIds(keys.advisor2 ?? ""),
      await caseIds(keys.affairs ?? ""),
      await caseIds(keys.dean ?? "")
    ]
    expect(advisorCases).toHaveLength(1)
    expect(affairsCases).toHaveLength(1)
    expect(affairsCases).not.toEqual(advisorCases)
    expect(deanCases).toEqual(advisorCases)

    await switchTo(keys.advisor2 ?? "")
    const item = page.locator('[data-student="s-1"]')
    await item.waitFor()
    expect(await item.locator(".reason").textContent()).toMatch(/^An open academic concern/)
    expect(await item.locator("[data-case]").count()).toBe(1)
    await shoot(page, "advising-worklist")
    await item.getByRole("button", { name: "Open case" }).click()
    await page.getByText("Missed two exams").waitFor()
    await page.getByLabel("Add a note").fill("Met the student: exam anxiety, referred to learning support")
    await page.getByRole("button", { name: "Add note" }).click()
    await page.getByText("exam anxiety, referred").waitFor()
    await page.getByRole("button", { name: "Close case" }).click()
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("is closed")

    await switchTo(keys.affairs ?? "")
    const affairsItem = page.locator('[data-student="s-1"]')
    await affairsItem.waitFor()
    expect(await affairsItem.locator(".reason").textContent()).toContain("student-affairs concern")
  })

  it("tells the raiser it was handled, without the notes", async () => {
    const { page } = browser
    await switchTo(keys.teacher ?? "")
    await expect.poll(() => page.locator("ul.raised").textContent()).toMatch(/academic concern about s-1.*handled on/)
    const text = (await page.locator("main").textContent()) ?? ""
    expect(text).not.toContain("exam anxiety")
    expect(text).toMatch(/wellbeing concern about s-1, raised [0-9-]+: open/)
    const raised = JSON.stringify(await call(keys.teacher ?? "", "GET", "/v1/advising/concerns/raised"))
    expect(raised).not.toContain("exam anxiety")
  })

  it("dismisses and snoozes follow-ups with a reason", async () => {
    const { page } = browser
    await switchTo(keys.advisor2 ?? "")
    const item = page.locator('[data-student="s-1"]')
    await item.waitFor()
    const rows = item.locator("[data-follow-up]")
    expect(await rows.count()).toBeGreaterThanOrEqual(2)
    const first = (await rows.nth(0).getAttribute("data-follow-up")) ?? ""
    const second = (await rows.nth(1).getAttribute("data-follow-up")) ?? ""
    await rows
      .nth(0)
      .getByRole("button", { name: /^Dismiss / })
      .click()
    await rows.nth(0).getByLabel("Reason").fill("Letters arranged outside Rapport")
    await rows.nth(0).getByRole("button", { name: "Dismiss it" }).click()
    await expect.poll(() => page.locator(`[data-follow-up="${first}"]`).count()).toBe(0)
    const snoozed = page.locator(`[data-follow-up="${second}"]`)
    await snoozed.getByRole("button", { name: /^Snooze / }).click()
    await snoozed.getByLabel("Reason").fill("On leave this month")
    await snoozed.getByLabel("Until").fill("2099-01-01")
    await snoozed.getByRole("button", { name: "Snooze it" }).click()
    await expect.poll(() => page.locator(`[data-follow-up="${second}"]`).count()).toBe(0)
    const file = await call(keys.advisor2 ?? "", "GET", "/v1/advising/students/s-1")
    const actions = new Map(
      file.followUps.map((f: { followUpId: string; action: unknown }) => [f.followUpId, f.action])
    )
    expect(actions.get(first)).toMatchObject({ kind: "dismissed", reason: "Letters arranged outside Rapport" })
    expect(actions.get(second)).toMatchObject({ kind: "snoozed", reason: "On leave this month", until: "2099-01-01" })
  })

  it("assigns a mentor: MentorAssigned stored, both caseloads move, the counseling conflict warned and listed", async () => {
    const { page } = browser
    await switchTo(keys.dean ?? "")
    await page.getByRole("heading", { name: "Counseling conflicts (LCME 11.1)" }).waitFor()
    expect(await page.getByText("No pair breaks the rule.").count()).toBe(1)
    const form = page.locator("section[aria-labelledby=assign-title]")
    await form.getByLabel("Student id").fill("s-1")
    await form.getByRole("button", { name: "Suggest" }).click()
    await page.getByRole("list", { name: "Suggestions" }).waitFor()
    expect(await page.getByRole("list", { name: "Suggestions" }).textContent()).not.toContain("f-3")
    await form.getByLabel("Faculty id").fill("f-3")
    await form.getByRole("button", { name: "Assign" }).click()
    await form.getByText("f-3 is now academic counselor of s-1 (was f-2).").waitFor()
    expect(await form.locator(".notice.warning").textContent()).toContain(
      "supervised the student or gave them clinical feedback"
    )
    await shoot(page, "advising-assign-warning")
    await page.reload()
    await waitForView(page)
    await page.locator("table.conflicts").waitFor()
    expect(await page.locator("table.conflicts").textContent()).toContain("f-3")

    const exported = await call(keys.admin ?? "", "GET", "/v1/advising/students/s-1/inspection")
    const assigned = exported.events
      .filter((e: { type: string }) => e.type === "MentorAssigned")
      .map((e: { data: unknown }) => e.data)
    expect(assigned).toContainEqual({ studentId: "s-1", facultyId: "f-3", program: "advisory-college" })
    expect((await call(keys.advisor2 ?? "", "GET", "/v1/advising/me")).caseload["academic-counselor"]).toEqual([])
    expect((await call(keys.advisor3 ?? "", "GET", "/v1/advising/me")).caseload["academic-counselor"]).toEqual(["s-1"])
    await switchTo(keys.advisor3 ?? "")
    await expect.poll(() => page.locator("ul.caseload").textContent()).toContain("Academic counselor: s-1")
    // the advisee's page, for the new advisor (and only for advisees: the server answers 404 otherwise)
    await page.locator("ul.caseload").getByRole("link", { name: "s-1" }).click()
    await page.getByRole("heading", { name: "Relationships" }).waitFor()
    expect(await page.locator("main").textContent()).toContain("Academic counselor: f-3")
  })

  it("has one <h1> and no serious or critical axe-core violation on the advising pages", async () => {
    const { page } = browser
    const found: Record<string, unknown> = {}
    for (const [who, path] of [
      ["advisor3", "/advising"],
      ["advisor3", "/advising/students/s-1"],
      ["dean", "/advising"],
      ["teacher", "/advising"]
    ] as const) {
      await switchTo(keys[who] ?? "")
      await page.goto(path)
      await waitForView(page)
      expect(await page.locator("h1").count(), `${who} ${path}: one <h1>`).toBe(1)
      const violations = await seriousViolations(page)
      if (violations.length > 0) found[`${who} ${path}`] = violations
    }
    expect(found).toEqual({})
  })

  it("logged no console error", () => {
    expect(browser.errors()).toEqual([])
  })
})
