/**
 * A stored event read back as the folds know it. Events were validated on the way in;
 * this re-check keeps a store written by another tool from putting something the folds
 * cannot read into them.
 *
 * @since 0.2.0
 */
import { Advising, Decode, type Event } from "@rapport/core"
import type { RecordedEvent } from "@rapport/event-store"
import * as Result from "effect/Result"

/**
 * The event a stored one holds (`undefined`: it is not one the folds can read).
 *
 * @since 0.2.0
 * @category constructors
 */
export const toEvent = (recorded: RecordedEvent): Event.RapportEvent | undefined => {
  const decoded = Decode.decodeEvent({
    id: recorded.id,
    type: recorded.type,
    v: recorded.v,
    occurredAt: recorded.occurredAt,
    ...(recorded.source === undefined ? {} : { source: recorded.source }),
    data: recorded.data
  })
  return Result.isSuccess(decoded) ? decoded.success : undefined
}

/**
 * Event types kept in the log for readers other than the folds (the xAPI statements a
 * school system sent, as sent; the advising events of `@rapport/core` `Advising`, which
 * must never count as contact nor reach an aggregate): the projector passes over them
 * without a word, where any other event it cannot read is logged.
 *
 * @since 0.3.0
 * @category constants
 */
export const recordTypes: ReadonlySet<string> = new Set([
  "XapiStatementRecorded",
  ...Advising.AdvisingEvent.advisingEventTypes
])
