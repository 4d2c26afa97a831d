/**
 * Finding things in one stream without reading its bodies: its last revision, and where
 * given server event ids lie after a revision.
 *
 * Appends use both: the last revision becomes the exact expectation of the next write,
 * and locating the derived server ids after a claim's `base` tells a written event from
 * one that never landed (after a timeout, a crash, or a concurrent writer). This module
 * must never guess: an event it cannot find is reported as missing, and an event without
 * a usable `$all` position is a defect.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Checkpoint from "../Checkpoint.js"
import { type Actual, revisionFromClient } from "../ExpectedRevision.js"
import type { StreamTombstoned, Unreachable } from "./ClientFailure.js"
import { type Connection, callRead, type StoredRecord } from "./Connection.js"
import * as Envelope from "./Envelope.js"

/**
 * Where a located event lies.
 *
 * @since 0.1.0
 * @category models
 */
export interface Located {
  readonly revision: number
  readonly position: number
  /** the append attempt that wrote it (from its metadata) */
  readonly attempt: string | undefined
}

const pageSize = 256

/**
 * A record's revision and position as port numbers; dies on what cannot be one.
 *
 * @since 0.1.0
 * @category conversions
 */
export const locatedOf = (record: StoredRecord): Effect.Effect<Located> => {
  const revision = revisionFromClient(record.revision)
  if (revision === undefined) return Effect.die(new Error(`revision of ${record.streamName} beyond 2^53`))
  if (record.position === undefined) {
    return Effect.die(
      new Error(
        `EventStoreDB sent ${record.streamName} without positions: version 22.6 or later (or KurrentDB) is required, and events written in explicit transactions have none`
      )
    )
  }
  const position = Checkpoint.toPosition(record.position)
  if (position === undefined) return Effect.die(new Error(`commit position of ${record.streamName} beyond 2^53`))
  return Effect.succeed({ revision, position, attempt: Envelope.attemptOf(record) })
}

/**
 * The last revision of a stream, or `"no-stream"`.
 *
 * @since 0.1.0
 * @category operations
 */
export const lastRevision = (
  connection: Connection,
  streamName: string
): Effect.Effect<Actual, Unreachable | StreamTombstoned> =>
  Effect.flatMap(
    callRead(`read of the last revision of ${streamName}`, () =>
      connection.readStream(streamName, { direction: "backwards", from: "end", maxCount: 1 })
    ),
    (read): Effect.Effect<Actual> => {
      if (read === "no-stream") return Effect.succeed("no-stream")
      const [last] = read
      if (last === undefined) return Effect.succeed("no-stream")
      return Effect.map(locatedOf(last), (located) => located.revision)
    }
  )

/**
 * Finds the events with the given server ids (lowercase UUIDs) in a stream, reading
 * forwards from `fromRevision` until all are found or the stream ends. A tombstoned
 * stream fails with `StreamTombstoned`.
 *
 * @since 0.1.0
 * @category operations
 */
export const locate = (
  connection: Connection,
  streamName: string,
  fromRevision: number,
  serverIds: ReadonlySet<string>
): Effect.Effect<ReadonlyMap<string, Located>, Unreachable | StreamTombstoned> =>
  Effect.gen(function* () {
    const found = new Map<string, Located>()
    let from = BigInt(Math.max(0, fromRevision))
    while (found.size < serverIds.size) {
      const page = yield* callRead(`scan of ${streamName}`, () =>
        connection.readStream(streamName, { direction: "forwards", from, maxCount: pageSize })
      )
      if (page === "no-stream") return found
      for (const record of page) {
        const id = record.eventId.toLowerCase()
        if (serverIds.has(id) && !found.has(id)) found.set(id, yield* locatedOf(record))
      }
      const last = page[page.length - 1]
      if (page.length < pageSize || last === undefined) return found
      from = last.revision + 1n
    }
    return found
  })

/**
 * The first revision after `actual` (0 for a missing stream).
 *
 * @since 0.1.0
 * @category conversions
 */
export const after = (actual: Actual): number => (actual === "no-stream" ? 0 : actual + 1)
