import { EventStore, ExpectedState, type StoreUnavailable } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as PostgresEventStore from "../src/PostgresEventStore.js"
import * as Db from "./support/Database.js"

const run = await Db.available("PostgresEventStore.int.test.ts")
const schema = Db.uniqueSchema("adapter")
const raw = Db.rawClient()
let store: PostgresEventStore.PostgresEventStoreShape

const runStore = <A, E>(effect: Effect.Effect<A, E>): Promise<A> => Effect.runPromise(effect)
const failure = <A, E>(effect: Effect.Effect<A, E>): Promise<E> => Effect.runPromise(Effect.flip(effect))

describe.runIf(run)("PostgresEventStore (adapter specifics)", () => {
  beforeAll(async () => {
    store = await runStore(PostgresEventStore.make({ url: Db.url, schema, pollIntervalMs: 100 }))
    await Db.installSlowCommit(raw, schema, 30)
  })
  afterAll(async () => {
    await runStore(store.close)
    await Db.dropSchema(raw, schema)
    await raw.end()
  })

  it("fails with StoreUnavailable, not a defect, when the server cannot be reached", async () => {
    const error = await failure(
      PostgresEventStore.make({ url: "postgres://postgres@127.0.0.1:1/test", connectTimeoutMs: 2000 })
    )
    expect(error._tag).toBe("StoreUnavailable")
    expect(error.reason).toMatch(/ECONNREFUSED|connect/)
  })

  it("fails with StoreUnavailable naming every option at fault, before connecting", async () => {
    const error = await failure(PostgresEventStore.make({ url: Db.url, schema: "Bad-Name", maxConnections: 0 }))
    expect(error._tag).toBe("StoreUnavailable")
    expect(error.reason).toMatch(/schema/)
    expect(error.reason).toMatch(/maxConnections/)
  })

  it("refuses what PostgreSQL cannot store unchanged, and writes nothing", async () => {
    const stream = Db.student("s-invalid", "s-1")
    const bad = [
      { ...Db.event("nul-1"), data: { note: "a\u0000b" } },
      { ...Db.event("sur-1"), data: { note: "\uD800" } },
      { ...Db.event("key-1"), data: { "\uDC00": 1 } },
      { ...Db.event("year-1"), occurredAt: "0000-01-01T00:00:00Z" },
      { ...Db.event("v-1"), v: 0 },
      Db.event("\u0000")
    ]
    for (const event of bad) {
      const error = await failure(
        store.append({ stream, expected: ExpectedState.any, events: [Db.event("ok-1"), event] })
      )
      expect(error._tag).toBe("InvalidAppend")
    }
    expect(await runStore(store.readStream(stream))).toEqual([])
  })

  it("stores occurredAt as an instant and gives it back normalised to UTC", async () => {
    const stream = Db.student("s-time", "s-1")
    await runStore(
      store.append({
        stream,
        expected: ExpectedState.any,
        events: [{ ...Db.event("t-1"), occurredAt: "2026-10-01T17:30:00.123+02:00" }]
      })
    )
    const [stored] = await runStore(store.readStream(stream))
    expect(stored?.occurredAt).toBe("2026-10-01T15:30:00.123Z")
    // the same instant written differently is the same content: a duplicate, not a conflict
    const again = await runStore(
      store.append({
        stream,
        expected: ExpectedState.any,
        events: [{ ...Db.event("t-1"), occurredAt: "2026-10-01T15:30:00.123Z" }]
      })
    )
    expect(again.events[0]?.duplicate).toBe(true)
  })

  it("rolls back every stream of an appendMany when one stream's expectation fails", async () => {
    const a = Db.student("s-rollback", "a")
    const b = Db.student("s-rollback", "b")
    await runStore(store.append({ stream: b, expected: ExpectedState.any, events: [Db.event("rb-0")] }))
    const head = await runStore(store.headPosition)
    const error = await failure(
      store.appendMany([
        { stream: a, expected: ExpectedState.noStream, events: [Db.event("rb-1"), Db.event("rb-2")] },
        { stream: b, expected: ExpectedState.noStream, events: [Db.event("rb-3")] }
      ])
    )
    expect(error._tag).toBe("WrongExpectedRevision")
    expect(await runStore(store.readStream(a))).toEqual([])
    const streams = await raw.unsafe(`SELECT count(*)::int AS n FROM "${schema}".streams WHERE school = 's-rollback'`)
    expect(streams[0]?.n).toBe(1)
    expect(await runStore(store.headPosition)).toBe(head)
  })

  it("fails with StoreUnavailable when the connection drops mid-transaction, and nothing of it is visible", async () => {
    const name = `drop-${schema}`.slice(0, 60)
    const dropped = await runStore(PostgresEventStore.make({ url: Db.url, schema, applicationName: name }))
    const stream = Db.student("s-drop", "s-1")
    const pending = Effect.runPromise(
      Effect.flip(
        dropped.append({
          stream,
          expected: ExpectedState.any,
          events: [Db.event("d-1"), Db.event("d-2", {}, "SlowCommit")]
        })
      )
    )
    const pid = await Db.waitForBackend(raw, name, "PgSleep")
    await raw`SELECT pg_terminate_backend(${pid})`
    const error: StoreUnavailable | { _tag: string } = await pending
    expect(error._tag).toBe("StoreUnavailable")
    expect(await runStore(store.readStream(stream))).toEqual([])
    // the pool reconnects: the same store appends again
    const result = await runStore(
      dropped.append({ stream, expected: ExpectedState.noStream, events: [Db.event("d-1")] })
    )
    expect(result.revision).toBe(0)
    // postgres.js keeps the killed query on the dead connection, so ending the pool waits out its 5 s grace period
    await runStore(dropped.close)
  }, 20_000)

  it("turns a statement timeout into StoreUnavailable", async () => {
    const impatient = await runStore(PostgresEventStore.make({ url: Db.url, schema, statementTimeoutMs: 200 }))
    const stream = Db.student("s-timeout", "s-1")
    const error = await failure(
      impatient.append({ stream, expected: ExpectedState.any, events: [Db.event("st-1", {}, "SlowCommit")] })
    )
    expect(error._tag).toBe("StoreUnavailable")
    expect(await runStore(store.readStream(stream))).toEqual([])
    await runStore(impatient.close)
  })

  it("deletes a stream physically: its rows, its streams row and its ids; the head does not go back", async () => {
    const stream = Db.student("s-erase", "s-1")
    await runStore(store.append({ stream, expected: ExpectedState.any, events: [Db.event("e-1"), Db.event("e-2")] }))
    const head = await runStore(store.headPosition)
    await runStore(store.deleteStream(stream))
    await runStore(store.deleteStream(stream))
    const rows = await raw.unsafe(
      `SELECT (SELECT count(*) FROM "${schema}".events WHERE school = 's-erase')::int AS events,
              (SELECT count(*) FROM "${schema}".streams WHERE school = 's-erase')::int AS streams`
    )
    expect(rows[0]).toEqual({ events: 0, streams: 0 })
    expect(await runStore(store.headPosition)).toBe(head)
    // the erased ids are forgotten: the stream starts again at revision 0 with new positions
    const again = await runStore(
      store.append({ stream, expected: ExpectedState.noStream, events: [Db.event("e-1", { other: true })] })
    )
    expect(again.events[0]).toMatchObject({ revision: 0, duplicate: false })
    expect(again.events[0]?.position).toBeGreaterThan(head)
  })

  it("resumes a filtered readAll after the head when the rest of the log was filtered out", async () => {
    await runStore(
      store.append({ stream: Db.student("s-filter-a", "s-1"), expected: ExpectedState.any, events: [Db.event("f-1")] })
    )
    const head = await runStore(store.headPosition)
    const page = await runStore(store.readAll({ after: 0, filter: { school: "s-filter-nobody" }, maxCount: 10 }))
    expect(page).toEqual({ events: [], lastPosition: head, isEnd: true })
    const typed = await runStore(
      store.readAll({ after: 0, filter: { school: "s-filter-a", types: ["OfficeHoursVisited"] } })
    )
    expect(typed.events.map((e) => e.id)).toEqual(["f-1"])
  })

  it("wakes a subscription on a commit made through another pool, and serves the layer", async () => {
    const school = "s-notify"
    const name = `listen-${schema}`.slice(0, 60)
    // this store polls once an hour: only the NOTIFY of the other pool's commit can wake it in time
    const other = PostgresEventStore.layer({ url: Db.url, schema, pollIntervalMs: 3_600_000, applicationName: name })
    const after = await runStore(store.headPosition)
    const program = Effect.gen(function* () {
      const eventStore = yield* EventStore
      const fiber = yield* Effect.forkChild(
        Stream.runCollect(Stream.take(eventStore.subscribe({ after, filter: { school } }), 2))
      )
      yield* Effect.promise(() => Db.waitForListener(raw, name))
      yield* store.append({
        stream: Db.student(school, "s-1"),
        expected: ExpectedState.any,
        events: [Db.event("n-1"), Db.event("n-2")]
      })
      return yield* Fiber.join(fiber)
    })
    const events = await Effect.runPromise(Effect.provide(program, Layer.fresh(other)))
    expect(Array.from(events).map((e) => e.id)).toEqual(["n-1", "n-2"])
  })
})
