/**
 * Read-model queries in a thread of their own (`readsInThread`): the same answers as the
 * connection on the caller's thread, the same failures, and the caller's event loop free
 * while a long query runs.
 */
import { RuleEngine } from "@rapport/core"
import { InMemoryEventStore } from "@rapport/event-store"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as Dashboard from "../src/Dashboard.js"
import * as Sql from "../src/Sql.js"
import { load, simulatedEvents } from "./fixtures.js"
import { defaultNow, project, promised, schoolId, timeZone } from "./harness.js"
import { everyView } from "./views.js"
import * as SchoolSettings from "../src/SchoolSettings.js"

describe("Sql.openSqlite with readsInThread", () => {
  const dir = mkdtempSync(join(tmpdir(), "rapport-reads-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("answers every view exactly as the caller's own connection does", async () => {
    const path = join(dir, "views.db")
    const events = simulatedEvents(11)
    const store = InMemoryEventStore.make()
    await load(store, schoolId, events, 500)
    const projected = await project(store, Sql.openSqlite(path))
    const threaded = Sql.openSqlite(path, { readsInThread: true })
    try {
      const dashboard = Dashboard.make({
        db: threaded,
        store,
        schools: SchoolSettings.inZone(timeZone),
        threshold: 10,
        now: () => defaultNow
      })
      const students = [...new Set(events.flatMap((e) => RuleEngine.studentIdOf(e) ?? []))].sort().slice(0, 2)
      const faculty = ["f-10001"]
      const [inline, inThread] = [
        await everyView(projected.dashboard(), students, faculty),
        await everyView(promised(dashboard), students, faculty)
      ]
      expect(Object.keys(inThread).length).toBeGreaterThan(50)
      for (const key of Object.keys(inline)) expect(inThread[key], key).toEqual(inline[key])
    } finally {
      await threaded.close()
      await projected.db.close()
    }
  })

  it("reads what the writer committed, rejects bad SQL with SQLite's message, and keeps serving", async () => {
    const db = Sql.openSqlite(join(dir, "plain.db"), { readsInThread: true })
    try {
      await db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, big INTEGER, raw BLOB)")
      await db.transaction(async (tx) => {
        await tx.run("INSERT INTO t (id, name, big, raw) VALUES (?, ?, ?, ?)", [
          1,
          "one",
          2n ** 40n,
          new Uint8Array([7])
        ])
      })
      expect(await db.all("SELECT id, name, big, raw FROM t WHERE id = ?", [1])).toEqual([
        { id: 1, name: "one", big: 2 ** 40, raw: new Uint8Array([7]) }
      ])
      await expect(db.all("SELECT id FROM nowhere")).rejects.toThrow(/no such table: nowhere/)
      // many at once come back to their own callers
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, n) => db.all("SELECT ? AS n", [n]).then((rows) => rows[0]?.n))
      )
      expect(answers).toEqual(Array.from({ length: 200 }, (_, n) => n))
    } finally {
      await db.close()
    }
    await expect(db.all("SELECT 1")).rejects.toThrow(/closed/)
  })

  it("leaves the caller's event loop free while a long query runs (the caller's own connection blocks it)", async () => {
    const path = join(dir, "slow.db")
    // counting to a few million: a long query for SQLite
    const slow =
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000) SELECT count(*) AS c FROM n"
    const ticksDuring = async (db: Sql.SqlDatabase) => {
      let ticks = 0
      const timer = setInterval(() => {
        ticks += 1
      }, 2)
      try {
        // let the timer start before the query
        await new Promise((resolve) => setTimeout(resolve, 10))
        const before = ticks
        expect(await db.all(slow)).toEqual([{ c: 2_000_000 }])
        return ticks - before
      } finally {
        clearInterval(timer)
        await db.close()
      }
    }
    expect(await ticksDuring(Sql.openSqlite(path))).toBe(0)
    expect(await ticksDuring(Sql.openSqlite(path, { readsInThread: true }))).toBeGreaterThan(3)
  })
})
