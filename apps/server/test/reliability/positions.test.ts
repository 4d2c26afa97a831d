/**
 * Positions through a real `rapport serve`: what an append answers and what `meta.position`
 * says are opaque tokens sealed for the school — no number of the log that every school
 * shares, so school B's first post tells it nothing of how much school A wrote — and they
 * still work as `waitFor`, after a restart too (the key is the installation's). A token of
 * school A given by school B is a 400; so is a number or an altered token.
 */
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { enrolled, facultyJoined, officeHours, postEvents, request } from "./client.js"
import { createKey, ensureBuilt, killLeftovers, serve, tempDir } from "./processes.js"

const tokenPattern = /^[A-Za-z0-9_-]{40,80}$/

const positionOf = (body: unknown): string => String((body as { position: unknown }).position)

/** a token with one character changed, still base64url */
const altered = (token: string): string => `${token.slice(0, 20)}${token[20] === "A" ? "B" : "A"}${token.slice(21)}`

describe("positions, through the server", () => {
  const dir = tempDir()
  const db = join(dir.path, "rapport.db")
  beforeAll(ensureBuilt, 180_000)
  afterAll(() => {
    killLeftovers()
    dir.remove()
  })

  it("are tokens of the school: opaque, usable as waitFor, refused from another school", async () => {
    const keys = {
      a: {
        writer: await createKey(db, "school-a", "events:write", "writer-a"),
        dean: await createKey(db, "school-a", "dashboards:read", "dean-a"),
        analyst: await createKey(db, "school-a", "aggregates:read", "analyst-a")
      },
      b: {
        writer: await createKey(db, "school-b", "events:write", "writer-b"),
        dean: await createKey(db, "school-b", "dashboards:read", "dean-b")
      }
    }
    let server = await serve(db)
    try {
      // School A writes a good deal; then school B posts its first event.
      const history = [facultyJoined("f-1"), enrolled("s-1")]
      for (let day = 1; day <= 28; day++)
        history.push(officeHours("s-1", "f-1", `2026-02-${String(day).padStart(2, "0")}T15:00:00Z`))
      const a = await postEvents(server.url, keys.a.writer, history)
      expect(a.status, JSON.stringify(a.body)).toBe(200)
      const b = await postEvents(server.url, keys.b.writer, [facultyJoined("f-9"), enrolled("s-9")])
      expect(b.status, JSON.stringify(b.body)).toBe(200)
      const tokenA = positionOf(a.body)
      const tokenB = positionOf(b.body)
      for (const token of [tokenA, tokenB]) {
        expect(token).toMatch(tokenPattern)
        expect(token).not.toMatch(/^\d+$/)
      }
      // the same post again (all duplicates): another token, nothing to compare
      const again = await postEvents(server.url, keys.a.writer, history)
      expect(again.body).toMatchObject({ stored: 0, duplicates: history.length })
      expect(positionOf(again.body)).not.toBe(tokenA)

      // waitFor with the school's own token: read your writes, and meta.position is a token too
      const page = await request(`${server.url}/v1/students/s-1?waitFor=${tokenA}`, keys.a.dean)
      expect(page.status, JSON.stringify(page.body)).toBe(200)
      const meta = (page.body as { meta: { position: unknown } }).meta
      expect(String(meta.position)).toMatch(tokenPattern)
      const overview = await request(`${server.url}/v1/dashboard/overview?waitFor=${tokenA}`, keys.a.analyst)
      expect(overview.status).toBe(200)
      const viewToken = String((overview.body as { meta: { position: unknown } }).meta.position)
      expect(viewToken).toMatch(tokenPattern)
      expect((await request(`${server.url}/v1/dashboard/overview?waitFor=${viewToken}`, keys.a.analyst)).status).toBe(
        200
      )
      expect((await request(`${server.url}/v1/students/s-9?waitFor=${tokenB}`, keys.b.dean)).status).toBe(200)

      // another school's token, a bare number, an altered token: 400 naming waitFor
      for (const [token, key] of [
        [tokenA, keys.b.dean],
        [tokenB, keys.a.dean],
        ["12", keys.a.dean],
        [altered(tokenA), keys.a.dean]
      ] as const) {
        const refused = await request(`${server.url}/v1/dashboard/students?waitFor=${token}`, key)
        expect(refused.status, token).toBe(400)
        const paths = ((refused.body as { errors?: Array<{ path: Array<string> }> }).errors ?? []).map((e) =>
          e.path.join(".")
        )
        expect(paths).toContain("query.waitFor")
      }

      // The key lives in the installation: a token outlives the process that sealed it.
      await server.proc.stop()
      server = await serve(db)
      expect((await request(`${server.url}/v1/students/s-1?waitFor=${tokenA}`, keys.a.dean)).status).toBe(200)
    } finally {
      await server.proc.stop()
    }
  }, 120_000)
})
