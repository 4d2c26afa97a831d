/**
 * Signing in with the school's identity provider, end to end: a real `rapport serve`, a
 * real OpenID provider (`oidc-provider`) and a real SAML identity provider (`samlify`) on
 * loopback, and Chromium clicking through the whole sign-in. Every refusal the issue lists
 * is driven here against the real providers, and each asserts both what the person sees and
 * the reason the server logged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Page } from "playwright-core"
import { launch, type Browser } from "./harness/Browser.ts"
import { type Claims, type SamlBehaviour, startOidc, startSaml } from "./harness/IdentityProviders.ts"
import { startOwnServer } from "./harness/OwnServer.ts"

const oidcPeople: Record<string, Claims> = {
  dana: { name: "Dana Dean", email: "dana@alpha.edu", groups: ["rapport-deans"], employee_id: "fac-001" },
  eve: { name: "Eve Student", email: "eve@alpha.edu", groups: ["students"] },
  bo: { name: "Bo Bravo", email: "bo@bravo.edu", groups: ["rapport-deans"] }
}
const samlPeople: Record<string, Claims> = {
  sam: {
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["staff", "member"],
    "urn:oid:0.9.2342.19200300.100.1.3": "sam@alpha.edu",
    "urn:oid:2.16.840.1.113730.3.1.241": "Sam Staff"
  }
}

let server: Awaited<ReturnType<typeof startOwnServer>>
let oidc: Awaited<ReturnType<typeof startOidc>>
let saml: Awaited<ReturnType<typeof startSaml>>
let browser: Browser
let adminKey = ""

const callback = (school: string) => `${server.baseUrl}/v1/session/oidc/${school}/callback`

beforeAll(async () => {
  // bravo's client secret reaches `rapport serve` through its environment, never the database
  server = await startOwnServer({ env: { RAPPORT_E2E_BRAVO_SECRET: "secret-of-bravo-0123456789" } })
  oidc = await startOidc({
    people: oidcPeople,
    clients: ["alpha", "bravo"].map((school) => ({
      clientId: `rapport-${school}`,
      secret: `secret-of-${school}-0123456789`,
      redirectUri: callback(school),
      signedOut: `${server.baseUrl}/?signed-out=1`
    }))
  })
  saml = await startSaml({ people: samlPeople })
  const common = { publicUrl: server.baseUrl, clockToleranceSeconds: 60 }
  server.configure("alpha", {
    ...common,
    label: "Alpha University",
    oidc: { issuer: oidc.issuer, clientId: "rapport-alpha", clientSecret: "secret-of-alpha-0123456789" },
    saml: { idpEntityId: saml.entityId, idpSsoUrl: saml.ssoUrl, idpSloUrl: saml.sloUrl, idpCertificates: [saml.cert] },
    grants: [
      { claim: "groups", value: "rapport-deans", scopes: ["dashboards:read"] },
      { claim: "eduPersonAffiliation", value: "staff", scopes: ["aggregates:read"] }
    ],
    allowedDomains: ["alpha.edu"],
    employeeIdClaim: "employee_id"
  })
  server.configure("bravo", {
    ...common,
    label: "Bravo College",
    oidc: { issuer: oidc.issuer, clientId: "rapport-bravo", clientSecretEnv: "RAPPORT_E2E_BRAVO_SECRET" },
    saml: { idpEntityId: saml.entityId, idpSsoUrl: saml.ssoUrl, idpCertificates: [saml.cert] },
    grants: [{ claim: "groups", value: "rapport-deans", scopes: ["dashboards:read"] }],
    keySignIn: false
  })
  // the same provider under another name: the issuer it signs with is not the configured one
  server.configure("charlie", {
    ...common,
    label: "Charlie",
    oidc: { issuer: oidc.issuer.replace("127.0.0.1", "localhost"), clientId: "rapport-alpha", clientSecret: "x" },
    grants: [{ claim: "groups", value: "rapport-deans", scopes: ["dashboards:read"] }]
  })
  adminKey = server.key("alpha", "admin", "e2e-alpha-admin")
  browser = await launch({ baseUrl: server.baseUrl })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await oidc?.stop()
  await saml?.stop()
  await server?.stop()
})

const sessionOf = (page: Page) =>
  page.evaluate(async () => {
    const response = await fetch("/v1/session", { credentials: "same-origin" })
    return { status: response.status, body: response.status === 200 ? await response.json() : null }
  })

/** signs in at oidc-provider's own login and consent pages */
const oidcLogin = async (page: Page, user: string) => {
  await page.locator("input[name=login]").waitFor()
  await page.locator("input[name=login]").fill(user)
  await page.locator("input[name=password]").fill("any password")
  await page.locator("button[type=submit]").click()
  // the consent page, the first time this person meets this client
  await page.waitForURL((url) => url.origin !== new URL(oidc.issuer).origin || url.pathname.includes("/interaction/"))
  if (new URL(page.url()).origin === new URL(oidc.issuer).origin) {
    await page.getByRole("button", { name: "Continue" }).click()
  }
}

const startOidcSignIn = async (page: Page, school: string, user: string) => {
  await page.goto(`/?school=${school}`)
  await page.getByRole("link", { name: /^Sign in with .*[^)]$/ }).click()
  await oidcLogin(page, user)
}

const samlLogin = async (page: Page, school: string, user: string) => {
  await page.goto(`/?school=${school}`)
  await page.getByRole("link", { name: /\(SAML\)$/ }).click()
  await page.getByLabel("User name").fill(user)
  await page.getByRole("button", { name: "Log in" }).click()
}

const signedIn = (page: Page) => page.getByRole("button", { name: "Sign out" }).waitFor()

const refused = async (page: Page, code: string, reason: RegExp) => {
  await page.waitForURL((url) => url.searchParams.get("sign-in-error") === code)
  await page.locator("[role=alert]").first().waitFor()
  expect((await sessionOf(page)).status).toBe(401)
  const reasons = () => server.log().flatMap((l) => (l.msg === "sign-in refused" ? [String(l.reason)] : []))
  try {
    await expect.poll(() => reasons().some((logged) => reason.test(logged))).toBe(true)
  } catch (error) {
    throw new Error(`no refusal logged for ${reason}; the last ones: ${JSON.stringify(reasons().slice(-2))}`, {
      cause: error
    })
  }
}

const signOutEverywhere = async () => {
  await browser.context.clearCookies()
}

describe("OpenID Connect", () => {
  it("signs a dean in through the provider: a person recorded, bound by the employee-id claim, an httpOnly session of at most 8 hours", async () => {
    const { page, context } = browser
    await startOidcSignIn(page, "alpha", "dana")
    await signedIn(page)
    const session = await sessionOf(page)
    expect(session.body).toMatchObject({
      school: "alpha",
      scopes: ["dashboards:read"],
      person: { name: "Dana Dean", facultyId: "fac-001" }
    })
    const cookie = (await context.cookies()).find((c) => c.name === "rapport_session")
    expect(cookie?.httpOnly).toBe(true)
    expect(cookie?.sameSite).toBe("Strict")
    expect((cookie?.expires ?? 0) * 1000 - Date.now()).toBeLessThanOrEqual(8 * 3600 * 1000)
    const people = await (
      await fetch(`${server.baseUrl}/v1/people`, { headers: { authorization: `Bearer ${adminKey}` } })
    ).json()
    expect(people.people).toEqual([
      expect.objectContaining({ displayName: "Dana Dean", facultyId: "fac-001", boundBy: "employee-id claim" })
    ])
  })

  it("names the person in the audit log when they open a student's page", async () => {
    const { page } = browser
    const writer = server.key("alpha", "events:write", "e2e-alpha-scheduler")
    const posted = await fetch(`${server.baseUrl}/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${writer}`, "content-type": "application/json" },
      body: JSON.stringify({
        id: crypto.randomUUID(),
        type: "OfficeHoursVisited",
        v: 1,
        occurredAt: "2026-10-20T15:00:00Z",
        source: "alpha-scheduler",
        data: {
          studentId: "stu-audit",
          facultyId: "fac-001",
          durationMinutes: 15,
          topic: "feedback",
          initiatedBy: "student"
        }
      })
    })
    expect(posted.status).toBe(200)
    const { position } = await posted.json()
    const opened = await page.evaluate(
      async (at) => (await fetch(`/v1/students/stu-audit?waitFor=${at}`, { credentials: "same-origin" })).status,
      position
    )
    expect(opened).toBe(200)
    const audit = await (
      await fetch(`${server.baseUrl}/v1/audit?studentId=stu-audit`, {
        headers: { authorization: `Bearer ${adminKey}` }
      })
    ).json()
    const id = (await sessionOf(page)).body.person.id
    expect(audit.entries).toEqual([
      expect.objectContaining({ studentId: "stu-audit", keyName: `Dana Dean (person ${id})` })
    ])
  })

  it("signs out at Rapport and at the provider (RP-initiated logout)", async () => {
    const { page } = browser
    await page.getByRole("button", { name: "Sign out" }).click()
    await page.waitForURL((url) => url.origin === new URL(oidc.issuer).origin)
    await page.locator("button[name=logout], button[value=yes]").first().click()
    await page.getByText("You are signed out.").waitFor()
    expect((await sessionOf(page)).status).toBe(401)
  })

  it("refuses a replayed state: the callback works once", async () => {
    const { page } = browser
    const seen = page.waitForRequest((r) => r.url().startsWith(callback("alpha")))
    await startOidcSignIn(page, "alpha", "dana")
    const callbackUrl = (await seen).url()
    await signedIn(page)
    await signOutEverywhere()
    await page.goto(callbackUrl)
    await refused(page, "expired", /unknown, used or expired state/)
  })

  it("refuses an ID token whose nonce is not the one this sign-in sent (a replayed nonce)", async () => {
    const { page } = browser
    await signOutEverywhere()
    const first = await page.request.get("/v1/session/oidc/alpha/start", { maxRedirects: 0 })
    const second = await page.request.get("/v1/session/oidc/alpha/start", { maxRedirects: 0 })
    const replayed = new URL(first.headers().location ?? "")
    const current = new URL(second.headers().location ?? "")
    // The provider is asked with the first sign-in's nonce, but the second's state and PKCE
    // challenge: the code is good for the second sign-in's verifier, so the exchange succeeds
    // and only the ID token's nonce (the first's) tells the replay apart.
    for (const name of ["state", "code_challenge"]) {
      replayed.searchParams.set(name, current.searchParams.get(name) ?? "")
    }
    expect(replayed.searchParams.get("nonce")).not.toBe(current.searchParams.get("nonce"))
    await page.goto(replayed.href)
    await oidcLogin(page, "dana")
    await refused(page, "failed", /"nonce" claim value/)
  })

  it("refuses an ID token issued by a provider whose clock is too far off (either way)", async () => {
    const { page } = browser
    for (const seconds of [10 * 60, -10 * 60]) {
      await signOutEverywhere()
      oidc.issueIdTokens({ skewSeconds: seconds })
      try {
        await startOidcSignIn(page, "alpha", "dana")
        await refused(page, "failed", new RegExp(`issued ${Math.abs(seconds)} s from our clock .*too far off`))
      } finally {
        oidc.issueIdTokens({})
      }
    }
  })

  it("refuses an ID token made for another audience (another school's client)", async () => {
    const { page } = browser
    await signOutEverywhere()
    oidc.issueIdTokens({ audience: "rapport-bravo" })
    try {
      await startOidcSignIn(page, "alpha", "dana")
      await refused(page, "failed", /"aud" \(audience\) claim value/)
    } finally {
      oidc.issueIdTokens({})
    }
  })

  it("refuses a person whose groups map to no scope (deny by default)", async () => {
    const { page } = browser
    await signOutEverywhere()
    await startOidcSignIn(page, "alpha", "eve")
    await refused(page, "no-access", /no rule of the school grants/)
    expect(await page.locator("[role=alert]").first().textContent()).toContain("no access to Rapport")
  })

  it("re-reads groups at each sign-in: removed from the group, refused next time", async () => {
    const { page } = browser
    await signOutEverywhere()
    oidcPeople.dana = { ...oidcPeople.dana, groups: ["alumni"] }
    try {
      await startOidcSignIn(page, "alpha", "dana")
      await refused(page, "no-access", /no rule of the school grants/)
    } finally {
      oidcPeople.dana = { ...oidcPeople.dana, groups: ["rapport-deans"] }
    }
  })

  it("refuses a provider whose issuer is not the configured one", async () => {
    const { page } = browser
    await page.goto("/v1/session/oidc/charlie/start")
    await refused(page, "failed", /discovery of .* failed/)
  })

  it("signs a person in at another school, whose client secret is in the environment of rapport serve", async () => {
    const { page } = browser
    await signOutEverywhere()
    await startOidcSignIn(page, "bravo", "bo")
    await signedIn(page)
    expect((await sessionOf(page)).body).toMatchObject({ school: "bravo", person: { name: "Bo Bravo" } })
    expect(server.rapport(["sign-in", "show", "--school", "bravo"])).toContain("RAPPORT_E2E_BRAVO_SECRET")
    expect(server.rapport(["sign-in", "show", "--school", "alpha"])).not.toContain("secret-of-alpha")
  })

  it("refuses an identity of one school opening another: bravo's answer brought to alpha's callback", async () => {
    const { page } = browser
    await signOutEverywhere()
    // the provider's redirect back to bravo is held, so that bravo's state stays unused
    oidc.holdRedirects((location) => location.startsWith(callback("bravo")))
    try {
      await startOidcSignIn(page, "bravo", "bo")
      await page.getByText("Held by the test").waitFor()
    } finally {
      oidc.holdRedirects(undefined)
    }
    const held = oidc.held().at(-1) ?? ""
    expect(new URL(held).searchParams.get("code")).toBeTruthy()
    await page.goto(held.replace(callback("bravo"), callback("alpha")))
    await refused(page, "failed", /a sign-in started for bravo came back to alpha/)
  })

  it("lets an admin bind a person to a faculty id and end their sessions (HTTP API and CLI)", async () => {
    const { page } = browser
    await signOutEverywhere()
    await startOidcSignIn(page, "alpha", "dana")
    await signedIn(page)
    const id = (await sessionOf(page)).body.person.id
    const admin = { authorization: `Bearer ${adminKey}` }
    const bound = await fetch(`${server.baseUrl}/v1/people/${id}/faculty`, {
      method: "PUT",
      headers: { ...admin, "content-type": "application/json" },
      body: JSON.stringify({ facultyId: "fac-009" })
    })
    expect(await bound.json()).toMatchObject({ personId: id, facultyId: "fac-009", boundBy: "admin" })
    expect(server.rapport(["people", "list", "--school", "alpha"])).toContain("faculty fac-009 (by admin)")
    // earlier tests left sessions of hers whose cookies the browser forgot: all of them end
    const ended = await fetch(`${server.baseUrl}/v1/people/${id}/sessions`, { method: "DELETE", headers: admin })
    expect((await ended.json()).ended).toBeGreaterThanOrEqual(1)
    expect((await sessionOf(page)).status).toBe(401)
    // signed in again: the admin's binding holds over her employee-id claim (fac-001)
    await signOutEverywhere()
    await startOidcSignIn(page, "alpha", "dana")
    await signedIn(page)
    expect((await sessionOf(page)).body.person.facultyId).toBe("fac-009")
    // the same from the command line
    expect(server.rapport(["people", "sign-out", id, "--school", "alpha"])).toContain(`Ended 1 session(s) of ${id}.`)
    expect((await sessionOf(page)).status).toBe(401)
    expect(server.rapport(["people", "bind", id, "--school", "alpha", "--faculty", "none"])).toContain(
      "bound to no faculty id"
    )
  })
})

describe("SAML 2.0", () => {
  it("signs a staff member in with an affiliation mapped to aggregates:read", async () => {
    const { page } = browser
    await signOutEverywhere()
    saml.behave({ sign: "assertion" })
    await samlLogin(page, "alpha", "sam")
    await signedIn(page)
    expect((await sessionOf(page)).body).toMatchObject({
      school: "alpha",
      scopes: ["aggregates:read"],
      person: { name: "Sam Staff" }
    })
  })

  it("signs out at Rapport and at the identity provider (single logout)", async () => {
    const { page } = browser
    await page.getByRole("button", { name: "Sign out" }).click()
    await page.getByText("You are signed out of the test university").waitFor()
    expect(saml.logouts()).toBe(1)
    await page.goto("/")
    expect((await sessionOf(page)).status).toBe(401)
  })

  it("accepts a signed response as well as a signed assertion", async () => {
    const { page } = browser
    await signOutEverywhere()
    saml.behave({ sign: "response" })
    await samlLogin(page, "alpha", "sam")
    await signedIn(page)
  })

  it("refuses a replayed response", async () => {
    const { page } = browser
    await signOutEverywhere()
    const last = saml.responses().at(-1)
    if (last === undefined) throw new Error("no response to replay")
    const answer = await page.request.post(last.acs, { form: { SAMLResponse: last.samlResponse }, maxRedirects: 0 })
    expect(answer.headers().location).toContain("sign-in-error=failed")
    await expect
      .poll(() => server.log().some((l) => l.msg === "sign-in refused" && /InResponseTo/.test(String(l.reason))))
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
      () => ({ sign: "assertion", audience: `${server.baseUrl}/v1/session/saml/bravo/metadata` }),
      /audience/i
    ],
    ["an expired assertion", () => ({ sign: "assertion", shiftMs: -30 * 60_000 }), /expired|NotOnOrAfter|too old/i],
    [
      "a clock too far off (the provider 10 minutes ahead)",
      () => ({ sign: "assertion", shiftMs: 10 * 60_000 }),
      /NotBefore|not yet valid/i
    ]
  ]
  for (const [what, behaviour, reason] of refusals) {
    it(`refuses ${what}`, async () => {
      const { page } = browser
      await signOutEverywhere()
      saml.behave(behaviour())
      await samlLogin(page, "alpha", "sam")
      await refused(page, "failed", reason)
    })
  }
})

describe("keys", () => {
  it("stay for systems, but cannot open the dashboard of a school that turned key sign-in off", async () => {
    const { page } = browser
    await signOutEverywhere()
    const bravoKey = server.key("bravo", "dashboards:read", "e2e-bravo-dean")
    const refusedKey = await fetch(`${server.baseUrl}/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key: bravoKey })
    })
    expect(refusedKey.status).toBe(403)
    const api = await fetch(`${server.baseUrl}/v1/dashboard/overview`, {
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
    const ours = browser.errors().filter((e) => !/status of (401|403)|fonts\.googleapis|favicon\.ico/.test(e))
    expect(ours).toEqual([])
  })
})
