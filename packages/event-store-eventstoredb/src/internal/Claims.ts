/**
 * Idempotency claims: one small stream per `(school, event id)` that binds the id to its
 * content hash and to the stream it is written to, so that deduplication and conflict
 * detection hold across every stream of a school, as in the SQL adapters.
 *
 * A claim stream holds records appended only with an exact expected revision, which
 * makes it a compare-and-set register:
 * - `reserved { hash, stream, base }`: an attempt writes (or wrote) the event with this
 *   content to `stream`, after revision `base` (the stream's last revision, or -1, read
 *   before the reservation). The event, once written, lies after `base`, so it can be
 *   found by scanning the stream from `base + 1` for its derived server id;
 * - `released {}`: the id is free again. The stream is truncated before the release so
 *   that the reservation (which names the stream) goes at the next scavenge.
 *
 * A claim is a fence only if it never reads as free while its event is stored, or may
 * still be stored, in a live stream. So a reservation is released only by the attempt
 * that made it from a free claim, when that attempt certainly wrote nothing (`Append.ts`;
 * a reservation taken over from another attempt stays, `Settle.ts`), and by erasure only
 * after the stream is tombstoned (`Erase.ts`); a reservation naming a tombstoned stream
 * binds nothing. A claim stream that is itself tombstoned reads as `erased` (the adapter
 * never tombstones one; an operator might) and its id can never be stored again. This
 * module must never write a claim without an exact expectation: two attempts can never
 * both believe they hold the same id.
 *
 * @since 0.1.0
 */
import { randomUUID } from "node:crypto"
import type { ExpectedRevision } from "@eventstore/db-client"
import { NO_STREAM } from "@eventstore/db-client"
import * as Effect from "effect/Effect"
import { claimStreamName } from "../EventStoreDbStreamName.js"
import type { Actual } from "../ExpectedRevision.js"
import type { StreamTombstoned, Unreachable } from "./ClientFailure.js"
import { type Connection, call, callRead, type StoredRecord } from "./Connection.js"

/**
 * The state of a claim.
 *
 * @since 0.1.0
 * @category models
 */
export type Claim =
  /** nobody holds the id; reserve it with `expected` */
  | { readonly _tag: "Free"; readonly expected: ExpectedRevision }
  | {
      readonly _tag: "Reserved"
      readonly revision: bigint
      readonly hash: string
      readonly streamName: string
      readonly base: Actual
    }
  | { readonly _tag: "Erased" }

/**
 * The expectation that reserves an id nobody has claimed yet.
 *
 * @since 0.1.0
 * @category models
 */
export const noClaim: ExpectedRevision = NO_STREAM

const reservedType = "rapport.claim.reserved"
const releasedType = "rapport.claim.released"

const own = (value: object, key: string): unknown => Object.getOwnPropertyDescriptor(value, key)?.value

const decode = (record: StoredRecord): Claim => {
  if (record.type === releasedType) return { _tag: "Free", expected: record.revision }
  const body = record.data
  if (record.type === reservedType && typeof body === "object" && body !== null) {
    const hash = own(body, "hash")
    const streamName = own(body, "stream")
    const base = own(body, "base")
    if (typeof hash === "string" && typeof streamName === "string" && typeof base === "number") {
      return { _tag: "Reserved", revision: record.revision, hash, streamName, base: base < 0 ? "no-stream" : base }
    }
  }
  throw new Error(`claim stream ${record.streamName} holds a record Rapport did not write (${record.type})`)
}

/**
 * Reads the state of a claim.
 *
 * @since 0.1.0
 * @category operations
 */
export const lookup = (connection: Connection, school: string, eventId: string): Effect.Effect<Claim, Unreachable> => {
  const name = claimStreamName(school, eventId)
  return Effect.flatMap(
    Effect.catchTag(
      callRead(`read of claim ${name}`, () =>
        connection.readStream(name, { direction: "backwards", from: "end", maxCount: 1 })
      ),
      "StreamTombstoned",
      () => Effect.succeed("erased" as const)
    ),
    (read): Effect.Effect<Claim, Unreachable> => {
      if (read === "erased") return Effect.succeed({ _tag: "Erased" })
      if (read === "no-stream") return Effect.succeed({ _tag: "Free", expected: NO_STREAM })
      const [last] = read
      if (last === undefined) return Effect.die(new Error(`claim stream ${name} exists but has no readable record`))
      return Effect.try({ try: () => decode(last), catch: (error) => error }).pipe(Effect.orDie)
    }
  )
}

/**
 * Reserves an id for a content hash and a stream, if the claim is still as last read
 * (`expected`). Returns the reservation's revision, or `"taken"` when another attempt
 * changed the claim first.
 *
 * @since 0.1.0
 * @category operations
 */
export const reserve = (
  connection: Connection,
  school: string,
  eventId: string,
  expected: ExpectedRevision,
  reservation: { readonly hash: string; readonly streamName: string; readonly base: Actual }
): Effect.Effect<bigint | "taken", Unreachable | StreamTombstoned> => {
  const name = claimStreamName(school, eventId)
  const event = {
    eventId: randomUUID(),
    type: reservedType,
    data: {
      hash: reservation.hash,
      stream: reservation.streamName,
      base: reservation.base === "no-stream" ? -1 : reservation.base
    }
  }
  return call(`reservation of claim ${name}`, () => connection.append(name, [event], expected)).pipe(
    Effect.map((result): bigint | "taken" => result.nextExpectedRevision),
    Effect.catchTags({
      WrongExpectedVersion: () => Effect.succeed("taken" as const),
      AppendTooLarge: (failure) =>
        Effect.die(new Error(`claim ${name} is over the append size limit`, { cause: failure }))
    })
  )
}

/**
 * Frees an id reserved at `revision` by an attempt that wrote nothing (or whose stream
 * is tombstoned). Does nothing if another attempt has taken the claim over since, or if
 * the claim stream was erased.
 *
 * @since 0.1.0
 * @category operations
 */
export const release = (
  connection: Connection,
  school: string,
  eventId: string,
  revision: bigint
): Effect.Effect<void, Unreachable> => {
  const name = claimStreamName(school, eventId)
  const event = { eventId: randomUUID(), type: releasedType, data: {} }
  return call(`release of claim ${name}`, () => connection.append(name, [event], revision)).pipe(
    Effect.flatMap(() =>
      call(`truncation of claim ${name}`, () => connection.truncateBefore(name, Number(revision) + 1))
    ),
    Effect.catchTags({
      WrongExpectedVersion: () => Effect.void,
      StreamTombstoned: () => Effect.void,
      AppendTooLarge: (failure) =>
        Effect.die(new Error(`release of claim ${name} is over the size limit`, { cause: failure }))
    })
  )
}

/**
 * Forgets the claim of an event of the tombstoned stream `streamName`, if it still binds
 * the id to that stream: the id is free again (the port forgets a deleted stream's ids),
 * and the reservation, which names the stream, goes at the next scavenge. Call it only
 * once the stream is tombstoned.
 *
 * @since 0.1.0
 * @category operations
 */
export const forget = (
  connection: Connection,
  school: string,
  eventId: string,
  streamName: string
): Effect.Effect<void, Unreachable> =>
  Effect.flatMap(lookup(connection, school, eventId), (claim) =>
    claim._tag === "Reserved" && claim.streamName === streamName
      ? release(connection, school, eventId, claim.revision)
      : Effect.void
  )
