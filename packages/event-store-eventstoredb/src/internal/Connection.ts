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
  AppendExpectedRevision,
  EventStoreDBClient,
  ExpectedRevision,
  ResolvedEvent,
  AllStreamResolvedEvent
} from "@eventstore/db-client"
import {
  BACKWARDS,
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
import type { Checkpoint } from "../Checkpoint.js"
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
  /** the place in `$all`; missing on stream reads from servers before 22.6 */
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

const toRecord = (resolved: ResolvedEvent | AllStreamResolvedEvent): StoredRecord | undefined => {
  const event = resolved.event
  if (event === undefined) return undefined
  const position =
    event.position ??
    (resolved.commitPosition === undefined
      ? undefined
      : { commit: resolved.commitPosition, prepare: resolved.commitPosition })
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

const collect = async (
  reads: AsyncIterable<ResolvedEvent | AllStreamResolvedEvent>
): Promise<ReadonlyArray<StoredRecord>> => {
  const records: Array<StoredRecord> = []
  for await (const resolved of reads) {
    const record = toRecord(resolved)
    if (record !== undefined) records.push(record)
  }
  return records
}

const lastRevisionOf = async (client: EventStoreDBClient, streamName: string): Promise<bigint | typeof NO_STREAM> => {
  try {
    const [last] = await collect(
      client.readStream(streamName, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })
    )
    return last === undefined ? NO_STREAM : last.revision
  } catch (error) {
    if (classify(error) === "stream-not-found") return NO_STREAM
    throw error
  }
}

/**
 * The connection over a real client.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromClient = (client: EventStoreDBClient): Connection => ({
  append: async (streamName, events, expected) => {
    const result = await client.appendToStream(
      streamName,
      events.map((event) =>
        jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata: event.metadata ?? {} })
      ),
      { expectedRevision: expected }
    )
    // With `throwOnAppendFailure=false` in the connection string the client reports a
    // conflict as a value (and its current revision wrongly); turn it back into the error.
    if (!result.success) {
      throw new WrongExpectedVersionError(undefined, {
        streamName,
        expected,
        current: await lastRevisionOf(client, streamName)
      })
    }
    return { nextExpectedRevision: result.nextExpectedRevision }
  },
  readStream: async (streamName, options) => {
    try {
      return await collect(
        client.readStream(streamName, {
          direction: options.direction === "forwards" ? FORWARDS : BACKWARDS,
          fromRevision: options.from === "start" ? START : options.from === "end" ? END : options.from,
          maxCount: options.maxCount
        })
      )
    } catch (error) {
      if (classify(error) === "stream-not-found") return "no-stream"
      throw error
    }
  },
  readAll: (options) =>
    collect(
      client.readAll({
        direction: options.direction === "forwards" ? FORWARDS : BACKWARDS,
        fromPosition: options.from === "start" ? START : options.from === "end" ? END : options.from,
        maxCount: options.maxCount
      })
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
    async function* records(): AsyncGenerator<StoredRecord> {
      for await (const resolved of subscription) {
        const record = toRecord(resolved)
        if (record !== undefined) yield record
      }
    }
    return { records: records(), stop: () => subscription.unsubscribe() }
  },
  tombstone: async (streamName, expected) => {
    await client.tombstoneStream(streamName, { expectedRevision: expected })
  },
  truncateBefore: async (streamName, revision) => {
    await client.setStreamMetadata(streamName, { truncateBefore: revision })
  },
  close: () => client.dispose()
})

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
