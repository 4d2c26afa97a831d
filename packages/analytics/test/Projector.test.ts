import { InMemoryEventStore } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import * as Projector from "../src/Projector.js"
import * as ReadModel from "../src/ReadModel.js"
import * as Sql from "../src/Sql.js"
import { load, simulatedEvents } from "./fixtures.js"
import * as SchoolSettings from "../src/SchoolSettings.js"

const now = new Date("2027-01-15T12:00:00Z")

const dump = async (db: Sql.SqlDatabase): Promise<Record<string, unknown>> => {
  const out: Record<string, unknown> = {}
  for (const table of ReadModel.tables) {
    if (table === "rm_meta") continue
    const rows = await db.all(`SELECT * FROM ${table}`)
    const cleaned = rows.map((row) => {
      const { updated_at: _ignored, ...rest } = row
      return JSON.stringify(rest)
    })
    out[table] = cleaned.sort()
  }
  return out
}

const project = async (store: ReturnType<typeof InMemoryEventStore.make>, db: Sql.SqlDatabase, batchSize: number) => {
  const projector = Projector.make({
    store,
    db,
    schools: SchoolSettings.inZone("America/New_York"),
    now: () => now,
    batchSize
  })
  await projector.catchUp()
  return projector
}

describe("Projector", () => {
  it("writes students, pairs, months, faculty and coverage with the checkpoint", async () => {
    const store = InMemoryEventStore.make()
    const events = simulatedEvents(7)
    const position = await load(store, "school-a", events, 250)
    const db = Sql.openSqlite(":memory:")
    const projector = await project(store, db, 500)
    expect(projector.position()).toBe(position)
    expect(await ReadModel.checkpoint(db)).toBe(position)
    const students = await db.all("SELECT COUNT(*) AS n FROM rm_students WHERE school = 'school-a'")
    expect(Number(students[0]?.n)).toBeGreaterThan(10)
    const pairs = await db.all("SELECT COUNT(*) AS n FROM rm_pairs")
    expect(Number(pairs[0]?.n)).toBeGreaterThan(0)
    // Coverage counts what the store holds: duplicates were stored once, erased students' events are gone.
    const stored = await Effect.runPromise(store.readAll({ after: 0, maxCount: 1_000_000 }))
    expect(stored.events.length).toBeLessThan(events.length)
    const coverage = await db.all("SELECT SUM(events) AS n FROM rm_coverage WHERE dimension = 'source'")
    expect(Number(coverage[0]?.n)).toBe(stored.events.length)
  })

  it("incremental projection in small random batches equals a rebuild", async () => {
    const store = InMemoryEventStore.make()
    const events = simulatedEvents(11)
    const incremental = Sql.openSqlite(":memory:")
    const projector = Projector.make({
      store,
      db: incremental,
      schools: SchoolSettings.inZone("America/New_York"),
      now: () => now,
      batchSize: 97
    })
    let offset = 0
    let size = 13
    while (offset < events.length) {
      await load(store, "school-a", events.slice(offset, offset + size), 7)
      await projector.catchUp()
      offset += size
      size = ((size * 7 + 3) % 400) + 1
    }
    await projector.refreshFollowUps()
    const rebuilt = Sql.openSqlite(":memory:")
    const fresh = await project(store, rebuilt, 5000)
    await fresh.refreshFollowUps()
    expect(await dump(incremental)).toEqual(await dump(rebuilt))
  })

  it("resumes from its checkpoint after a restart without applying anything twice", async () => {
    const store = InMemoryEventStore.make()
    const events = simulatedEvents(5)
    const half = Math.floor(events.length / 2)
    await load(store, "school-a", events.slice(0, half), 100)
    const db = Sql.openSqlite(":memory:")
    const first = await project(store, db, 300)
    await first.stop()
    await load(store, "school-a", events.slice(half), 100)
    const second = await project(store, db, 300)
    await second.refreshFollowUps()
    const rebuilt = Sql.openSqlite(":memory:")
    const fresh = await project(store, rebuilt, 5000)
    await fresh.refreshFollowUps()
    expect(await dump(db)).toEqual(await dump(rebuilt))
  })
  it("rewrites the school when it finds its lease taken over in between, whatever it remembers", async () => {
    const store = InMemoryEventStore.make()
    await load(store, "school-a", simulatedEvents(7), 250)
    const db = Sql.openSqlite(":memory:")
    const projector = await project(store, db, 500)
    await projector.refreshFollowUps()
    const count = async () => Number((await db.all("SELECT COUNT(*) AS n FROM rm_follow_ups"))[0]?.n)
    const before = await count()
    expect(before).toBeGreaterThan(0)
    // another projector took the expired lease, changed rows, and its lease expired in turn
    await db.run("UPDATE rm_meta SET value = ? WHERE name = 'lease'", [`${"0".repeat(36)}:0`])
    await db.run("DELETE FROM rm_follow_ups")
    await projector.refreshFollowUps()
    await projector.catchUp()
    expect(await count()).toBe(before)
  })
  it("a rebuild drops the read models only once it holds the lease", async () => {
    const store = InMemoryEventStore.make()
    const position = await load(store, "school-a", simulatedEvents(7), 250)
    const db = Sql.openSqlite(":memory:")
    // The running projector's lease outlasts any stall of a loaded machine; the rebuild asks
    // for it often. A stop releases the lease, so the rebuild need not wait for it to expire.
    const make = (rebuild: boolean, leaseMs: number) =>
      Projector.make({
        store,
        db,
        schools: SchoolSettings.inZone("America/New_York"),
        now: () => new Date(),
        leaseMs,
        rebuild
      })
    const running = make(false, 60_000)
    await running.start()
    await running.catchUp()
    const rebuild = make(true, 500)
    let rebuilt = false
    const done = rebuild.catchUp().then(() => {
      rebuilt = true
    })
    await new Promise((resolve) => setTimeout(resolve, 800))
    // the running projector renews its lease: the rebuild waits, and nothing was dropped
    expect(rebuilt).toBe(false)
    expect(await ReadModel.checkpoint(db)).toBe(position)
    await running.stop()
    await done
    expect(await ReadModel.checkpoint(db)).toBe(position)
    await rebuild.stop()
  })
})
