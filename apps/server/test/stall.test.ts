/**
 * One key must not stall the server for every school (#13): through a real `rapport serve`,
 * the requests that held the event loop for seconds (deeply nested JSON, batches of invalid
 * events, person pages as of a past date) are bounded or answered from the worker threads,
 * and the rate limit charges them by what they cost. How long `/healthz` takes meanwhile is
 * measured by bench/stall.bench.mjs (figures in docs/benchmarks.md), not asserted here.
 */
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { load } from "../src/Config.js"
import * as Installation from "../src/Installation.js"
import * as Server from "../src/Server.js"
import { createKey, ensureBuilt, type Serving, serve, tempDir } from "./cli/cli.js"
import { dayOf, enrolled, facultyJoined, type Json, officeHours, postEvents, request } from "./reliability/client.js"

const school = "stall-school"
const folder = tempDir()
const db = join(folder.path, "rapport.db")
let server: Serving
let writer = ""
let reader = ""

const invalidEvent = (n: number): Json => ({
  id: `not-a-uuid-${n}`,
  type: "MentorshipMeetingHeld",
  v: 1,
  occurredAt: "yesterday",
  source: 42,
  data: { studentId: n, facultyIds: [1, 2], topics: ["no-such-topic", 7], durationMinutes: "long" }
})
const invalidBatch = JSON.stringify(Array.from({ length: 1000 }, (_, n) => invalidEvent(n)))
const withoutPosition = (page: unknown): unknown => {
  if (typeof page !== "object" || page === null || !("meta" in page)) return page
  const { meta, ...rest } = page
  return { ...rest, meta: typeof meta === "object" && meta !== null ? { ...meta, position: "(token)" } : meta }
}
const postText = (key: string, body: string) =>
  request(`${server.url}/v1/events`, key, { method: "POST", body, contentType: "application/json" })

beforeAll(async () => {
  await ensureBuilt()
  writer = await createKey(db, school, "events:write", "stall-writer")
  reader = await createKey(db, school, "dashboards:read", "stall-reader")
  server = await serve(["--db", db])
  const history: Array<Json> = [facultyJoined("f-1"), facultyJoined("f-2", "Surgery"), enrolled("s-1"), enrolled("s-2")]
  for (let n = 0; n < 40; n++)
    history.push(officeHours(n % 3 === 0 ? "s-2" : "s-1", n % 2 === 0 ? "f-1" : "f-2", dayOf(n * 7)))
  const stored = await postEvents(server.url, writer, history)
  expect(stored.status).toBe(200)
})

afterAll(async () => {
  await server?.stop()
  folder.remove()
})

describe("a request that held the event loop", () => {
  it("deeply nested JSON is refused before it is parsed, with a 400 that says why", async () => {
    const depth = 499_999
    const answer = await postText(writer, `${"[".repeat(depth)}${"]".repeat(depth)}`)
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({
      type: "https://rapport.dev/problems/malformed-json",
      detail: "The body nests arrays and objects more than 32 levels deep; no event does.",
      errors: [{ index: 0, path: [], message: "Expected at most 32 levels of nesting" }]
    })
    // and in NDJSON, the line alone is rejected
    const ndjson = await request(`${server.url}/v1/events`, writer, {
      method: "POST",
      body: `${"[".repeat(40)}${"]".repeat(40)}\n`,
      contentType: "application/x-ndjson"
    })
    expect(ndjson.status).toBe(200)
    expect(ndjson.body).toMatchObject({
      stored: 0,
      rejected: 1,
      errors: [{ index: 1, path: [], message: "Expected at most 32 levels of nesting on this line" }]
    })
  })

  it("a batch of 1,000 invalid events answers the documented error list, the first 1,000 problems", async () => {
    const answer = await postText(writer, invalidBatch)
    expect(answer.status).toBe(400)
    const body = answer.body as { type: string; detail: string; errors: Array<{ index: number; path: unknown[] }> }
    expect(body.type).toBe("https://rapport.dev/problems/validation-failed")
    expect(body.detail).toMatch(/^Invalid events: \d+ problem\(s\), the first 1000 listed; nothing was stored\.$/)
    expect(body.errors).toHaveLength(1000)
    expect(body.errors[0]).toMatchObject({ index: 0, path: ["id"] })
    expect(body.errors.every((issue) => typeof issue.index === "number" && Array.isArray(issue.path))).toBe(true)
  })
})

describe("person pages as of a past date, folded in a worker thread", () => {
  it("equal the pages folded on the event loop", async () => {
    const asOf = dayOf(140).slice(0, 10)
    const paths = [`/v1/students/s-1?asOf=${asOf}`, `/v1/faculty/f-2?asOf=${asOf}`, "/v1/students/s-2"]
    const served = await Promise.all(paths.map((path) => request(`${server.url}${path}`, reader)))
    for (const answer of served) expect(answer.status).toBe(200)
    expect(served[0]?.body).toMatchObject({ studentId: "s-1", meta: { asOf: expect.stringContaining(asOf) } })
    // the same files, served without worker threads
    await server.stop()
    const installation = await Installation.open(load({ db, port: "0" }, { RAPPORT_EVENT_STORE: "sqlite" }))
    try {
      const { app } = Server.assemble(installation, { log: () => undefined, projector: undefined })
      for (const [index, path] of paths.entries()) {
        if (path.endsWith("s-2")) continue // "now" moved on between the two
        const inline = await app.request(path, { headers: { authorization: `Bearer ${reader}` } })
        expect(inline.status).toBe(200)
        // `meta.position` is an opaque token, sealed afresh on every answer
        expect(withoutPosition(served[index]?.body)).toEqual(withoutPosition(await inline.json()))
      }
    } finally {
      await installation.close()
      server = await serve(["--db", db])
    }
  })
})
