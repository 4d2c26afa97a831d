/**
 * Reads of `$all` and erasure over a SIMULATED server (test/support/SimulatedServer.ts):
 * what the adapter keeps and drops among records that are not Rapport events, positions
 * that are not a record's start, scan budgets, deleted streams, and deletion after a
 * crash. These check the adapter's own logic, not the real server.
 */
import { ExpectedState, type NewEvent, type RecordedEvent, type StreamId } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import { describe, expect, it } from "vitest"
import * as StreamName from "../src/EventStoreDbStreamName.js"
import { serverFilter } from "../src/internal/Reads.js"
import { assemble } from "../src/internal/Store.js"
import { makeSimulatedServer } from "./support/SimulatedServer.js"
import { naming } from "./support/Naming.js"

const settings = { maxAppendSize: 1_048_576, scanBudget: 4096, concurrency: 8, naming }
let counter = 0
const event = (type = "OfficeHoursVisited"): NewEvent => ({
  id: crypto.randomUUID(),
  type,
  v: 1,
  occurredAt: new Date(Date.UTC(2026, 0, 1) + ++counter * 1000).toISOString(),
  data: { n: counter }
})
const student = (id: string, school = "sim"): StreamId => ({ school, kind: "student", id })
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)
const ids = (events: ReadonlyArray<RecordedEvent>) => events.map((e) => e.id)

describe("serverFilter", () => {
  it("selects a school's kinds by unique prefixes, all Rapport streams, or event types", () => {
    expect(serverFilter({ school: "a", kinds: ["faculty"] })).toEqual({
      on: "streamName",
      prefixes: [StreamName.streamPrefix("faculty", "a")]
    })
    expect(serverFilter({ school: "a" }).prefixes).toHaveLength(4)
    expect(serverFilter({ kinds: ["student", "school"] }).prefixes).toEqual(["rapport-student-", "rapport-school-"])
    expect(serverFilter(undefined)).toEqual({ on: "streamName", prefixes: ["rapport-"] })
    expect(serverFilter({ types: ["LetterSubmitted"] })).toEqual({ on: "eventType", prefixes: ["LetterSubmitted"] })
    expect(serverFilter({ school: "a", types: ["LetterSubmitted"] }).on).toBe("streamName")
  })
})

describe("readAll", () => {
  it("keeps only Rapport events: not claims, tombstones, metadata, system or other applications' streams", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), settings)
    server.foreign("$stats-127.0.0.1:2113", "$statsCollected")
    const e1 = event()
    await run(store.append({ stream: student("a"), expected: ExpectedState.any, events: [e1] }))
    server.foreign("orders-17", "OrderPlaced")
    server.foreign("rapport-student-3.sim", "OfficeHoursVisited") // under the prefix, but no Rapport name
    const e2 = event()
    await run(store.append({ stream: student("b"), expected: ExpectedState.any, events: [e2] }))
    server.foreign("orders-18", "OrderPlaced")
    const page = await run(store.readAll({ after: 0 }))
    expect(ids(page.events)).toEqual([e1.id, e2.id])
    expect(page.isEnd).toBe(true)
    expect(page.lastPosition).toBe(Number(server.log[server.log.length - 1]?.position?.commit))
    expect(await run(store.headPosition)).toBe(page.events[1]?.position)
  })

  it("reads from a position that is not a record's start by rounding down to the record before it", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), settings)
    const events = [event(), event(), event()]
    const stored = await run(store.append({ stream: student("a"), expected: ExpectedState.any, events }))
    for (const [i, e] of stored.events.entries()) {
      const page = await run(store.readAll({ after: e.position - 1, filter: { school: "sim" } }))
      expect(ids(page.events)).toEqual(events.slice(i).map((x) => x.id))
      const exact = await run(store.readAll({ after: e.position, filter: { school: "sim" } }))
      expect(ids(exact.events)).toEqual(events.slice(i + 1).map((x) => x.id))
    }
  })

  it("stops after its scan budget with no events but progress, and resumes from there", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), { ...settings, scanBudget: 5 })
    // 11 foreign records, then the store's layout record, a claim and the event: the budget
    // runs out twice before the event and the log ends inside the third page.
    for (let i = 0; i < 11; i++) server.foreign(`orders-${i}`, "OrderPlaced")
    const wanted = event()
    await run(store.append({ stream: student("a"), expected: ExpectedState.any, events: [wanted] }))
    let after = 0
    const seen: Array<string> = []
    for (let pages = 0; pages < 10; pages++) {
      const page = await run(store.readAll({ after, maxCount: 10 }))
      expect(page.lastPosition).toBeGreaterThan(after)
      seen.push(...ids(page.events))
      after = page.lastPosition
      if (page.isEnd) break
    }
    expect(seen).toEqual([wanted.id])
  })

  it("headPosition is 0 without Rapport events, whatever else the log holds", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), settings)
    expect(await run(store.headPosition)).toBe(0)
    server.foreign("orders-1", "OrderPlaced")
    expect(await run(store.headPosition)).toBe(0)
  })

  it("a record in a Rapport stream that Rapport did not write is a defect, not a silent skip", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), settings)
    server.foreign(naming.encode(student("a")), "OfficeHoursVisited")
    const exit = await Effect.runPromiseExit(store.readAll({ after: 0 }))
    expect(Exit.isFailure(exit) && !Exit.hasInterrupts(exit)).toBe(true)
    expect(JSON.stringify(exit)).not.toContain("StoreUnavailable")
  })
})

describe("deleted streams", () => {
  it("disappear from readAll and subscriptions at once, though the simulated log still holds their events", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), settings)
    const other = assemble(server.connect(), settings)
    const [gone, kept] = [event(), event()]
    await run(store.append({ stream: student("gone"), expected: ExpectedState.any, events: [gone] }))
    await run(store.append({ stream: student("kept"), expected: ExpectedState.any, events: [kept] }))
    await run(store.deleteStream(student("gone")))
    expect(server.log.some((r) => r.eventId !== undefined && r.streamName === naming.encode(student("gone")))).toBe(
      true
    )
    expect(ids((await run(other.readAll({ after: 0 }))).events)).toEqual([kept.id])
    const live = event()
    const fiber = Effect.runFork(Stream.runCollect(Stream.take(other.subscribe({ after: 0 }), 2)))
    await run(store.append({ stream: student("kept"), expected: ExpectedState.any, events: [live] }))
    expect(ids(await Effect.runPromise(Fiber.join(fiber)))).toEqual([kept.id, live.id])
  })

  it("deletion interrupted at any step completes when asked again, and frees the stream's ids", async () => {
    for (let crashAt = 1; crashAt <= 6; crashAt++) {
      const server = makeSimulatedServer()
      const store = assemble(server.connect(), settings)
      const s = student("a")
      const events = [event(), event()]
      await run(store.append({ stream: s, expected: ExpectedState.any, events }))
      const start = server.calls
      server.faults.next = () => (server.calls - start === crashAt ? "after" : undefined)
      const first = await Effect.runPromise(Effect.result(store.deleteStream(s)))
      server.faults.next = () => undefined
      if (first._tag === "Failure") expect(first.failure._tag).toBe("StoreUnavailable")
      await run(store.deleteStream(s))
      expect(server.streams.get(naming.encode(s))?.tombstoned).toBe(true)
      const reused = await run(store.append({ stream: student("b"), expected: ExpectedState.any, events }))
      expect(reused.events.map((e) => e.duplicate)).toEqual([false, false])
      const refused = await run(
        Effect.flip(store.append({ stream: s, expected: ExpectedState.any, events: [event()] }))
      )
      expect(refused).toMatchObject({ _tag: "StreamDeleted", stream: s })
    }
  })

  it("an event appended while the stream is being deleted is deleted with it", async () => {
    const server = makeSimulatedServer()
    const writer = assemble(server.connect(), settings)
    const s = student("a")
    await run(writer.append({ stream: s, expected: ExpectedState.any, events: [event()] }))
    const late = event()
    const connection = server.connect()
    let injected = false
    // Another client appends right before the deleting client's tombstone.
    const deleter = assemble(
      {
        ...connection,
        tombstone: async (name, expected) => {
          if (!injected && name === naming.encode(s)) {
            injected = true
            await run(writer.append({ stream: s, expected: ExpectedState.any, events: [late] }))
          }
          return connection.tombstone(name, expected)
        }
      },
      settings
    )
    await run(deleter.deleteStream(s))
    expect(injected).toBe(true)
    expect(server.streams.get(naming.encode(s))?.tombstoned).toBe(true)
    const claim = server.streams.get(StreamName.claimStreamName("sim", late.id))
    expect(claim?.records.map((r) => r.type)).toEqual(["rapport.claim.reserved", "rapport.claim.released"])
    expect(await run(writer.readStream(s))).toEqual([])
  })
})
