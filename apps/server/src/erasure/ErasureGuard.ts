/**
 * The guard every append passes: `Installation.open` wraps the event store with it, and
 * hands out only the wrapped store, so JSON and NDJSON uploads, `rapport import` and any
 * ingestion path added later (xAPI statements) are refused alike, on every store.
 *
 * - An event names a student through its stream (`{ kind: "student", id }`) or its data
 *   (`data.studentId`, whatever the type and the stream). An event naming a registered
 *   student is refused with `StreamDeleted` (the API answers 409 "erased"), listing every
 *   refused student of the request; nothing of the request is stored.
 * - An event naming a student must be in that student's stream, since erasure deletes that
 *   stream: anything else is refused as `InvalidAppend` before anything is written.
 * - A `StudentErasureRequested` is recorded in the registry BEFORE it is appended, so that
 *   from the moment the store could erase anything, every later check refuses the student.
 * - The race that remains: an append about the student that passed its check before the
 *   record and commits after it (possibly after the projector deleted the stream, which
 *   would bring the student back). So every append checks again AFTER it committed; a
 *   student registered in between gets a compensating `StudentErasureRequested` appended
 *   behind the events just stored (the projector erases them with it), and the request is
 *   refused. Whatever the interleaving, no event about the student outlives the erasure.
 *   docs/architecture.md ("Erasure is final") walks through the orders.
 *
 * This module must never let an append about a registered student succeed, and never
 * record or log a student id anywhere but in the registry's keyed hashes.
 *
 * @since 0.2.0
 */
import type { SqlError } from "@rapport/analytics"
import {
  type AppendManyResult,
  type AppendRequest,
  type EventStoreShape,
  InvalidAppend,
  type NewEvent,
  StoreUnavailable,
  StreamDeleted,
  type StreamId
} from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { randomUUID } from "node:crypto"
import type { ErasureRegistry } from "./ErasureRegistry.js"

/**
 * The type of an erasure request.
 *
 * @since 0.2.0
 * @category constants
 */
export const erasureType = "StudentErasureRequested"

/**
 * The student an event's data names, if any.
 *
 * @since 0.2.0
 * @category operations
 */
export const studentNamedBy = (event: { readonly data: unknown }): string | undefined => {
  const data = event.data
  if (typeof data !== "object" || data === null || !("studentId" in data)) return undefined
  return typeof data.studentId === "string" ? data.studentId : undefined
}

/**
 * A new `StudentErasureRequested` for a student, as Rapport itself appends it (a
 * compensating erasure, or one applied again after a restore).
 *
 * @since 0.2.0
 * @category constructors
 */
export const erasureEvent = (studentId: string, now: Date): NewEvent => ({
  id: randomUUID(),
  type: erasureType,
  v: 1,
  occurredAt: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
  source: "rapport",
  data: { studentId }
})

const student = (school: string, id: string): StreamId => ({ school, kind: "student", id })

/** Per school: the students whose erasure the request asks for, and the others it names. */
interface Named {
  readonly erasing: Set<string>
  readonly named: Set<string>
}

const namedBySchool = (requests: ReadonlyArray<AppendRequest>): Map<string, Named> | InvalidAppend => {
  const bySchool = new Map<string, Named>()
  for (const request of requests) {
    const { school } = request.stream
    let entry = bySchool.get(school)
    if (entry === undefined) {
      entry = { erasing: new Set(), named: new Set() }
      bySchool.set(school, entry)
    }
    if (request.stream.kind === "student") entry.named.add(request.stream.id)
    for (const event of request.events) {
      const studentId = studentNamedBy(event)
      if (studentId === undefined) continue
      if (request.stream.kind !== "student" || request.stream.id !== studentId) {
        return new InvalidAppend({
          reason: `event ${event.id} names a student but is not in that student's stream (erasure deletes only that stream)`
        })
      }
      if (event.type === erasureType) entry.erasing.add(studentId)
    }
  }
  // Events appended with a student's own erasure request are erased with it.
  for (const entry of bySchool.values()) for (const id of entry.erasing) entry.named.delete(id)
  return bySchool
}

/**
 * An append that cannot be checked against (or recorded in) the registry is not stored:
 * to the caller, the store is unavailable (out of space when the registry is).
 *
 * @since 0.2.0
 * @category operations
 */
export const registryUnavailable = (cause: SqlError.SqlUnavailable): StoreUnavailable =>
  new StoreUnavailable({
    reason: "the erasure registry cannot be reached",
    cause,
    ...(cause.outOfSpace === true ? { outOfSpace: true } : {})
  })

const refused = (school: string, ids: ReadonlyArray<string>): StreamDeleted => {
  const streams = [...ids].sort().map((id) => student(school, id))
  const [first] = streams
  return new StreamDeleted({ stream: first ?? student(school, ""), streams })
}

/**
 * Wraps a store so that every append passes the registry.
 *
 * @since 0.2.0
 * @category constructors
 */
export const guard = (
  store: EventStoreShape,
  registry: ErasureRegistry,
  options: { readonly now?: () => Date } = {}
): EventStoreShape => {
  const now = options.now ?? (() => new Date())
  const registered = (bySchool: Map<string, Named>) =>
    Effect.gen(function* () {
      const found: Array<StreamDeleted> = []
      for (const [school, { named }] of bySchool) {
        if (named.size === 0) continue
        const erased = yield* registry.erasedAmong(school, [...named])
        if (erased.size > 0) found.push(refused(school, [...erased]))
      }
      return found
    }).pipe(Effect.mapError(registryUnavailable))

  /** appends an erasure behind the events of a student registered while they were stored */
  const compensate = (late: ReadonlyArray<StreamDeleted>) =>
    Effect.forEach(
      late.flatMap((refusal) => refusal.streams ?? [refusal.stream]),
      (stream) =>
        store.appendMany([{ stream, expected: { _tag: "Any" }, events: [erasureEvent(stream.id, now())] }]).pipe(
          // a stream the store deleted for good holds nothing any more (EventStoreDB)
          Effect.catchTag("StreamDeleted", () => Effect.void),
          Effect.mapError((error) =>
            error._tag === "StoreUnavailable"
              ? error
              : new StoreUnavailable({ reason: "a compensating erasure could not be appended", cause: error })
          )
        ),
      { discard: true }
    )

  const appendMany: EventStoreShape["appendMany"] = (requests) =>
    Effect.gen(function* () {
      const bySchool = namedBySchool(requests)
      if (bySchool instanceof InvalidAppend) return yield* Effect.fail(bySchool)
      for (const [school, { erasing }] of bySchool) {
        if (erasing.size === 0) continue
        yield* registry.record(school, [...erasing]).pipe(Effect.mapError(registryUnavailable))
      }
      const before = yield* registered(bySchool)
      const [refusal] = before
      if (refusal !== undefined) return yield* Effect.fail(refusal)
      const result: AppendManyResult = yield* store.appendMany(requests)
      const after = yield* registered(bySchool)
      const [late] = after
      if (late === undefined) return result
      yield* compensate(after)
      return yield* Effect.fail(late)
    })

  return {
    ...store,
    appendMany,
    append: (request) =>
      Effect.map(
        appendMany([request]),
        (result) => result.streams[0] ?? { stream: request.stream, revision: -1, events: [] }
      )
  }
}
