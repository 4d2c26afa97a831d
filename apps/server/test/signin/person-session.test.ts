/**
 * A person's dashboard session (signed in with the school's identity provider), through the
 * routes: it reads only its own school, carries only the reading scopes its sign-in granted,
 * names the person in the audit log, lasts at most 8 hours, needs the CSRF token to sign
 * out, and ends when an admin ends the person's sessions. A school that turned key sign-in
 * off refuses personal keys at the dashboard, not at the API.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import * as SignInStore from "../../src/control/SignInStore.js"
import * as Schools from "../../src/signin/Schools.js"
import * as SignInConfig from "../../src/signin/SignInConfig.js"
import { bearer, now, schoolId, world, type World } from "../world.js"

const store = (w: World) => SignInStore.make(w.controlDb)

const sessionFor = async (w: World, scopes: ReadonlyArray<string>, expiresAt = new Date(now.getTime() + 3600_000)) => {
  const session = await Effect.runPromise(
    store(w).createSession({ personId: w.people.alpha, scopes, logout: null, expiresAt, now })
  )
  return { cookie: `rapport_session=${session.token}`, csrf: session.csrf }
}

const config = (extra: Record<string, unknown> = {}) => ({
  publicUrl: "https://rapport.example.edu",
  label: "Alpha University",
  oidc: { issuer: "https://idp.example.edu", clientId: "rapport", clientSecret: "s3cret" },
  grants: [{ claim: "groups", value: "rapport-deans", scopes: ["dashboards:read"] }],
  ...extra
})

describe("a person's session", () => {
  it("reads its own school only, and the audit log names the person", async () => {
    const w = await world()
    const { cookie } = await sessionFor(w, ["dashboards:read"])
    const current = await w.app.request("/v1/session", { headers: { cookie } })
    expect(await current.json()).toMatchObject({
      school: schoolId("alpha"),
      scopes: ["dashboards:read"],
      person: { id: w.people.alpha, name: "alpha dean", facultyId: null }
    })
    const own = await w.app.request(`/v1/students/${w.students.alpha[0]}`, { headers: { cookie } })
    expect(own.status).toBe(200)
    const other = await w.app.request(`/v1/students/${w.students.bravo[0]}`, { headers: { cookie } })
    expect(other.status).toBe(404)
    const audit = await w.app.request("/v1/audit", { headers: bearer(w.keys.alpha.admin) })
    expect((await audit.json()).entries).toEqual([
      expect.objectContaining({ studentId: w.students.alpha[0], keyName: `alpha dean (person ${w.people.alpha})` })
    ])
  })

  it("never carries more than the reading scopes, whatever the store holds", async () => {
    const w = await world()
    const { cookie } = await sessionFor(w, ["aggregates:read", "admin", "events:write"])
    expect((await w.app.request("/v1/people", { headers: { cookie } })).status).toBe(403)
    expect((await w.app.request(`/v1/students/${w.students.alpha[0]}`, { headers: { cookie } })).status).toBe(403)
    expect((await w.app.request("/v1/dashboard/overview", { headers: { cookie } })).status).toBe(200)
  })

  it("carries the advising scopes, acting as the faculty id an admin bound, writes with the CSRF token only", async () => {
    const w = await world()
    await Effect.runPromise(store(w).bindFaculty(schoolId("alpha"), w.people.alpha, "alpha-fac-1"))
    const { cookie, csrf } = await sessionFor(w, ["advising", "advising:write", "admin"])
    const me = await w.app.request("/v1/advising/me", { headers: { cookie } })
    expect(await me.json()).toMatchObject({ facultyId: "alpha-fac-1", dean: false })
    const concern = (headers: Record<string, string>) =>
      w.app.request(`/v1/advising/students/${w.students.alpha[0]}/concerns`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", ...headers },
        body: JSON.stringify({ category: "academic" })
      })
    expect((await concern({})).status).toBe(403)
    expect((await concern({ "x-csrf-token": csrf })).status).toBe(201)
    expect((await w.app.request("/v1/advising/settings", { headers: { cookie } })).status).toBe(403)
  })

  it("lasts at most 8 hours from sign-in", async () => {
    const w = await world()
    const identity: SignInConfig.Identity = { subject: "oidc:x#dana", displayName: "Dana", email: null, claims: {} }
    const decoded = (extra: Record<string, unknown>) => {
      const result = SignInConfig.decode(config(extra))
      if (Result.isFailure(result)) throw new Error(result.failure.join("; "))
      return result.success
    }
    const refused = await Effect.runPromise(
      Effect.flip(
        Schools.admit({
          store: store(w),
          school: schoolId("alpha"),
          config: decoded({ grants: [] }),
          identity,
          logout: null,
          now
        })
      )
    )
    expect(refused).toMatchObject({ name: "SignInRefused", code: "no-access" })
    const admitted = await Effect.runPromise(
      Schools.admit({
        store: store(w),
        school: schoolId("alpha"),
        config: decoded({}),
        identity: { ...identity, claims: { groups: ["rapport-deans"] } },
        logout: null,
        now
      })
    )
    const at = (ms: number) => Effect.runPromise(store(w).session(admitted.token, new Date(now.getTime() + ms)))
    expect(await at(8 * 3600_000 - 1000)).toBeDefined()
    expect(await at(8 * 3600_000)).toBeUndefined()
  })

  it("is refused to an address outside the allowed domains, whose reason names the domain, never the address", async () => {
    const w = await world()
    const decoded = SignInConfig.decode(config({ allowedDomains: ["alpha.edu"] }))
    if (Result.isFailure(decoded)) throw new Error(decoded.failure.join("; "))
    const refused = await Effect.runPromise(
      Effect.flip(
        Schools.admit({
          store: store(w),
          school: schoolId("alpha"),
          config: decoded.success,
          identity: {
            subject: "oidc:x#mallory",
            displayName: "Mallory",
            email: "mallory@bravo.edu",
            claims: { groups: ["rapport-deans"] }
          },
          logout: null,
          now
        })
      )
    )
    expect(refused).toMatchObject({ code: "no-access" })
    expect(refused.message).toContain("bravo.edu")
    expect(refused.message).not.toContain("mallory")
    expect(await Effect.runPromise(store(w).people(schoolId("alpha")))).toHaveLength(1)
  })

  it("signs out only with the CSRF token, and ends when an admin ends the person's sessions", async () => {
    const w = await world()
    const first = await sessionFor(w, ["dashboards:read"])
    const signOut = (headers: Record<string, string>) => w.app.request("/v1/session", { method: "DELETE", headers })
    expect((await signOut({ cookie: first.cookie, "x-csrf-token": "forged" })).status).toBe(403)
    const out = await signOut({ cookie: first.cookie, "x-csrf-token": first.csrf })
    expect(out.status).toBe(200)
    expect(await out.json()).toEqual({ providerSignOut: null })
    expect((await w.app.request("/v1/session", { headers: { cookie: first.cookie } })).status).toBe(401)

    const second = await sessionFor(w, ["dashboards:read"])
    const third = await sessionFor(w, ["dashboards:read"])
    const ended = await w.app.request(`/v1/people/${w.people.alpha}/sessions`, {
      method: "DELETE",
      headers: bearer(w.keys.alpha.admin)
    })
    expect(await ended.json()).toEqual({ ended: 2 })
    for (const { cookie } of [second, third]) {
      expect((await w.app.request("/v1/session", { headers: { cookie } })).status).toBe(401)
    }
  })
})

describe("key sign-in", () => {
  it("is refused at the dashboard of a school that turned it off, and the key still works for the API", async () => {
    const w = await world()
    await Effect.runPromise(store(w).setConfig(schoolId("alpha"), config({ keySignIn: false }), now))
    const signIn = (key: string) =>
      w.app.request("/v1/session", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ key })
      })
    expect((await signIn(w.keys.alpha["dashboards:read"])).status).toBe(403)
    expect((await signIn(w.keys.bravo["dashboards:read"])).status).toBe(200)
    const api = await w.app.request("/v1/dashboard/overview", { headers: bearer(w.keys.alpha["dashboards:read"]) })
    expect(api.status).toBe(200)
  })
})
