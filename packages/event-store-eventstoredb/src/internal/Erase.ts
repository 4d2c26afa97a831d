/**
 * Erasure of one stream: a hard delete (tombstone) of the stream, then the release of
 * the claims of its events, so that their ids may be used again (the port forgets a
 * deleted stream's ids) and the reservations that name the stream are truncated and go
 * at the next scavenge (see docs/operations.md for what a scavenge leaves).
 *
 * Order matters. Read the stream's event ids, tombstone it with the exact revision read,
 * then free the claims: an event appended meanwhile makes the tombstone fail on the
 * revision and the loop starts again with the new ids. Freeing claims before the
 * tombstone would let an append of a stored id, in that window or after a crash in it,
 * find its claim free and store a second copy (the server does not deduplicate a write
 * at the current revision) or other content without a conflict. A crash after the
 * tombstone leaves claims that name a deleted stream: appends treat such a claim as free
 * (`Settle.ts`), so the ids are usable again, but deleting the stream again cannot list
 * its events, so those reservations (a content hash and the stream's pseudonymous name)
 * stay until their ids are used again. What remains after an erasure and a scavenge is
 * listed in docs/operations.md ("Erasure: hard delete, then scavenge"): the tombstone
 * forever, the claim streams' release records and metadata. A tombstoned stream can never
 * be written again: appends to it fail with `StreamDeleted`. This module must never free
 * a claim before the stream is tombstoned.
 *
 * @since 0.1.0
 */
import type { StreamId } from "@rapport/event-store"
import { StreamName as PortStreamName, StoreUnavailable } from "@rapport/event-store"
import { ANY } from "@eventstore/db-client"
import * as Effect from "effect/Effect"
import type * as StreamName from "../EventStoreDbStreamName.js"
import * as Claims from "./Claims.js"
import type * as DeletedStreams from "./DeletedStreams.js"
import { type Connection, call } from "./Connection.js"
import * as Envelope from "./Envelope.js"

const maxAttempts = 16
const pageSize = 512

type Pass = "gone" | "deleted" | "changed"

/**
 * Deletes a stream for good; deleting a missing or already deleted stream succeeds.
 *
 * @since 0.1.0
 * @category operations
 */
export const deleteStream =
  (
    connection: Connection,
    settings: { readonly concurrency: number; readonly naming: StreamName.Naming },
    deleted: DeletedStreams.DeletedStreams
  ) =>
  (stream: StreamId): Effect.Effect<void, StoreUnavailable> => {
    if (PortStreamName.problem(stream) !== undefined) return Effect.void
    const name = settings.naming.encode(stream)
    const { concurrency } = settings
    const pass: Effect.Effect<Pass, StoreUnavailable> = Effect.gen(function* () {
      const ids: Array<string> = []
      let from: bigint | "start" = "start"
      let last: bigint | undefined
      for (;;) {
        const page = yield* call(`read of ${name}`, () =>
          connection.readStream(name, { direction: "forwards", from, maxCount: pageSize })
        )
        if (page === "no-stream") return last === undefined ? "gone" : "changed"
        for (const record of page) {
          last = record.revision
          if (record.type.startsWith("$")) continue
          const event = Envelope.fromRecord(stream, record)
          if (typeof event === "string") return yield* Effect.die(new Error(event))
          ids.push(event.id)
        }
        const tail = page[page.length - 1]
        if (page.length < pageSize || tail === undefined) break
        from = tail.revision + 1n
      }
      yield* call(`tombstone of ${name}`, () => connection.tombstone(name, last ?? ANY))
      deleted.known.add(name)
      yield* Effect.forEach(ids, (id) => Claims.forget(connection, stream.school, id, name), {
        concurrency,
        discard: true
      })
      return "deleted" as const
    }).pipe(
      Effect.catchTags({
        StreamTombstoned: () => Effect.succeed("gone" as const),
        WrongExpectedVersion: () => Effect.succeed("changed" as const),
        AppendTooLarge: (failure) => Effect.die(failure),
        Unreachable: (failure) => Effect.fail(new StoreUnavailable({ reason: failure.reason, cause: failure.cause }))
      })
    )
    const loop = (attempt: number): Effect.Effect<void, StoreUnavailable> =>
      Effect.flatMap(pass, (outcome) => {
        if (outcome !== "changed") return Effect.void
        if (attempt + 1 >= maxAttempts) {
          return Effect.fail(
            new StoreUnavailable({ reason: `stream ${name} kept changing while being deleted; retry` })
          )
        }
        return loop(attempt + 1)
      })
    return loop(0)
  }
