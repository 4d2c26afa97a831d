/**
 * Reading Rapport events back: one stream forwards or backwards, pages of `$all` after a
 * position, the head position, and a catch-up-then-live subscription on `$all`.
 *
 * `$all` holds more than Rapport events: claim records, tombstones (`$streamDeleted`),
 * metadata, other applications' streams. Every read keeps a record only if its stream
 * name is a Rapport stream name (`EventStoreDbStreamName.parse`), its type does not
 * start with `$`, and it matches the filter exactly; its stream is the one its body
 * names, which must be the stream its name is under the store's key (a mismatch, or a
 * name written in clear by the adapter's first build, is a defect, never a silent skip). Subscriptions ask the server to
 * filter by stream-name prefix first (the encoding makes a school's prefix unique);
 * `readAll` cannot, because `@eventstore/db-client` 6.2.1 exposes no filter on reads,
 * so it scans at most `scanBudget` records per call and reports how far it got.
 *
 * The gRPC API reads `$all` only from a record's exact position. A position the adapter
 * handed out is always one; any other (`p - 1`, say) is rounded down to the record at or
 * before it, found by reading backwards from the end. This module must never return an
 * event at or before `after`, nor move `lastPosition` past a record it has not seen.
 *
 * @since 0.1.0
 */
import type {
  AllFilter,
  AllPage,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamId
} from "@rapport/event-store"
import { StreamName as PortStreamName, StoreUnavailable } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Checkpoint from "../Checkpoint.js"
import * as StreamName from "../EventStoreDbStreamName.js"
import { classify } from "./ClientFailure.js"
import { type Connection, callRead, type ServerFilter, type StoredRecord } from "./Connection.js"
import * as DeletedStreams from "./DeletedStreams.js"
import * as Envelope from "./Envelope.js"

/**
 * How much a read may do.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReadSettings {
  /** records of `$all` scanned at most by one `readAll` call (matching or not) */
  readonly scanBudget: number
  /** concurrent existence checks of streams */
  readonly concurrency: number
  /** the names of streams under the store's key */
  readonly naming: StreamName.Naming
}

const pageSize = 512

const toUnavailable = <A, E extends { readonly reason: string; readonly cause: unknown }>(
  effect: Effect.Effect<A, E>
): Effect.Effect<A, StoreUnavailable> =>
  Effect.mapError(effect, (failure) => new StoreUnavailable({ reason: failure.reason, cause: failure.cause }))

const positionOf = (record: StoredRecord): Effect.Effect<Position> => {
  const position = record.position === undefined ? undefined : Checkpoint.toPosition(record.position)
  return position === undefined
    ? Effect.die(new Error(`record ${record.eventId} of ${record.streamName} has no usable $all position`))
    : Effect.succeed(position)
}

const matches = (parts: StreamName.NameParts, type: string, filter: AllFilter | undefined): boolean =>
  (filter?.school === undefined || parts.school === filter.school) &&
  (filter?.kinds === undefined || filter.kinds.includes(parts.kind)) &&
  (filter?.types === undefined || filter.types.includes(type))

/** Whether a record of `$all` is a Rapport event that passes the filter (by its name and type). */
const candidate = (record: StoredRecord, filter: AllFilter | undefined): boolean => {
  if (record.type.startsWith("$")) return false
  const parts = StreamName.parse(record.streamName)
  return parts !== undefined && matches(parts, record.type, filter)
}

/** Whether a record is the tombstone of a Rapport stream. */
const isTombstone = (record: StoredRecord): boolean =>
  record.type === "$streamDeleted" && StreamName.parse(record.streamName) !== undefined

/** Dies on an event of a stream named in clear (the adapter's first build): such a store is never half read. */
const refuseClearNames = (records: ReadonlyArray<StoredRecord>): Effect.Effect<void> => {
  const clear = records.find((record) => !record.type.startsWith("$") && StreamName.isClearName(record.streamName))
  return clear === undefined
    ? Effect.void
    : Effect.die(
        new Error(
          `EventStoreDB stream ${clear.streamName} is named in clear, by an earlier build of @rapport/event-store-eventstoredb; copy the store's events into a new database (docs/operations.md, "Stores written with names in clear")`
        )
      )
}

/** The event in a record of `$all` that `candidate` kept; its stream comes from its body and must match its name. */
const decodeEvent = (naming: StreamName.Naming, record: StoredRecord): Effect.Effect<RecordedEvent> => {
  const id = Envelope.streamIdOf(record)
  const stream = id === undefined ? undefined : naming.decode(record.streamName, id)
  if (stream === undefined) {
    return Effect.die(
      new Error(
        `event ${record.revision} of stream ${record.streamName} is not named as its stream is under this key: EVENTSTOREDB_STREAM_KEY must be the key the store was written with`
      )
    )
  }
  const event = Envelope.fromRecord(stream, record)
  return typeof event === "string" ? Effect.die(new Error(event)) : Effect.succeed(event)
}

/**
 * The server-side filter for a port filter: stream-name prefixes that select exactly the
 * requested schools and kinds (or all Rapport streams), or event-type prefixes when only
 * types are given.
 *
 * @since 0.1.0
 * @category filters
 */
export const serverFilter = (filter: AllFilter | undefined): ServerFilter => {
  if (
    filter?.school === undefined &&
    filter?.kinds === undefined &&
    filter?.types !== undefined &&
    filter.types.length > 0
  ) {
    return { on: "eventType", prefixes: [...filter.types] }
  }
  if (filter?.school === undefined && filter?.kinds === undefined)
    return { on: "streamName", prefixes: [StreamName.namespace] }
  const kinds = filter.kinds ?? PortStreamName.kinds
  return { on: "streamName", prefixes: kinds.map((kind) => StreamName.streamPrefix(kind, filter.school)) }
}

/**
 * Reads one stream.
 *
 * @since 0.1.0
 * @category operations
 */
export const readStream =
  (connection: Connection, naming: StreamName.Naming) =>
  (stream: StreamId, options?: ReadStreamOptions): Effect.Effect<ReadonlyArray<RecordedEvent>, StoreUnavailable> => {
    const backwards = options?.direction === "backwards"
    const maxCount = options?.maxCount ?? Number.MAX_SAFE_INTEGER
    const fromRevision = options?.fromRevision
    if (PortStreamName.problem(stream) !== undefined || maxCount <= 0) return Effect.succeed([])
    if (backwards && fromRevision !== undefined && fromRevision < 0) return Effect.succeed([])
    const from =
      fromRevision === undefined || (!backwards && fromRevision <= 0)
        ? backwards
          ? ("end" as const)
          : ("start" as const)
        : BigInt(fromRevision)
    const name = naming.encode(stream)
    const read = callRead(`read of ${name}`, () =>
      connection.readStream(name, { direction: backwards ? "backwards" : "forwards", from, maxCount })
    )
    return toUnavailable(Effect.catchTag(read, "StreamTombstoned", () => Effect.succeed("no-stream" as const))).pipe(
      Effect.flatMap((records) =>
        records === "no-stream"
          ? Effect.succeed([])
          : Effect.try({
              try: () =>
                records.flatMap((record) => {
                  if (record.type.startsWith("$")) return []
                  const event = Envelope.fromRecord(stream, record)
                  if (typeof event === "string") throw new Error(event)
                  return [event]
                }),
              catch: (error) => error
            }).pipe(Effect.orDie)
      )
    )
  }

/** Reads a page of `$all` forwards from `from` (inclusive); `"rejected"` when the server refuses the position. */
const readAllFrom = (
  connection: Connection,
  from: Checkpoint.Checkpoint | "start",
  maxCount: number
): Effect.Effect<ReadonlyArray<StoredRecord> | "rejected", StoreUnavailable> =>
  Effect.catch(
    Effect.tryPromise({
      try: () => connection.readAll({ direction: "forwards", from, maxCount }),
      catch: (e: unknown) => e
    }),
    (error): Effect.Effect<"rejected", StoreUnavailable> => {
      const failure = classify(error)
      if (failure !== undefined && failure !== "stream-not-found" && failure._tag === "Unreachable") {
        return Effect.fail(new StoreUnavailable({ reason: failure.reason, cause: failure.cause }))
      }
      // Reading from the middle of a record makes the server fail the read; anything
      // else wrong will fail the backwards search too, and die there.
      return from === "start" ? Effect.die(error) : Effect.succeed("rejected")
    }
  )

/** The record at or before `position`, found from the end; `"start"` when there is none. */
const boundaryAtOrBefore = (
  connection: Connection,
  position: Position
): Effect.Effect<Checkpoint.Checkpoint | "start", StoreUnavailable> =>
  Effect.gen(function* () {
    let from: Checkpoint.Checkpoint | "end" = "end"
    for (;;) {
      const page = yield* toUnavailable(
        Effect.catchTag(
          callRead("backwards read of $all", () =>
            connection.readAll({ direction: "backwards", from, maxCount: pageSize })
          ),
          "StreamTombstoned",
          Effect.die
        )
      )
      for (const record of page) {
        if (record.position !== undefined && record.position.commit <= BigInt(position)) return record.position
      }
      const last = page[page.length - 1]
      if (page.length < pageSize || last?.position === undefined) return "start"
      from = last.position
    }
  })

/** The position to subscribe to `$all` from so that every record after `after` is seen. */
const startAfter = (
  connection: Connection,
  after: Position
): Effect.Effect<Checkpoint.Checkpoint | "start", StoreUnavailable> => {
  if (after <= 0) return Effect.succeed("start")
  const exact = Checkpoint.fromPosition(after)
  return Effect.flatMap(readAllFrom(connection, exact, 1), (probe) =>
    probe === "rejected" ? boundaryAtOrBefore(connection, after) : Effect.succeed(exact)
  )
}

/**
 * Reads a page of matching events after a position.
 *
 * @since 0.1.0
 * @category operations
 */
export const readAll =
  (connection: Connection, settings: ReadSettings, deleted: DeletedStreams.DeletedStreams) =>
  (options: ReadAllOptions): Effect.Effect<AllPage, StoreUnavailable> =>
    Effect.gen(function* () {
      const deletions = DeletedStreams.session(connection, deleted, settings.concurrency)
      const max = options.maxCount ?? Number.POSITIVE_INFINITY
      if (max <= 0) return { events: [], lastPosition: options.after, isEnd: false }
      let from: Checkpoint.Checkpoint | "start" = options.after <= 0 ? "start" : Checkpoint.fromPosition(options.after)
      let rounded = false
      const events: Array<RecordedEvent> = []
      let lastPosition = options.after
      let scanned = 0
      for (;;) {
        // Reads from a position return the record at it first, which was already seen.
        const want = Math.max(1, Math.min(pageSize, settings.scanBudget - scanned)) + (from === "start" ? 0 : 1)
        const page = yield* readAllFrom(connection, from, want)
        if (page === "rejected") {
          // `after` is not a record's position: start from the record at or before it, once.
          if (rounded)
            return yield* Effect.die(
              new Error(
                `EventStoreDB refused to read $all from record ${from === "start" ? "start" : Checkpoint.encodeCheckpoint(from)}`
              )
            )
          rounded = true
          from = yield* boundaryAtOrBefore(connection, options.after)
          continue
        }
        yield* refuseClearNames(page)
        const fresh: Array<{ readonly record: StoredRecord; readonly position: Position }> = []
        for (const record of page) {
          const position = yield* positionOf(record)
          if (position > (fresh[fresh.length - 1]?.position ?? lastPosition)) fresh.push({ record, position })
        }
        for (const { record } of fresh) if (isTombstone(record)) deletions.noteTombstone(record.streamName)
        const gone = yield* deletions.gone(
          fresh.flatMap(({ record }) => (candidate(record, options.filter) ? [record.streamName] : []))
        )
        let step: "full" | undefined
        for (const { record, position } of fresh) {
          scanned++
          lastPosition = position
          if (candidate(record, options.filter) && !gone.has(record.streamName)) {
            events.push(yield* decodeEvent(settings.naming, record))
          }
          if (events.length >= max) {
            step = "full"
            break
          }
        }
        if (step === "full") return { events, lastPosition, isEnd: false }
        const last = page[page.length - 1]
        if (page.length < want || last?.position === undefined) return { events, lastPosition, isEnd: true }
        if (scanned >= settings.scanBudget) return { events, lastPosition, isEnd: false }
        from = last.position
      }
    })

/**
 * The position of the last Rapport event in `$all`, 0 when there is none.
 *
 * @since 0.1.0
 * @category operations
 */
export const headPosition = (connection: Connection): Effect.Effect<Position, StoreUnavailable> =>
  Effect.gen(function* () {
    let from: Checkpoint.Checkpoint | "end" = "end"
    for (;;) {
      const page = yield* toUnavailable(
        Effect.catchTag(
          callRead("backwards read of $all", () =>
            connection.readAll({ direction: "backwards", from, maxCount: pageSize })
          ),
          "StreamTombstoned",
          Effect.die
        )
      )
      yield* refuseClearNames(page)
      for (const record of page) {
        if (!record.type.startsWith("$") && StreamName.parse(record.streamName) !== undefined) {
          return yield* positionOf(record)
        }
      }
      const last = page[page.length - 1]
      if (page.length < pageSize || last?.position === undefined) return 0
      from = last.position
    }
  })

/**
 * Catches up from `after`, then stays live, on a server-side filtered subscription to
 * `$all`; every matching event once, in position order.
 *
 * @since 0.1.0
 * @category operations
 */
export const subscribe =
  (connection: Connection, settings: ReadSettings, deleted: DeletedStreams.DeletedStreams) =>
  (options: ReadAllOptions): Stream.Stream<RecordedEvent, StoreUnavailable> =>
    Stream.unwrap(
      Effect.gen(function* () {
        const from = yield* startAfter(connection, options.after)
        const live = yield* Effect.acquireRelease(
          Effect.sync(() => connection.subscribeToAll({ from, filter: serverFilter(options.filter) })),
          (subscription) => Effect.promise(() => subscription.stop())
        )
        const deletions = DeletedStreams.session(connection, deleted, settings.concurrency)
        let last = options.after
        const handle = (record: StoredRecord): Effect.Effect<RecordedEvent | undefined, StoreUnavailable> =>
          Effect.gen(function* () {
            const position = yield* positionOf(record)
            if (position <= last) return undefined
            last = position
            if (isTombstone(record)) deletions.noteTombstone(record.streamName)
            yield* refuseClearNames([record])
            if (!candidate(record, options.filter)) return undefined
            const gone = yield* deletions.gone([record.streamName])
            return gone.has(record.streamName) ? undefined : yield* decodeEvent(settings.naming, record)
          })
        return Stream.fromAsyncIterable(live.records, (error) => error).pipe(
          Stream.catch((error: unknown) => {
            const failure = classify(error)
            return failure !== undefined && failure !== "stream-not-found" && failure._tag === "Unreachable"
              ? Stream.fail(new StoreUnavailable({ reason: failure.reason, cause: failure.cause }))
              : Stream.die(error)
          }),
          Stream.mapEffect(handle),
          Stream.filter((event): event is RecordedEvent => event !== undefined)
        )
      })
    )
