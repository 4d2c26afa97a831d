/**
 * The store's layout record: which stream-name key a store was first written with, so
 * that a process with another key is stopped before it writes or reads anything.
 *
 * Stream names are pseudonyms under `EVENTSTOREDB_STREAM_KEY` (`EventStoreDbStreamName.ts`).
 * A process started with another key would name every stream differently: its appends
 * would start a second, parallel set of streams and its stream reads would find nothing.
 * So the first operation of a store reads the stream `rapport.layout`, whose one record
 * `{ streamNames, keyCheck }` holds an HMAC of a constant under the key (which says
 * nothing about the key, nor about anyone), writes it if the store has none (expecting
 * no stream, so that two processes starting together agree), and dies with one sentence
 * if the key differs. This module must never let an operation run before the check has
 * passed once, and never write the key itself.
 *
 * @since 0.1.0
 */
import { NO_STREAM } from "@eventstore/db-client"
import { StoreUnavailable } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import type { Naming } from "../EventStoreDbStreamName.js"
import { type Connection, call, callRead } from "./Connection.js"

/**
 * The stream that holds the layout record (outside the `rapport-` prefix).
 *
 * @since 0.1.0
 * @category models
 */
export const streamName = "rapport.layout"

const recordType = "rapport.layout"
const streamNames = "hmac-sha256-128"

/**
 * A store's check of its layout.
 *
 * @since 0.1.0
 * @category models
 */
export interface Layout {
  /** succeeds once the store is known to be written with this key (checked once per store) */
  readonly ready: Effect.Effect<void, StoreUnavailable>
}

const own = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? Object.getOwnPropertyDescriptor(value, key)?.value : undefined

const unavailable = (failure: { readonly reason: string; readonly cause: unknown }) =>
  new StoreUnavailable({ reason: failure.reason, cause: failure.cause })

/**
 * The layout check of a store over `connection` with `naming`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (connection: Connection, naming: Naming): Layout => {
  let checked = false
  const read = callRead(`read of ${streamName}`, () =>
    connection.readStream(streamName, { direction: "forwards", from: "start", maxCount: 1 })
  )
  const create = call(`creation of ${streamName}`, () =>
    connection.append(
      streamName,
      [{ eventId: crypto.randomUUID(), type: recordType, data: { streamNames, keyCheck: naming.keyCheck } }],
      NO_STREAM
    )
  ).pipe(
    Effect.asVoid,
    Effect.catchTag("WrongExpectedVersion", () => Effect.void)
  )
  const verify = Effect.gen(function* () {
    let found = yield* read
    if (found === "no-stream") {
      // Another process may create it at the same time: whoever wins, read what won.
      yield* create
      found = yield* read
    }
    const [first] = found === "no-stream" ? [] : found
    if (first === undefined) return yield* Effect.die(new Error(`EventStoreDB stream ${streamName} has no record`))
    if (first.type !== recordType || own(first.data, "streamNames") !== streamNames) {
      return yield* Effect.die(new Error(`EventStoreDB stream ${streamName} holds a layout this adapter cannot read`))
    }
    if (own(first.data, "keyCheck") !== naming.keyCheck) {
      return yield* Effect.die(
        new Error(
          "This EventStoreDB store's streams were named with another key: EVENTSTOREDB_STREAM_KEY (streamKey) must be the key the store was first written with."
        )
      )
    }
    checked = true
  }).pipe(
    Effect.catchTags({
      Unreachable: (failure) => Effect.fail(unavailable(failure)),
      StreamTombstoned: () => Effect.die(new Error(`EventStoreDB stream ${streamName} was deleted; restore it`)),
      AppendTooLarge: (failure) => Effect.die(failure)
    })
  )
  return { ready: Effect.suspend(() => (checked ? Effect.void : verify)) }
}
