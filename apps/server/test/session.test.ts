/**
 * Dashboard sessions: sign-in with a person's own key sets an httpOnly, SameSite=Strict
 * cookie; the key never comes back in any answer; every state-changing request made with
 * the cookie (sign-out included) needs the session's CSRF token, and a session carries
 * only the reading scopes of its key; revoking the key ends its sessions.
 */
import { describe, expect, it } from "vitest"
import type { Scope } from "../src/http/Route.js"
import { responseText } from "./requests.js"
import { bearer, now, schoolId, world, type World } from "./world.js"

const signIn = (w: World, key: string, url = "/v1/session") =>
  w.app.request(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ key })
  })

const cookieOf = (response: Response): string => {
  const header = response.headers.get("set-cookie") ?? ""
  return header.split(";")[0] ?? ""
}

const keyWith = async (w: World, scopes: ReadonlyArray<Scope>) =>
  (await w.control.createKey({ school: schoolId("alpha"), name: `alpha-key-multi-${scopes.join("+")}`, scopes, now }))
    .key

describe("POST /v1/session", () => {
  it("sets an httpOnly SameSite=Strict cookie and never sends the key back", async () => {
    const w = await world()
    const key = w.keys.alpha["dashboards:read"]
    const response = await signIn(w, key)
    expect(response.status).toBe(200)
    const cookie = response.headers.get("set-cookie") ?? ""
    const attributes = cookie.split(";").map((part) => part.trim().toLowerCase())
    expect(attributes).toEqual(expect.arrayContaining(["httponly", "samesite=strict", "path=/"]))
    expect(attributes.some((a) => a.startsWith("max-age="))).toBe(true)
    expect(attributes).not.toContain("secure")
    const text = await responseText(response.clone())
    expect(text).not.toContain(key)
    expect(text).not.toContain(key.slice(25))
    const body = await response.json()
    expect(body).toEqual({
      school: "school-alpha",
      keyName: "alpha-key-dashboards:read",
      scopes: ["dashboards:read"],
      csrfToken: expect.any(String)
    })
    const current = await w.app.request("/v1/session", { headers: { cookie: cookieOf(response) } })
    expect(current.status).toBe(200)
    const currentText = await responseText(current)
    expect(currentText).not.toContain(key)
    expect(JSON.parse(currentText.slice(currentText.indexOf("\n\n") + 2))).toEqual(body)
  })

  it("marks the cookie Secure behind HTTPS", async () => {
    const w = await world()
    const direct = await signIn(w, w.keys.alpha["aggregates:read"], "https://rapport.example/v1/session")
    expect(direct.headers.get("set-cookie")).toMatch(/; Secure/)
  })

  it("refuses keys that are not the dashboard's: 401 bad or revoked, 403 other scopes", async () => {
    const w = await world()
    expect((await signIn(w, w.keys.alpha.revoked)).status).toBe(401)
    expect((await signIn(w, "rapport_0123456789abcdef_nope")).status).toBe(401)
    expect((await signIn(w, w.keys.alpha["events:write"])).status).toBe(403)
    expect((await signIn(w, w.keys.alpha.admin)).status).toBe(403)
    const wrong = await signIn(w, w.keys.alpha["events:write"])
    expect(wrong.headers.get("set-cookie")).toBeNull()
  })

  it("answers 400, 413 and 415 to malformed sign-ins", async () => {
    const w = await world()
    const post = (body: string, type = "application/json") =>
      w.app.request("/v1/session", { method: "POST", headers: { "content-type": type }, body })
    expect((await post("{")).status).toBe(400)
    expect((await post(JSON.stringify({ key: w.keys.alpha["dashboards:read"], extra: 1 }))).status).toBe(400)
    expect((await post(JSON.stringify({ key: "x".repeat(5000) }))).status).toBe(413)
    expect((await post(`key=${w.keys.alpha["dashboards:read"]}`, "application/x-www-form-urlencoded")).status).toBe(415)
  })
})

describe("requests made with the session cookie", () => {
  it("read the dashboards and student pages, audited under the key's name", async () => {
    const w = await world()
    const cookie = cookieOf(await signIn(w, w.keys.alpha["dashboards:read"]))
    expect((await w.app.request("/v1/dashboard/overview", { headers: { cookie } })).status).toBe(200)
    const page = await w.app.request(`/v1/students/${w.students.alpha[0]}`, { headers: { cookie } })
    expect(page.status).toBe(200)
    const audit = await w.app.request("/v1/audit", { headers: bearer(w.keys.alpha.admin) })
    expect((await audit.json()).entries).toMatchObject([
      { keyName: "alpha-key-dashboards:read", studentId: w.students.alpha[0] }
    ])
  })

  it("need the CSRF token for every state-changing request, and never carry more than reading scopes", async () => {
    const w = await world()
    const key = await keyWith(w, ["dashboards:read", "admin", "events:write"])
    const signedIn = await signIn(w, key)
    const cookie = cookieOf(signedIn)
    const session = await signedIn.json()
    expect(session.scopes).toEqual(["dashboards:read"])
    const csrfToken: string = session.csrfToken
    const put = (headers: Record<string, string>) =>
      w.app.request("/v1/directory/students/alpha-stu-01", {
        method: "PUT",
        headers: { cookie, "content-type": "application/json", ...headers },
        body: JSON.stringify({ displayName: "Set With A Cookie", email: null })
      })
    for (const token of [undefined, "", "wrong", `${csrfToken}x`, csrfToken.slice(1)]) {
      const response = await put(token === undefined ? {} : { "x-csrf-token": token })
      expect(response.status, String(token)).toBe(403)
      expect(await response.json()).toMatchObject({ type: "https://rapport.dev/problems/csrf" })
    }
    const events = await w.app.request("/v1/events", {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: "{}"
    })
    expect(events.status).toBe(403)
    expect(await events.json()).toMatchObject({ type: "https://rapport.dev/problems/csrf" })
    // past the CSRF check, a session still carries only the reading scopes of its key
    const withToken = await put({ "x-csrf-token": csrfToken })
    expect(withToken.status).toBe(403)
    expect(await withToken.json()).toMatchObject({ type: "https://rapport.dev/problems/forbidden" })
    expect((await w.control.getDirectory("school-alpha", "student", "alpha-stu-01"))?.displayName).toBe(
      "Alma Alphaville 0"
    )
    const page = await w.app.request(`/v1/students/${w.students.alpha[0]}`, { headers: { cookie } })
    expect(page.status).toBe(200)
  })

  it("sign out only with the CSRF token, after which the cookie is dead", async () => {
    const w = await world()
    const signedIn = await signIn(w, w.keys.alpha["dashboards:read"])
    const cookie = cookieOf(signedIn)
    const { csrfToken } = await signedIn.json()
    const signOut = (headers: Record<string, string>) =>
      w.app.request("/v1/session", { method: "DELETE", headers: { cookie, ...headers } })
    expect((await signOut({})).status).toBe(403)
    expect((await signOut({ "x-csrf-token": "forged" })).status).toBe(403)
    expect((await w.app.request("/v1/session", { headers: { cookie } })).status).toBe(200)
    const out = await signOut({ "x-csrf-token": csrfToken })
    expect(out.status).toBe(204)
    expect(out.headers.get("set-cookie")).toMatch(/^rapport_session=; .*Max-Age=0/)
    expect((await w.app.request("/v1/session", { headers: { cookie } })).status).toBe(401)
    expect((await w.app.request("/v1/dashboard/overview", { headers: { cookie } })).status).toBe(401)
    expect((await w.app.request("/v1/session", { method: "DELETE" })).status).toBe(401)
  })

  it("stop working when the key is revoked", async () => {
    const w = await world()
    const key = await keyWith(w, ["dashboards:read"])
    const cookie = cookieOf(await signIn(w, key))
    expect((await w.app.request("/v1/dashboard/overview", { headers: { cookie } })).status).toBe(200)
    await w.control.revokeKey("alpha-key-multi-dashboards:read", now)
    expect((await w.app.request("/v1/dashboard/overview", { headers: { cookie } })).status).toBe(401)
  })

  it("never reach another school", async () => {
    const w = await world()
    const cookie = cookieOf(await signIn(w, w.keys.bravo["dashboards:read"]))
    const page = await w.app.request(`/v1/students/${w.students.alpha[0]}`, { headers: { cookie } })
    expect(page.status).toBe(404)
  })
})
