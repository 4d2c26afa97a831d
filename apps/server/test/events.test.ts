import { describe, expect, it } from "vitest"
import * as PositionToken from "../src/http/PositionToken.js"
import { bearer, harness, officeHours } from "./harness.js"

const post = (h: Awaited<ReturnType<typeof harness>>, body: string, headers: Record<string, string>) =>
  h.app.request("/v1/events", { method: "POST", body, headers })

describe("POST /v1/events", () => {
  it("stores one event and counts a retry as a duplicate", async () => {
    const positions = PositionToken.ephemeral()
    const h = await harness({ positions })
    const event = officeHours()
    const headers = { ...bearer(h.keys.a["events:write"]), "content-type": "application/json" }
    const first = await post(h, JSON.stringify(event), headers)
    expect(first.status).toBe(200)
    const accepted = await first.json()
    expect(accepted).toMatchObject({ stored: 1, duplicates: 0 })
    // the position is a token of the school (docs/api.md, Read your writes)
    const reached = positions.open("school-a", accepted.position)
    expect(reached).toBeGreaterThan(0)
    const again = await (await post(h, JSON.stringify(event), headers)).json()
    expect(again).toMatchObject({ stored: 0, duplicates: 1 })
    expect(positions.open("school-a", again.position)).toBe(reached)
  })

  it("answers 409 for the same id with other content", async () => {
    const h = await harness()
    const event = officeHours()
    const headers = { ...bearer(h.keys.a["events:write"]), "content-type": "application/json" }
    await post(h, JSON.stringify(event), headers)
    const changed = { ...event, data: { ...(event.data as object), durationMinutes: 30 } }
    const res = await post(h, JSON.stringify(changed), headers)
    expect(res.status).toBe(409)
    expect(res.headers.get("content-type")).toBe("application/problem+json")
    expect(await res.json()).toMatchObject({ status: 409, eventId: event.id })
  })

  it("rejects a whole batch with every problem, each with index and path", async () => {
    const h = await harness()
    const good = officeHours()
    const bad = officeHours({
      data: { studentID: "s-1", facultyId: "f-1", durationMinutes: 0, topic: "x", initiatedBy: "student" }
    })
    const res = await post(h, JSON.stringify([good, bad]), {
      ...bearer(h.keys.a["events:write"]),
      "content-type": "application/json"
    })
    expect(res.status).toBe(400)
    const body = await res.json()
    const paths = body.errors.map((e: { index: number; path: Array<string> }) => `${e.index}:${e.path.join(".")}`)
    expect(paths).toEqual(
      expect.arrayContaining(["1:data.studentID", "1:data.durationMinutes", "1:data.topic", "1:data.studentId"])
    )
    expect(body.errors.every((e: { index: number }) => e.index === 1)).toBe(true)
    const page = await h.store.readAll({ after: 0 }).pipe((e) => import("effect/Effect").then((m) => m.runPromise(e)))
    expect(page.events).toHaveLength(0)
  })

  it("rejects events more than five minutes in the future", async () => {
    const h = await harness()
    const soon = officeHours({ occurredAt: "2026-11-01T12:04:00Z" })
    const late = officeHours({ occurredAt: "2026-11-01T12:06:00Z" })
    const headers = { ...bearer(h.keys.a["events:write"]), "content-type": "application/json" }
    expect((await post(h, JSON.stringify(soon), headers)).status).toBe(200)
    const res = await post(h, JSON.stringify(late), headers)
    expect(res.status).toBe(400)
    expect((await res.json()).errors[0].path).toEqual(["occurredAt"])
  })

  it("maps content types, sizes and keys to 415, 413, 401 and 403", async () => {
    const h = await harness()
    const write = bearer(h.keys.a["events:write"])
    expect((await post(h, "x", { ...write, "content-type": "text/plain" })).status).toBe(415)
    const big = JSON.stringify(Array.from({ length: 1001 }, () => officeHours()))
    expect((await post(h, big, { ...write, "content-type": "application/json" })).status).toBe(413)
    const huge = JSON.stringify([officeHours({ source: "x".repeat(1024 * 1024) })])
    expect((await post(h, huge, { ...write, "content-type": "application/json" })).status).toBe(413)
    expect((await post(h, "{}", { "content-type": "application/json" })).status).toBe(401)
    expect(
      (await post(h, "{}", { ...bearer("rapport_0000000000000000_x"), "content-type": "application/json" })).status
    ).toBe(401)
    expect(
      (await post(h, "{}", { ...bearer(h.keys.a["dashboards:read"]), "content-type": "application/json" })).status
    ).toBe(403)
    expect((await post(h, "{not json", { ...write, "content-type": "application/json" })).status).toBe(400)
  })

  it("loads NDJSON in batches and reports every rejected line", async () => {
    const h = await harness({ limits: { ndjsonBatch: 3 } })
    const events = Array.from({ length: 7 }, () => officeHours())
    const lines = events.map((e) => JSON.stringify(e))
    lines.splice(2, 0, "{broken")
    lines.splice(5, 0, JSON.stringify(officeHours({ type: "NoSuchThing" })))
    const res = await post(h, `${lines.join("\n")}\n`, {
      ...bearer(h.keys.a["events:write"]),
      "content-type": "application/x-ndjson"
    })
    expect(res.status).toBe(200)
    const summary = await res.json()
    expect(summary).toMatchObject({ stored: 7, duplicates: 0, rejected: 2 })
    expect(summary.errors.map((e: { index: number }) => e.index).sort()).toEqual([3, 6])
  })

  it("keeps schools apart: the same id in two schools is two events", async () => {
    const h = await harness()
    const event = JSON.stringify(officeHours())
    const a = await post(h, event, { ...bearer(h.keys.a["events:write"]), "content-type": "application/json" })
    const b = await post(h, event, { ...bearer(h.keys.b["events:write"]), "content-type": "application/json" })
    expect(await a.json()).toMatchObject({ stored: 1 })
    expect(await b.json()).toMatchObject({ stored: 1 })
  })
})
