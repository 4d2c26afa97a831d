import { randomUUID } from "node:crypto"
import { type AppendRequest, ExpectedState, type RecordedEvent } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as PostgresEventStore from "../src/PostgresEventStore.js"
import * as Db from "./support/Database.js"

const run = await Db.available("Ordering.int.test.ts")
const schema = Db.uniqueSchema("ordering")
const raw = Db.rawClient()
const slowName = `slow-${schema}`
const fastName = `fast-${schema}`
let slow: PostgresEventStore.PostgresEventStoreShape
let fast: PostgresEventStore.PostgresEventStoreShape

const runStore = <A, E>(effect: Effect.Effect<A, E>): Promise<A> => Effect.runPromise(effect)

/** reads the whole log after `after`, for one school, as positions */
const positions = (after: number, school: string): Promise<Array<number>> =>
  runStore(fast.readAll({ after, filter: { school } })).then((page) => page.events.map((e) => e.position))

describe.runIf(run)("ordering under concurrent writers", () => {
  beforeAll(async () => {
    slow = await runStore(
      PostgresEventStore.make({ url: Db.url, schema, applicationName: slowName, pollIntervalMs: 50 })
    )
    fast = await runStore(
      PostgresEventStore.make({ url: Db.url, schema, applicationName: fastName, pollIntervalMs: 50 })
    )
    await Db.installSlowCommit(raw, schema, 1.5)
  })
  afterAll(async () => {
    await runStore(slow.close)
    await runStore(fast.close)
    await Db.dropSchema(raw, schema)
    await raw.end()
  })

  it("a commit delayed after taking its position is never skipped: no reader sees the later position first", async () => {
    const school = `delay-${randomUUID().slice(0, 8)}`
    const start = await runStore(fast.headPosition)
    const subscription = Effect.runFork(
      Stream.runCollect(Stream.take(fast.subscribe({ after: start, filter: { school } }), 2))
    )
    // A reader polling the log the whole time: every snapshot it sees must be a prefix of the final log.
    const snapshots: Array<Array<number>> = []
    let polling = true
    const poller = (async () => {
      while (polling) snapshots.push(await positions(start, school))
    })()

    // Writer A takes its position, then sleeps inside its transaction before committing.
    const writerA = runStore(
      slow.append({
        stream: Db.student(school, "a"),
        expected: ExpectedState.any,
        events: [Db.event(randomUUID(), {}, "SlowCommit")]
      })
    )
    await Db.waitForBackend(raw, slowName, "PgSleep")
    // Writer B, another pool, appends while A holds its position uncommitted.
    const writerB = runStore(
      fast.append({ stream: Db.student(school, "b"), expected: ExpectedState.any, events: [Db.event(randomUUID())] })
    )
    // B waits on A's transaction (the head row lock) rather than committing a later position first.
    const waitingPid = await Db.waitForBackend(raw, fastName, "transactionid", "tuple")
    expect(waitingPid).toBeGreaterThan(0)
    const [a, b] = await Promise.all([writerA, writerB])
    polling = false
    await poller

    const positionA = a.events[0]?.position ?? 0
    const positionB = b.events[0]?.position ?? 0
    expect(positionB).toBeGreaterThan(positionA)
    const final = await positions(start, school)
    expect(final).toEqual([positionA, positionB])
    expect(snapshots.length).toBeGreaterThan(1)
    for (const snapshot of snapshots) expect(final.slice(0, snapshot.length)).toEqual(snapshot)
    const delivered = await runStore(Fiber.join(subscription))
    expect(Array.from(delivered).map((e) => e.position)).toEqual([positionA, positionB])
  }, 30_000)

  it("two pools appending concurrently: one gap-free order, every event once, contiguous revisions", async () => {
    const school = `pools-${randomUUID().slice(0, 8)}`
    const start = await runStore(fast.headPosition)
    const streams = Array.from({ length: 8 }, (_, i) => Db.student(school, `s-${i}`))
    // Batches that both pools send: each must be stored once.
    const shared: Array<Array<AppendRequest>> = Array.from({ length: 6 }, (_, i) => [
      {
        stream: Db.student(school, `shared-${i}`),
        expected: ExpectedState.any,
        events: [Db.event(randomUUID()), Db.event(randomUUID())]
      }
    ])
    const batch = (): Array<AppendRequest> => {
      const first = Math.floor(Math.random() * streams.length)
      const second = (first + 1 + Math.floor(Math.random() * (streams.length - 1))) % streams.length
      return [first, second].map((i) => ({
        stream: streams[i] ?? Db.student(school, "none"),
        expected: ExpectedState.any,
        events: [Db.event(randomUUID()), Db.event(randomUUID()), Db.event(randomUUID())]
      }))
    }
    const writer = (store: PostgresEventStore.PostgresEventStoreShape) =>
      Effect.forEach(Array.from({ length: 12 }, batch), (requests) => store.appendMany(requests), { discard: true })
    const unique = 4 * 12 * 6 + shared.length * 2
    const subscription = Effect.runFork(
      Stream.runCollect(Stream.take(slow.subscribe({ after: start, filter: { school } }), unique))
    )

    await runStore(
      Effect.all(
        [
          ...[slow, fast, slow, fast].map(writer),
          Effect.forEach(shared, (requests) => fast.appendMany(requests), { discard: true }),
          Effect.forEach(shared, (requests) => slow.appendMany(requests), { discard: true })
        ],
        { concurrency: "unbounded", discard: true }
      )
    )

    const log: ReadonlyArray<RecordedEvent> = (await runStore(slow.readAll({ after: start, filter: { school } })))
      .events
    expect(log).toHaveLength(unique)
    expect(new Set(log.map((e) => e.id)).size).toBe(unique)
    for (let i = 1; i < log.length; i++) expect(log[i]?.position).toBeGreaterThan(log[i - 1]?.position ?? 0)
    const byStream = new Map<string, Array<number>>()
    for (const event of log) byStream.set(event.stream.id, [...(byStream.get(event.stream.id) ?? []), event.revision])
    for (const revisions of byStream.values()) expect(revisions).toEqual(revisions.map((_, i) => i))
    const delivered = await runStore(Fiber.join(subscription))
    expect(Array.from(delivered).map((e) => e.position)).toEqual(log.map((e) => e.position))
  }, 60_000)
})
