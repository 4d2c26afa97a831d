/**
 * Claims as fences, over a SIMULATED server (test/support/SimulatedServer.ts): scripted
 * interleavings in which a claim used to become free while its event was stored, or
 * could still be stored, so that a later append of the same id stored a second copy (the
 * server writes without deduplicating when the expected revision equals the current one)
 * or other content without `EventIdConflict`. Each script is one the adapter got wrong
 * before claims were made fences: an attempt that took a live reservation over released
 * it, and erasure freed claims before its tombstone.
 */
import { ExpectedState } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import * as StreamName from "../src/EventStoreDbStreamName.js"
import { assemble } from "../src/internal/Store.js"
import { event, flip, heldBefore, idsIn, run, settings, student } from "./support/Fixtures.js"
import { makeSimulatedServer } from "./support/SimulatedServer.js"
import { naming } from "./support/Naming.js"

describe("a reservation taken over from a live attempt", () => {
  it("is never released: the first attempt's late write is found as a duplicate, other content conflicts", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), settings)
    const [s, t] = [student("s"), student("t")]
    const e = event()
    await run(store.append({ stream: t, expected: ExpectedState.any, events: [event()] }))
    // Attempt A reserves e for s, then stalls just before its write.
    const slow = heldBefore(server.connect(), naming.encode(s))
    const a = Effect.runPromise(
      assemble(slow.connection, settings).append({ stream: s, expected: ExpectedState.any, events: [e] })
    )
    await slow.reached
    // Attempt B finds e reserved and unwritten, takes the reservation over, then is refused
    // (t is not new) and gives back what it holds.
    const refused = await flip(
      store.appendMany([
        { stream: s, expected: ExpectedState.any, events: [e] },
        { stream: t, expected: ExpectedState.noStream, events: [event()] }
      ])
    )
    expect(refused._tag).toBe("WrongExpectedRevision")
    // A wakes up and writes e.
    slow.open()
    expect((await a).events.map((x) => x.duplicate)).toEqual([false])
    // The same content again is the stored event, not a second copy...
    const again = await run(store.append({ stream: s, expected: ExpectedState.any, events: [e] }))
    expect(again.events.map((x) => [x.revision, x.duplicate])).toEqual([[0, true]])
    expect(idsIn(server, s)).toEqual([e.id])
    // ...and other content under the same id is a conflict, wherever it goes.
    const other = await flip(
      store.append({ stream: student("u"), expected: ExpectedState.any, events: [{ ...e, v: 2 }] })
    )
    expect(other).toMatchObject({ _tag: "EventIdConflict", eventId: e.id })
  })
})

describe("erasure and claims", () => {
  it("an erasure stopped before its tombstone leaves the ids bound: nothing is stored twice; finishing it frees them", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), settings)
    const s = student("s")
    const [e1, e2] = [event(), event()]
    await run(store.append({ stream: s, expected: ExpectedState.any, events: [e1, e2] }))
    server.faults.next = (op) => (op === "tombstone" ? "before" : undefined)
    expect((await flip(store.deleteStream(s)))._tag).toBe("StoreUnavailable")
    server.faults.next = () => undefined
    const again = await run(store.append({ stream: s, expected: ExpectedState.any, events: [e1] }))
    expect(again.events.map((x) => [x.revision, x.duplicate])).toEqual([[0, true]])
    expect(idsIn(server, s)).toEqual([e1.id, e2.id])
    const other = await flip(
      store.append({ stream: student("b"), expected: ExpectedState.any, events: [{ ...e2, v: 2 }] })
    )
    expect(other).toMatchObject({ _tag: "EventIdConflict", eventId: e2.id })
    await run(store.deleteStream(s))
    const reused = await run(
      store.append({ stream: student("b"), expected: ExpectedState.any, events: [{ ...e2, v: 2 }] })
    )
    expect(reused.events.map((x) => x.duplicate)).toEqual([false])
  })

  it("an append of a stored id racing the erasure of its stream is a duplicate, never a second copy", async () => {
    const server = makeSimulatedServer()
    const writer = assemble(server.connect(), settings)
    const s = student("s")
    const e1 = event()
    await run(writer.append({ stream: s, expected: ExpectedState.any, events: [e1] }))
    const connection = server.connect()
    let raced: { readonly duplicate: boolean | undefined; readonly ids: ReadonlyArray<unknown> } | undefined
    // Another client appends e1 again right before the deleting client's tombstone.
    const deleter = assemble(
      {
        ...connection,
        tombstone: async (name, expected) => {
          if (raced === undefined && name === naming.encode(s)) {
            const answer = await run(writer.append({ stream: s, expected: ExpectedState.any, events: [e1] }))
            raced = { duplicate: answer.events[0]?.duplicate, ids: idsIn(server, s) }
          }
          return connection.tombstone(name, expected)
        }
      },
      settings
    )
    await run(deleter.deleteStream(s))
    expect(raced).toEqual({ duplicate: true, ids: [e1.id] })
    expect(server.streams.get(naming.encode(s))?.tombstoned).toBe(true)
  })

  it("a dead reservation for a deleted stream frees its id: an append to a live stream stores it, whatever its content", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), settings)
    const [s, t] = [student("s"), student("t")]
    await run(store.append({ stream: s, expected: ExpectedState.any, events: [event()] }))
    // An attempt reserves e and f for s and dies before writing them; then s is erased.
    const [e, f] = [event(), event()]
    server.faults.next = (op, name) => (op === "append" && name === naming.encode(s) ? "before" : undefined)
    expect((await flip(store.append({ stream: s, expected: ExpectedState.any, events: [e, f] })))._tag).toBe(
      "StoreUnavailable"
    )
    server.faults.next = () => undefined
    await run(store.deleteStream(s))
    const stored = await run(store.append({ stream: t, expected: ExpectedState.any, events: [e, { ...f, v: 2 }] }))
    expect(stored.events.map((x) => [x.revision, x.duplicate])).toEqual([
      [0, false],
      [1, false]
    ])
    expect(idsIn(server, t)).toEqual([e.id, f.id])
  })

  it("an id whose claim stream an operator deleted is refused as invalid, naming the claim, not the live stream", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), settings)
    const e = event()
    await run(store.append({ stream: student("s"), expected: ExpectedState.any, events: [e] }))
    await server.connect().tombstone(StreamName.claimStreamName("sim", e.id), "any")
    const refused = await flip(store.append({ stream: student("t"), expected: ExpectedState.any, events: [e] }))
    expect(refused._tag).toBe("InvalidAppend")
    expect(refused._tag === "InvalidAppend" ? refused.reason : "").toContain(StreamName.claimStreamName("sim", e.id))
  })
})
