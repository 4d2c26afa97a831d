/**
 * The narrow slice of `@eventstore/db-client` the adapter uses, as plain promises over
 * plain records, and its Effect wrapper that sorts the client's errors.
 *
 * `fromClient` is the only code that calls the client's streaming APIs (appendToStream,
 * readStream, readAll, subscribeToAll, tombstoneStream). Everything above it (claims,
 * appends, reads, erasure) is written against `Connection`, so its logic can be
 * unit-tested with a simulated connection; what only a real server can confirm (wire
 * behaviour, positions, filters) is covered by the `*.int.test.ts` suites.
 *
 * This module must never interpret events: it moves records, nothing else.
 *
 * @since 0.1.0
 */
import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  AppendExpectedRevision,
  EventStoreDBClient,
  ExpectedRevision,
  ResolvedEvent,
  StreamingRead
} from "@eventstore/db-client"
import {
  BACKWARDS,
  DeadlineExceededError,
  END,
  eventTypeFilter,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  START,
  streamNameFilter,
  WrongExpectedVersionError
} from "@eventstore/db-client"
import * as Effect from "effect/Effect"
import { type Checkpoint, maxLogPosition } from "../Checkpoint.js"
import { type ClientFailure, classify, type StreamTombstoned, type Unreachable } from "./ClientFailure.js"

/**
 * One event as the server stored it.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredRecord {
  readonly streamName: string
  /** the server's event id (a UUID) */
  readonly eventId: string
  readonly revision: bigint
  readonly type: string
  /** the parsed JSON body (or raw bytes for a non-JSON event) */
  readonly data: unknown
  /** the parsed JSON metadata, if any */
  readonly metadata: unknown
  readonly created: Date
  /** the place in `$all`; missing when the server had none (see {@link knownPosition}) */
  readonly position: Checkpoint | undefined
}

/**
 * An event to write: a JSON object body (and metadata) under a type and a server event id.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProposedEvent {
  readonly eventId: string
  readonly type: string
  readonly data: Record<string, unknown>
  readonly metadata?: Record<string, unknown> | undefined
}

/**
 * A live subscription's records and how to stop it.
 *
 * @since 0.1.0
 * @category models
 */
export interface LiveRecords {
  readonly records: AsyncIterable<StoredRecord>
  readonly stop: () => Promise<void>
}

/**
 * A server-side filter on `$all`: stream names or event types starting with a prefix.
 *
 * @since 0.1.0
 * @category models
 */
export interface ServerFilter {
  readonly on: "streamName" | "eventType"
  readonly prefixes: ReadonlyArray<string>
}

/**
 * What the adapter needs from a client. Methods reject with the client's errors.
 *
 * @since 0.1.0
 * @category models
 */
export interface Connection {
  readonly append: (
    streamName: string,
    events: ReadonlyArray<ProposedEvent>,
    expected: AppendExpectedRevision
  ) => Promise<{ readonly nextExpectedRevision: bigint }>
  /** `"no-stream"` when the stream does not exist; rejects with a stream-deleted error when tombstoned */
  readonly readStream: (
    streamName: string,
    options: {
      readonly direction: "forwards" | "backwards"
      readonly from: bigint | "start" | "end"
      readonly maxCount: number
    }
  ) => Promise<ReadonlyArray<StoredRecord> | "no-stream">
  readonly readAll: (options: {
    readonly direction: "forwards" | "backwards"
    readonly from: Checkpoint | "start" | "end"
    readonly maxCount: number
  }) => Promise<ReadonlyArray<StoredRecord>>
  readonly subscribeToAll: (options: {
    readonly from: Checkpoint | "start"
    readonly filter: ServerFilter | undefined
  }) => LiveRecords
  readonly tombstone: (streamName: string, expected: ExpectedRevision) => Promise<void>
  /** hides the events before `revision` from reads; scavenging then removes them */
  readonly truncateBefore: (streamName: string, revision: number) => Promise<void>
  readonly close: () => Promise<void>
}

/**
 * A position as the client reports it, or `undefined` when the server had none. The
 * server then sends 2^64 − 1 for both numbers (`Position.FromInt64(-1, -1)`: stream reads
 * on EventStoreDB before 22.6, events written in explicit transactions by old TCP
 * clients), and client 6.2.1 passes that on as a position, never as a missing one.
 *
 * @since 0.1.0
 * @category conversions
 */
export const knownPosition = (position: Checkpoint | undefined): Checkpoint | undefined =>
  position === undefined || position.commit === maxLogPosition || position.prepare === maxLogPosition
    ? undefined
    : position

const toRecord = (resolved: ResolvedEvent | AllStreamResolvedEvent): StoredRecord | undefined => {
  const event = resolved.event
  if (event === undefined) return undefined
  const position = knownPosition(
    event.position ??
      (resolved.commitPosition === undefined
        ? undefined
        : { commit: resolved.commitPosition, prepare: resolved.commitPosition })
  )
  return {
    streamName: event.streamId,
    eventId: event.id,
    revision: event.revision,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    created: event.created,
    position
  }
}

/** Reads every record of a read, cancelling the read on `signal`. */
const collect = async (
  reads: StreamingRead<ResolvedEvent | AllStreamResolvedEvent>,
  signal: AbortSignal
): Promise<ReadonlyArray<StoredRecord>> => {
  const cancel = () => void reads.cancel()
  signal.addEventListener("abort", cancel, { once: true })
  try {
    const records: Array<StoredRecord> = []
    for await (const resolved of reads) {
      const record = toRecord(resolved)
      if (record !== undefined) records.push(record)
    }
    return records
  } finally {
    signal.removeEventListener("abort", cancel)
  }
}

/**
 * The client's own error for a call the server did not answer in time (a
 * `DeadlineExceededError`, which `classify` sorts as unreachable).
 *
 * @since 0.1.0
 * @category constructors
 */
export const noAnswer = (what: string, millis: number): DeadlineExceededError =>
  new DeadlineExceededError(undefined, `no answer from EventStoreDB within ${millis} ms (${what})`)

/**
 * `run`'s answer, or a rejection with {@link noAnswer} once `millis` have passed, when
 * `signal` aborts so that `run` can stop its work.
 *
 * @since 0.1.0
 * @category constructors
 */
export const bounded = <A>(what: string, millis: number, run: (signal: AbortSignal) => Promise<A>): Promise<A> =>
  new Promise<A>((resolve, reject) => {
    const controller = new AbortController()
    const timer = setTimeout(() => {
      controller.abort()
      reject(noAnswer(what, millis))
    }, millis)
    run(controller.signal).then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      }
    )
  })

/**
 * Settles when the server confirms `subscription`, rejects when it fails first or does
 * not confirm within `millis` (then the subscription is stopped).
 */
const confirmation = (subscription: AllStreamSubscription, millis: number): Promise<void> => {
  const confirmed = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(noAnswer("subscription to $all", millis))
      void subscription.unsubscribe()
    }, millis)
    subscription.once("confirmation", () => {
      clearTimeout(timer)
      resolve()
    })
    subscription.once("error", (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
  // Awaited only when the records are pulled; a failure before that is not unhandled.
  confirmed.catch(() => undefined)
  return confirmed
}

/**
 * How long the adapter waits for the server.
 *
 * @since 0.1.0
 * @category models
 */
export interface ClientSettings {
  /**
   * milliseconds each call may take before it fails as unreachable: a read page, an
   * append (with the client's server-features call before the first one), a tombstone,
   * a metadata write, the confirmation of a subscription, closing the client
   */
  readonly deadline: number
}

/**
 * The connection over a real client. Every call is bounded by `settings.deadline`:
 * client 6.2.1 reads with no deadline at all, waits on its server-features call and on
 * its shared batch-append stream without one, so a node that accepts connections and
 * never answers would otherwise leave each operation pending forever. A call that times
 * out may still take effect on the server; callers treat it as unreachable (whether a
 * write happened is unknown) and keep its reservations.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromClient = (client: EventStoreDBClient, settings: ClientSettings): Connection => {
  const { deadline } = settings
  const readStream = (
    streamName: string,
    options: Parameters<Connection["readStream"]>[1],
    signal: AbortSignal
  ): Promise<ReadonlyArray<StoredRecord> | "no-stream"> =>
    collect(
      client.readStream(streamName, {
        direction: options.direction === "forwards" ? FORWARDS : BACKWARDS,
        fromRevision: options.from === "start" ? START : options.from === "end" ? END : options.from,
        maxCount: options.maxCount
      }),
      signal
    ).catch((error: unknown) => {
      if (classify(error) === "stream-not-found") return "no-stream" as const
      throw error
    })
  return {
    append: (streamName, events, expected) =>
      bounded(`append to ${streamName}`, deadline, async (signal) => {
        const result = await client.appendToStream(
          streamName,
          events.map((event) =>
            jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata: event.metadata ?? {} })
          ),
          { expectedRevision: expected, deadline }
        )
        // With `throwOnAppendFailure=false` in the connection string the client reports a
        // conflict as a value (and its current revision wrongly); turn it back into the error.
        if (!result.success) {
          const [last] = await readStream(
            streamName,
            { direction: "backwards", from: "end", maxCount: 1 },
            signal
          ).then((read) => (read === "no-stream" ? [] : read))
          throw new WrongExpectedVersionError(undefined, {
            streamName,
            expected,
            current: last === undefined ? NO_STREAM : last.revision
          })
        }
        return { nextExpectedRevision: result.nextExpectedRevision }
      }),
    readStream: (streamName, options) =>
      bounded(`read of ${streamName}`, deadline, (signal) => readStream(streamName, options, signal)),
    readAll: (options) =>
      bounded("read of $all", deadline, (signal) =>
        collect(
          client.readAll({
            direction: options.direction === "forwards" ? FORWARDS : BACKWARDS,
            fromPosition: options.from === "start" ? START : options.from === "end" ? END : options.from,
            maxCount: options.maxCount
          }),
          signal
        )
      ),
    subscribeToAll: (options) => {
      const filter =
        options.filter === undefined
          ? undefined
          : options.filter.on === "streamName"
            ? streamNameFilter({ prefixes: [...options.filter.prefixes] })
            : eventTypeFilter({ prefixes: [...options.filter.prefixes] })
      const subscription = client.subscribeToAll({
        fromPosition: options.from === "start" ? START : options.from,
        ...(filter === undefined ? {} : { filter })
      })
      const confirmed = confirmation(subscription, deadline)
      async function* records(): AsyncGenerator<StoredRecord> {
        await confirmed
        for await (const resolved of subscription) {
          const record = toRecord(resolved)
          if (record !== undefined) yield record
        }
      }
      return { records: records(), stop: () => subscription.unsubscribe() }
    },
    tombstone: (streamName, expected) =>
      bounded(`tombstone of ${streamName}`, deadline, async () => {
        await client.tombstoneStream(streamName, { expectedRevision: expected, deadline })
      }),
    truncateBefore: (streamName, revision) =>
      bounded(`metadata of ${streamName}`, deadline, async () => {
        await client.setStreamMetadata(streamName, { truncateBefore: revision }, { deadline })
      }),
    close: () => bounded("closing the client", deadline, () => client.dispose())
  }
}

/**
 * Runs one client call, failing with a {@link ClientFailure} the adapter handles and
 * dying (a defect, with the call named) on anything else.
 *
 * @since 0.1.0
 * @category operations
 */
export const call = <A>(what: string, run: () => Promise<A>): Effect.Effect<A, ClientFailure> =>
  Effect.catch(
    Effect.tryPromise({ try: run, catch: (error: unknown) => error }),
    (error): Effect.Effect<never, ClientFailure> => {
      const failure = classify(error)
      if (failure === undefined || failure === "stream-not-found") {
        return Effect.die(new Error(`EventStoreDB ${what} failed unexpectedly: ${String(error)}`, { cause: error }))
      }
      return Effect.fail(failure)
    }
  )

/**
 * Runs a read: like {@link call}, but a wrong expected version or an append-size failure
 * (which a read cannot cause) is a defect.
 *
 * @since 0.1.0
 * @category operations
 */
export const callRead = <A>(what: string, run: () => Promise<A>): Effect.Effect<A, Unreachable | StreamTombstoned> =>
  Effect.catchTags(call(what, run), {
    WrongExpectedVersion: (failure) =>
      Effect.die(new Error(`EventStoreDB ${what} reported a wrong expected version`, { cause: failure })),
    AppendTooLarge: (failure) =>
      Effect.die(new Error(`EventStoreDB ${what} reported an append over the size limit`, { cause: failure }))
  })
