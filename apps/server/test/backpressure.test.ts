/**
 * `RAPPORT_MAX_PROJECTOR_LAG`: while the in-process projector is more than that many
 * events behind what this process appended, an append waits until it has caught up to
 * the bound (at most 5 s), and the wait is counted in /metrics.
 */
import { describe, expect, it } from "vitest"
import { officeHours } from "./harness.js"
import { credentials, world } from "./world.js"

const post = (w: Awaited<ReturnType<typeof world>>, count: number) =>
  w.app.request("/v1/events", {
    method: "POST",
    headers: { ...credentials(w, "alpha", "events:write"), "content-type": "application/json" },
    body: JSON.stringify(Array.from({ length: count }, () => officeHours()))
  })

describe("a bound on the projector's lag", () => {
  it("holds an append back until the projector is within the bound, and counts the wait", async () => {
    const w = await world({ maxProjectorLag: 2 })
    expect((await post(w, 3)).status).toBe(200)
    // 3 events behind, the bound is 2: the next append waits for the projector
    let answered = false
    const second = post(w, 1).then((response) => {
      answered = true
      return response
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(answered).toBe(false)
    await w.projector.catchUp()
    expect((await second).status).toBe(200)
    const metrics = await (await w.app.request("/metrics")).text()
    expect(metrics).toMatch(/rapport_ingest_held_back_total 1\n/)
    expect(metrics).toMatch(/rapport_events_ingested_total\{outcome="stored"\} 4\n/)
  })

  it("never holds an append back without a bound", async () => {
    const w = await world()
    expect((await post(w, 3)).status).toBe(200)
    expect((await post(w, 3)).status).toBe(200)
    expect(await (await w.app.request("/metrics")).text()).toMatch(/rapport_ingest_held_back_total 0\n/)
  })
})
