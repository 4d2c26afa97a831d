import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { EventStore, ExpectedState } from "../src/EventStore.js"
import { InMemoryEventStore } from "../src/index.js"
import { describeEventStoreConformance } from "../src/testing.js"
// Helpers for the unit cases below (kept apart: the lines above are the sample in docs/event-store.md).
import { newEvents, request } from "../src/testing.js"

describeEventStoreConformance("in-memory", {
  // called once per test: a fresh store, or a new connection to a shared one
  make: () => Effect.sync(() => ({ store: InMemoryEventStore.make(), close: Effect.void })),
  // optional: a second client on the same store, so that concurrency is tested across clients
  makeSecondConnection: (subject) => Effect.sync(() => ({ store: subject.store, close: Effect.void }))
})

describe("InMemoryEventStore", () => {
  const stream = { school: "x", kind: "student", id: "s-1" } as const

  it("the layer provides a fresh, empty EventStore", async () => {
    const program = Effect.gen(function* () {
      const store = yield* EventStore
      const before = yield* store.headPosition
      yield* store.append(request(stream, ExpectedState.noStream, newEvents(2)))
      return [before, yield* store.headPosition, store.capabilities] as const
    })
    const [before, after, capabilities] = await Effect.runPromise(Effect.provide(program, InMemoryEventStore.layer))
    expect([before, after]).toEqual([0, 2])
    expect(capabilities).toEqual({
      atomicMultiStreamAppend: true,
      physicalDelete: true,
      recreateDeletedStream: true,
      deleteEvents: true
    })
  })

  it("stores made separately share nothing", async () => {
    const [a, b] = [InMemoryEventStore.make(), InMemoryEventStore.make()]
    await Effect.runPromise(a.append(request(stream, ExpectedState.noStream, newEvents(1))))
    expect(await Effect.runPromise(b.readStream(stream))).toEqual([])
    expect(await Effect.runPromise(b.headPosition)).toBe(0)
  })

  it("positions are never reused after a deletion", async () => {
    const store = InMemoryEventStore.make()
    await Effect.runPromise(store.append(request(stream, ExpectedState.noStream, newEvents(3))))
    await Effect.runPromise(store.deleteStream(stream))
    const again = await Effect.runPromise(store.append(request(stream, ExpectedState.noStream, newEvents(1))))
    expect(again.events[0]).toMatchObject({ revision: 0, position: 4 })
    const page = await Effect.runPromise(store.readAll({ after: 0 }))
    expect(page).toMatchObject({ lastPosition: 4, isEnd: true })
    expect(page.events.map((e) => e.position)).toEqual([4])
  })

  it("a stream that only received duplicates reports revision -1", async () => {
    const store = InMemoryEventStore.make()
    const events = newEvents(1)
    await Effect.runPromise(store.append(request(stream, ExpectedState.noStream, events)))
    const other = { ...stream, id: "s-2" }
    const result = await Effect.runPromise(store.append(request(other, ExpectedState.noStream, events)))
    expect(result).toMatchObject({ revision: -1, events: [{ revision: 0, position: 1, duplicate: true }] })
  })
})
