/**
 * Erasures applied again: a student registered as erased whose stream holds events (a
 * backup taken before the erasure was restored, or an erasure request whose append
 * failed after it was registered) gets a new `StudentErasureRequested`, so that the
 * projector erases them as it erased them the first time. `Installation.open` runs it
 * before any command works on the store, and `serve` waits for the projector to finish
 * these erasures before it answers anyone.
 *
 * The registry holds keyed hashes only, so the students are found by hashing every
 * student stream of the schools that have erasures (`listStreams`, one index seek per
 * stream on SQLite and PostgreSQL; a scan of the log on stores without it).
 *
 * This module must never log a student id.
 *
 * @since 0.2.0
 */
import type { AppendError, EventStoreShape, StoreUnavailable, StreamId } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { erasureEvent, registryUnavailable } from "./ErasureGuard.js"
import type { ErasureRegistry } from "./ErasureRegistry.js"

/**
 * What was erased again.
 *
 * @since 0.2.0
 * @category models
 */
export interface Reapplied {
  /** the streams that got a new erasure request */
  readonly students: ReadonlyArray<StreamId>
  /** the log position the projector must pass for those erasures to be done (0: none) */
  readonly position: number
}

/**
 * Nothing erased again.
 *
 * @since 0.2.0
 * @category constants
 */
export const none: Reapplied = { students: [], position: 0 }

/** every student stream of a school, from `listStreams`, or by scanning the log */
const studentsOf = (store: EventStoreShape, school: string): Effect.Effect<Array<string>, StoreUnavailable> => {
  const { listStreams } = store
  if (listStreams !== undefined)
    return Effect.map(listStreams({ kind: "student", school }), (streams) => streams.map((s) => s.id))
  return Effect.gen(function* () {
    const ids = new Set<string>()
    let after = 0
    for (;;) {
      const page = yield* store.readAll({ after, filter: { school, kinds: ["student"] }, maxCount: 5000 })
      for (const event of page.events) ids.add(event.stream.id)
      if (page.isEnd || page.lastPosition <= after) return [...ids]
      after = page.lastPosition
    }
  })
}

/**
 * Appends an erasure request for every registered student whose stream holds events.
 * `store` is the guarded store (erasure requests always pass it).
 *
 * @since 0.2.0
 * @category operations
 */
export const reapply = (
  store: EventStoreShape,
  registry: ErasureRegistry,
  now: () => Date = () => new Date()
): Effect.Effect<Reapplied, AppendError> =>
  Effect.gen(function* () {
    const counts = yield* registry.counts().pipe(Effect.mapError(registryUnavailable))
    const students: Array<StreamId> = []
    let position = 0
    for (const school of counts.keys()) {
      const ids = yield* studentsOf(store, school)
      if (ids.length === 0) continue
      const erased = yield* registry.erasedAmong(school, ids).pipe(Effect.mapError(registryUnavailable))
      for (const id of [...erased].sort()) {
        const stream: StreamId = { school, kind: "student", id }
        const result = yield* store.appendMany([
          { stream, expected: { _tag: "Any" }, events: [erasureEvent(id, now())] }
        ])
        position = Math.max(position, result.position)
        students.push(stream)
      }
    }
    return { students, position }
  })
