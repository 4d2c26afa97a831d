/**
 * `RAPPORT_MAX_PROJECTOR_LAG`: while the in-process projector is more than that many
 * events behind what this process appended, an append waits until it has caught up to
 * the bound (at most 5 s), and the wait is counted in /metrics.
 */
import { ExpectedState, type NewEvent } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { officeHours } from "./harness.js"
import { credentials, schoolId, world } from "./world.js"

const post = (w: Awaited<ReturnType<typeof world>>, count: number) =>
  w.app.request("/v1/events", {
    method: "POST",
    headers: { ...credentials(w, "alpha", "events:write"), "content-type": "application/json" },
    body: JSON.stringify(Array.from({ length: count }, () => officeHours()))
  })

describe("a bound on the projector's lag", () => {
  it("holds an append back until the projector is within the bound, and counts the wait", async () => {
    const w = await world({ maxProjectorLag: 2 })
    expect((await post(w, 1)).status).toBe(200)
    // 1 event behind: within the bound, which holds from now on
    expect((await post(w, 2)).status).toBe(200)
    // 3 events behind, the bound is 2: the next append waits for the projector
    let answered = false
    const next = Promise.resolve(post(w, 1)).then((response) => {
      answered = true
      return response
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(answered).toBe(false)
    await w.projector.catchUp()
    expect((await next).status).toBe(200)
    const metrics = await (await w.app.request("/metrics")).text()
    expect(metrics).toMatch(/rapport_ingest_held_back_total\{outcome="caught-up"\} 1\n/)
    expect(metrics).toMatch(/rapport_ingest_held_back_total\{outcome="timeout"\} 0\n/)
    expect(metrics).toMatch(/rapport_events_ingested_total\{outcome="stored"\} 4\n/)
  })

  it("does not hold appends back while the projector works off a backlog from before", async () => {
    const w = await world({ maxProjectorLag: 2 })
    // another writer (an import, say) appended 10 events the projector has not read
    const events = Array.from({ length: 10 }, () => {
      const { source: _source, ...event } = officeHours() as unknown as NewEvent & { source: string }
      return event
    })
    await Effect.runPromise(
      w.store.appendMany([
        { stream: { school: schoolId("alpha"), kind: "student", id: "s-1001" }, expected: ExpectedState.any, events }
      ])
    )
    for (let i = 0; i < 5; i++) expect((await post(w, 1)).status).toBe(200)
    const metrics = await (await w.app.request("/metrics")).text()
    expect(metrics).toMatch(/rapport_ingest_held_back_total\{outcome="caught-up"\} 0\n/)
    expect(metrics).toMatch(/rapport_ingest_held_back_total\{outcome="timeout"\} 0\n/)
  })

  it("never holds an append back without a bound", async () => {
    const w = await world()
    expect((await post(w, 3)).status).toBe(200)
    expect((await post(w, 3)).status).toBe(200)
    expect(await (await w.app.request("/metrics")).text()).toMatch(
      /rapport_ingest_held_back_total\{outcome="caught-up"\} 0\n/
    )
  })
})
