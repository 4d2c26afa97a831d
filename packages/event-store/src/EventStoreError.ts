/**
 * Typed failures of the EventStore port. Each carries what a caller needs to act:
 * the stream, the expected and actual revision, the conflicting event id. A store that
 * cannot be reached is its own error, distinct from a conflict, so the server can answer
 * 503 rather than 409.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import type { ExpectedState, Revision, StreamId } from "./EventStore.js"

/**
 * A stream was not in the expected state. `actual` is the stream's last revision, or
 * `"no-stream"` when it does not exist.
 *
 * @since 0.1.0
 * @category errors
 */
export class WrongExpectedRevision extends Data.TaggedError("WrongExpectedRevision")<{
  readonly stream: StreamId
  readonly expected: ExpectedState
  readonly actual: Revision | "no-stream"
}> {
  override get message(): string {
    const expected = this.expected._tag === "Exact" ? `revision ${this.expected.revision}` : this.expected._tag
    return `stream ${this.stream.kind}/${this.stream.id} of school ${this.stream.school}: expected ${expected}, found ${this.actual}`
  }
}

/**
 * The same event id is already stored in this school (or repeated in the request) with
 * other content.
 *
 * @since 0.1.0
 * @category errors
 */
export class EventIdConflict extends Data.TaggedError("EventIdConflict")<{
  readonly school: string
  readonly eventId: string
  /** the content hash already stored (or seen first in the request) */
  readonly storedHash: string
  /** the content hash of the rejected event */
  readonly attemptedHash: string
}> {
  override get message(): string {
    return `event ${this.eventId} of school ${this.school} was already stored with other content`
  }
}

/**
 * A stream cannot be written because it was deleted for good: by the store (EventStoreDB
 * hard delete; adapters that can recreate deleted streams never raise it), or by a layer
 * above the store that refuses writes to erased streams (Rapport's server does).
 *
 * @since 0.1.0
 * @category errors
 */
export class StreamDeleted extends Data.TaggedError("StreamDeleted")<{
  readonly stream: StreamId
  /**
   * every stream of the request that is deleted for good, when the refusing layer knows
   * them all (`stream` is one of them); absent when only `stream` is known
   *
   * @since 0.2.0
   */
  readonly streams?: ReadonlyArray<StreamId> | undefined
}> {}

/**
 * The store could not be reached or failed to answer; nothing can be said about whether
 * a write happened, so the caller retries (appends are idempotent).
 *
 * @since 0.1.0
 * @category errors
 */
export class StoreUnavailable extends Data.TaggedError("StoreUnavailable")<{
  readonly reason: string
  readonly cause?: unknown
  /**
   * true when the store is out of space (a full disk, or a size limit reached): retrying
   * will not help until an operator makes room. Adapters that cannot tell leave it unset.
   *
   * @since 0.2.0
   */
  readonly outOfSpace?: boolean | undefined
}> {
  override get message(): string {
    return `event store unavailable: ${this.reason}`
  }
}

/**
 * A request the port refuses before touching storage (an empty stream id, an event too
 * large for the adapter, the same stream twice in one `appendMany`).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidAppend extends Data.TaggedError("InvalidAppend")<{
  readonly reason: string
}> {}

/**
 * @since 0.1.0
 * @category errors
 */
export type AppendError = WrongExpectedRevision | EventIdConflict | StreamDeleted | StoreUnavailable | InvalidAppend

/**
 * @since 0.1.0
 * @category errors
 */
export type EventStoreError = AppendError
