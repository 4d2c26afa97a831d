/**
 * POST /v1/events at its limits: a declared or actual JSON body over 1 MiB (413), an NDJSON
 * line over its cap (413) and a stalled upload (408) — each a problem that, for NDJSON,
 * says what was stored before it; repeats within one batch (counted once, or a 409 that
 * stores nothing); the school taken from the key, never from the body.
 */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { bearer, eventId, harness, officeHours } from "./harness.js"

type H = Awaited<ReturnType<typeof harness>>

const post = (h: H, body: BodyInit, type = "application/json", extra: Record<string, string> = {}) =>
  h.app.request("/v1/events", {
    method: "POST",
    headers: { ...bearer(h.keys.a["events:write"]), "content-type": type, ...extra },
    body,
    duplex: "half"
  } as RequestInit)

const storedEvents = async (h: H) => (await Effect.runPromise(h.store.readAll({ after: 0 }))).events

/** a body that sends `first` and then nothing, never ending */
const stalling = (first: string) =>
  new ReadableStream<Uint8Array>({
    start: (controller) => controller.enqueue(new TextEncoder().encode(first))
  })

describe("POST /v1/events limits", () => {
  it("answers 413 to a declared or actual body over 1 MiB, before storing anything", async () => {
    const h = await harness()
    const declared = await post(h, JSON.stringify(officeHours()), "application/json", { "content-length": "1048577" })
    expect(declared.status).toBe(413)
    const actual = await post(h, JSON.stringify([officeHours({ source: "s".repeat(1024 * 1024) })]))
    expect(actual.status).toBe(413)
    expect(await storedEvents(h)).toEqual([])
  })

  it("answers 413 to an NDJSON line over its cap, having stored the whole lines before it", async () => {
    const h = await harness({ limits: { lineBytes: 2048, ndjsonBatch: 2 } })
    const lines = [
      officeHours(),
      officeHours(),
      officeHours(),
      officeHours({ source: "x".repeat(3000) }),
      officeHours()
    ]
    const response = await post(h, lines.map((l) => JSON.stringify(l)).join("\n"), "application/x-ndjson")
    expect(response.status).toBe(413)
    const body = await response.json()
    expect(body.detail).toMatch(/line 4 .*Stored before it: 3 events/)
    expect(body).toMatchObject({ stored: 3, duplicates: 0, rejected: 0 })
    expect((await storedEvents(h)).map((e) => e.id)).toEqual(lines.slice(0, 3).map((l) => l.id))
  })

  it("answers 408 to a stalled upload, JSON or NDJSON", async () => {
    const h = await harness({ limits: { stallMs: 30 } })
    const json = await post(h, stalling("["), "application/json")
    expect(json.status).toBe(408)
    expect((await json.json()).detail).toBe("The upload stalled: no data for 30 ms.")
    const first = officeHours()
    const ndjson = await post(h, stalling(`${JSON.stringify(first)}\n`), "application/x-ndjson")
    expect(ndjson.status).toBe(408)
    expect(await ndjson.json()).toMatchObject({ stored: 1 })
    expect((await storedEvents(h)).map((e) => e.id)).toEqual([first.id])
  })

  it("counts an exact repeat within a batch once, and refuses a conflicting one whole", async () => {
    const h = await harness()
    const event = officeHours()
    expect(await (await post(h, JSON.stringify([event, event]))).json()).toMatchObject({ stored: 1, duplicates: 1 })
    const id = eventId()
    const conflicting = [officeHours({ id }), officeHours({ id, occurredAt: "2026-10-02T15:30:00Z" }), officeHours()]
    const response = await post(h, JSON.stringify(conflicting))
    expect(response.status).toBe(409)
    expect(await response.json()).toMatchObject({ type: "https://rapport.dev/problems/event-id-conflict", eventId: id })
    expect(await storedEvents(h)).toHaveLength(1)
  })

  it("takes the school from the key: a school in the body is an unknown field", async () => {
    const h = await harness()
    const response = await post(h, JSON.stringify({ ...officeHours(), school: "school-b" }))
    expect(response.status).toBe(400)
    expect((await response.json()).errors).toEqual([{ index: 0, path: ["school"], message: "Unknown field" }])
    const event = officeHours()
    expect((await post(h, JSON.stringify(event))).status).toBe(200)
    const [stored] = await storedEvents(h)
    expect(stored?.stream.school).toBe("school-a")
  })
})
