import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import { describe, expect, it } from "vitest"
import type { AllPage, ReadAllOptions, RecordedEvent } from "../src/EventStore.js"
import { StoreUnavailable } from "../src/EventStoreError.js"
import * as Subscription from "../src/Subscription.js"

const event = (position: number, type = "T"): RecordedEvent => ({
  id: `e-${position}`,
  type,
  v: 1,
  occurredAt: "2026-10-01T15:30:00.000Z",
  data: {},
  stream: { school: "x", kind: "student", id: "s" },
  revision: position - 1,
  position,
  contentHash: "",
  recordedAt: "2026-10-01T15:30:00.000Z"
})

/** A log whose readAll pages like an adapter would; `onRead` runs inside each read. */
const fakeLog = (initial: number, onRead: (log: Array<RecordedEvent>, call: number) => void = () => {}) => {
  const log = Array.from({ length: initial }, (_, i) => event(i + 1))
  let calls = 0
  const readAll = (options: ReadAllOptions): Effect.Effect<AllPage> =>
    Effect.sync(() => {
      const after = log.filter((e) => e.position > options.after)
      const max = options.maxCount ?? after.length
      const scanned = after.slice(0, max)
      const events = scanned.filter((e) => options.filter?.types?.includes(e.type) ?? true)
      const lastPosition = scanned[scanned.length - 1]?.position ?? options.after
      const page = { events, lastPosition, isEnd: scanned.length === after.length }
      onRead(log, ++calls)
      return page
    })
  return { log, readAll }
}

const positions = (events: ReadonlyArray<RecordedEvent>) => events.map((e) => e.position)

describe("Subscription", () => {
  it("delivers every event once, in order, across page boundaries", async () => {
    const { readAll } = fakeLog(7)
    const source = { readAll, wakeUp: Subscription.makeWakeUp() }
    const received = await Effect.runPromise(
      Stream.runCollect(Subscription.make(source, { after: 2, maxCount: 2 }).pipe(Stream.take(5)))
    )
    expect(positions(received)).toEqual([3, 4, 5, 6, 7])
  })

  it("goes live: a notify after a commit wakes it", async () => {
    const { log, readAll } = fakeLog(2)
    const wakeUp = Subscription.makeWakeUp()
    const program = Effect.gen(function* () {
      const fiber = yield* Effect.forkChild(
        Stream.runCollect(Subscription.make({ readAll, wakeUp }, { after: 0 }).pipe(Stream.take(4)))
      )
      for (let i = 0; i < 5; i++) yield* Effect.yieldNow
      log.push(event(3), event(4))
      wakeUp.notify()
      return yield* Fiber.join(fiber)
    })
    expect(positions(await Effect.runPromise(program))).toEqual([1, 2, 3, 4])
  })

  it("never loses a commit that lands between its read and its wait", async () => {
    // The read that reaches the end also sees a commit and its notify land before it returns.
    const { readAll } = fakeLog(1, (log, call) => {
      if (call === 2) {
        log.push(event(2))
        wakeUp.notify()
      }
    })
    const wakeUp = Subscription.makeWakeUp()
    const received = await Effect.runPromise(
      Stream.runCollect(Subscription.make({ readAll, wakeUp }, { after: 0 }).pipe(Stream.take(2)))
    )
    expect(positions(received)).toEqual([1, 2])
  })

  it("moves past filtered-out pages without waiting", async () => {
    const { log, readAll } = fakeLog(0)
    for (let p = 1; p <= 9; p++) log.push(event(p, p === 9 ? "Wanted" : "Other"))
    const source = { readAll, wakeUp: Subscription.makeWakeUp() }
    const stream = Subscription.make(source, { after: 0, filter: { types: ["Wanted"] }, maxCount: 2 })
    expect(positions(await Effect.runPromise(Stream.runCollect(stream.pipe(Stream.take(1)))))).toEqual([9])
  })

  it("polls for commits that nobody notifies, when given an interval", async () => {
    const { log, readAll } = fakeLog(1, (log, call) => {
      if (call === 3) log.push(event(2))
    })
    const source = { readAll, wakeUp: Subscription.makeWakeUp(), pollInterval: "5 millis" as const }
    const received = await Effect.runPromise(
      Stream.runCollect(Subscription.make(source, { after: 0 }).pipe(Stream.take(2)))
    )
    expect(positions(received)).toEqual([1, 2])
    expect(log).toHaveLength(2)
  })

  it("never delivers a position twice, even if readAll repeats one", async () => {
    let calls = 0
    const readAll = (options: ReadAllOptions): Effect.Effect<AllPage> =>
      Effect.sync(() => {
        calls++
        // A faulty page: repeats the event at `after` and the one before it.
        const events = [
          event(Math.max(1, options.after - 1)),
          event(Math.max(1, options.after)),
          event(options.after + 1)
        ]
        return { events, lastPosition: options.after + 1, isEnd: false }
      })
    const received = await Effect.runPromise(
      Stream.runCollect(
        Subscription.make({ readAll, wakeUp: Subscription.makeWakeUp() }, { after: 0 }).pipe(Stream.take(4))
      )
    )
    expect(positions(received)).toEqual([1, 2, 3, 4])
    expect(calls).toBeGreaterThanOrEqual(4)
  })

  it("stops cleanly when interrupted while waiting, and later notifies are harmless", async () => {
    const { readAll } = fakeLog(1)
    const wakeUp = Subscription.makeWakeUp()
    const program = Effect.gen(function* () {
      const fiber = yield* Effect.forkChild(Stream.runCollect(Subscription.make({ readAll, wakeUp }, { after: 0 })))
      for (let i = 0; i < 5; i++) yield* Effect.yieldNow
      yield* Fiber.interrupt(fiber)
      wakeUp.notify()
      return fiber.pollUnsafe()
    })
    const exit = await Effect.runPromise(program)
    expect(exit !== undefined && Exit.hasInterrupts(exit)).toBe(true)
  })

  it("propagates a failing readAll", async () => {
    const readAll = (): Effect.Effect<AllPage, StoreUnavailable> =>
      Effect.fail(new StoreUnavailable({ reason: "down" }))
    const source = { readAll, wakeUp: Subscription.makeWakeUp() }
    const error = await Effect.runPromise(Effect.flip(Stream.runCollect(Subscription.make(source, { after: 0 }))))
    expect(error).toMatchObject({ _tag: "StoreUnavailable", reason: "down" })
  })
})
