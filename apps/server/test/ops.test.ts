/**
 * The operations routes: liveness, readiness (the store answers and the projector keeps
 * up; lagging is a problem+json 503 that still carries the positions), Prometheus metrics,
 * the OpenAPI document and the API page with its script.
 */
import { describe, expect, it } from "vitest"
import { bearer, harness, officeHours } from "./harness.js"
import { credentials, world } from "./world.js"

describe("operations routes", () => {
  it("answer liveness and readiness", async () => {
    const h = await harness()
    expect(await (await h.app.request("/healthz")).json()).toEqual({ status: "ok" })
    const ready = await h.app.request("/readyz")
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: "ready", storePosition: 0, projectorPosition: 0, lag: 0 })
  })

  it("answer 503 problem+json with the positions when the projector lags", async () => {
    const h = await harness({ maxLag: 1, projectorPosition: async () => 0 })
    const headers = { ...bearer(h.keys.a["events:write"]), "content-type": "application/json" }
    const batch = JSON.stringify([officeHours(), officeHours(), officeHours()])
    expect((await h.app.request("/v1/events", { method: "POST", headers, body: batch })).status).toBe(200)
    const lagging = await h.app.request("/readyz")
    expect(lagging.status).toBe(503)
    expect(lagging.headers.get("content-type")).toBe("application/problem+json")
    expect(await lagging.json()).toMatchObject({
      type: "https://rapport.dev/problems/projector-lagging",
      status: 503,
      storePosition: 3,
      projectorPosition: 0,
      lag: 3
    })
  })

  it("serve Prometheus metrics labelled by route template", async () => {
    const w = await world()
    await w.app.request("/v1/students/alpha-stu-01", { headers: credentials(w, "alpha", "dashboards:read") })
    await w.app.request("/v1/events", {
      method: "POST",
      headers: { ...credentials(w, "alpha", "events:write"), "content-type": "application/json" },
      body: JSON.stringify({ ...officeHours(), id: "aaaaaaaa-2222-7000-8000-000000000001" })
    })
    const metrics = await w.app.request("/metrics")
    expect(metrics.headers.get("content-type")).toMatch(/^text\/plain/)
    const text = await metrics.text()
    expect(text).toMatch(/rapport_http_requests_total\{method="POST",route="\/v1\/events",status="200"\} 1/)
    expect(text).toMatch(/rapport_events_ingested_total\{outcome="stored"\} 1/)
    // the projector of this world is not running: the event just posted is the lag
    expect(text).toMatch(/rapport_projector_lag_events 1\n/)
    expect(text).not.toContain("alpha-stu-01")
  })

  it("serve the OpenAPI document and the page that reads it", async () => {
    const h = await harness()
    const doc = await (await h.app.request("/openapi.json")).json()
    expect(doc.info.version).toBe("test")
    const page = await h.app.request("/docs")
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8")
    expect(await page.text()).toContain('<script src="/docs/app.js"></script>')
    const script = await h.app.request("/docs/app.js")
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8")
    expect(await script.text()).toContain('fetch("/openapi.json")')
  })
})
