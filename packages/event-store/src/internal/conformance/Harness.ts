/**
 * The harness of the conformance suite: acquires a store for one test, names schools
 * uniquely so that tests never see each other's events (even on a shared server), makes
 * events, reads whole ranges of the global log, and turns an expected failure into a
 * value. Internal: adapter authors use `@rapport/event-store/testing`.
 *
 * It must never assume the store is empty: every assertion is scoped to the test's own
 * schools and positions.
 *
 * @since 0.1.0
 */
import { randomUUID } from "node:crypto"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type {
  AllFilter,
  AppendRequest,
  EventStoreShape,
  ExpectedState,
  NewEvent,
  Position,
  RecordedEvent,
  StreamId,
  StreamKind
} from "../../EventStore.js"

/**
 * A store under test and how to release it.
 *
 * @since 0.1.0
 * @category models
 */
export interface ConformanceSubject {
  readonly store: EventStoreShape
  /** releases the connection (and, for a fresh store, drops it) */
  readonly close: Effect.Effect<void, unknown>
}

/**
 * How the suite gets stores.
 *
 * @since 0.1.0
 * @category models
 */
export interface ConformanceOptions {
  /**
   * A store for one test: a fresh one, or a new connection to a shared one. The suite
   * never assumes it is empty, but it does assume nobody else writes to it while a test
   * runs (headPosition and atomicity checks compare positions).
   */
  readonly make: () => Effect.Effect<ConformanceSubject, unknown>
  /**
   * Optional: a second client on the same store as `subject` (another connection or
   * process), so that concurrency, ordering and subscriptions are tested across clients.
   */
  readonly makeSecondConnection?:
    | ((subject: ConformanceSubject) => Effect.Effect<ConformanceSubject, unknown>)
    | undefined
  /** per-test timeout in milliseconds; default 60,000 */
  readonly timeout?: number | undefined
  /** how many times to repeat the racing tests (concurrency, ordering); default 3 */
  readonly raceRepetitions?: number | undefined
}

/**
 * What one test body gets.
 *
 * @since 0.1.0
 * @category models
 */
export interface Harness {
  readonly store: EventStoreShape
  /** a second client on the same store, or `store` itself when the adapter gave none */
  readonly other: EventStoreShape
  /** a school name unique to this test; `suffix` makes related names ("a", "ab") */
  readonly school: (suffix?: string) => string
  readonly stream: (options?: {
    readonly school?: string
    readonly kind?: StreamKind
    readonly id?: string
  }) => StreamId
}

let counter = 0

/**
 * A valid new event with a fresh UUID; any field can be overridden.
 *
 * @since 0.1.0
 * @category constructors
 */
export const newEvent = (overrides: Partial<NewEvent> = {}): NewEvent => {
  counter++
  return {
    id: randomUUID(),
    type: "OfficeHoursVisited",
    v: 1,
    occurredAt: new Date(Date.UTC(2026, 9, 1, 15, 30) + counter * 1000).toISOString(),
    source: "conformance-suite",
    data: { studentId: `s-${counter}`, facultyId: "f-1", durationMinutes: 20, topic: "career", initiatedBy: "student" },
    ...overrides
  }
}

/**
 * `n` new events.
 *
 * @since 0.1.0
 * @category constructors
 */
export const newEvents = (n: number, overrides: Partial<NewEvent> = {}): Array<NewEvent> =>
  Array.from({ length: n }, () => newEvent(overrides))

/**
 * An append request.
 *
 * @since 0.1.0
 * @category constructors
 */
export const request = (stream: StreamId, expected: ExpectedState, events: ReadonlyArray<NewEvent>): AppendRequest => ({
  stream,
  expected,
  events
})

/**
 * The error an effect fails with; dies (failing the test) if it succeeds.
 *
 * @since 0.1.0
 * @category assertions
 */
export const failureOf = <A, E>(effect: Effect.Effect<A, E>, what: string): Effect.Effect<E> =>
  Effect.flatMap(Effect.result(effect), (result) =>
    Result.isFailure(result)
      ? Effect.succeed(result.failure)
      : Effect.die(new Error(`expected ${what} to fail, but it succeeded with ${JSON.stringify(result.success)}`))
  )

/**
 * Reads the global log after `after` to its current end, page by page, checking that
 * every page makes progress and that positions strictly increase.
 *
 * @since 0.1.0
 * @category operations
 */
export const readAllToEnd = (
  store: EventStoreShape,
  options: {
    readonly after?: Position | undefined
    readonly filter?: AllFilter | undefined
    readonly pageSize?: number | undefined
  }
): Effect.Effect<{ readonly events: ReadonlyArray<RecordedEvent>; readonly lastPosition: Position }, unknown> =>
  Effect.gen(function* () {
    const events: Array<RecordedEvent> = []
    let after = options.after ?? 0
    for (let pages = 0; ; pages++) {
      if (pages > 1_000_000) return yield* Effect.die(new Error("readAll never reached the end of the log"))
      const page = yield* store.readAll({ after, filter: options.filter, maxCount: options.pageSize ?? 100 })
      for (const event of page.events) {
        const previous = events[events.length - 1]?.position ?? after
        if (event.position <= previous) {
          return yield* Effect.die(new Error(`readAll returned position ${event.position} after ${previous}`))
        }
        events.push(event)
      }
      if (page.lastPosition < after) {
        return yield* Effect.die(new Error(`readAll moved lastPosition back from ${after} to ${page.lastPosition}`))
      }
      if (page.isEnd) return { events, lastPosition: page.lastPosition }
      if (page.lastPosition === after) {
        return yield* Effect.die(new Error(`readAll made no progress after ${after} and did not reach the end`))
      }
      after = page.lastPosition
    }
  })

/**
 * Runs one test body against a store acquired through `options`, always releasing it.
 *
 * @since 0.1.0
 * @category runners
 */
export const runCase =
  (options: ConformanceOptions, body: (harness: Harness) => Effect.Effect<void, unknown>) => (): Promise<void> => {
    const prefix = `cf${randomUUID().slice(0, 8)}`
    const harness = (store: EventStoreShape, other: EventStoreShape): Harness => {
      let streams = 0
      return {
        store,
        other,
        school: (suffix = "") => `${prefix}${suffix}`,
        stream: (stream = {}) => ({
          school: stream.school ?? prefix,
          kind: stream.kind ?? "student",
          id: stream.id ?? `s-${++streams}`
        })
      }
    }
    const program = Effect.acquireUseRelease(
      options.make(),
      (subject) =>
        options.makeSecondConnection === undefined
          ? body(harness(subject.store, subject.store))
          : Effect.acquireUseRelease(
              options.makeSecondConnection(subject),
              (second) => body(harness(subject.store, second.store)),
              (second) => Effect.orDie(second.close)
            ),
      (subject) => Effect.orDie(subject.close)
    )
    return Effect.runPromise(Effect.asVoid(program))
  }
