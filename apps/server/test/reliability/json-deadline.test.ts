/**
 * A JSON body that trickles (a byte every 100 ms: it never stalls) is not held open for
 * ever: past `RAPPORT_BODY_DEADLINE_SECONDS` (2 s here, 30 s by default) a real
 * `rapport serve` answers 408 problem+json and stores nothing of it, and goes on serving.
 */
import { request as httpRequest } from "node:http"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { facultyJoined, postEvents } from "./client.js"
import { createKey, ensureBuilt, killLeftovers, serve, tempDir } from "./processes.js"
import { storedIds } from "./stores.js"

/** Sends `body` one byte every `everyMs`; resolves with the answer (status and text) whenever it comes. */
const trickle = (url: string, key: string, body: Buffer, everyMs: number) =>
  new Promise<{ readonly status: number; readonly text: string; readonly sent: number }>((done, fail) => {
    let sent = 0
    let timer: NodeJS.Timeout | undefined
    const req = httpRequest(
      `${url}/v1/events`,
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          "content-length": String(body.length)
        }
      },
      (res) => {
        clearInterval(timer)
        let text = ""
        res.on("data", (chunk: Buffer) => {
          text += chunk.toString("utf8")
        })
        res.on("end", () => {
          req.destroy()
          done({ status: res.statusCode ?? 0, text, sent })
        })
      }
    )
    req.on("error", (error) => {
      clearInterval(timer)
      fail(error)
    })
    req.flushHeaders()
    timer = setInterval(() => {
      if (sent >= body.length) return clearInterval(timer)
      req.write(body.subarray(sent, sent + 1))
      sent += 1
    }, everyMs)
  })

describe("a trickling JSON body", () => {
  const dir = tempDir()
  const db = join(dir.path, "rapport.db")
  beforeAll(ensureBuilt, 180_000)
  afterAll(() => {
    killLeftovers()
    dir.remove()
  })

  it("answers 408 at the deadline and stores nothing", async () => {
    const env = { RAPPORT_BODY_DEADLINE_SECONDS: "2" }
    const writer = await createKey(db, "school-slow", "events:write", "slow-writer", env)
    const server = await serve(db, env)
    try {
      const event = facultyJoined("f-slow")
      // ~200 bytes at 10 a second: 20 s to arrive whole, and never a pause of 30 s
      const answer = await trickle(server.url, writer, Buffer.from(JSON.stringify([event])), 100)
      expect(answer.status, answer.text).toBe(408)
      expect(answer.sent).toBeLessThan(JSON.stringify([event]).length)
      expect(JSON.parse(answer.text)).toMatchObject({ status: 408, type: expect.stringMatching(/request-timeout$/) })
      expect((await storedIds(db, "school-slow")).has(String(event.id))).toBe(false)
      // the server goes on: the same event sent at once is stored
      const quick = await postEvents(server.url, writer, [event])
      expect(quick.status, JSON.stringify(quick.body)).toBe(200)
      expect((await storedIds(db, "school-slow")).get(String(event.id))).toBe(1)
    } finally {
      await server.proc.stop()
    }
  }, 60_000)
})
