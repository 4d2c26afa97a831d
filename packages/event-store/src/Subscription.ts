/**
 * A catch-up-then-live subscription to the global log, built on an adapter's `readAll`
 * and a wake-up signal, so that every adapter delivers the same guarantees: every
 * matching event exactly once, in position order, never skipping one, across page
 * boundaries, and stopping as soon as the consumer stops pulling.
 *
 * How it works: read a page after the last delivered position; when a page reaches the
 * end of the log, wait for a wake-up (an adapter calls `notify()` after each commit:
 * in-process, on PostgreSQL LISTEN/NOTIFY, ...) or, if a poll interval is set, for that
 * interval to pass (to see commits made by other processes that cannot notify). The
 * signal's version is taken before each read, so a commit that lands between the read
 * and the wait is never missed.
 *
 * Exactly-once rests on the adapter's `readAll` guarantee: once a reader has been given
 * `lastPosition` p, no event with a position ≤ p may become visible later. This module
 * must never re-order, buffer unboundedly or invent positions; it only reads forwards.
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type { AllPage, Position, ReadAllOptions, RecordedEvent } from "./EventStore.js"
import type { StoreUnavailable } from "./EventStoreError.js"

/**
 * A wake-up signal: commits call `notify()` (plain, synchronous, callable from any
 * callback); subscriptions wait for the version to move past the one they last saw.
 *
 * @since 0.1.0
 * @category models
 */
export interface WakeUp {
  /** signal that something was committed; wakes every waiting subscription */
  readonly notify: () => void
  /** a counter that increases on every `notify()` */
  readonly version: () => number
  /** completes as soon as the version differs from `since` (at once if it already does) */
  readonly changedSince: (since: number) => Effect.Effect<void>
}

/**
 * Creates a wake-up signal.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeWakeUp = (): WakeUp => {
  let version = 0
  const waiters = new Set<() => void>()
  return {
    notify: () => {
      version++
      const woken = [...waiters]
      waiters.clear()
      for (const wake of woken) wake()
    },
    version: () => version,
    changedSince: (since) =>
      Effect.callback<void>((resume) => {
        if (version !== since) {
          resume(Effect.void)
          return
        }
        const wake = () => resume(Effect.void)
        waiters.add(wake)
        return Effect.sync(() => {
          waiters.delete(wake)
        })
      })
  }
}

/**
 * What a subscription needs from an adapter.
 *
 * @since 0.1.0
 * @category models
 */
export interface SubscriptionSource {
  readonly readAll: (options: ReadAllOptions) => Effect.Effect<AllPage, StoreUnavailable>
  readonly wakeUp: WakeUp
  /** events per read; default 500 (a subscription's own `maxCount` takes precedence) */
  readonly pageSize?: number | undefined
  /** also re-read this often when no wake-up comes (commits by other processes); default: never */
  readonly pollInterval?: Duration.Input | undefined
}

/**
 * The default number of events read per page.
 *
 * @since 0.1.0
 * @category models
 */
export const defaultPageSize = 500

/**
 * A subscription: catches up from `options.after` (exclusive), then stays live.
 * `options.filter` narrows the events delivered; `options.maxCount`, if given, is the
 * page size (not a total). The stream never ends by itself; interrupt it (or `take`
 * from it) to stop. Fails only when `readAll` fails.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  source: SubscriptionSource,
  options: ReadAllOptions
): Stream.Stream<RecordedEvent, StoreUnavailable> =>
  Stream.fromPull(
    Effect.sync(() => {
      const pageSize = Math.max(1, options.maxCount ?? source.pageSize ?? defaultPageSize)
      const waitForCommit = (since: number): Effect.Effect<void> =>
        source.pollInterval === undefined
          ? source.wakeUp.changedSince(since)
          : Effect.race(source.wakeUp.changedSince(since), Effect.sleep(source.pollInterval))
      let after: Position = options.after
      const next = (): Effect.Effect<Arr.NonEmptyReadonlyArray<RecordedEvent>, StoreUnavailable> =>
        Effect.suspend(() => {
          const seen = source.wakeUp.version()
          return Effect.flatMap(
            source.readAll({ after, filter: options.filter, maxCount: pageSize }),
            (page): Effect.Effect<Arr.NonEmptyReadonlyArray<RecordedEvent>, StoreUnavailable> => {
              const from = after
              // Defensive: never deliver a position twice or out of order, whatever the adapter returns.
              const fresh: Array<RecordedEvent> = []
              let last = from
              for (const event of page.events) {
                if (event.position > last) {
                  fresh.push(event)
                  last = event.position
                }
              }
              after = Math.max(last, page.lastPosition)
              if (Arr.isArrayNonEmpty(fresh)) return Effect.succeed(fresh)
              const progressed = after > from
              return page.isEnd || !progressed ? Effect.flatMap(waitForCommit(seen), next) : next()
            }
          )
        })
      return next()
    })
  )
