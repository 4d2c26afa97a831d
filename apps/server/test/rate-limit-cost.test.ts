/**
 * The per-key rate limit charges by cost (#13): a request is let in for one token, and work
 * a valid request does not cause is charged on top (`http/Cost`): a rejected batch by its
 * items, a malformed body by its bytes. Valid batches of any size cost one request. With a
 * refill too slow to add a token during the test, the counts are exact. Through a real
 * server: stall.test.ts.
 */
import { randomUUID } from "node:crypto"
import { describe, expect, it } from "vitest"
import { bearer, world } from "./world.js"

const slow = { perSecond: 0.001, burst: 200 }

const post = (w: Awaited<ReturnType<typeof world>>, key: string, body: string) =>
  w.app.request("/v1/events", {
    method: "POST",
    headers: { ...bearer(key), "content-type": "application/json" },
    body
  })

const invalidBatch = JSON.stringify(
  Array.from({ length: 1000 }, (_, n) => ({ id: `bad-${n}`, type: "OfficeHoursVisited", occurredAt: "soon", data: {} }))
)

const visit = (n: number) => ({
  id: randomUUID(),
  type: "OfficeHoursVisited",
  v: 1,
  occurredAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
  data: { studentId: "s-cost", facultyId: "f-cost", durationMinutes: 20, topic: "career", initiatedBy: "student" }
})

describe("the rate limit, charged by cost", () => {
  it("charges a rejected batch of 1,000 events 100 tokens more: the third is refused", async () => {
    const w = await world({ seed: false, rateLimit: slow })
    const key = w.keys.alpha["events:write"]
    const statuses = []
    for (let n = 0; n < 3; n++) statuses.push((await post(w, key, invalidBatch)).status)
    expect(statuses).toEqual([400, 400, 429])
    // the key's debt is the key's: the other school's writer is let in
    expect((await post(w, w.keys.bravo["events:write"], invalidBatch)).status).toBe(400)
  })

  it("charges a malformed megabyte by its bytes", async () => {
    const w = await world({ seed: false, rateLimit: slow })
    const key = w.keys.alpha["events:write"]
    const nested = `${"[".repeat(499_999)}${"]".repeat(499_999)}`
    const statuses = []
    for (let n = 0; n < 5; n++) statuses.push((await post(w, key, nested)).status)
    // each costs 1 + 999,998 / 16,384 ≈ 62 tokens: four fit in a burst of 200
    expect(statuses).toEqual([400, 400, 400, 400, 429])
  })

  it("charges valid batches one request, whatever their size", async () => {
    const w = await world({ seed: false, rateLimit: slow })
    const key = w.keys.alpha["events:write"]
    for (let round = 0; round < 5; round++) {
      const batch = Array.from({ length: 1000 }, (_, n) => visit(round * 1000 + n))
      expect((await post(w, key, JSON.stringify(batch))).status).toBe(200)
    }
  })
})
