/**
 * Signing in with the school's OpenID Connect provider, end to end: a real `rapport serve`,
 * a real OpenID provider (`oidc-provider`) on loopback, and Chromium clicking through the
 * whole sign-in. Every refusal the issue lists is driven against the real provider, and
 * each asserts both what the person sees and the reason the server logged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type SignInWorld, startSignInWorld } from "./harness/SignInWorld.ts"

let w: SignInWorld

beforeAll(async () => {
  w = await startSignInWorld()
}, 120_000)

afterAll(async () => {
  await w?.stop()
})

describe("OpenID Connect", () => {
  it("signs a dean in through the provider: a person recorded, bound by the employee-id claim, an httpOnly session of at most 8 hours", async () => {
    const { page, context } = w.browser
    await w.startOidcSignIn(page, "alpha", "dana")
    await w.signedIn(page)
    const session = await w.sessionOf(page)
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
      await fetch(`${w.server.baseUrl}/v1/people`, { headers: { authorization: `Bearer ${w.adminKey}` } })
    ).json()
    expect(people.people).toEqual([
      expect.objectContaining({ displayName: "Dana Dean", facultyId: "fac-001", boundBy: "employee-id claim" })
    ])
  })

  it("names the person in the audit log when they open a student's page", async () => {
    const { page } = w.browser
    const writer = w.server.key("alpha", "events:write", "e2e-alpha-scheduler")
    const posted = await fetch(`${w.server.baseUrl}/v1/events`, {
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
      await fetch(`${w.server.baseUrl}/v1/audit?studentId=stu-audit`, {
        headers: { authorization: `Bearer ${w.adminKey}` }
      })
    ).json()
    const id = (await w.sessionOf(page)).body.person.id
    expect(audit.entries).toEqual([
      expect.objectContaining({ studentId: "stu-audit", keyName: `Dana Dean (person ${id})` })
    ])
  })

  it("signs out at Rapport and at the provider (RP-initiated logout)", async () => {
    const { page } = w.browser
    await page.getByRole("button", { name: "Sign out" }).click()
    await page.waitForURL((url) => url.origin === new URL(w.oidc.issuer).origin)
    await page.locator("button[name=logout], button[value=yes]").first().click()
    await page.getByText("You are signed out.").waitFor()
    expect((await w.sessionOf(page)).status).toBe(401)
  })

  it("refuses a replayed state: the callback works once", async () => {
    const { page } = w.browser
    const seen = page.waitForRequest((r) => r.url().startsWith(w.callback("alpha")))
    await w.startOidcSignIn(page, "alpha", "dana")
    const callbackUrl = (await seen).url()
    await w.signedIn(page)
    await w.signOutEverywhere()
    await page.goto(callbackUrl)
    await w.refused(page, "expired", /unknown, used or expired state/)
  })

  it("refuses an ID token whose nonce is not the one this sign-in sent (a replayed nonce)", async () => {
    const { page } = w.browser
    await w.signOutEverywhere()
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
    await w.oidcLogin(page, "dana")
    await w.refused(page, "failed", /"nonce" claim value/)
  })

  it("refuses an ID token issued by a provider whose clock is too far off (either way)", async () => {
    const { page } = w.browser
    for (const seconds of [10 * 60, -10 * 60]) {
      await w.signOutEverywhere()
      w.oidc.issueIdTokens({ skewSeconds: seconds })
      try {
        await w.startOidcSignIn(page, "alpha", "dana")
        await w.refused(page, "failed", new RegExp(`issued ${Math.abs(seconds)} s from our clock .*too far off`))
      } finally {
        w.oidc.issueIdTokens({})
      }
    }
  })

  it("refuses an ID token made for another audience (another school's client)", async () => {
    const { page } = w.browser
    await w.signOutEverywhere()
    w.oidc.issueIdTokens({ audience: "rapport-bravo" })
    try {
      await w.startOidcSignIn(page, "alpha", "dana")
      await w.refused(page, "failed", /"aud" \(audience\) claim value/)
    } finally {
      w.oidc.issueIdTokens({})
    }
  })

  it("refuses a person whose groups map to no scope (deny by default)", async () => {
    const { page } = w.browser
    await w.signOutEverywhere()
    await w.startOidcSignIn(page, "alpha", "eve")
    await w.refused(page, "no-access", /no rule of the school grants/)
    expect(await page.locator("[role=alert]").first().textContent()).toContain("no access to Rapport")
  })

  it("re-reads groups at each sign-in: removed from the group, refused next time", async () => {
    const { page } = w.browser
    await w.signOutEverywhere()
    w.oidcPeople.dana = { ...w.oidcPeople.dana, groups: ["alumni"] }
    try {
      await w.startOidcSignIn(page, "alpha", "dana")
      await w.refused(page, "no-access", /no rule of the school grants/)
    } finally {
      w.oidcPeople.dana = { ...w.oidcPeople.dana, groups: ["rapport-deans"] }
    }
  })

  it("refuses a provider whose issuer is not the configured one", async () => {
    const { page } = w.browser
    await page.goto("/v1/session/oidc/charlie/start")
    await w.refused(page, "failed", /discovery of .* failed/)
  })

  it("signs a person in at another school, whose client secret is in the environment of rapport serve", async () => {
    const { page } = w.browser
    await w.signOutEverywhere()
    await w.startOidcSignIn(page, "bravo", "bo")
    await w.signedIn(page)
    expect((await w.sessionOf(page)).body).toMatchObject({ school: "bravo", person: { name: "Bo Bravo" } })
    expect(w.server.rapport(["sign-in", "show", "--school", "bravo"])).toContain("RAPPORT_E2E_BRAVO_SECRET")
    expect(w.server.rapport(["sign-in", "show", "--school", "alpha"])).not.toContain("secret-of-alpha")
  })

  it("refuses an identity of one school opening another: bravo's answer brought to alpha's callback", async () => {
    const { page } = w.browser
    await w.signOutEverywhere()
    // the provider's redirect back to bravo is held, so that bravo's state stays unused
    w.oidc.holdRedirects((location) => location.startsWith(w.callback("bravo")))
    try {
      await w.startOidcSignIn(page, "bravo", "bo")
      await page.getByText("Held by the test").waitFor()
    } finally {
      w.oidc.holdRedirects(undefined)
    }
    const held = w.oidc.held().at(-1) ?? ""
    expect(new URL(held).searchParams.get("code")).toBeTruthy()
    await page.goto(held.replace(w.callback("bravo"), w.callback("alpha")))
    await w.refused(page, "failed", /a sign-in started for bravo came back to alpha/)
  })

  it("lets an admin bind a person to a faculty id and end their sessions (HTTP API and CLI)", async () => {
    const { page } = w.browser
    await w.signOutEverywhere()
    await w.startOidcSignIn(page, "alpha", "dana")
    await w.signedIn(page)
    const id = (await w.sessionOf(page)).body.person.id
    const admin = { authorization: `Bearer ${w.adminKey}` }
    const bound = await fetch(`${w.server.baseUrl}/v1/people/${id}/faculty`, {
      method: "PUT",
      headers: { ...admin, "content-type": "application/json" },
      body: JSON.stringify({ facultyId: "fac-009" })
    })
    expect(await bound.json()).toMatchObject({ personId: id, facultyId: "fac-009", boundBy: "admin" })
    expect(w.server.rapport(["people", "list", "--school", "alpha"])).toContain("faculty fac-009 (by admin)")
    // earlier tests left sessions of hers whose cookies the w.browser forgot: all of them end
    const ended = await fetch(`${w.server.baseUrl}/v1/people/${id}/sessions`, { method: "DELETE", headers: admin })
    expect((await ended.json()).ended).toBeGreaterThanOrEqual(1)
    expect((await w.sessionOf(page)).status).toBe(401)
    // signed in again: the admin's binding holds over her employee-id claim (fac-001)
    await w.signOutEverywhere()
    await w.startOidcSignIn(page, "alpha", "dana")
    await w.signedIn(page)
    expect((await w.sessionOf(page)).body.person.facultyId).toBe("fac-009")
    // the same from the command line
    expect(w.server.rapport(["people", "sign-out", id, "--school", "alpha"])).toContain(`Ended 1 session(s) of ${id}.`)
    expect((await w.sessionOf(page)).status).toBe(401)
    expect(w.server.rapport(["people", "bind", id, "--school", "alpha", "--faculty", "none"])).toContain(
      "bound to no faculty id"
    )
  })
})

describe("the browser", () => {
  it("logged no console error", () => {
    // the test provider's own pages ask for a web font and a favicon they do not have
    const ours = w.browser.errors().filter((e) => !/status of (401|403)|fonts\.googleapis|favicon\.ico/.test(e))
    expect(ours).toEqual([])
  })
})
