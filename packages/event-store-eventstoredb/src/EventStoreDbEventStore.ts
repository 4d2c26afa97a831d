/**
 * The EventStore port on EventStoreDB 22.10+ or KurrentDB, through
 * `@eventstore/db-client` 6.2.1: configuration, a scoped constructor, layers.
 *
 * Guarantees (docs/operations.md, "EventStoreDB / KurrentDB", says them in full):
 * deduplication by `(school, event id)` across every stream of a school through claim
 * streams; `appendMany` is not atomic across streams (`capabilities.atomicMultiStreamAppend`
 * is false): parts are written one after another, each whole, and a retry completes a
 * partly applied request after a crash or an outage; `deleteStream` is a hard delete,
 * after which the stream cannot be written again (`recreateDeletedStream` is false) and a
 * scavenge removes the events, not the tombstone, whose name is a keyed pseudonym of the
 * person (`EventStoreDbStreamName.ts`). Every call to the server is bounded by the
 * connection string's `defaultDeadline`.
 *
 * Configuration is validated before any connection is made, with one sentence naming
 * what is wrong; a password in the connection string, and the stream-name key, never
 * appear in it. This module
 * must never log, and never read the environment by itself (`fromEnv` is given it).
 *
 * @since 0.1.0
 */
import { EventStoreDBClient } from "@eventstore/db-client"
import type { EventStoreShape } from "@rapport/event-store"
import { EventStore } from "@rapport/event-store"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import type * as Scope from "effect/Scope"
import * as StreamName from "./EventStoreDbStreamName.js"
import * as Connection from "./internal/Connection.js"
import * as Store from "./internal/Store.js"

/**
 * How to reach the server, and limits. Only `url` is required.
 *
 * @since 0.1.0
 * @category models
 */
export const Config = Schema.Struct({
  /** `esdb://host:2113?tls=false`, `esdb+discover://…`, or the same with `kurrentdb` */
  url: Schema.String,
  /**
   * the secret that stream names are keyed with (at least 32 characters): the same for
   * every process sharing the store, kept apart from it, never changed
   */
  streamKey: Schema.String,
  /** bytes per single-stream write; must not exceed the server's `MaxAppendSize`. Default 1,048,576 */
  maxAppendSize: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1024, maximum: 1024 * 1024 * 1024 }))),
  /** records of `$all` one `readAll` call scans at most. Default 4,096 */
  scanBudget: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 1_000_000 }))),
  /** concurrent claim operations per append. Default 32 */
  concurrency: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 1024 })))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Config = typeof Config.Type

/**
 * The defaults of the optional settings.
 *
 * @since 0.1.0
 * @category models
 */
export const defaults = { maxAppendSize: 1_048_576, scanBudget: 4096, concurrency: 32 } as const

/**
 * The environment variable `fromEnv` reads for the connection string.
 *
 * @since 0.1.0
 * @category models
 */
export const urlVariable = "EVENTSTOREDB_URL"

/**
 * The environment variable `fromEnv` reads for the stream-name key.
 *
 * @since 0.1.0
 * @category models
 */
export const streamKeyVariable = "EVENTSTOREDB_STREAM_KEY"

/**
 * What the adapter guarantees on EventStoreDB / KurrentDB.
 *
 * @since 0.1.0
 * @category models
 */
export const capabilities = Store.capabilities

/**
 * A configuration the adapter cannot start with; `message` is one sentence.
 *
 * @since 0.1.0
 * @category errors
 */
export class EventStoreDbConfigError extends Data.TaggedError("EventStoreDbConfigError")<{
  readonly message: string
}> {}

const example = "esdb://localhost:2113?tls=false"

const schemes: Readonly<Record<string, string>> = {
  esdb: "esdb",
  "esdb+discover": "esdb+discover",
  kurrentdb: "esdb",
  "kurrentdb+discover": "esdb+discover"
}

// The client's options, compared as it does: case-insensitive, ignoring "-" and "_".
const knownOptions = new Set(
  [
    "userCertFile",
    "userKeyFile",
    "maxDiscoverAttempts",
    "connectionName",
    "defaultDeadline",
    "discoveryInterval",
    "gossipTimeout",
    "nodePreference",
    "tls",
    "tlsVerifyCert",
    "tlsCAFile",
    "throwOnAppendFailure",
    "keepAliveInterval",
    "keepAliveTimeout"
  ].map((option) => option.toLowerCase())
)
const flat = (key: string): string => key.trim().toLowerCase().replace(/[_-]/g, "")

const redact = (text: string, url: string): string => {
  const password = /^[^:]+:\/\/[^:@/]+:([^@]+)@/.exec(url)?.[1]
  return password === undefined ? text : text.split(password).join("***")
}

/**
 * Checks a connection string and rewrites a `kurrentdb://` scheme to the `esdb://` this
 * client speaks (the same gRPC protocol). `label` names the setting in the message.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkUrl = (url: string, label = "url"): Result.Result<string, EventStoreDbConfigError> => {
  const fail = (why: string) => Result.fail(new EventStoreDbConfigError({ message: `${label} ${why}` }))
  const trimmed = url.trim()
  if (trimmed.length === 0) return fail(`is empty; set it to a connection string such as ${example}.`)
  const scheme = /^([A-Za-z+]+):\/\//.exec(trimmed)?.[1]
  const target = scheme === undefined ? undefined : schemes[scheme]
  if (scheme === undefined || target === undefined) {
    return fail(
      `must start with esdb://, esdb+discover://, kurrentdb:// or kurrentdb+discover:// (for example ${example}).`
    )
  }
  const rewritten = `${target}${trimmed.slice(scheme.length)}`
  for (const [key, value] of options(rewritten)) {
    if (!knownOptions.has(flat(key))) return fail(`has an option this client does not know: "${key}".`)
    if (flat(key) === "tlsverifycert" && value.trim() === "false") {
      return fail(`sets tlsVerifyCert=false, which @eventstore/db-client ignores; pass tlsCAFile=<ca.crt> instead.`)
    }
    if (flat(key) === "defaultdeadline" && !/^[1-9][0-9]{0,9}$/.test(value.trim())) {
      return fail(`sets defaultDeadline to "${value}"; give a whole number of milliseconds, at least 1.`)
    }
  }
  return Result.succeed(rewritten)
}

const options = (url: string): Array<readonly [string, string]> => {
  const query = url.includes("?") ? url.slice(url.indexOf("?") + 1) : ""
  return (query.length === 0 ? [] : query.split("&")).map((pair) => {
    const [key = "", value = ""] = pair.split("=")
    return [key, value] as const
  })
}

/**
 * How long each call to the server may take, in milliseconds: the connection string's
 * `defaultDeadline`, or the client's default (10,000). The adapter bounds every call with
 * it, reads and subscriptions included (the client bounds neither).
 *
 * @since 0.1.0
 * @category validation
 */
export const deadlineOf = (url: string): number => {
  const given = options(url).find(([key]) => flat(key) === "defaultdeadline")?.[1]
  return given === undefined ? clientDefaultDeadline : Number(given.trim())
}

// @eventstore/db-client 6.2.1's default `defaultDeadline`.
const clientDefaultDeadline = 10_000

/**
 * Checks a stream-name key without ever repeating it. `label` names the setting.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkStreamKey = (key: unknown, label = "streamKey"): Result.Result<string, EventStoreDbConfigError> =>
  typeof key === "string" && key.length >= StreamName.minimumKeyLength
    ? Result.succeed(key)
    : Result.fail(
        new EventStoreDbConfigError({
          message: `${label} must be a secret of at least ${StreamName.minimumKeyLength} characters (64 random hex digits recommended); stream names are keyed with it.`
        })
      )

const decodeConfig = (config: unknown, label: string): Result.Result<Required<Config>, EventStoreDbConfigError> => {
  // The key is checked apart, so that no schema message can quote it.
  const key =
    typeof config === "object" && config !== null
      ? Object.getOwnPropertyDescriptor(config, "streamKey")?.value
      : undefined
  const checked = checkStreamKey(key)
  if (Result.isFailure(checked)) return Result.fail(checked.failure)
  const decoded = Schema.decodeUnknownResult(Config)(
    { ...(typeof config === "object" && config !== null ? config : {}), streamKey: "" },
    { errors: "all", onExcessProperty: "error" }
  )
  if (Result.isFailure(decoded)) {
    const problems = SchemaIssue.makeFormatterStandardSchemaV1()(decoded.failure.issue).issues.map((issue) => {
      const path = (issue.path ?? []).map((segment) => String(typeof segment === "object" ? segment.key : segment))
      return path.length === 0 ? issue.message : `${path.join(".")}: ${issue.message}`
    })
    return Result.fail(
      new EventStoreDbConfigError({ message: `the EventStoreDB configuration is invalid (${problems.join("; ")}).` })
    )
  }
  return Result.map(checkUrl(decoded.success.url, label), (url) => ({
    ...defaults,
    ...decoded.success,
    url,
    streamKey: checked.success
  }))
}

const open = (
  config: Required<Config>,
  label: string
): Effect.Effect<Connection.Connection, EventStoreDbConfigError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.try({
      try: () =>
        Connection.fromClient(EventStoreDBClient.connectionString(config.url), { deadline: deadlineOf(config.url) }),
      catch: (error) =>
        new EventStoreDbConfigError({
          message: `${label} is not a valid EventStoreDB connection string: ${redact(error instanceof Error ? error.message : String(error), config.url)}`
        })
    }),
    (connection) => Effect.ignore(Effect.tryPromise(() => connection.close()))
  )

const build = (config: unknown, label: string): Effect.Effect<EventStoreShape, EventStoreDbConfigError, Scope.Scope> =>
  Effect.gen(function* () {
    const settings = yield* Effect.fromResult(decodeConfig(config, label))
    return Store.assemble(yield* open(settings, label), { ...settings, naming: StreamName.make(settings.streamKey) })
  })

/**
 * A store on the server named by `config.url`, open for the life of the scope. Fails
 * with one sentence when the configuration is wrong; does not contact the server (the
 * first operation does, and fails with `StoreUnavailable` if it cannot).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (config: Config): Effect.Effect<EventStoreShape, EventStoreDbConfigError, Scope.Scope> =>
  build(config, "url")

/**
 * The configuration from environment variables: `EVENTSTOREDB_URL` and
 * `EVENTSTOREDB_STREAM_KEY` (both required).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromEnv = (
  env: Readonly<Record<string, string | undefined>>
): Effect.Effect<Config, EventStoreDbConfigError> => {
  const url = env[urlVariable]
  if (url === undefined || url.trim().length === 0) {
    return Effect.fail(
      new EventStoreDbConfigError({
        message: `${urlVariable} is not set; set it to a connection string such as ${example}.`
      })
    )
  }
  const key = env[streamKeyVariable]
  return Effect.flatMap(Effect.fromResult(checkUrl(url, urlVariable)), () =>
    key === undefined || key.length === 0
      ? Effect.fail(
          new EventStoreDbConfigError({
            message: `${streamKeyVariable} is not set; set it to a secret of at least ${StreamName.minimumKeyLength} characters (64 random hex digits recommended), the same for every process sharing the store.`
          })
        )
      : Effect.map(Effect.fromResult(checkStreamKey(key, streamKeyVariable)), (streamKey) => ({ url, streamKey }))
  )
}

/**
 * A layer providing the `EventStore` on the server named by `config.url`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (config: Config): Layer.Layer<EventStore, EventStoreDbConfigError> =>
  Layer.effect(EventStore, make(config))

/**
 * A layer providing the `EventStore` configured by `EVENTSTOREDB_URL` and
 * `EVENTSTOREDB_STREAM_KEY` in `env`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromEnv = (
  env: Readonly<Record<string, string | undefined>>
): Layer.Layer<EventStore, EventStoreDbConfigError> =>
  Layer.effect(
    EventStore,
    Effect.flatMap(fromEnv(env), (config) => build(config, urlVariable))
  )
