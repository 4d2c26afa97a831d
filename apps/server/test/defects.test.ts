/**
 * A bug is a 500, never a 503: a TypeError thrown on the read side (a view, a person page,
 * the key check) answers 500 problem+json with the request id, without internals, and is
 * logged with the same request id. Only a store that cannot be reached is a 503
 * (unavailable.test.ts).
 */
import { describe, expect, it } from "vitest"
import type { AnyRoute } from "../src/http/Route.js"
import { seedAdvising } from "./advising/fixture.js"
import { plan } from "./requests.js"
import { bearer, type World, world } from "./world.js"

interface Problem {
  readonly type: string
  readonly status: number
  readonly detail: string
  readonly instance: string
}

/** The answer is a bare 500 with the request id, logged under that id as a TypeError. */
const expectLoggedDefect = async (w: World, response: Response, what: string) => {
  expect(response.status, what).toBe(500)
  expect(response.headers.get("content-type"), what).toBe("application/problem+json")
  const requestId = response.headers.get("x-request-id") ?? ""
  expect(requestId, what).toMatch(/^[0-9a-f-]{36}$/)
  const text = await response.text()
  expect(text, what).not.toContain("planted")
  expect(text, what).not.toContain("TypeError")
  const body: Problem = JSON.parse(text)
  expect(body.type, what).toMatch(/\/internal-error$/)
  expect(body.instance, what).toBe(`urn:request:${requestId}`)
  const logged = w.logs.filter((line) => line.msg === "defect" && line.requestId === requestId)
  expect(logged, what).toHaveLength(1)
  expect(logged[0]?.error, what).toBe("TypeError")
  expect(String(logged[0]?.at), what).toMatch(/:\d+:\d+$/)
}

// the directory search reads the directory (control tables), never the read models
const controlOnly = new Set(["searchDirectory"])
const readRoutes = (w: World): ReadonlyArray<AnyRoute> =>
  w.table.filter(
    (r) =>
      r.access._tag === "Scoped" &&
      r.access.anyOf.includes("dashboards:read") &&
      r.method === "GET" &&
      !controlOnly.has(r.operationId)
  )

describe("a bug on the read side", () => {
  it("answers 500 with the request id on every dashboard view and person page, and logs it", async () => {
    const w = await world()
    await seedAdvising(w)
    const routes = readRoutes(w)
    expect(routes.map((r) => r.operationId)).toEqual(
      expect.arrayContaining(["dashboardOverview", "dashboardStudents", "studentPage", "facultyPage"])
    )
    w.faults.readModelsBug = true
    for (const route of routes) {
      const planned = plan(w, route, "alpha", "dashboards:read")
      await expectLoggedDefect(w, await w.app.request(planned.path, planned.init), route.operationId)
    }
    expect(w.logs.filter((line) => line.msg === "defect")).toHaveLength(routes.length)
    w.faults.readModelsBug = false
    const overview = await w.app.request("/v1/dashboard/overview", { headers: bearer(w.keys.alpha["dashboards:read"]) })
    expect(overview.status).toBe(200)
  })

  it("answers 500, not 503 or 401, when checking the key meets a bug", async () => {
    const w = await world()
    w.faults.controlBug = true
    const response = await w.app.request("/v1/dashboard/overview", {
      headers: bearer(w.keys.alpha["dashboards:read"])
    })
    await expectLoggedDefect(w, response, "key check")
    // public routes need no key check
    expect((await w.app.request("/healthz")).status).toBe(200)
  })

  it("still answers 503, and logs no defect, when the read models cannot be reached", async () => {
    const w = await world()
    await seedAdvising(w)
    w.faults.readModels = true
    for (const route of readRoutes(w)) {
      const planned = plan(w, route, "alpha", "dashboards:read")
      const response = await w.app.request(planned.path, planned.init)
      expect(response.status, route.operationId).toBe(503)
      expect(response.headers.get("retry-after"), route.operationId).toBe("5")
    }
    expect(w.logs.filter((line) => line.msg === "defect")).toEqual([])
  })
})

describe("an asOf the read side cannot interpret", () => {
  it("answers 400 with the parameter's path, not 503", async () => {
    const w = await world()
    const student = w.students.alpha[0] ?? ""
    for (const asOf of ["2026-13-45", "0000-00-00"]) {
      const response = await w.app.request(`/v1/students/${student}?asOf=${asOf}`, {
        headers: bearer(w.keys.alpha["dashboards:read"])
      })
      expect(response.status, asOf).toBe(400)
      const body: { errors: ReadonlyArray<{ path: ReadonlyArray<string> }> } = await response.json()
      expect(body.errors[0]?.path, asOf).toEqual(["query", "asOf"])
    }
    expect(w.logs.filter((line) => line.msg === "defect")).toEqual([])
  })
})
