/**
 * Rapport's event store on PostgreSQL, through the pure-JavaScript client postgres.js.
 *
 * `make` connects, creates and migrates the store's own PostgreSQL schema (`rapport` by
 * default), and returns the `EventStore` port plus `close`. Guarantees:
 * - one `appendMany` is one transaction: all streams or none, deduplicated by
 *   `(school, event id)` on the content hash, expected states checked under row locks;
 * - positions are assigned under the `head` row lock held until commit, so they become
 *   visible in commit order and no reader ever skips an event that commits late;
 * - subscriptions catch up, then wake on LISTEN/NOTIFY, with polling as the fallback;
 * - an unreachable server or a dropped connection is `StoreUnavailable`, never a
 *   conflict; a failing transaction rolls back completely.
 *
 * This module must never know about HTTP or read models, and never hand out a position
 * that a later commit could fill in below.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import {
  type AppendError,
  type AppendManyResult,
  type AppendRequest,
  EventStore,
  type EventStoreShape,
  InvalidAppend,
  StoreUnavailable,
  Subscription
} from "@rapport/event-store"
import postgres from "postgres"
import * as Append from "./internal/Append.js"
import * as Failure from "./internal/Failure.js"
import * as Migrations from "./internal/Migrations.js"
import * as Notifier from "./internal/Notifier.js"
import * as Read from "./internal/Read.js"
import * as Validate from "./internal/Validate.js"

const int = (minimum: number, maximum: number) => Schema.Int.check(Schema.isBetween({ minimum, maximum }))

/**
 * The options of `make`, as a Schema so that a server can validate its configuration
 * before it connects. Every field but `url` has a default (see {@link defaults}).
 *
 * @since 0.1.0
 * @category models
 */
export const Options = Schema.Struct({
  /** a libpq-style connection URL, e.g. `postgres://user@host:5432/db` */
  url: Schema.String,
  /** the PostgreSQL schema (namespace) holding the store's tables; created if missing */
  schema: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^(?!pg_)[a-z_][a-z0-9_]{0,47}$/))),
  /** connections in the pool (the LISTEN connection of subscriptions comes on top) */
  maxConnections: Schema.optionalKey(int(1, 1000)),
  /** give up connecting after this long */
  connectTimeoutMs: Schema.optionalKey(int(100, 600_000)),
  /** close pooled connections idle this long */
  idleTimeoutMs: Schema.optionalKey(int(1_000, 86_400_000)),
  /** cancel any statement running longer (0: never) */
  statementTimeoutMs: Schema.optionalKey(int(0, 86_400_000)),
  /** subscriptions re-read this often when no notification comes */
  pollIntervalMs: Schema.optionalKey(int(10, 3_600_000)),
  /** events per read of a subscription */
  pageSize: Schema.optionalKey(int(1, 100_000)),
  /** shown in `pg_stat_activity` */
  applicationName: Schema.optionalKey(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Options = typeof Options.Type

/**
 * The defaults of every optional field of {@link Options}.
 *
 * @since 0.1.0
 * @category models
 */
export const defaults = {
  schema: "rapport",
  maxConnections: 10,
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  statementTimeoutMs: 0,
  pollIntervalMs: 1_000,
  pageSize: 500,
  applicationName: "rapport"
} as const

/**
 * The port plus what only this adapter has.
 *
 * @since 0.1.0
 * @category models
 */
export interface PostgresEventStoreShape extends EventStoreShape {
  /** the PostgreSQL schema the store lives in */
  readonly schema: string
  /** ends the pool and the LISTEN connection; idempotent */
  readonly close: Effect.Effect<void>
}

/** concurrent writers can make an append lose a race (a unique violation, a deadlock); it is re-run this often */
const maxAttempts = 8

const decodeOptions = (input: Options): Effect.Effect<Required<Options>, StoreUnavailable> => {
  const decoded = Schema.decodeUnknownResult(Options)(input, { errors: "all", onExcessProperty: "error" })
  if (decoded._tag === "Success") return Effect.succeed({ ...defaults, ...decoded.success })
  const issues = SchemaIssue.makeFormatterStandardSchemaV1()(decoded.failure.issue).issues
  const text = issues.map((i) => `${i.path?.map(String).join(".") ?? ""}: ${i.message}`).join("; ")
  return Effect.fail(new StoreUnavailable({ reason: `invalid options (${text})` }))
}

const clientOptions = (o: Required<Options>): Notifier.ClientOptions => ({
  max: o.maxConnections,
  connect_timeout: o.connectTimeoutMs / 1000,
  idle_timeout: o.idleTimeoutMs / 1000,
  onnotice: () => {},
  connection: {
    application_name: o.applicationName,
    statement_timeout: o.statementTimeoutMs,
    // Every statement of the store is a short index scan or a small insert: JIT
    // compilation (tens of milliseconds) would only add latency when estimates run high.
    jit: "off"
  }
})

const unavailable = (reason: string) => (cause: unknown) => new StoreUnavailable({ reason, cause })

const migrate = (sql: postgres.Sql, schema: string): Effect.Effect<number, StoreUnavailable> =>
  Effect.tryPromise({
    try: () => Migrations.migrate(sql, schema),
    catch: (cause) => {
      // Whatever stops the migration (a missing privilege, a schema newer than this code)
      // leaves the store unusable; the reason says which.
      const fate = Failure.classify(cause)
      const detail = fate._tag === "Defect" ? (cause instanceof Error ? cause.message : String(cause)) : fate.reason
      return unavailable(`cannot prepare schema ${schema}: ${detail}`)(cause)
    }
  })

const settle = (
  run: Effect.Effect<AppendManyResult | AppendError, StoreUnavailable | Failure.Retryable>
): Effect.Effect<AppendManyResult, AppendError> =>
  run.pipe(
    Effect.retry({ times: maxAttempts - 1, while: (e) => e instanceof Failure.Retryable }),
    Effect.catchIf(
      (e): e is Failure.Retryable => e instanceof Failure.Retryable,
      (e) => Effect.fail(new StoreUnavailable({ reason: `gave up after ${maxAttempts} write races: ${e.reason}` }))
    ),
    Effect.flatMap((outcome) => ("_tag" in outcome ? Effect.fail(outcome) : Effect.succeed(outcome)))
  )

const emptyResult: AppendManyResult = { streams: [], stored: 0, duplicates: 0, position: 0 }

/**
 * Connects to PostgreSQL, creates or migrates the schema, and returns the store. Fails
 * with `StoreUnavailable` when the options do not match {@link Options} (the reason names
 * every field at fault), when the server cannot be reached, or when the schema cannot be
 * prepared.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<PostgresEventStoreShape, StoreUnavailable> =>
  Effect.flatMap(decodeOptions(options), (o) => {
    const pgOptions = clientOptions(o)
    const sql = postgres(o.url, pgOptions)
    const t = Migrations.tables(o.schema)
    const notifier = Notifier.make(o.url, pgOptions, t.channel)
    let closed: Promise<void> | undefined
    const closeAll = (): Promise<void> => {
      closed ??= Promise.all([notifier.close(), sql.end({ timeout: 5 })]).then(() => undefined)
      return closed
    }
    const close = Effect.promise(closeAll)

    const appendMany = (requests: ReadonlyArray<AppendRequest>): Effect.Effect<AppendManyResult, AppendError> =>
      Effect.suspend(() => {
        if (requests.length === 0) return Effect.succeed(emptyResult)
        const prepared = Validate.prepare(requests)
        if (prepared instanceof InvalidAppend) return Effect.fail(prepared)
        return settle(Failure.attempt(() => Append.append(sql, t, requests, prepared)))
      })

    const readAll: EventStoreShape["readAll"] = (readOptions) => Failure.query(() => Read.readAll(sql, t, readOptions))

    const store: PostgresEventStoreShape = {
      schema: o.schema,
      capabilities: {
        atomicMultiStreamAppend: true,
        physicalDelete: true,
        recreateDeletedStream: true,
        deleteEvents: true
      },
      append: (request) =>
        Effect.flatMap(appendMany([request]), (result) => {
          const first = result.streams[0]
          return first === undefined ? Effect.die(new Error("appendMany returned no stream")) : Effect.succeed(first)
        }),
      appendMany,
      readStream: (stream, readOptions) => Failure.query(() => Read.readStream(sql, t, stream, readOptions)),
      readPositions: (school, positions) => Failure.query(() => Read.readPositions(sql, t, school, positions)),
      readAll,
      subscribe: (subscribeOptions) =>
        Subscription.make(
          {
            readAll: (page) => Effect.andThen(Effect.sync(notifier.ensureListening), readAll(page)),
            wakeUp: notifier.wakeUp,
            pageSize: o.pageSize,
            pollInterval: Duration.millis(o.pollIntervalMs)
          },
          subscribeOptions
        ),
      headPosition: Failure.query(() => Read.headPosition(sql, t)),
      deleteStream: (stream) => Failure.query(() => Read.deleteStream(sql, t, stream)),
      deleteEvents: (school, positions) => Failure.query(() => Read.deleteEvents(sql, t, school, positions)),
      listStreams: (filter) => Failure.query(() => Read.listStreams(sql, t, filter)),
      close
    }
    // a failed or interrupted start leaves no connection open
    return migrate(sql, o.schema).pipe(
      Effect.as(store),
      Effect.onError(() => close)
    )
  })

/**
 * A layer providing the `EventStore` on PostgreSQL; the connections close with the layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<EventStore, StoreUnavailable> =>
  Layer.effect(
    EventStore,
    Effect.acquireRelease(make(options), (store) => store.close)
  )
