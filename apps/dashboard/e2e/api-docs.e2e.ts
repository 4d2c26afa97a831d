/**
 * The API page (`/docs`) in a real browser against the real server: Swagger UI, served by
 * the server itself, shows every operation and the event schemas with their examples,
 * loads nothing from another origin, and runs under the page's strict policy (a violation
 * would be a console error).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { launch, type Browser } from "./harness/Browser.ts"
import { shoot } from "./harness/Shots.ts"

const target = inject("target")
let browser: Browser

beforeAll(async () => {
  browser = await launch({ baseUrl: target.baseUrl })
})
afterAll(async () => {
  await browser.close()
})

describe.skipIf(target.mode === "mock")("the API page", () => {
  it("shows the operations, the event schemas and their examples, offline and under its own policy", async () => {
    const { page } = browser
    const requested: Array<string> = []
    page.on("request", (request) => requested.push(request.url()))
    const response = await page.goto("/docs")
    expect(response?.headers()["content-security-policy"]).toMatch(/^default-src 'none'; script-src 'self';/)
    await page.locator(".opblock-summary-path", { hasText: "/v1/events" }).first().waitFor()
    expect(await page.locator(".opblock").count()).toBeGreaterThan(20)
    // the body of POST /v1/events: its example, and the schema of one event type
    await page.locator("#operations-events-postEvents .opblock-summary").click()
    await page.locator("#operations-events-postEvents .body-param__example").first().waitFor()
    expect(await page.locator("#operations-events-postEvents .body-param__example").first().textContent()).toContain(
      '"type": "StudentEnrolled"'
    )
    // the schemas section is open (defaultModelsExpandDepth: 1); one event type, expanded
    const visit = page.locator("section.models article[data-json-schema-level='0']", {
      has: page.locator(".json-schema-2020-12__title", { hasText: /^OfficeHoursVisitedEvent$/ })
    })
    await visit.locator(".json-schema-2020-12-expand-deep-button").first().click()
    await expect.poll(() => visit.textContent()).toContain("durationMinutes")
    const text = (await visit.textContent()) ?? ""
    expect(text).toContain("A student visited a faculty member's office hours.")
    expect(text).toContain('"office-hours-scheduler"')
    await visit.scrollIntoViewIfNeeded()
    await shoot(page, "api-docs")
    const origin = new URL(target.baseUrl).origin
    expect(requested.filter((url) => !url.startsWith(origin) && !url.startsWith("data:"))).toEqual([])
    expect(browser.errors()).toEqual([])
  })
})
