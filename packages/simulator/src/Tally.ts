/**
 * Counting a simulated school as it streams by: events per type and per source, and how
 * many were late, duplicated, malformed or retracted. Used by the measurement script and
 * the tests; holds counters only, never events.
 *
 * @since 0.1.0
 */
import type { SimulatedEvent } from "./Delivery.js"

/**
 * Running counts.
 *
 * @since 0.1.0
 * @category models
 */
export interface Tally {
  items: number
  late: number
  duplicate: number
  malformed: number
  retracted: number
  readonly byType: Map<string, number>
  readonly bySource: Map<string, number>
  readonly byMalformation: Map<string, number>
  /** Items that occurred before an item delivered earlier (out of order). */
  outOfOrder: number
  /** Items that occurred more than a day before an item delivered earlier (beyond nightly batches). */
  outOfOrderByDays: number
  /** The latest occurredAt seen so far (ms), to count out-of-order deliveries. */
  latestOccurred: number
}

/**
 * An empty tally.
 *
 * @since 0.1.0
 * @category constructors
 */
export const empty = (): Tally => ({
  items: 0,
  late: 0,
  duplicate: 0,
  malformed: 0,
  retracted: 0,
  byType: new Map(),
  bySource: new Map(),
  byMalformation: new Map(),
  outOfOrder: 0,
  outOfOrderByDays: 0,
  latestOccurred: Number.NEGATIVE_INFINITY
})

const bump = (map: Map<string, number>, key: string): void => {
  map.set(key, (map.get(key) ?? 0) + 1)
}

/**
 * Counts one item (mutates and returns the tally).
 *
 * @since 0.1.0
 * @category operations
 */
export const add = (tally: Tally, item: SimulatedEvent): Tally => {
  tally.items++
  const { flags, event } = item
  if (flags.late === true) tally.late++
  if (flags.duplicate === true) tally.duplicate++
  if (flags.retracted === true) tally.retracted++
  if (flags.malformed !== undefined) {
    tally.malformed++
    bump(tally.byMalformation, flags.malformed)
  }
  bump(tally.byType, event.type)
  bump(tally.bySource, event.source)
  const occurred = Date.parse(event.occurredAt)
  if (Number.isFinite(occurred)) {
    if (occurred < tally.latestOccurred) tally.outOfOrder++
    if (occurred < tally.latestOccurred - 86_400_000) tally.outOfOrderByDays++
    if (occurred > tally.latestOccurred) tally.latestOccurred = occurred
  }
  return tally
}

/**
 * Counts a whole stream.
 *
 * @since 0.1.0
 * @category operations
 */
export const count = (items: Iterable<SimulatedEvent>): Tally => {
  const tally = empty()
  for (const item of items) add(tally, item)
  return tally
}
