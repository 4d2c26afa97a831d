import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { api, launch, signIn, type Browser } from "./harness/Browser.ts"
import { shoot } from "./harness/Shots.ts"

const target = inject("target")
let browser: Browser

beforeAll(async () => {
  browser = await launch({ baseUrl: target.baseUrl })
})
afterAll(async () => {
  await browser.close()
})

describe("sign-in", () => {
  it("states the intended use before anyone signs in", async () => {
    const { page } = browser
    await page.goto("/")
    await page.getByRole("heading", { name: "Sign in to your school's dashboard" }).waitFor()
    expect(await page.locator(".intended-use").first().textContent()).toContain("formative outreach")
    await shoot(page, "sign-in")
  })

  it("refuses an unknown key with a sentence, and keeps the field empty", async () => {
    const { page } = browser
    await page.getByLabel("Your personal access key").fill("not-a-real-key")
    await page.getByRole("button", { name: "Sign in" }).click()
    await expect.poll(() => page.locator(".form-error").textContent()).toContain("not recognised")
    expect(await page.getByLabel("Your personal access key").inputValue()).toBe("")
  })

  it("exchanges the key for an httpOnly, SameSite=Strict cookie and stores the key nowhere", async () => {
    const { page, context } = browser
    await signIn(page, target.keys.dashboards)
    const cookies = await context.cookies()
    const session = cookies.find((c) => c.name === "rapport_session")
    expect(session?.httpOnly).toBe(true)
    expect(session?.sameSite).toBe("Strict")
    const stored = await page.evaluate(() => ({
      cookie: document.cookie,
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage })
    }))
    for (const place of Object.values(stored)) expect(place).not.toContain(target.keys.dashboards)
    expect(stored.cookie).not.toContain("rapport_session")
    expect(await page.locator("[data-school]").textContent()).toBe(target.school)
  })

  it("keeps the session across a reload (the CSRF token is fetched again)", async () => {
    const { page } = browser
    await page.reload()
    await page.getByRole("button", { name: "Sign out" }).waitFor()
    expect(await page.locator("main h1").first().textContent()).toBe("Overview")
  })

  it("signs out: the server forgets the session", async () => {
    const { page } = browser
    await page.getByRole("button", { name: "Sign out" }).click()
    await page.getByText("You are signed out.").waitFor()
    const status = await page.evaluate(async () => (await fetch("/v1/session", { credentials: "same-origin" })).status)
    expect(status).toBe(401)
    // The key still works for the API: signing out ends the session, not the key.
    expect((await api(target.baseUrl, target.keys.dashboards, "/v1/dashboard/overview")).status).toBe(200)
  })

  it("logged no console error", () => {
    expect(browser.errors()).toEqual([])
  })
})
