import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import {
  api,
  changeAndWait,
  launch,
  openView,
  signIn,
  viewports,
  waitForView,
  type Browser
} from "./harness/Browser.ts"
import { shoot } from "./harness/Shots.ts"

const target = inject("target")
let browser: Browser
let studentId = ""
let facultyId = ""

const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined
const firstRow = (body: unknown, key: string): string => {
  const rows = field(body, "rows")
  const row = Array.isArray(rows) ? rows[0] : undefined
  const id = field(row, key)
  if (typeof id !== "string") throw new Error(`no ${key} in ${JSON.stringify(body).slice(0, 300)}`)
  return id
}

beforeAll(async () => {
  browser = await launch({ baseUrl: target.baseUrl })
  const students = await api(
    target.baseUrl,
    target.keys.dashboards,
    "/v1/dashboard/students?sort=relationships&order=desc&pageSize=1"
  )
  studentId = firstRow(students.body, "studentId")
  const faculty = await api(
    target.baseUrl,
    target.keys.dashboards,
    "/v1/dashboard/faculty?sort=load&order=desc&pageSize=1"
  )
  facultyId = firstRow(faculty.body, "facultyId")
  await signIn(browser.page, target.keys.dashboards)
})
afterAll(async () => {
  await browser.close()
})

const views = [
  { path: "/", name: "overview", heading: "Overview" },
  { path: "/students", name: "students", heading: "Students" },
  { path: "/faculty", name: "faculty", heading: "Faculty" },
  { path: "/letters", name: "letters", heading: "Letters" },
  { path: "/follow-ups", name: "follow-ups", heading: "Follow-ups" },
  { path: "/coverage", name: "coverage", heading: "Data coverage" }
] as const

describe("every view", () => {
  it.each(views)("$path shows its heading, an as-of time and no error", async ({ path, name, heading }) => {
    const { page } = browser
    await openView(page, path)
    expect(await page.locator("main h1").first().textContent()).toBe(heading)
    expect(await page.locator(".as-of").count()).toBe(1)
    expect(await page.locator(".state.error").count()).toBe(0)
    // the overview's comparison with earlier months arrives after its figures
    if (path === "/") await page.locator("[data-kpi=strong] .sparkline").waitFor()
    // Every chart has a table behind it.
    const figures = await page.locator("figure.chart-figure").count()
    expect(await page.locator("figure.chart-figure table").count()).toBe(figures)
    await shoot(page, name)
  })

  it("states the intended use on the overview", async () => {
    const { page } = browser
    await openView(page, "/")
    expect(await page.locator("main .intended-use").textContent()).toContain("not for grading")
  })

  it("works at tablet width", async () => {
    const { page } = browser
    await page.setViewportSize(viewports.tablet)
    for (const [path, name] of [
      ["/", "overview-tablet"],
      ["/students", "students-tablet"]
    ] as const) {
      await openView(page, path)
      if (path === "/") await page.locator("[data-kpi=strong] .sparkline").waitFor()
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0)
      await shoot(page, name)
    }
    await page.setViewportSize(viewports.laptop)
  })
})

describe("students", () => {
  it("filters by tier and isolation, sorts and pages, with the filters in the address", async () => {
    const { page } = browser
    await openView(page, "/students")
    await changeAndWait(page, "tier=strong", () =>
      page.getByLabel("Strongest relationship", { exact: true }).selectOption("strong")
    )
    expect(page.url()).toContain("tier=strong")
    const tiers = await page.locator("table[data-table=students] tbody .tier").allInnerTexts()
    expect(tiers.every((t) => t === "Strong")).toBe(true)

    // Clearing a filter may go back to an answer still fresh in the cache: no request to wait for.
    await page.getByLabel("Strongest relationship", { exact: true }).selectOption("")
    await page.waitForURL((url) => !url.search.includes("tier="))
    await changeAndWait(page, "isolated=true", () => page.getByLabel("Isolated", { exact: true }).selectOption("true"))
    expect(page.url()).toContain("isolated=true")
    const rows = page.locator("table[data-table=students] tbody tr").filter({ hasNot: page.locator(".empty-cell") })
    const flagged = await page.locator("table[data-table=students] tbody .flag.attention").count()
    expect(flagged).toBe(await rows.count())

    await page.getByLabel("Isolated", { exact: true }).selectOption("")
    await page.waitForURL((url) => !url.search.includes("isolated="))
    await changeAndWait(page, "sort=graduationYear", () => page.getByRole("button", { name: "Class of" }).click())
    expect(await page.locator("th[aria-sort=ascending]").textContent()).toContain("Class of")
    const years = await page.locator("table[data-table=students] tbody td:nth-child(2)").allTextContents()
    expect(years).toEqual([...years].sort())

    const pager = page.getByRole("navigation", { name: "Students pages" })
    if (await pager.getByRole("button", { name: "Next page" }).isEnabled()) {
      await changeAndWait(page, "page=2", () => pager.getByRole("button", { name: "Next page" }).click())
      expect(await pager.textContent()).toContain("Page 2")
    }
  })

  it("searches by id prefix", async () => {
    const { page } = browser
    const prefix = studentId.slice(0, Math.max(1, studentId.length - 1))
    await openView(page, "/students")
    await page.getByLabel("Name or student id").fill(prefix)
    await changeAndWait(page, "q=", () => page.getByRole("button", { name: "Search" }).click())
    const ids = await page.locator("table[data-table=students] tbody td:first-child a").allInnerTexts()
    expect(ids.length).toBeGreaterThan(0)
    expect(ids.every((id) => id.includes(prefix))).toBe(true)
  })
})

describe("follow-ups", () => {
  const day = (iso: string, offset: number) =>
    new Date(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10)

  it("open on what is newly due or coming due, the most important first, for the dean who acts", async () => {
    const { body } = await api(target.baseUrl, target.keys.dashboards, "/v1/dashboard/follow-ups?pageSize=200")
    const rows = field(body, "rows")
    if (!Array.isArray(rows)) throw new Error("no rows")
    expect(field(body, "window")).toBe("current")
    expect(rows.length).toBeGreaterThan(0)
    const asOf = String(field(field(body, "meta"), "asOf"))
    const priorities: Array<number> = []
    for (const row of rows) {
      const dueOn = String(field(row, "dueOn"))
      expect(dueOn >= day(asOf, -31) && dueOn <= day(asOf, 15), dueOn).toBe(true)
      expect(["due", "overdue"]).toContain(field(row, "state"))
      // every sentence names the student it is about
      expect(String(field(row, "sentence"))).toContain(String(field(row, "studentId")))
      priorities.push(Number(field(row, "priority")))
    }
    expect(priorities).toEqual([...priorities].sort((a, b) => a - b))

    const { page } = browser
    await openView(page, "/follow-ups")
    const flags = await page.locator("table[data-table=follow-ups] tbody .flag").allInnerTexts()
    expect(flags.length).toBeGreaterThan(0)
    expect(flags.every((flag) => flag === "Due" || flag === "Overdue")).toBe(true)
    expect(await page.locator("main").textContent()).toContain("Due in the last 30 days or the next 14")
    await changeAndWait(page, "window=all", () => page.getByLabel("Show", { exact: true }).selectOption("all"))
    await changeAndWait(page, "state=expired", () => page.getByLabel("State", { exact: true }).selectOption("expired"))
    const expired = await page.locator("table[data-table=follow-ups] tbody .flag").allInnerTexts()
    expect(expired.length).toBeGreaterThan(0)
    expect(expired.every((flag) => flag === "Expired")).toBe(true)
    await shoot(page, "follow-ups-expired")
  })

  it("the overview counts the students who need attention, not the items", async () => {
    const { body } = await api(target.baseUrl, target.keys.dashboards, "/v1/dashboard/overview")
    const students = field(field(body, "followUps"), "students")
    expect(typeof students).toBe("number")
    const { page } = browser
    await openView(page, "/")
    expect(await page.locator("main").textContent()).toContain("Students who need attention")
  })
})

describe("a student's page", () => {
  it("shows relationships with score, tier and explanation, follow-ups, letters and the timeline", async () => {
    const { page } = browser
    await openView(page, `/students/${encodeURIComponent(studentId)}`)
    for (const heading of ["Relationships", "Follow-ups", "Letters", "Timeline"]) {
      await page.getByRole("heading", { name: heading, exact: true }).waitFor()
    }
    const relationships = page.locator("table[data-table$=relationships] tbody tr")
    expect(await relationships.count()).toBeGreaterThan(0)
    await page.locator("details.explanation summary").first().click()
    expect(await page.locator("details.explanation[open]").first().textContent()).toContain("Dimensions touched")
    await shoot(page, "student")
  })

  it("shows a past date: the request carries asOf and the page says so", async () => {
    const { page } = browser
    const past = new Date(Date.now() - 180 * 86_400_000).toISOString().slice(0, 10)
    await page.getByLabel("Show as of").fill(past)
    const response = page.waitForResponse((r) => r.url().includes(`asOf=${past}`))
    await page.getByRole("button", { name: "Show", exact: true }).click()
    expect((await response).status()).toBe(200)
    await waitForView(page)
    expect(page.url()).toContain(`asOf=${past}`)
    expect(await page.locator(".notice").textContent()).toContain("Shown as of the end of")
    await shoot(page, "student-past-date")
  })

  it("opens a faculty member's page from the faculty view", async () => {
    const { page } = browser
    await openView(page, `/faculty/${encodeURIComponent(facultyId)}`)
    await page.getByRole("heading", { name: "Relationships with students" }).waitFor()
    await shoot(page, "faculty-member")
  })
})

describe("keyboard", () => {
  it("reaches the skip link first and the navigation by Tab", async () => {
    const { page } = browser
    await openView(page, "/")
    await page.keyboard.press("Tab")
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content")
    await page.keyboard.press("Enter")
    const focusedNav: Array<string> = []
    await page.locator(".app-nav a").first().focus()
    for (let i = 0; i < 3; i++) {
      focusedNav.push(await page.evaluate(() => document.activeElement?.textContent ?? ""))
      await page.keyboard.press("Tab")
    }
    expect(focusedNav).toEqual(["Overview", "Students", "Faculty"])
  })
})

// The policy the server promises for the dashboard; enforced here on every document so the
// build is checked against it whatever headers the server sends.
const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"

describe("content security policy", () => {
  it("runs every view under the CSP without a violation", async () => {
    const page = await browser.context.newPage()
    await page.addInitScript(() => {
      const seen: Array<string> = []
      Reflect.set(window, "__cspViolations", seen)
      document.addEventListener("securitypolicyviolation", (event) =>
        seen.push(`${event.violatedDirective} ${event.blockedURI}`)
      )
    })
    await page.route("**/*", async (route) => {
      if (route.request().resourceType() !== "document") return route.continue()
      const response = await route.fetch()
      return route.fulfill({ response, headers: { ...response.headers(), "content-security-policy": csp } })
    })
    const paths = [
      "/",
      "/students",
      `/students/${encodeURIComponent(studentId)}`,
      "/faculty",
      "/letters",
      "/follow-ups",
      "/coverage"
    ]
    for (const path of paths) {
      await openView(page, path)
      expect(await page.evaluate(() => Reflect.get(window, "__cspViolations")), path).toEqual([])
    }
    // The policy is in force: an inline script is refused (the only violation expected).
    browser.expectConsoleError(/Content Security Policy/)
    const inlineRan = await page.evaluate(() => {
      const script = document.createElement("script")
      script.textContent = "window.__inlineRan = true"
      document.head.append(script)
      return Reflect.get(window, "__inlineRan") === true
    })
    expect(inlineRan).toBe(false)
    await page.close()
  })
})

describe("console", () => {
  it("no view logged a console error", () => {
    expect(browser.errors()).toEqual([])
  })
})
