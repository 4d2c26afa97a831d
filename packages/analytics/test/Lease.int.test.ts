import type { Event } from "@rapport/core"
import { type EventStoreShape, InMemoryEventStore } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { afterEach, describe, expect, it } from "vitest"
import * as Projector from "../src/Projector.js"
import * as Sql from "../src/Sql.js"
import { load, simulatedEvents } from "./fixtures.js"
import { defaultNow, project, schoolId, timeZone } from "./harness.js"
import { walkInEvents } from "./people.js"
import { uniqueSchema, unavailable, url } from "./postgres.js"
import { rows } from "./views.js"
import * as SchoolSettings from "../src/SchoolSettings.js"

const started = Date.now()
/** Real time passes (leases expire) from a fixed date (follow-ups stay on one school day). */
const now = () => new Date(defaultNow.getTime() + (Date.now() - started))

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Who committed read-model writes, in commit order; `paused` holds a projector's transactions back. */
interface Watch {
  readonly writes: Array<string>
  readonly paused: Set<string>
}

const watched = (db: Sql.SqlDatabase, who: string, watch: Watch): Sql.SqlDatabase => ({
  ...db,
  transaction: async (body) => {
    while (watch.paused.has(who)) await sleep(20)
    let wrote = false
    const result = await db.transaction((tx) =>
      body({
        ...tx,
        run: (sql, params) => {
          if (!sql.includes("'lease'")) wrote = true
          return tx.run(sql, params)
        }
      })
    )
    if (wrote) watch.writes.push(who)
    return result
  }
})

const head = (store: EventStoreShape) => Effect.runPromise(store.headPosition)

const projectorOn = (store: EventStoreShape, db: Sql.SqlDatabase) =>
  Projector.make({ store, db, schools: SchoolSettings.inZone(timeZone), now, leaseMs: 1000, pollIntervalMs: 50 })

const expectRebuildEquals = async (store: EventStoreShape, db: Sql.SqlDatabase) => {
  const fresh = await project(store, Sql.openSqlite(":memory:"), { now: now() })
  await fresh.projector.refreshFollowUps()
  const [a, b] = [await rows(db), await rows(fresh.db)]
  expect(Number(a.rm_checkpoint?.length)).toBe(1)
  expect(a).toEqual(b)
}

/** Writers in commit order never interleave: one projector's writes, then the other's. */
const handedOverOnce = (writes: ReadonlyArray<string>, first: string, second: string) => {
  const firstOfSecond = writes.indexOf(second)
  expect(writes.indexOf(first)).toBe(0)
  expect(firstOfSecond).toBeGreaterThan(0)
  expect(writes.slice(firstOfSecond).includes(first), writes.join(" ")).toBe(false)
}

describe.skipIf(unavailable !== undefined)("one projector writes at a time on a PostgreSQL read-model schema", () => {
  const opened: Array<Sql.SqlDatabase> = []
  const open = async (schema: string) => {
    const db = await Sql.openPostgres(url, { schema, max: 2 })
    opened.push(db)
    return db
  }
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close()
  })

  const append = async (store: EventStoreShape, events: ReadonlyArray<Event.RapportEvent>) =>
    load(store, schoolId, events, 200)

  it("two start together on an empty schema; the second takes over when the first stops; the read models equal a rebuild", async () => {
    const store = InMemoryEventStore.make()
    // A slice of a school: the lease is the point here, not the volume.
    const events = simulatedEvents(41).slice(0, 1500)
    const half = Math.floor(events.length / 2)
    await append(store, events.slice(0, half))
    const schema = uniqueSchema("rapport_lease")
    const watch: Watch = { writes: [], paused: new Set() }
    const projectors = {
      A: projectorOn(store, watched(await open(schema), "A", watch)),
      B: projectorOn(store, watched(await open(schema), "B", watch))
    }
    // Both create the tables and ask for the lease at once: one gets it, the other waits.
    const starts = { A: projectors.A.start(), B: projectors.B.start() }
    const winner = await Promise.race([starts.A.then(() => "A" as const), starts.B.then(() => "B" as const)])
    const loser = winner === "A" ? "B" : "A"
    const [a, b, bStarted] = [projectors[winner], projectors[loser], starts[loser]]
    expect(await a.waitFor(await head(store), 20_000)).toBe(true)
    await append(store, events.slice(half))
    a.notify()
    expect(await a.waitFor(await head(store), 20_000)).toBe(true)
    expect(watch.writes.every((who) => who === winner)).toBe(true)
    expect(b.position()).toBe(0)

    await a.stop()
    await bStarted
    await append(store, walkInEvents)
    b.notify()
    expect(await b.waitFor(await head(store), 20_000)).toBe(true)
    handedOverOnce(watch.writes, winner, loser)
    await b.refreshFollowUps()
    await b.stop()
    await expectRebuildEquals(store, opened[0] ?? (await open(schema)))
  })

  it("a paused projector loses its lease when it expires, and never writes after the other took over", async () => {
    const store = InMemoryEventStore.make()
    const events = simulatedEvents(43).slice(0, 1500)
    const half = Math.floor(events.length / 2)
    await append(store, events.slice(0, half))
    const schema = uniqueSchema("rapport_lease")
    const watch: Watch = { writes: [], paused: new Set() }
    const a = projectorOn(store, watched(await open(schema), "A", watch))
    const b = projectorOn(store, watched(await open(schema), "B", watch))
    await a.start()
    expect(await a.waitFor(await head(store), 20_000)).toBe(true)
    const bStarted = b.start()

    // A stalls (a long pause, a partition): it can neither renew nor write.
    watch.paused.add("A")
    const positionOfA = a.position()
    await append(store, events.slice(half))
    await bStarted
    b.notify()
    expect(await b.waitFor(await head(store), 20_000)).toBe(true)

    // A wakes up: its pending transaction finds the lease taken and writes nothing.
    watch.paused.delete("A")
    await append(store, walkInEvents)
    a.notify()
    b.notify()
    expect(await b.waitFor(await head(store), 20_000)).toBe(true)
    // Give A time to find the lease taken and to retry it (it waits a second after a failed step).
    await sleep(1500)
    handedOverOnce(watch.writes, "A", "B")
    expect(a.position()).toBe(positionOfA)
    await b.refreshFollowUps()
    await b.stop()
    await a.stop()
    await expectRebuildEquals(store, opened[0] ?? (await open(schema)))
  })
})
