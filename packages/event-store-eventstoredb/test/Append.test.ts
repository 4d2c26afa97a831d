/**
 * The adapter's append logic over a SIMULATED server (test/support/SimulatedServer.ts):
 * crashes at every step followed by a retry, reservations released or kept, exact
 * expectations. These check the adapter's own reasoning, not the real server.
 */
import type { AppendExpectedRevision } from "@eventstore/db-client"
import { type AppendRequest, ExpectedState } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as StreamName from "../src/EventStoreDbStreamName.js"
import { assemble } from "../src/internal/Store.js"
import { diedBeforeWriting, event, flip, heldRetry, idsIn, run, settings, student } from "./support/Fixtures.js"
import { type Fault, makeSimulatedServer } from "./support/SimulatedServer.js"
import { naming } from "./support/Naming.js"

describe("a crash at any step, then a retry", () => {
  it("leaves each stream part whole or absent, in request order, and the retry stores every event exactly once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 }),
        fc.nat({ max: 40 }),
        fc.constantFrom<Fault>("before", "after"),
        fc.boolean(),
        async (sizes, crashAt, fault, existing) => {
          const server = makeSimulatedServer()
          const store = assemble(server.connect(), settings)
          const streams = sizes.map((_, i) => student(`s-${i}`))
          if (existing)
            await run(
              store.append({ stream: streams[0] ?? student("x"), expected: ExpectedState.any, events: [event()] })
            )
          const batch: Array<AppendRequest> = streams.map((stream, i) => ({
            stream,
            expected: i === 0 && existing ? ExpectedState.exact(0) : ExpectedState.noStream,
            events: Array.from({ length: sizes[i] ?? 1 }, () => event())
          }))
          const start = server.calls
          server.faults.next = () => (server.calls - start === crashAt + 1 ? fault : undefined)
          const first = await Effect.runPromise(Effect.result(store.appendMany(batch)))
          server.faults.next = () => undefined
          const present = batch.map((part) => {
            const stored = idsIn(server, part.stream)
            const count = part.events.filter((e) => stored.includes(e.id)).length
            expect([0, part.events.length]).toContain(count)
            return count > 0
          })
          for (let i = 1; i < present.length; i++) if (present[i]) expect(present[i - 1]).toBe(true)
          if (first._tag === "Failure") expect(first.failure._tag).toBe("StoreUnavailable")
          const retry = await run(store.appendMany(batch))
          const again = await run(store.appendMany(batch))
          for (const [i, part] of batch.entries()) {
            const stored = idsIn(server, part.stream)
            expect(stored.slice(-part.events.length)).toEqual(part.events.map((e) => e.id))
            expect(new Set(stored).size).toBe(stored.length)
            const read = await run(store.readStream(part.stream))
            const answered = retry.streams[i]?.events.map((e) => [e.id, e.revision, e.position])
            expect(answered).toEqual(read.slice(-part.events.length).map((e) => [e.id, e.revision, e.position]))
          }
          const total = sizes.reduce((a, b) => a + b, 0)
          expect(retry.stored + retry.duplicates).toBe(total)
          expect(retry.stored).toBe(batch.filter((_, i) => !present[i]).reduce((n, p) => n + p.events.length, 0))
          expect([again.stored, again.duplicates, again.position]).toEqual([0, total, retry.position])
        }
      ),
      { numRuns: 150 }
    )
  })
})

describe("reservations", () => {
  it("a refused request releases its reservations: the id may then carry other content", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), settings)
    const [a, b] = [student("a"), student("b")]
    const e1 = event()
    const refused = await flip(store.append({ stream: a, expected: ExpectedState.exact(5), events: [e1] }))
    expect(refused._tag).toBe("WrongExpectedRevision")
    const stored = await run(
      store.append({ stream: b, expected: ExpectedState.any, events: [{ ...e1, data: { other: 1 } }] })
    )
    expect(stored.events[0]?.duplicate).toBe(false)
    // The release truncated the reservation, which named stream a (personal data).
    const claim = server.streams.get(StreamName.claimStreamName("sim", e1.id))
    expect(claim?.records.map((r) => r.type)).toEqual([
      "rapport.claim.reserved",
      "rapport.claim.released",
      "rapport.claim.reserved"
    ])
    expect(server.log.some((r) => r.streamName === `$$${StreamName.claimStreamName("sim", e1.id)}`)).toBe(true)
  })

  it("a conflict on one event releases the reservations of the others", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), settings)
    const taken = event()
    await run(store.append({ stream: student("a"), expected: ExpectedState.any, events: [taken] }))
    const fresh = event()
    const error = await flip(
      store.append({ stream: student("b"), expected: ExpectedState.any, events: [fresh, { ...taken, v: 2 }] })
    )
    expect(error).toMatchObject({ _tag: "EventIdConflict", eventId: taken.id })
    expect(idsIn(server, student("b"))).toEqual([])
    const reused = await run(
      store.append({ stream: student("c"), expected: ExpectedState.any, events: [{ ...fresh, v: 3 }] })
    )
    expect(reused.events[0]?.duplicate).toBe(false)
  })

  it("an attempt that died after reserving binds the id: the same content completes it, other content conflicts", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), settings)
    const a = student("a")
    const e1 = event()
    server.faults.next = (op, name) => (op === "append" && name === naming.encode(a) ? "before" : undefined)
    expect((await flip(store.append({ stream: a, expected: ExpectedState.any, events: [e1] })))._tag).toBe(
      "StoreUnavailable"
    )
    server.faults.next = () => undefined
    const conflict = await flip(store.append({ stream: a, expected: ExpectedState.any, events: [{ ...e1, v: 2 }] }))
    expect(conflict._tag).toBe("EventIdConflict")
    const misplaced = await flip(store.append({ stream: student("b"), expected: ExpectedState.any, events: [e1] }))
    expect(misplaced).toMatchObject({ _tag: "InvalidAppend" })
    const completed = await run(store.append({ stream: a, expected: ExpectedState.any, events: [e1] }))
    expect(completed.events.map((e) => [e.revision, e.duplicate])).toEqual([[0, false]])
    expect(idsIn(server, a)).toEqual([e1.id])
  })

  it("two attempts completing the same interrupted reservation store the events once, and say which stored them", async () => {
    const server = makeSimulatedServer()
    const a = student("a")
    const events = [event(), event(), event()]
    // An attempt reserves the ids and dies before its write.
    await diedBeforeWriting(server, a, events)
    // Retry B takes the reservations over, then is held just before its write...
    const b = await heldRetry(server, a, events)
    // ...while retry C takes them over again and writes them.
    const c = await run(assemble(server.connect(), settings).append({ stream: a, expected: ExpectedState.any, events }))
    b.open()
    // B's write repeats C's at the same expected revision: the server acknowledges it without storing anything.
    const late = await b.result
    expect(idsIn(server, a)).toEqual(events.map((e) => e.id))
    expect(c.events.map((e) => e.duplicate)).toEqual([false, false, false])
    expect(late.events.map((e) => e.duplicate)).toEqual([true, true, true])
    expect(late.events.map((e) => e.position)).toEqual(c.events.map((e) => e.position))
  })
})

describe("the revision answered", () => {
  it("is the stream's last revision after a write the server acknowledged as a repeat of another attempt's", async () => {
    const server = makeSimulatedServer()
    const a = student("a")
    const events = [event(), event()]
    // An attempt reserves the ids and dies before its write.
    await diedBeforeWriting(server, a, events)
    // Retry B takes over and is held before its write, at the expectation "no stream"...
    const b = await heldRetry(server, a, events)
    // ...while retry C writes the events, and another event follows them.
    const store = assemble(server.connect(), settings)
    await run(store.append({ stream: a, expected: ExpectedState.any, events }))
    await run(store.append({ stream: a, expected: ExpectedState.any, events: [event()] }))
    b.open()
    // B's write repeats C's: acknowledged with C's last revision (1); the stream is at 2.
    const late = await b.result
    expect(late.events.map((e) => [e.revision, e.duplicate])).toEqual([
      [0, true],
      [1, true]
    ])
    expect(late.revision).toBe(2)
  })
})

describe("writes", () => {
  it("every append carries an exact expectation (never ANY or STREAM_EXISTS)", async () => {
    const server = makeSimulatedServer()
    const connection = server.connect()
    const seen: Array<AppendExpectedRevision> = []
    const store = assemble(
      {
        ...connection,
        append: (name, events, expected) => {
          seen.push(expected)
          return connection.append(name, events, expected)
        }
      },
      settings
    )
    const s = student("a")
    await run(store.append({ stream: s, expected: ExpectedState.any, events: [event()] }))
    await run(store.append({ stream: s, expected: ExpectedState.streamExists, events: [event(), event()] }))
    await run(
      Effect.all(
        Array.from({ length: 4 }, () => store.append({ stream: s, expected: ExpectedState.any, events: [event()] })),
        { concurrency: "unbounded" }
      )
    )
    expect(seen.length).toBeGreaterThan(6)
    expect(seen.filter((e) => e === "any" || e === "stream_exists")).toEqual([])
    expect((await run(store.readStream(s))).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6])
  })

  it("a part over the append size limit is refused before anything is written", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), { ...settings, maxAppendSize: 2048 })
    const big = event({ data: { text: "x".repeat(4096) } })
    const error = await flip(store.append({ stream: student("a"), expected: ExpectedState.any, events: [big] }))
    expect(error).toMatchObject({ _tag: "InvalidAppend" })
    expect(server.log).toEqual([])
  })

  it("a server refusing the size is InvalidAppend, and the reservations are released", async () => {
    const server = makeSimulatedServer({ maxAppendSize: 1000 })
    const store = assemble(server.connect(), settings)
    const big = event({ data: { text: "x".repeat(2000) } })
    const error = await flip(store.append({ stream: student("a"), expected: ExpectedState.any, events: [big] }))
    expect(error).toMatchObject({ _tag: "InvalidAppend" })
    const claim = server.streams.get(StreamName.claimStreamName("sim", big.id))
    expect(claim?.records.map((r) => r.type)).toEqual(["rapport.claim.reserved", "rapport.claim.released"])
  })
})
