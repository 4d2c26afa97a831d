/**
 * An erasure waits while an inspection request about the student is open: notes are
 * education records, and a student who asked to inspect them must get them before they
 * go. This wrapper of the event store refuses a `StudentErasureRequested` for a student
 * whose stream holds an `InspectionRequested` not yet fulfilled (`InvalidAppend`, answered
 * 400 with the sentence below); once the request is fulfilled, the erasure proceeds and
 * removes concerns, notes and cases with the rest of the stream.
 *
 * It wraps the store the server appends through (HTTP ingestion and the advising routes);
 * `rapport import` writes through the installation's store and is not held.
 *
 * @since 0.4.0
 */
import { Advising } from "@rapport/core"
import { type AppendRequest, type EventStoreShape, InvalidAppend } from "@rapport/event-store"
import * as Effect from "effect/Effect"

/**
 * The sentence of a held erasure.
 *
 * @since 0.4.0
 * @category constants
 */
export const heldSentence =
  "The erasure of this student waits: an inspection request about them is open. Fulfil it (POST /v1/advising/students/{id}/inspection-requests/{requestId}/fulfil), then send the erasure again."

const erasures = (requests: ReadonlyArray<AppendRequest>): ReadonlyArray<AppendRequest> =>
  requests.filter((r) => r.stream.kind === "student" && r.events.some((e) => e.type === "StudentErasureRequested"))

/**
 * Wraps a store so that erasures wait for open inspection requests.
 *
 * @since 0.4.0
 * @category constructors
 */
export const hold = (store: EventStoreShape): EventStoreShape => {
  const check = (requests: ReadonlyArray<AppendRequest>) =>
    Effect.forEach(erasures(requests), (request) =>
      Effect.flatMap(store.readStream(request.stream), (recorded) => {
        const open = new Set<string>()
        for (const r of recorded) {
          const event = Advising.AdvisingEvent.fromStored(r)
          if (event?.type === "InspectionRequested") open.add(event.data.requestId)
          if (event?.type === "InspectionFulfilled") open.delete(event.data.requestId)
        }
        return open.size === 0 ? Effect.void : Effect.fail(new InvalidAppend({ reason: heldSentence }))
      })
    )
  return {
    ...store,
    append: (request) => Effect.andThen(check([request]), () => store.append(request)),
    appendMany: (requests) => Effect.andThen(check(requests), () => store.appendMany(requests))
  }
}
