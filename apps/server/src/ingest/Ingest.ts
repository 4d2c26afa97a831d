/**
 * Ingestion: from decoded JSON values to stored events. Validates every event with
 * `@rapport/core` (all problems, each with its index and path), rejects events more than
 * five minutes in the future of the receiving time, routes each event to its stream and
 * appends the lot in one `appendMany`, so a JSON request is all-or-nothing. Store failures
 * become problems (by `Problem.fromFailure`); HTTP framing (content types, body limits, NDJSON lines) lives in
 * routes/events.ts.
 *
 * @since 0.1.0
 */
import { Decode, type Event } from "@rapport/core"
import { Streams } from "@rapport/analytics"
import type { AppendRequest, EventStoreShape, NewEvent, StreamId } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { fromFailure, type HttpProblem, type ValidationIssue } from "../http/Problem.js"

/**
 * How far in the future of the receiving time an event may occur (clock skew allowance).
 *
 * @since 0.1.0
 * @category constants
 */
export const futureToleranceMs = 5 * 60 * 1000

/**
 * @since 0.1.0
 * @category models
 */
export interface Stored {
  readonly stored: number
  readonly duplicates: number
  /** the global position a reader must pass to see every event of the request */
  readonly position: number
}

/**
 * Validates a batch: decoding plus the future check. Issues carry the item's index.
 *
 * @since 0.1.0
 * @category operations
 */
export const validate = (
  items: ReadonlyArray<unknown>,
  receivedAt: Date,
  firstIndex = 0
): Result.Result<ReadonlyArray<Event.RapportEvent>, ReadonlyArray<ValidationIssue>> => {
  const issues: Array<ValidationIssue> = []
  const events: Array<Event.RapportEvent> = []
  const latest = receivedAt.getTime() + futureToleranceMs
  items.forEach((item, offset) => {
    const index = firstIndex + offset
    const decoded = Decode.decodeEvent(item)
    if (Result.isFailure(decoded)) {
      for (const issue of decoded.failure.issues) issues.push({ index, path: issue.path, message: issue.message })
      return
    }
    if (Date.parse(decoded.success.occurredAt) > latest) {
      issues.push({
        index,
        path: ["occurredAt"],
        message: `Expected an instant at most 5 minutes after the server received it (${receivedAt.toISOString()})`
      })
      return
    }
    events.push(decoded.success)
  })
  return issues.length === 0 ? Result.succeed(events) : Result.fail(issues)
}

const toNewEvent = (event: Event.RapportEvent): NewEvent => ({
  id: event.id,
  type: event.type,
  v: event.v,
  occurredAt: event.occurredAt,
  source: event.source,
  data: event.data
})

const streamKey = (stream: StreamId): string => `${stream.kind}\u0000${stream.id}`

/**
 * Groups events by stream, keeping request order within each stream.
 *
 * @since 0.1.0
 * @category operations
 */
export const toRequests = (school: string, events: ReadonlyArray<Event.RapportEvent>): ReadonlyArray<AppendRequest> => {
  const byStream = new Map<string, { stream: StreamId; events: Array<NewEvent> }>()
  for (const event of events) {
    const stream = Streams.streamFor(school, event)
    const key = streamKey(stream)
    let entry = byStream.get(key)
    if (entry === undefined) {
      entry = { stream, events: [] }
      byStream.set(key, entry)
    }
    entry.events.push(toNewEvent(event))
  }
  return [...byStream.values()].map(({ stream, events: streamEvents }) => ({
    stream,
    expected: { _tag: "Any" },
    events: streamEvents
  }))
}

/**
 * Appends validated events of one school, all or nothing.
 *
 * @since 0.1.0
 * @category operations
 */
export const append = (
  store: EventStoreShape,
  school: string,
  events: ReadonlyArray<Event.RapportEvent>
): Effect.Effect<Stored, HttpProblem> =>
  events.length === 0
    ? Effect.succeed({ stored: 0, duplicates: 0, position: 0 })
    : store.appendMany(toRequests(school, events)).pipe(
        Effect.map((result) => ({ stored: result.stored, duplicates: result.duplicates, position: result.position })),
        // mapped here, not left to the route: NDJSON and `rapport import` read the problem's
        // status, extensions and refused indexes
        Effect.mapError((error) => fromFailure(error, { events }))
      )
