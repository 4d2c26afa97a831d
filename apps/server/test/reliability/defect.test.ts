/**
 * A bug on the read side of a real `rapport serve` is a 500, never a 503 "retry later": a
 * read-model row the code cannot read (planted here: a faculty page's list of positions
 * that is not JSON) answers 500 problem+json `internal-error` with the request id and
 * nothing of the error, and the server logs a `defect` line under the same request id.
 * Only a store that cannot be reached is a 503 (unavailable.test.ts, pg-restart).
 */
import { DatabaseSync } from "node:sqlite"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { sqliteFiles } from "../../src/Config.js"
import { enrolled, facultyJoined, officeHours, postEvents, request, readConsistent } from "./client.js"
import { createKey, ensureBuilt, killLeftovers, serve, tempDir } from "./processes.js"

describe("a defect on the read side, through the server", () => {
  const dir = tempDir()
  const db = join(dir.path, "rapport.db")
  beforeAll(ensureBuilt, 180_000)
  afterAll(() => {
    killLeftovers()
    dir.remove()
  })

  it("answers 500 with the request id and logs it, never 503", async () => {
    const writer = await createKey(db, "school-d", "events:write", "writer-d")
    const dean = await createKey(db, "school-d", "dashboards:read", "dean-d")
    const server = await serve(db)
    try {
      const posted = await postEvents(server.url, writer, [
        facultyJoined("f-1"),
        enrolled("s-1"),
        officeHours("s-1", "f-1", "2026-03-03T15:00:00Z")
      ])
      expect(posted.status).toBe(200)
      const token = String((posted.body as { position: string }).position)
      expect((await readConsistent(`${server.url}/v1/faculty/f-1?waitFor=${token}`, dean)).status).toBe(200)

      const analytics = new DatabaseSync(sqliteFiles(db).analytics, { timeout: 10_000 })
      try {
        const planted = analytics
          .prepare("UPDATE rm_positions SET positions = 'planted: not JSON' WHERE school = ?")
          .run("school-d")
        expect(Number(planted.changes)).toBeGreaterThan(0)
      } finally {
        analytics.close()
      }

      const answer = await request(`${server.url}/v1/faculty/f-1`, dean)
      expect(answer.status, JSON.stringify(answer.body)).toBe(500)
      expect(answer.headers.get("content-type")).toBe("application/problem+json")
      const requestId = answer.headers.get("x-request-id") ?? ""
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
      expect(answer.body).toMatchObject({
        status: 500,
        type: expect.stringMatching(/\/internal-error$/),
        instance: `urn:request:${requestId}`
      })
      expect(JSON.stringify(answer.body)).not.toMatch(/planted|SyntaxError|JSON/)
      const defects = (server.proc.stderr() + server.proc.stdout())
        .split("\n")
        .filter((line) => line.includes('"msg":"defect"') && line.includes(requestId))
      expect(defects).toHaveLength(1)
      expect(defects[0]).toContain('"error":"SyntaxError"')
      expect(defects[0]).not.toContain("planted")
    } finally {
      await server.proc.stop()
    }
  }, 120_000)
})
