/**
 * Which streams are deleted, for reads of `$all`.
 *
 * EventStoreDB keeps a tombstoned stream's events in `$all` until a scavenge removes
 * them, but the port promises that nothing of a deleted stream can be read back. So a
 * read of `$all` asks, once per stream it returns events of, whether the stream still
 * exists, and drops the events of one that does not. A tombstone is forever, so "deleted"
 * is remembered for the life of the store; "alive" only for one read session (one
 * `readAll` call, one subscription), since another process may delete the stream at any
 * time. A subscription also learns of deletions from the `$streamDeleted` records it
 * passes. This module must never report a stream deleted on a guess: only a tombstone
 * or a stream the server says is gone counts.
 *
 * @since 0.1.0
 */
import { StoreUnavailable } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { type Connection, callRead } from "./Connection.js"

/**
 * The store-wide knowledge: names of streams known to be tombstoned.
 *
 * @since 0.1.0
 * @category models
 */
export interface DeletedStreams {
  readonly known: Set<string>
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (): DeletedStreams => ({ known: new Set() })

/**
 * One read's view of deletions.
 *
 * @since 0.1.0
 * @category models
 */
export interface Session {
  /** records that a stream was seen tombstoned */
  readonly noteTombstone: (streamName: string) => void
  /** the subset of `streamNames` that no longer exist */
  readonly gone: (streamNames: Iterable<string>) => Effect.Effect<ReadonlySet<string>, StoreUnavailable>
}

/**
 * Starts a read session.
 *
 * @since 0.1.0
 * @category constructors
 */
export const session = (connection: Connection, deleted: DeletedStreams, concurrency: number): Session => {
  const alive = new Set<string>()
  const check = (name: string): Effect.Effect<boolean, StoreUnavailable> =>
    callRead(`existence check of ${name}`, () =>
      connection.readStream(name, { direction: "backwards", from: "end", maxCount: 1 })
    ).pipe(
      Effect.map((read) => read === "no-stream"),
      Effect.catchTags({
        StreamTombstoned: () =>
          Effect.sync(() => {
            deleted.known.add(name)
            return true
          }),
        Unreachable: (failure) => Effect.fail(new StoreUnavailable({ reason: failure.reason, cause: failure.cause }))
      }),
      Effect.tap((gone) => Effect.sync(() => (gone ? undefined : alive.add(name))))
    )
  return {
    noteTombstone: (name) => {
      deleted.known.add(name)
      alive.delete(name)
    },
    gone: (names) =>
      Effect.gen(function* () {
        const result = new Set<string>()
        const unknown = new Set<string>()
        for (const name of names) {
          if (deleted.known.has(name)) result.add(name)
          else if (!alive.has(name)) unknown.add(name)
        }
        const answers = yield* Effect.forEach(
          unknown,
          (name) => Effect.map(check(name), (gone) => [name, gone] as const),
          {
            concurrency
          }
        )
        for (const [name, gone] of answers) if (gone) result.add(name)
        return result
      })
  }
}
