/**
 * Corrupt and truncated input through a real `rapport serve` and `rapport import`: an
 * NDJSON body with broken JSON, bytes that are not UTF-8, binary garbage, an invalid
 * event, a repeat and a cut-off last line answers a summary naming every bad line and
 * stores only the good ones; a truncated JSON batch is a 400 that stores nothing; an upload
 * that dies mid-line stores nothing and leaves the server serving; `rapport import` of such
 * a file writes every bad line aside with its reason and stores the rest.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { request as httpRequest } from "node:http"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Json, officeHours, request } from "./client.js"
import { createKey, ensureBuilt, run, type Serving, serve, sleep, tempDir, killLeftovers } from "./processes.js"
import { storedIds } from "./stores.js"

const good = (n: number): Json => officeHours(`s-${n}`, "f-1", `2026-03-${String(n + 1).padStart(2, "0")}T12:00:00Z`)
const line = (event: Json): Buffer => Buffer.from(`${JSON.stringify(event)}\n`)

/** a body of good and bad lines; returns it with the ids that must be stored and the bad line numbers */
const hostileNdjson = () => {
  const [a, b, c, d] = [good(1), good(2), good(3), good(4)]
  const notUtf8 = Buffer.from(`${JSON.stringify({ ...b, source: "lms-XX" })}\n`.replace("XX", "\u0000"))
  notUtf8[notUtf8.indexOf(0)] = 0xff // one byte that is not UTF-8, inside the source label
  const body = Buffer.concat([
    line(a), // 1 stored
    Buffer.from(`${JSON.stringify(c).slice(0, 40)}\n`), // 2 broken JSON
    notUtf8, // 3 not UTF-8
    Buffer.from([0x00, 0x01, 0xfe, 0x80, 0x0a]), // 4 binary garbage
    line({ ...d, data: { ...(d.data as Json), durationMinutes: 0 } }), // 5 invalid event
    line(a), // 6 the same event again: a duplicate
    line(c), // 7 stored
    Buffer.from(JSON.stringify(good(5)).slice(0, 60)) // 8 cut off, no newline
  ])
  return { body, stored: [a.id, c.id].map(String), rejectedLines: [2, 3, 4, 5, 8], refused: [b.id, d.id].map(String) }
}

const postRaw = (url: string, key: string, body: Buffer, contentType: string) =>
  fetch(`${url}/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": contentType },
    body: new Uint8Array(body)
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }))

describe("corrupt and truncated input", () => {
  const dir = tempDir()
  const db = join(dir.path, "rapport.db")
  let server: Serving
  let key = ""
  beforeAll(async () => {
    await ensureBuilt()
    key = await createKey(db, "school-corrupt", "events:write", "writer")
    server = await serve(db)
  }, 180_000)
  afterAll(async () => {
    await server?.proc.stop()
    killLeftovers()
    dir.remove()
  })

  it("NDJSON: a summary naming every bad line, and only the good lines stored", async () => {
    const hostile = hostileNdjson()
    const answer = await postRaw(server.url, key, hostile.body, "application/x-ndjson")
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ stored: 2, duplicates: 1, rejected: hostile.rejectedLines.length })
    const lines = (answer.body.errors as Array<{ index: number }>).map((e) => e.index)
    expect([...new Set(lines)].sort((x, y) => x - y)).toEqual(hostile.rejectedLines)
    const stored = await storedIds(db, "school-corrupt")
    expect([...stored.keys()].sort()).toEqual([...hostile.stored].sort())
    for (const id of hostile.refused) expect(stored.has(id)).toBe(false)
  })

  it("JSON: a truncated batch, or one with bytes that are not UTF-8, is a 400 and stores nothing", async () => {
    const before = (await storedIds(db, "school-corrupt")).size
    const batch = JSON.stringify([good(10), good(11), good(12)])
    const truncated = await postRaw(server.url, key, Buffer.from(batch.slice(0, batch.length - 30)), "application/json")
    expect(truncated.status).toBe(400)
    expect(String(truncated.body.type)).toMatch(/malformed-json$/)
    const bytes = Buffer.from(JSON.stringify([good(13), { ...good(14), source: "lms-X" }]))
    bytes[bytes.lastIndexOf("X")] = 0xff
    const notUtf8 = await postRaw(server.url, key, bytes, "application/json")
    expect(notUtf8.status).toBe(400)
    expect((await storedIds(db, "school-corrupt")).size).toBe(before)
  })

  it("an upload that dies mid-line: the whole lines before the cut may be stored (each once), the cut one never", async () => {
    const before = await storedIds(db, "school-corrupt")
    const whole = Array.from({ length: 10 }, (_, i) => good(20 + i))
    const cut = good(30)
    const { hostname, port } = new URL(server.url)
    await new Promise<void>((done) => {
      const req = httpRequest({
        hostname,
        port,
        path: "/v1/events",
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" }
      })
      req.on("error", () => done())
      req.on("close", () => done())
      for (const event of whole) req.write(line(event))
      req.write(JSON.stringify(cut).slice(0, 50))
      setTimeout(() => req.destroy(), 300)
    })
    await sleep(500)
    expect((await request(`${server.url}/healthz`, undefined)).status).toBe(200)
    const after = await storedIds(db, "school-corrupt")
    const added = [...after.keys()].filter((id) => !before.has(id))
    const wholeIds = new Set(whole.map((e) => String(e.id)))
    expect(added.every((id) => wholeIds.has(id) && after.get(id) === 1)).toBe(true)
    expect(after.has(String(cut.id))).toBe(false)
  })

  it("rapport import: every bad line written aside with its reason, the good lines stored once", async () => {
    const file = join(dir.path, "history.ndjson")
    const hostile = hostileNdjson()
    writeFileSync(file, hostile.body)
    const imported = await run(["import", file, "--school", "school-import", "--db", db])
    expect(imported.code, imported.stderr).toBe(0)
    const rejected = readFileSync(`${file}.rejected.ndjson`, "utf8").trimEnd().split("\n")
    const rejectedLines = rejected.map((text) => Number((JSON.parse(text) as { line: number }).line))
    expect(rejectedLines.sort((x, y) => x - y)).toEqual(hostile.rejectedLines)
    const stored = await storedIds(db, "school-import")
    expect([...stored.keys()].sort()).toEqual([...hostile.stored].sort())
  }, 60_000)
})
