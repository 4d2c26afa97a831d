/**
 * Conformance cases for subscriptions: catch-up then live, across page boundaries and
 * connections; a consumer restarted from its checkpoint sees every later event exactly
 * once; interruption stops a live subscription. Internal to
 * `@rapport/event-store/testing`.
 *
 * @since 0.1.0
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import { describe, expect, it } from "vitest"
import {
  type AllFilter,
  type EventStoreShape,
  ExpectedState,
  type Position,
  type RecordedEvent
} from "../../EventStore.js"
import { type ConformanceOptions, type Harness, newEvents, request, runCase } from "./Harness.js"

/**
 * How long a subscription case waits for events before failing with a diagnosis (half the
 * test's timeout), so that a missed event reads as "delivered 4 of 9" rather than a hang.
 *
 * @since 0.1.0
 * @category operations
 */
export const patience = (options: ConformanceOptions): number => Math.max(1_000, (options.timeout ?? 60_000) / 2)

/**
 * Starts a subscription that collects `count` events. `reached` completes once
 * `signalAt` events have arrived; `join` gives all `count` events. Both fail with what was
 * received so far if the subscription stalls for longer than `patienceMs`.
 *
 * @since 0.1.0
 * @category operations
 */
export const collect = (
  store: EventStoreShape,
  options: {
    readonly after: Position
    readonly filter?: AllFilter | undefined
    readonly maxCount?: number | undefined
  },
  count: number,
  signalAt: number,
  patienceMs: number
) =>
  Effect.gen(function* () {
    const reached = yield* Deferred.make<void>()
    const received: Array<RecordedEvent> = []
    const fiber = yield* Effect.forkChild(
      Stream.runCollect(
        store.subscribe(options).pipe(
          Stream.take(count),
          Stream.tap((event) => {
            received.push(event)
            return received.length === signalAt ? Deferred.succeed(reached, undefined) : Effect.void
          })
        )
      )
    )
    const stalled = (waitingFor: number) =>
      Effect.die(
        new Error(
          `the subscription (after ${options.after}, filter ${JSON.stringify(options.filter)}) delivered ${received.length} of ` +
            `${waitingFor} expected events within ${patienceMs} ms; positions so far: ${received.map((e) => e.position).join(", ")}`
        )
      )
    const guard = <A, E>(effect: Effect.Effect<A, E>, waitingFor: number) =>
      Effect.flatMap(Effect.timeoutOption(effect, patienceMs), (option) =>
        option._tag === "Some" ? Effect.succeed(option.value) : stalled(waitingFor)
      )
    return { fiber, reached: guard(Deferred.await(reached), signalAt), join: guard(Fiber.join(fiber), count) }
  })

const ids = (events: ReadonlyArray<{ readonly id: string }>) => events.map((e) => e.id)

const expectIncreasing = (events: ReadonlyArray<RecordedEvent>) => {
  for (let i = 1; i < events.length; i++) expect(events[i]?.position).toBeGreaterThan(events[i - 1]?.position ?? 0)
}

/**
 * Registers the subscription cases.
 *
 * @since 0.1.0
 * @category suites
 */
export const subscriptions = (options: ConformanceOptions): void => {
  const test = (name: string, body: (h: Harness) => Effect.Effect<void, unknown>) =>
    it(name, runCase(options, body), options.timeout ?? 60_000)

  describe("subscriptions", () => {
    test("catch up, then stay live for events appended by another connection", ({ store, other, stream, school }) =>
      Effect.gen(function* () {
        const start = yield* store.headPosition
        const s = stream()
        const old = newEvents(5)
        yield* store.append(request(s, ExpectedState.noStream, old))
        const sub = yield* collect(
          store,
          { after: start, filter: { school: school() }, maxCount: 2 },
          9,
          5,
          patience(options)
        )
        yield* sub.reached
        const live = newEvents(4)
        yield* other.append(request(s, ExpectedState.exact(4), live.slice(0, 2)))
        yield* other.append(request(stream(), ExpectedState.noStream, live.slice(2)))
        const received = yield* sub.join
        expect(ids(received)).toEqual(ids([...old, ...live]))
        expectIncreasing(received)
      }))

    test("a consumer restarted from its checkpoint sees every later event exactly once", ({
      store,
      other,
      stream,
      school
    }) =>
      Effect.gen(function* () {
        const start = yield* store.headPosition
        const filter = { school: school() }
        const a = newEvents(5)
        yield* store.append(request(stream(), ExpectedState.noStream, a))
        // The first run consumes three events, checkpoints, and stops.
        const firstRun = yield* collect(store, { after: start, filter }, 3, 1, patience(options))
        const consumed = yield* firstRun.join
        const checkpoint = consumed[2]?.position ?? start
        // While it is down, more events arrive.
        const b = newEvents(4)
        yield* other.append(request(stream(), ExpectedState.noStream, b))
        // It restarts from its checkpoint; more events arrive while it is catching up, page by page.
        const c = newEvents(3)
        const secondRun = yield* collect(
          store,
          { after: checkpoint, filter, maxCount: 2 },
          2 + 4 + 3,
          1,
          patience(options)
        )
        yield* secondRun.reached
        yield* other.append(request(stream(), ExpectedState.noStream, c))
        const received = yield* secondRun.join
        expect(ids(consumed)).toEqual(ids(a.slice(0, 3)))
        expect(ids(received)).toEqual(ids([...a.slice(3), ...b, ...c]))
        expectIncreasing([...consumed, ...received])
      }))

    test("filters apply to subscriptions and filtered-out events never stall them", ({ store, stream, school }) =>
      Effect.gen(function* () {
        const start = yield* store.headPosition
        yield* store.append(
          request(stream({ kind: "faculty" }), ExpectedState.noStream, newEvents(7, { type: "FacultyJoined" }))
        )
        const wanted = newEvents(2, { type: "LetterSubmitted" })
        const sub = yield* collect(
          store,
          { after: start, filter: { school: school(), types: ["LetterSubmitted"] }, maxCount: 3 },
          2,
          1,
          patience(options)
        )
        yield* store.append(request(stream(), ExpectedState.noStream, [...newEvents(5), ...wanted]))
        const received = yield* sub.join
        expect(ids(received)).toEqual(ids(wanted))
      }))

    test("interrupting a live subscription stops it", ({ store, stream, school }) =>
      Effect.gen(function* () {
        const start = yield* store.headPosition
        yield* store.append(request(stream(), ExpectedState.noStream, newEvents(1)))
        const sub = yield* collect(store, { after: start, filter: { school: school() } }, 1_000, 1, patience(options))
        yield* sub.reached
        yield* Fiber.interrupt(sub.fiber)
        const exit = sub.fiber.pollUnsafe()
        expect(exit !== undefined && Exit.hasInterrupts(exit)).toBe(true)
        // The store still works after a subscription was interrupted.
        yield* store.append(request(stream(), ExpectedState.noStream, newEvents(1)))
      }))
  })
}
