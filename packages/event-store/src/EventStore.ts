/**
 * The EventStore port: what every storage adapter (in-memory, SQLite, PostgreSQL,
 * EventStoreDB/KurrentDB) must provide, as an Effect service.
 *
 * Streams are identified by structure (`{ school, kind, id }`), never by string
 * prefixes; each adapter encodes them so that no school or id collides with another's
 * prefix. Deduplication by `(school, event id)` on the canonical content hash lives in
 * the store. This module must never know about HTTP, the clock of the domain, or how
 * read models are built.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
import * as Context from "effect/Context"
import type { AppendError, StoreUnavailable } from "./EventStoreError.js"

/**
 * What a stream belongs to: one student, one faculty member, the school itself (events
 * about no one person, such as `EventRetracted`), or the school's directory entries.
 *
 * @since 0.1.0
 * @category models
 */
export type StreamKind = "student" | "faculty" | "school" | "directory"

/**
 * A stream, identified by structure. `school` and `id` are opaque strings (1–128
 * characters); adapters must encode them without prefix collisions.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamId {
  readonly school: string
  readonly kind: StreamKind
  readonly id: string
}

/**
 * A global position: a non-negative safe integer that strictly increases in commit
 * order across the whole store. `0` means "before the first event"; the first stored
 * event has a position greater than 0. Consumers store it as their checkpoint.
 *
 * @since 0.1.0
 * @category models
 */
export type Position = number

/**
 * A stream revision: the 0-based index of an event within its stream.
 *
 * @since 0.1.0
 * @category models
 */
export type Revision = number

/**
 * An event to append. It has already been validated by `@rapport/core`; `occurredAt`
 * is an RFC 3339 UTC instant as `@rapport/core` normalises it, and `data` is plain JSON.
 * The content hash used for deduplication is computed by the store from
 * `{ type, v, occurredAt, data }` (see `@rapport/core` `Canonical`); `source` is not part of it.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewEvent {
  readonly id: string
  readonly type: string
  readonly v: number
  readonly occurredAt: string
  readonly source?: string | undefined
  readonly data: unknown
}

/**
 * An event as stored.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedEvent extends NewEvent {
  readonly stream: StreamId
  readonly revision: Revision
  readonly position: Position
  /** hex SHA-256 of the canonical content */
  readonly contentHash: string
  /** when the store committed it (ISO 8601 UTC); informational, never used by folds */
  readonly recordedAt: string
}

/**
 * The state a stream must be in for an append to proceed.
 *
 * @since 0.1.0
 * @category models
 */
export type ExpectedState =
  | { readonly _tag: "Any" }
  | { readonly _tag: "NoStream" }
  | { readonly _tag: "StreamExists" }
  | { readonly _tag: "Exact"; readonly revision: Revision }

/**
 * @since 0.1.0
 * @category constructors
 */
export const ExpectedState = {
  any: { _tag: "Any" } as ExpectedState,
  noStream: { _tag: "NoStream" } as ExpectedState,
  streamExists: { _tag: "StreamExists" } as ExpectedState,
  exact: (revision: Revision): ExpectedState => ({ _tag: "Exact", revision })
} as const

/**
 * One stream's part of an append.
 *
 * Semantics shared by every adapter (the conformance suite checks them):
 * - events whose `(school, id)` is already stored with the same content hash are
 *   duplicates: nothing is stored for them and their original revision and position
 *   are returned; an exact repeat inside the same request counts once;
 * - an id already stored (or repeated in the request) with other content fails the whole
 *   request with `EventIdConflict`;
 * - if every event of the request is a duplicate, the request succeeds without checking
 *   expected states (a retry after a timeout must not fail);
 * - otherwise each stream's expected state is checked against the stream as it is, and
 *   a mismatch fails the whole request with `WrongExpectedRevision`;
 * - a request with no events at all still checks its expected states (and stores nothing);
 * - new events get positions in request order (stream by stream, event by event) and
 *   revisions from the stream's last revision + 1 (0 for a new stream);
 * - a duplicate counts as a duplicate wherever the original is stored (another stream of
 *   the same school included); two schools never share ids;
 * - invalid stream ids (see `StreamName.problem`) and the same stream twice in one
 *   `appendMany` fail with `InvalidAppend` before anything is written.
 *
 * @since 0.1.0
 * @category models
 */
export interface AppendRequest {
  readonly stream: StreamId
  readonly expected: ExpectedState
  readonly events: ReadonlyArray<NewEvent>
}

/**
 * The outcome for one event of an append, in request order.
 *
 * @since 0.1.0
 * @category models
 */
export interface AppendedEvent {
  readonly id: string
  readonly revision: Revision
  readonly position: Position
  readonly duplicate: boolean
}

/**
 * @since 0.1.0
 * @category models
 */
export interface AppendResult {
  readonly stream: StreamId
  /** the stream's last revision after the append (-1 when the stream still has no events) */
  readonly revision: Revision
  readonly events: ReadonlyArray<AppendedEvent>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface AppendManyResult {
  readonly streams: ReadonlyArray<AppendResult>
  readonly stored: number
  readonly duplicates: number
  /** the highest position of any event in the request (stored or duplicate); a reader that has passed it sees all of them */
  readonly position: Position
}

/**
 * @since 0.1.0
 * @category models
 */
export interface ReadStreamOptions {
  readonly direction?: "forwards" | "backwards" | undefined
  /** inclusive; defaults to the first (forwards) or last (backwards) revision */
  readonly fromRevision?: Revision | undefined
  readonly maxCount?: number | undefined
}

/**
 * A filter on the global log. Every field narrows; absent means "all".
 *
 * @since 0.1.0
 * @category models
 */
export interface AllFilter {
  readonly school?: string | undefined
  readonly kinds?: ReadonlyArray<StreamKind> | undefined
  readonly types?: ReadonlyArray<string> | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface ReadAllOptions {
  /** exclusive: events with a position greater than this */
  readonly after: Position
  readonly filter?: AllFilter | undefined
  readonly maxCount?: number | undefined
}

/**
 * A page of the global log. `lastPosition` is the position the reader may resume after,
 * even when every event in the scanned range was filtered out.
 *
 * The ordering guarantee every adapter must keep: once a reader has been given
 * `lastPosition` p (or an event at position p), no event with a position ≤ p may become
 * visible later. Adapters whose positions are allocated before commit (a PostgreSQL
 * sequence) must hold `lastPosition` back below any position still in flight.
 *
 * @since 0.1.0
 * @category models
 */
export interface AllPage {
  readonly events: ReadonlyArray<RecordedEvent>
  readonly lastPosition: Position
  /** true when the page reached the current end of the log */
  readonly isEnd: boolean
}

/**
 * What an adapter guarantees.
 *
 * @since 0.1.0
 * @category models
 */
export interface Capabilities {
  /** `appendMany` commits all streams or none */
  readonly atomicMultiStreamAppend: boolean
  /** `deleteStream` removes the bytes (after the adapter's documented maintenance step) */
  readonly physicalDelete: boolean
  /** a deleted stream can be written again (false for EventStoreDB hard deletes) */
  readonly recreateDeletedStream: boolean
  /**
   * `deleteEvents` deletes single events (retention), physically as `deleteStream` does.
   * Absent or false: the adapter cannot (EventStoreDB can only truncate a stream from its
   * start, and events arrive out of order), and leaves `deleteEvents` undefined.
   *
   * @since 0.2.0
   */
  readonly deleteEvents?: boolean | undefined
}

/**
 * Which streams `listStreams` lists.
 *
 * @since 0.2.0
 * @category models
 */
export interface StreamFilter {
  readonly kind: StreamKind
  /** one school's; every school's when absent */
  readonly school?: string | undefined
}

/**
 * The port.
 *
 * @since 0.1.0
 * @category models
 */
export interface EventStoreShape {
  readonly capabilities: Capabilities
  readonly append: (request: AppendRequest) => Effect.Effect<AppendResult, AppendError>
  readonly appendMany: (requests: ReadonlyArray<AppendRequest>) => Effect.Effect<AppendManyResult, AppendError>
  readonly readStream: (
    stream: StreamId,
    options?: ReadStreamOptions
  ) => Effect.Effect<ReadonlyArray<RecordedEvent>, StoreUnavailable>
  /**
   * one page of the global log after `options.after`. Rapport's projector follows the log
   * with it (not `subscribe`): it sizes and closes its own batches, and is woken by the
   * server or polls (docs/architecture.md, "Reading the log").
   */
  readonly readAll: (options: ReadAllOptions) => Effect.Effect<AllPage, StoreUnavailable>
  /**
   * Optional: the events of one school at these log positions, in position order; a
   * position with no event (erased, or of another school) is left out. For readers that
   * know where the events they need are (the read models keep them), instead of reading
   * whole streams. Adapters without it leave it undefined.
   *
   * @since 0.2.0
   */
  readonly readPositions?: (
    school: string,
    positions: ReadonlyArray<Position>
  ) => Effect.Effect<ReadonlyArray<RecordedEvent>, StoreUnavailable>
  /**
   * catch up from `after`, then stay live; every event exactly once, in position order.
   * Here `maxCount` is the page size, not a total; the stream ends only when interrupted.
   * Adapters can build it with `Subscription.make`. For consumers that want the log as a
   * live stream (an export, an integration); Rapport's projector pages with `readAll`.
   */
  readonly subscribe: (options: ReadAllOptions) => Stream.Stream<RecordedEvent, StoreUnavailable>
  /** the position of the last committed event (0 when empty); after a deletion it may still be a deleted event's position */
  readonly headPosition: Effect.Effect<Position, StoreUnavailable>
  /** physically delete a stream and its events (erasure); deleting a missing stream succeeds */
  readonly deleteStream: (stream: StreamId) => Effect.Effect<void, StoreUnavailable>
  /**
   * Optional (present when `capabilities.deleteEvents`): physically deletes single events
   * of one school, given by log position (retention), and answers how many it deleted. A
   * position holding no event of that school is ignored, so a caller can never delete
   * another school's events. The events left keep their revisions and positions; a
   * stream left without events no longer exists (`NoStream`); the deleted events' ids are
   * forgotten (the same id may be stored again); the head position never moves back.
   *
   * @since 0.2.0
   */
  readonly deleteEvents?: (
    school: string,
    positions: ReadonlyArray<Position>
  ) => Effect.Effect<number, StoreUnavailable>
  /**
   * Optional: every stream of a kind that holds at least one event, in no particular order
   * (maintenance that must find streams by something other than their id, such as
   * applying erasures again after a restore). Adapters without it leave it undefined;
   * callers then scan `readAll`.
   *
   * @since 0.2.0
   */
  readonly listStreams?: (filter: StreamFilter) => Effect.Effect<ReadonlyArray<StreamId>, StoreUnavailable>
}

/**
 * The EventStore service.
 *
 * @since 0.1.0
 * @category services
 */
export class EventStore extends Context.Service<EventStore, EventStoreShape>()("@rapport/event-store/EventStore") {}
