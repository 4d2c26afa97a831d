/**
 * Rapport's embedded event store: one SQLite file through `node:sqlite` (built into
 * Node 22.13+, no native addon), implementing the `EventStore` port.
 *
 * Durability: WAL with `synchronous=FULL`, so an append is on disk when it returns.
 * One writer, by default in a `worker_thread`, commits concurrent appends together
 * (group commit, a savepoint per request, so a failing request never takes the others
 * down) and keeps fsyncs and inserts off the main thread. Reads run on a connection of
 * their own on the calling thread. Subscriptions wake at once on this store's commits
 * and poll for commits made by other processes (`rapport project`) on the same file.
 * Erasure deletes rows with `secure_delete=ON`, then checkpoints and truncates the WAL.
 *
 * This module must never report an append before it is durable, and never expose a
 * partly stored request.
 *
 * @since 0.1.0
 */
import {
  type AppendError,
  type AppendManyResult,
  type AppendRequest,
  type AppendResult,
  EventIdConflict,
  EventStore,
  type EventStoreShape,
  InvalidAppend,
  StoreUnavailable,
  Subscription,
  WrongExpectedRevision
} from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import type * as Scope from "effect/Scope"
import * as Reader from "./internal/Reader.js"
import * as Sqlite from "./internal/Sqlite.js"
import type * as Writer from "./internal/Writer.js"
import * as Jobs from "./internal/Jobs.js"
import * as WriterClient from "./internal/WriterClient.js"

/**
 * Where the writer runs. `"thread"` (the default) commits in a `worker_thread` with
 * group commit; `"inline"` commits on the calling thread, blocking its event loop for
 * each transaction (see docs/operations.md for the measurements behind the default).
 *
 * @since 0.1.0
 * @category models
 */
export type WriterMode = "thread" | "inline"

/**
 * Options of {@link make}. Only `path` is required; see {@link defaults}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** the database file; created with its schema if missing */
  readonly path: string
  /** how long a connection waits for another's lock before `StoreUnavailable` */
  readonly busyTimeoutMillis?: number | undefined
  /** how often subscriptions look for commits made by other processes */
  readonly pollIntervalMillis?: number | undefined
  readonly writer?: WriterMode | undefined
  /** caps the file at this many pages (`PRAGMA max_page_count`); appends beyond fail with `StoreUnavailable` */
  readonly maxPageCount?: number | undefined
}

/**
 * The defaults of every optional setting.
 *
 * @since 0.1.0
 * @category models
 */
export const defaults = {
  busyTimeoutMillis: 5_000,
  pollIntervalMillis: 100,
  writer: "thread"
} as const satisfies Omit<Required<Options>, "path" | "maxPageCount">

const Millis = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

/**
 * The schema {@link make} checks its options against: `path` a file (not `:memory:`,
 * whose connections would each see a different database), times in whole milliseconds.
 *
 * @since 0.1.0
 * @category models
 */
export const OptionsSchema = Schema.Struct({
  path: Schema.String.check(
    Schema.isNonEmpty(),
    Schema.makeFilter((path: string) =>
      path === ":memory:" ? "use InMemoryEventStore for a store in memory" : undefined
    )
  ),
  busyTimeoutMillis: Schema.optional(Millis),
  pollIntervalMillis: Schema.optional(Millis.check(Schema.isGreaterThan(0))),
  writer: Schema.optional(Schema.Literals(["thread", "inline"])),
  maxPageCount: Schema.optional(Schema.Int.check(Schema.isGreaterThan(0)))
})

const optionsProblem = (options: Options): string | undefined => {
  const decoded = Schema.decodeUnknownResult(OptionsSchema)(options, { errors: "all", onExcessProperty: "error" })
  if (Result.isSuccess(decoded)) return undefined
  const { issues } = SchemaIssue.makeFormatterStandardSchemaV1()(decoded.failure.issue)
  return issues.map((issue) => `${(issue.path ?? []).join(".") || "options"}: ${issue.message}`).join("; ")
}

/**
 * An open store: the port plus `close`, which finishes the writes in flight and then
 * closes the file. Every operation after `close` fails with `StoreUnavailable`.
 *
 * @since 0.1.0
 * @category models
 */
export interface SqliteEventStore extends EventStoreShape {
  readonly close: Effect.Effect<void>
}

const unavailable = (reason: string, cause?: unknown, outOfSpace = false): StoreUnavailable =>
  new StoreUnavailable({ reason, ...(cause === undefined ? {} : { cause }), ...(outOfSpace ? { outOfSpace } : {}) })

const fromFailure = (failure: Writer.Failure): Effect.Effect<never, AppendError> => {
  switch (failure._tag) {
    case "WrongExpectedRevision":
      return Effect.fail(
        new WrongExpectedRevision({ stream: failure.stream, expected: failure.expected, actual: failure.actual })
      )
    case "EventIdConflict":
      return Effect.fail(
        new EventIdConflict({
          school: failure.school,
          eventId: failure.eventId,
          storedHash: failure.storedHash,
          attemptedHash: failure.attemptedHash
        })
      )
    case "InvalidAppend":
      return Effect.fail(new InvalidAppend({ reason: failure.reason }))
    case "StoreUnavailable":
      return Effect.fail(unavailable(failure.reason, undefined, failure.outOfSpace === true))
    case "Defect": {
      const error = new Error(failure.message)
      if (failure.stack !== undefined) error.stack = failure.stack
      return Effect.die(error)
    }
  }
}

/** Runs a synchronous read; storage failures fail, bugs die. */
const reading = <A>(isOpen: () => boolean, read: () => A): Effect.Effect<A, StoreUnavailable> =>
  Effect.suspend(() => {
    if (!isOpen()) return Effect.fail(unavailable("the store is closed"))
    try {
      return Effect.succeed(read())
    } catch (error) {
      const failure = Sqlite.unavailable(error)
      return failure === undefined
        ? Effect.die(error)
        : Effect.fail(unavailable(failure.reason, error, failure.outOfSpace))
    }
  })

const startWriter = (
  mode: WriterMode,
  settings: Sqlite.ConnectionSettings
): Effect.Effect<WriterClient.WriterClient, StoreUnavailable> =>
  mode === "inline"
    ? Effect.suspend(() => {
        try {
          return Effect.succeed(WriterClient.makeInline(settings))
        } catch (error) {
          const failure = Sqlite.unavailable(error)
          const reason = failure?.reason ?? (error instanceof Error ? error.message : String(error))
          return Effect.fail(unavailable(`the store could not be opened: ${reason}`, error))
        }
      })
    : Effect.callback<WriterClient.WriterClient, StoreUnavailable>((resume) => {
        const starting = WriterClient.inThread(settings, (result) => {
          if ("submit" in result) resume(Effect.succeed(result))
          else resume(Effect.fail(unavailable(`the store could not be opened: ${describe(result)}`)))
        })
        return Effect.sync(starting.abort)
      })

const describe = (failure: Writer.Failure): string =>
  failure._tag === "StoreUnavailable" || failure._tag === "InvalidAppend" ? failure.reason : failure._tag

const openReader = (settings: Sqlite.ConnectionSettings): Effect.Effect<Reader.Reader, StoreUnavailable> =>
  Effect.suspend(() => {
    try {
      return Effect.succeed(Reader.make(settings))
    } catch (error) {
      const failure = Sqlite.unavailable(error)
      return failure === undefined
        ? Effect.die(error)
        : Effect.fail(unavailable(`the store could not be opened: ${failure.reason}`, error))
    }
  })

const closeWriter = (writer: WriterClient.WriterClient): Effect.Effect<void> =>
  Effect.callback<void>((resume) => writer.close(() => resume(Effect.void)))

/**
 * Opens (creating and migrating if needed) the store at `options.path`. Fails with
 * `StoreUnavailable` when the file cannot be opened, is locked beyond the busy timeout,
 * or was written by a newer schema. Close it with `close` (or use {@link scoped}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<SqliteEventStore, StoreUnavailable> =>
  Effect.gen(function* () {
    const problem = optionsProblem(options)
    if (problem !== undefined) return yield* Effect.fail(unavailable(`invalid options: ${problem}`))
    const settings: Sqlite.ConnectionSettings = {
      path: options.path,
      busyTimeoutMillis: options.busyTimeoutMillis ?? defaults.busyTimeoutMillis,
      maxPageCount: options.maxPageCount
    }
    const writer = yield* startWriter(options.writer ?? defaults.writer, settings)
    const reader = yield* Effect.onError(openReader(settings), () => closeWriter(writer))
    let open = true
    const isOpen = () => open
    const wakeUp = Subscription.makeWakeUp()

    const submit = (job: Jobs.Job) =>
      Effect.callback<Jobs.Outcome>((resume) => {
        writer.submit(job, (outcome) => {
          if (Jobs.changed(outcome)) wakeUp.notify()
          resume(Effect.succeed(outcome))
        })
      })

    const appendMany = (requests: ReadonlyArray<AppendRequest>): Effect.Effect<AppendManyResult, AppendError> =>
      Effect.flatMap(submit({ _tag: "Append", requests }), (outcome) =>
        outcome._tag === "Appended"
          ? Effect.succeed(outcome.result)
          : outcome._tag === "Deleted"
            ? Effect.die(new Error("writer answered an append with a deletion"))
            : fromFailure(outcome)
      )

    const append = (request: AppendRequest): Effect.Effect<AppendResult, AppendError> =>
      Effect.flatMap(appendMany([request]), (result) => {
        const first = result.streams[0]
        return first === undefined
          ? Effect.die(new Error("writer lost the stream of an append"))
          : Effect.succeed(first)
      })

    const deletion = (job: Jobs.Job): Effect.Effect<number, StoreUnavailable> =>
      Effect.flatMap(submit(job), (outcome) => {
        if (outcome._tag === "Deleted") return Effect.succeed(outcome.events)
        if (outcome._tag === "StoreUnavailable") return Effect.fail(unavailable(outcome.reason))
        if (outcome._tag === "Defect") return Effect.die(new Error(outcome.message))
        return Effect.die(new Error(`writer answered a deletion with ${outcome._tag}`))
      })

    const store: SqliteEventStore = {
      capabilities: {
        atomicMultiStreamAppend: true,
        physicalDelete: true,
        recreateDeletedStream: true,
        deleteEvents: true
      },
      append,
      appendMany,
      readStream: (stream, readOptions) => reading(isOpen, () => reader.readStream(stream, readOptions)),
      readAll: (readOptions) => reading(isOpen, () => reader.readAll(readOptions)),
      readPositions: (school, positions) => reading(isOpen, () => reader.readPositions(school, positions)),
      subscribe: (subscribeOptions) =>
        Subscription.make(
          {
            readAll: store.readAll,
            wakeUp,
            pollInterval: options.pollIntervalMillis ?? defaults.pollIntervalMillis
          },
          subscribeOptions
        ),
      headPosition: reading(isOpen, () => reader.headPosition()),
      deleteStream: (stream) => Effect.asVoid(deletion({ _tag: "Delete", stream })),
      deleteEvents: (school, positions) => deletion({ _tag: "DeleteEvents", school, positions: [...positions] }),
      listStreams: (filter) => reading(isOpen, () => reader.listStreams(filter)),
      close: Effect.suspend(() => {
        if (!open) return Effect.void
        open = false
        reader.close()
        wakeUp.notify()
        return closeWriter(writer)
      })
    }
    return store
  })

/**
 * {@link make}, closed when the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const scoped = (options: Options): Effect.Effect<SqliteEventStore, StoreUnavailable, Scope.Scope> =>
  Effect.acquireRelease(make(options), (store) => store.close)

/**
 * A layer providing the `EventStore` service from the file at `options.path`, closed
 * with the layer's scope.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<EventStore, StoreUnavailable> =>
  Layer.effect(EventStore, scoped(options))
