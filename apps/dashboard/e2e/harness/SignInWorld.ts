/**
 * The world of the sign-in browser tests: a `rapport serve` of its own, a real OpenID
 * provider and a real SAML identity provider on loopback, three schools configured with
 * `rapport sign-in set` (alpha with both providers, bravo whose client secret is in the
 * server's environment and whose key sign-in is off, charlie whose issuer is wrong), an
 * admin key of alpha, Chromium, and the steps a person takes on the providers' pages.
 *
 * @since 0.3.0
 */
import { expect } from "vitest"
import type { Page } from "playwright-core"
import { launch } from "./Browser.ts"
import { type Claims, startOidc, startSaml } from "./IdentityProviders.ts"
import { startOwnServer } from "./OwnServer.ts"

/**
 * @since 0.3.0
 * @category constructors
 */
export const startSignInWorld = async () => {
  /** the OpenID provider's people, read at each sign-in (a test may change their groups) */
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
  // bravo's client secret reaches `rapport serve` through its environment, never the database
  const server = await startOwnServer({ env: { RAPPORT_E2E_BRAVO_SECRET: "secret-of-bravo-0123456789" } })
  const callback = (school: string) => `${server.baseUrl}/v1/session/oidc/${school}/callback`
  const oidc = await startOidc({
    people: oidcPeople,
    clients: ["alpha", "bravo"].map((school) => ({
      clientId: `rapport-${school}`,
      secret: `secret-of-${school}-0123456789`,
      redirectUri: callback(school),
      signedOut: `${server.baseUrl}/?signed-out=1`
    }))
  })
  const saml = await startSaml({ people: samlPeople })
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
  const adminKey = server.key("alpha", "admin", "e2e-alpha-admin")
  const browser = await launch({ baseUrl: server.baseUrl })

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

  const reasons = () => server.log().flatMap((l) => (l.msg === "sign-in refused" ? [String(l.reason)] : []))
  /** refusals before this one are another test's: `refused` looks only at later ones */
  let checkedUpTo = 0

  return {
    server,
    oidc,
    saml,
    browser,
    adminKey,
    oidcPeople,
    callback,
    sessionOf,
    oidcLogin,
    startOidcSignIn: async (page: Page, school: string, user: string) => {
      checkedUpTo = reasons().length
      await page.goto(`/?school=${school}`)
      await page.getByRole("link", { name: /^Sign in with .*[^)]$/ }).click()
      await oidcLogin(page, user)
    },
    samlLogin: async (page: Page, school: string, user: string) => {
      checkedUpTo = reasons().length
      await page.goto(`/?school=${school}`)
      await page.getByRole("link", { name: /\(SAML\)$/ }).click()
      await page.getByLabel("User name").fill(user)
      await page.getByRole("button", { name: "Log in" }).click()
    },
    signedIn: (page: Page) => page.getByRole("button", { name: "Sign out" }).waitFor(),
    /** the sign-in page with the error code, no session, and the reason in the server's log */
    refused: async (page: Page, code: string, reason: RegExp) => {
      await page.waitForURL((url) => url.searchParams.get("sign-in-error") === code)
      await page.locator("[role=alert]").first().waitFor()
      expect((await sessionOf(page)).status).toBe(401)
      const fresh = () => reasons().slice(checkedUpTo)
      try {
        await expect.poll(() => fresh().some((logged) => reason.test(logged))).toBe(true)
      } catch (error) {
        throw new Error(`no refusal logged for ${reason}; since the last check: ${JSON.stringify(fresh())}`, {
          cause: error
        })
      }
      checkedUpTo = reasons().length
    },
    /** forgets every cookie: Rapport's session and the providers' */
    signOutEverywhere: () => browser.context.clearCookies(),
    stop: async () => {
      await browser.close()
      await oidc.stop()
      await saml.stop()
      await server.stop()
    }
  }
}

/**
 * @since 0.3.0
 * @category models
 */
export type SignInWorld = Awaited<ReturnType<typeof startSignInWorld>>
