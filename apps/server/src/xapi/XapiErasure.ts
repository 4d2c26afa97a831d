/**
 * Erasure reaches xAPI statements: when a student is erased, the index entries of the
 * statements kept in their stream go (the stream itself is deleted by the projector with
 * the rest of their events), and so do the statements kept unmatched under their
 * directory entry's e-mail address (a stream of their own, deleted here, before the
 * directory entry goes).
 *
 * This module must never keep, log or return the erased student's id or address.
 *
 * @since 0.3.0
 */
import type { EventStoreShape } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { ControlUnavailable } from "../control/ControlError.js"
import type { ControlStore } from "../control/ControlStore.js"
import { unmatchedStreamOfEmail } from "./Actors.js"
import type { StatementIndex } from "./StatementIndex.js"

/**
 * Forgets a student's statements (index entries, and the unmatched statements their
 * address would match). Idempotent.
 *
 * @since 0.3.0
 * @category operations
 */
export const eraseStudent = (
  deps: { readonly store: EventStoreShape; readonly control: ControlStore; readonly statements: StatementIndex },
  school: string,
  studentId: string
): Effect.Effect<void, ControlUnavailable> =>
  Effect.gen(function* () {
    const entry = yield* deps.control.getDirectory(school, "student", studentId)
    yield* deps.statements.eraseStream(school, "student", studentId)
    if (entry?.email === null || entry?.email === undefined) return
    const stream = unmatchedStreamOfEmail(school, entry.email)
    yield* deps.store
      .deleteStream(stream)
      .pipe(
        Effect.mapError(
          (error) => new ControlUnavailable({ operation: "xapi.erase", reason: error.reason, cause: error })
        )
      )
    yield* deps.statements.eraseStream(school, stream.kind, stream.id)
  })
