/**
 * Every response, success or problem, from a route, a middleware or no route at all,
 * carries the secure headers (CSP with frame-ancestors 'none', nosniff, X-Frame-Options,
 * Referrer-Policy, HSTS) and the request id: the caller's own when it sent a well-formed
 * one, a fresh UUID otherwise.
 */
import { describe, expect, it } from "vitest"
import { plan } from "./requests.js"
import { bearer, world } from "./world.js"

const secure = (response: Response, label: string) => {
  const csp = response.headers.get("content-security-policy") ?? ""
  expect(csp, label).toMatch(/frame-ancestors 'none'/)
  expect(csp, label).toMatch(/default-src '(self|none)'/)
  expect(csp, label).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/)
  expect(response.headers.get("x-content-type-options"), label).toBe("nosniff")
  expect(response.headers.get("x-frame-options"), label).toBe("DENY")
  expect(response.headers.get("referrer-policy"), label).toBe("no-referrer")
  expect(response.headers.get("strict-transport-security"), label).toMatch(/^max-age=\d{7,}/)
  expect(response.headers.get("x-powered-by"), label).toBeNull()
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

describe("secure headers and request ids", () => {
  it("are on the answer of every route", async () => {
    const w = await world()
    for (const route of w.table) {
      const scope = route.access._tag === "Scoped" ? (route.access.anyOf[0] ?? "admin") : "dashboards:read"
      const planned = plan(w, route, "alpha", scope)
      const response = await w.app.request(planned.path, planned.init)
      expect(response.status, route.operationId).toBeLessThan(500)
      secure(response, route.operationId)
      expect(response.headers.get("x-request-id") ?? "", route.operationId).toMatch(uuid)
    }
  })

  it("are on problems from routes, middleware and unmatched paths", async () => {
    const w = await world()
    const signedIn = await w.app.request("/v1/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key: w.keys.alpha["dashboards:read"] })
    })
    const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] ?? ""
    const limited = await world({ rateLimit: { perSecond: 0.001, burst: 1 } })
    await limited.app.request("/healthz")
    const answers: Array<[string, Response]> = [
      ["401", await w.app.request("/v1/audit")],
      ["404 route", await w.app.request("/v1/no-such-thing", { headers: bearer(w.keys.alpha.admin) })],
      ["404 method", await w.app.request("/v1/events", { method: "DELETE", headers: bearer(w.keys.alpha.admin) })],
      ["403 csrf", await w.app.request("/v1/events", { method: "POST", headers: { cookie } })],
      ["429", await limited.app.request("/healthz")]
    ]
    w.faults.control = true
    answers.push(["503", await w.app.request("/v1/audit", { headers: bearer(w.keys.bravo.admin) })])
    for (const [label, response] of answers) {
      expect(response.status, label).toBe(Number(label.slice(0, 3)))
      secure(response, label)
      expect(response.headers.get("x-request-id") ?? "", label).toMatch(uuid)
    }
  })

  it("are on the dashboard's files (or the 404 when it is not built)", async () => {
    const w = await world()
    for (const path of ["/", "/students/alpha-stu-01", "/assets/missing.js"]) {
      const response = await w.app.request(path)
      expect([200, 404], path).toContain(response.status)
      secure(response, path)
      expect(response.headers.get("x-request-id") ?? "", path).toMatch(uuid)
    }
  })

  it("keep the API page's own stricter policy", async () => {
    const w = await world()
    const docs = await w.app.request("/docs")
    expect(docs.headers.get("content-security-policy")).toMatch(/^default-src 'none'.*form-action 'none'/)
  })

  it("echo a well-formed request id and replace a malformed one", async () => {
    const w = await world()
    const sent = await w.app.request("/healthz", { headers: { "x-request-id": "trace-abc_123" } })
    expect(sent.headers.get("x-request-id")).toBe("trace-abc_123")
    const problem = await w.app.request("/v1/audit", { headers: { "x-request-id": "trace-def" } })
    expect(problem.headers.get("x-request-id")).toBe("trace-def")
    expect((await problem.json()).instance).toBe("urn:request:trace-def")
    const hostile = await w.app.request("/healthz", { headers: { "x-request-id": "<script>alert(1)</script>" } })
    expect(hostile.headers.get("x-request-id") ?? "").toMatch(uuid)
  })
})
