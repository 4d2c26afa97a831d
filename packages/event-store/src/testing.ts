/**
 * The conformance suite of the EventStore port, for adapter authors: every adapter runs
 * it in a few lines and so proves the same guarantees (expected states, concurrency,
 * idempotency, atomicity, ordering, reads, subscriptions, isolation, deletion, sizes,
 * Unicode, and the optional maintenance operations: deleting single events, listing streams).
 *
 * ```ts
 * import { describeEventStoreConformance } from "@rapport/event-store/testing"
 *
 * describeEventStoreConformance("sqlite", {
 *   make: () => Effect.sync(() => { const store = open(); return { store, close: Effect.sync(() => store.close()) } })
 * })
 * ```
 *
 * `make` is called once per test. It may return a fresh store or a new connection to a
 * shared one: every test writes to schools of its own (unique names) and never assumes
 * the store is empty, but it does assume no one else writes during the test.
 *
 * This module imports vitest; it must never be imported by production code (it is not
 * re-exported by the package's main entry).
 *
 * @since 0.1.0
 */
import { describe } from "vitest"
import { appends } from "./internal/conformance/Appends.js"
import type { ConformanceOptions } from "./internal/conformance/Harness.js"
import { idempotency } from "./internal/conformance/Idempotency.js"
import { isolation } from "./internal/conformance/Isolation.js"
import { maintenance } from "./internal/conformance/Maintenance.js"
import { payloads } from "./internal/conformance/Payloads.js"
import { reads } from "./internal/conformance/Reads.js"
import { subscriptions } from "./internal/conformance/Subscriptions.js"

export type {
  /**
   * How the suite gets stores: `make` (required), `makeSecondConnection`, `timeout`,
   * `raceRepetitions`.
   *
   * @since 0.1.0
   * @category models
   */
  ConformanceOptions,
  /**
   * A store under test and the effect that releases it.
   *
   * @since 0.1.0
   * @category models
   */
  ConformanceSubject
} from "./internal/conformance/Harness.js"

export {
  /**
   * Events, requests and whole-log reads for an adapter's own tests.
   *
   * @since 0.1.0
   * @category helpers
   */
  failureOf,
  newEvent,
  newEvents,
  readAllToEnd,
  request
} from "./internal/conformance/Harness.js"

/**
 * Registers the whole conformance suite, under `describe("EventStore conformance: <name>")`.
 *
 * @since 0.1.0
 * @category suites
 */
export const describeEventStoreConformance = (name: string, options: ConformanceOptions): void => {
  describe(`EventStore conformance: ${name}`, () => {
    appends(options)
    idempotency(options)
    reads(options)
    subscriptions(options)
    isolation(options)
    payloads(options)
    maintenance(options)
  })
}
