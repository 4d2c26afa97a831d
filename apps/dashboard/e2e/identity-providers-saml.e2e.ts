/**
 * Signing in with the school's SAML identity provider, end to end: a real `rapport serve`,
 * a real SAML identity provider (built with `samlify`) on loopback, and Chromium clicking
 * through the whole sign-in; each refusal asserts what the person sees and the reason the
 * server logged. Also: keys stay for systems, and a school can turn key sign-in off.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { SamlBehaviour } from "./harness/IdentityProviders.ts"
import { type SignInWorld, startSignInWorld } from "./harness/SignInWorld.ts"

let w: SignInWorld

beforeAll(async () => {
  w = await startSignInWorld()
}, 120_000)

afterAll(async () => {
  await w?.stop()
})

describe("SAML 2.0", () => {
  it("signs a staff member in with an affiliation mapped to aggregates:read", async () => {
    const { page } = w.browser
    await w.signOutEverywhere()
    w.saml.behave({ sign: "assertion" })
    await w.samlLogin(page, "alpha", "sam")
    await w.signedIn(page)
    expect((await w.sessionOf(page)).body).toMatchObject({
      school: "alpha",
      scopes: ["aggregates:read"],
      person: { name: "Sam Staff" }
    })
  })

  it("signs out at Rapport and at the identity provider (single logout)", async () => {
    const { page } = w.browser
    await page.getByRole("button", { name: "Sign out" }).click()
    await page.getByText("You are signed out of the test university").waitFor()
    expect(w.saml.logouts()).toBe(1)
    await page.goto("/")
    expect((await w.sessionOf(page)).status).toBe(401)
  })

  it("accepts a signed response as well as a signed assertion", async () => {
    const { page } = w.browser
    await w.signOutEverywhere()
    w.saml.behave({ sign: "response" })
    await w.samlLogin(page, "alpha", "sam")
    await w.signedIn(page)
  })

  it("refuses a replayed response", async () => {
    const { page } = w.browser
    await w.signOutEverywhere()
    const last = w.saml.responses().at(-1)
    if (last === undefined) throw new Error("no response to replay")
    const answer = await page.request.post(last.acs, { form: { SAMLResponse: last.samlResponse }, maxRedirects: 0 })
    expect(answer.headers().location).toContain("sign-in-error=failed")
    await expect
      .poll(() => w.server.log().some((l) => l.msg === "sign-in refused" && /InResponseTo/.test(String(l.reason))))
      .toBe(true)
  })

  const refusals: ReadonlyArray<[string, () => SamlBehaviour, RegExp]> = [
    ["an unsigned response", () => ({ sign: "none" }), /Invalid signature/],
    ["a response signed with another key", () => ({ sign: "other" }), /Invalid signature/],
    [
      "an assertion of another identity provider (its issuer), signed with the school's provider's key",
      () => ({ sign: "assertion", issuer: "https://idp.other-university.example/idp" }),
      /issuer https:\/\/idp\.other-university\.example\/idp is not the school's identity provider/
    ],
    [
      "an assertion for another audience (another school's service provider)",
      () => ({ sign: "assertion", audience: `${w.server.baseUrl}/v1/session/saml/bravo/metadata` }),
      /audience/i
    ],
    [
      "an expired assertion",
      () => ({ sign: "assertion", shiftMs: -30 * 60_000 }),
      /No valid subject confirmation found|SAML assertion expired/
    ],
    [
      "a clock too far off (the provider 10 minutes ahead)",
      () => ({ sign: "assertion", shiftMs: 10 * 60_000 }),
      /NotBefore|not yet valid/i
    ]
  ]
  for (const [what, behaviour, reason] of refusals) {
    it(`refuses ${what}`, async () => {
      const { page } = w.browser
      await w.signOutEverywhere()
      w.saml.behave(behaviour())
      await w.samlLogin(page, "alpha", "sam")
      await w.refused(page, "failed", reason)
    })
  }
})

describe("keys", () => {
  it("stay for systems, but cannot open the dashboard of a school that turned key sign-in off", async () => {
    const { page } = w.browser
    await w.signOutEverywhere()
    const bravoKey = w.server.key("bravo", "dashboards:read", "e2e-bravo-dean")
    const refusedKey = await fetch(`${w.server.baseUrl}/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key: bravoKey })
    })
    expect(refusedKey.status).toBe(403)
    const api = await fetch(`${w.server.baseUrl}/v1/dashboard/overview`, {
      headers: { authorization: `Bearer ${bravoKey}` }
    })
    expect(api.status).toBe(200)
    await page.goto("/?school=bravo")
    await page.getByRole("link", { name: "Sign in with Bravo College", exact: true }).waitFor()
    expect(await page.getByLabel("Your personal access key").count()).toBe(0)
    await page.goto("/?school=alpha")
    await page.getByRole("link", { name: "Sign in with Alpha University", exact: true }).waitFor()
    expect(await page.getByLabel("Your personal access key").count()).toBe(1)
  })

  it("logged no console error", () => {
    // the test providers' own pages ask for a web font and a favicon they do not have
    const ours = w.browser.errors().filter((e) => !/status of (401|403)|fonts\.googleapis|favicon\.ico/.test(e))
    expect(ours).toEqual([])
  })
})
