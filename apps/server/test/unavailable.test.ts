/**
 * 503, never 500, when something the server depends on cannot be reached: the event store
 * (every operation fails with StoreUnavailable), the read models, or the control tables
 * (keys, sessions, directory, audit). The answer is problem+json with a stable type, and
 * nothing is half-written.
 */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { seedAdvising } from "./advising/fixture.js"
import { plan } from "./requests.js"
import { bearer, world, type World } from "./world.js"

const problemOf = async (response: Response) => {
  expect(response.headers.get("content-type")).toBe("application/problem+json")
  return (await response.json()) as { type: string; status: number; detail: string }
}

const routeOf = (w: World, operationId: string) => {
  const route = w.table.find((r) => r.operationId === operationId)
  if (route === undefined) throw new Error(`no route ${operationId}`)
  return route
}

const signIn = async (w: World) => {
  const response = await w.app.request("/v1/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ key: w.keys.alpha["dashboards:read"] })
  })
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? ""
  const { csrfToken } = (await response.json()) as { csrfToken: string }
  return { cookie, csrfToken }
}

describe("the event store unreachable", () => {
  it("answers 503 to appends (JSON and NDJSON), person pages and readiness, and stores nothing", async () => {
    const w = await world()
    const before = await Effect.runPromise(w.store.headPosition)
    w.faults.store = true
    const postEvents = plan(w, routeOf(w, "postEvents"), "alpha", "events:write")
    const json = await w.app.request(postEvents.path, postEvents.init)
    expect(json.status).toBe(503)
    expect(json.headers.get("retry-after")).toBe("5")
    expect((await problemOf(json)).type).toMatch(/store-unavailable$/)
    const ndjson = await w.app.request("/v1/events", {
      method: "POST",
      headers: { ...bearer(w.keys.alpha["events:write"]), "content-type": "application/x-ndjson" },
      body: `${postEvents.init.body}\n`
    })
    expect(ndjson.status).toBe(503)
    for (const operationId of ["studentPage", "facultyPage", "readyz"]) {
      const planned = plan(w, routeOf(w, operationId), "alpha", "dashboards:read")
      const response = await w.app.request(planned.path, planned.init)
      expect(response.status, operationId).toBe(503)
      expect((await problemOf(response)).type).toMatch(/store-unavailable$/)
    }
    const metrics = await w.app.request("/metrics")
    expect(metrics.status).toBe(200)
    w.faults.store = false
    expect(await Effect.runPromise(w.store.headPosition)).toBe(before)
    const retried = await w.app.request(postEvents.path, { ...postEvents.init, body: postEvents.init.body ?? null })
    expect(retried.status).toBe(200)
    expect(w.logs.filter((line) => line.msg === "defect")).toEqual([])
  })
})

describe("the read models unreachable", () => {
  it("answers 503 to every dashboard view and both person pages", async () => {
    const w = await world()
    await seedAdvising(w)
    w.faults.readModels = true
    // the directory search reads the directory (control tables), never the read models
    const controlOnly = new Set(["searchDirectory"])
    const reads = w.table.filter(
      (r) =>
        r.access._tag === "Scoped" &&
        r.access.anyOf.includes("dashboards:read") &&
        r.method === "GET" &&
        !controlOnly.has(r.operationId)
    )
    expect(reads.map((r) => r.operationId)).toEqual(expect.arrayContaining(["studentPage", "dashboardOverview"]))
    for (const route of reads) {
      const planned = plan(w, route, "alpha", "dashboards:read")
      const response = await w.app.request(planned.path, planned.init)
      expect(response.status, route.operationId).toBe(503)
      expect((await problemOf(response)).type).toMatch(/read-models-unavailable$/)
    }
    expect(w.logs.filter((line) => line.msg === "defect")).toEqual([])
  })
})

describe("the control tables unreachable", () => {
  it("answers 503 to any request whose key cannot be checked, and keeps public routes up", async () => {
    const w = await world()
    w.faults.control = true
    for (const route of w.table.filter((r) => r.access._tag === "Scoped")) {
      const anyOf = route.access._tag === "Scoped" ? route.access.anyOf : []
      const scope = anyOf[0] ?? "admin"
      const planned = plan(w, route, "alpha", scope)
      const response = await w.app.request(planned.path, planned.init)
      expect(response.status, route.operationId).toBe(503)
      expect((await problemOf(response)).type).toMatch(/control-unavailable$/)
    }
    const health = await w.app.request("/healthz", { headers: bearer(w.keys.alpha.admin) })
    expect(health.status).toBe(200)
    const signingIn = plan(w, routeOf(w, "signIn"), "alpha", "dashboards:read")
    expect((await w.app.request(signingIn.path, signingIn.init)).status).toBe(503)
    expect(w.logs.filter((line) => line.msg === "defect")).toEqual([])
  })

  it("answers 503 to session requests made with a cookie", async () => {
    const w = await world()
    const { cookie, csrfToken } = await signIn(w)
    w.faults.control = true
    const current = await w.app.request("/v1/session", { headers: { cookie } })
    expect(current.status).toBe(503)
    const overview = await w.app.request("/v1/dashboard/overview", { headers: { cookie } })
    expect(overview.status).toBe(503)
    const signOut = await w.app.request("/v1/session", {
      method: "DELETE",
      headers: { cookie, "x-csrf-token": csrfToken }
    })
    expect(signOut.status).toBe(503)
    w.faults.control = false
    expect((await w.app.request("/v1/session", { headers: { cookie } })).status).toBe(200)
  })

  it("does not show a student's page whose view cannot be audited", async () => {
    const w = await world()
    w.faults.controlWrites = true
    const planned = plan(w, routeOf(w, "studentPage"), "alpha", "dashboards:read")
    const response = await w.app.request(planned.path, planned.init)
    expect(response.status).toBe(503)
    const body = await problemOf(response)
    expect(body.type).toMatch(/audit-unavailable$/)
    expect(JSON.stringify(body)).not.toContain(w.students.alpha[0])
    const directory = plan(w, routeOf(w, "putStudentDirectory"), "alpha", "admin")
    expect((await w.app.request(directory.path, directory.init)).status).toBe(503)
    w.faults.controlWrites = false
    const audit = await w.app.request("/v1/audit", { headers: bearer(w.keys.alpha.admin) })
    expect(await audit.json()).toEqual({ entries: [] })
  })
})
