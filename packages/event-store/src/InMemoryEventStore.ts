/**
 * An in-memory EventStore, for tests and for tools that embed the library. It follows
 * every rule of the port (see `EventStore.ts`) and passes the conformance suite:
 * deduplication by `(school, event id)` on the content hash, expected states, atomic
 * `appendMany`, reads forwards and backwards, filtered global reads, catch-up-then-live
 * subscriptions, physical deletion of streams and of single events.
 *
 * Every write and read runs synchronously inside one `Effect.sync`, which on a single
 * JavaScript thread makes each `appendMany` atomic and isolated. Events are deep-copied
 * on the way in and on the way out, so callers can never mutate the store. This module
 * must never be used where events have to survive the process.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { contentHash } from "./ContentHash.js"
import {
  type AllPage,
  type AppendedEvent,
  type AppendManyResult,
  type AppendRequest,
  type AppendResult,
  EventStore,
  type EventStoreShape,
  type ExpectedState,
  type NewEvent,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type Revision,
  type StreamFilter,
  type StreamId
} from "./EventStore.js"
import { type AppendError, EventIdConflict, InvalidAppend, WrongExpectedRevision } from "./EventStoreError.js"
import * as StreamName from "./StreamId.js"
import * as Subscription from "./Subscription.js"

interface State {
  /** the global log, in position order */
  log: Array<RecordedEvent>
  readonly streams: Map<string, Array<RecordedEvent>>
  /** school → event id → the stored event */
  readonly ids: Map<string, Map<string, RecordedEvent>>
  head: Position
}

const copy = (event: RecordedEvent): RecordedEvent => structuredClone(event)

const lastRevision = (events: ReadonlyArray<RecordedEvent> | undefined): Revision | "no-stream" => {
  const last = events?.[events.length - 1]
  return last === undefined ? "no-stream" : last.revision
}

const satisfies = (expected: ExpectedState, actual: Revision | "no-stream"): boolean => {
  switch (expected._tag) {
    case "Any":
      return true
    case "NoStream":
      return actual === "no-stream"
    case "StreamExists":
      return actual !== "no-stream"
    case "Exact":
      return actual === expected.revision
  }
}

const invalidRequest = (requests: ReadonlyArray<AppendRequest>): InvalidAppend | undefined => {
  const names = new Set<string>()
  for (const request of requests) {
    const problem = StreamName.problem(request.stream)
    if (problem !== undefined) return new InvalidAppend({ reason: `invalid stream: ${problem}` })
    const name = StreamName.encodeStreamName(request.stream)
    if (names.has(name)) return new InvalidAppend({ reason: `stream ${name} appears twice in one request` })
    names.add(name)
    for (const event of request.events) {
      if (typeof event.id !== "string" || event.id.length === 0) {
        return new InvalidAppend({ reason: `an event of stream ${name} has an empty id` })
      }
    }
  }
  return undefined
}

interface Planned {
  readonly event: NewEvent
  readonly hash: string
  /** the stored event this one duplicates */
  readonly original?: RecordedEvent | undefined
  /** true when an earlier event of the same request has this id (and content) */
  readonly repeat: boolean
}

const appendAll = (
  state: State,
  requests: ReadonlyArray<AppendRequest>,
  recordedAt: string
): AppendManyResult | AppendError => {
  const invalid = invalidRequest(requests)
  if (invalid !== undefined) return invalid
  // Pass 1: classify every event without touching the state.
  const seen = new Map<string, Map<string, string>>()
  const plan: Array<Array<Planned>> = []
  let fresh = 0
  let eventCount = 0
  for (const request of requests) {
    const school = request.stream.school
    const inRequest = seen.get(school) ?? new Map<string, string>()
    seen.set(school, inRequest)
    const stored = state.ids.get(school)
    const items: Array<Planned> = []
    for (const event of request.events) {
      eventCount++
      const hash = contentHash(event)
      const earlier = inRequest.get(event.id)
      const original = stored?.get(event.id)
      const known = original?.contentHash ?? earlier
      if (known !== undefined && known !== hash) {
        return new EventIdConflict({ school, eventId: event.id, storedHash: known, attemptedHash: hash })
      }
      items.push({ event, hash, original, repeat: earlier !== undefined })
      if (original === undefined && earlier === undefined) fresh++
      inRequest.set(event.id, hash)
    }
    plan.push(items)
  }
  // A retry of a request that was fully stored must not fail on expected states; an empty request still checks them.
  if (fresh > 0 || eventCount === 0) {
    for (const request of requests) {
      const actual = lastRevision(state.streams.get(StreamName.encodeStreamName(request.stream)))
      if (!satisfies(request.expected, actual)) {
        return new WrongExpectedRevision({ stream: request.stream, expected: request.expected, actual })
      }
    }
  }
  // Pass 2: commit. Nothing below can fail.
  const committed = new Map<string, Map<string, AppendedEvent>>()
  const results: Array<AppendResult> = []
  let position: Position = 0
  let stored = 0
  for (const [r, request] of requests.entries()) {
    const school = request.stream.school
    const name = StreamName.encodeStreamName(request.stream)
    const streamEvents = state.streams.get(name) ?? []
    const inRequest = committed.get(school) ?? new Map<string, AppendedEvent>()
    committed.set(school, inRequest)
    let ids = state.ids.get(school)
    if (ids === undefined) {
      ids = new Map()
      state.ids.set(school, ids)
    }
    const appended: Array<AppendedEvent> = []
    for (const { event, hash, original, repeat } of plan[r] ?? []) {
      const first = repeat ? inRequest.get(event.id) : undefined
      let outcome: AppendedEvent
      if (original !== undefined) {
        outcome = { id: event.id, revision: original.revision, position: original.position, duplicate: true }
      } else if (first !== undefined) {
        outcome = { ...first, duplicate: true }
      } else {
        const recorded: RecordedEvent = structuredClone({
          id: event.id,
          type: event.type,
          v: event.v,
          occurredAt: event.occurredAt,
          ...(event.source === undefined ? {} : { source: event.source }),
          data: event.data,
          stream: { school, kind: request.stream.kind, id: request.stream.id },
          revision: (streamEvents[streamEvents.length - 1]?.revision ?? -1) + 1,
          position: ++state.head,
          contentHash: hash,
          recordedAt
        })
        streamEvents.push(recorded)
        state.log.push(recorded)
        ids.set(recorded.id, recorded)
        stored++
        outcome = { id: recorded.id, revision: recorded.revision, position: recorded.position, duplicate: false }
        inRequest.set(event.id, outcome)
      }
      position = Math.max(position, outcome.position)
      appended.push(outcome)
    }
    if (streamEvents.length > 0) state.streams.set(name, streamEvents)
    const last = lastRevision(streamEvents)
    results.push({ stream: request.stream, revision: last === "no-stream" ? -1 : last, events: appended })
  }
  return { streams: results, stored, duplicates: eventCount - stored, position }
}

const readStream = (
  state: State,
  stream: StreamId,
  options: ReadStreamOptions | undefined
): ReadonlyArray<RecordedEvent> => {
  const events = state.streams.get(StreamName.encodeStreamName(stream)) ?? []
  const max = options?.maxCount ?? Number.POSITIVE_INFINITY
  const out: Array<RecordedEvent> = []
  if (options?.direction === "backwards") {
    const from = options.fromRevision ?? Number.POSITIVE_INFINITY
    for (let i = events.length - 1; i >= 0 && out.length < max; i--) {
      const event = events[i]
      if (event !== undefined && event.revision <= from) out.push(copy(event))
    }
  } else {
    const from = options?.fromRevision ?? 0
    for (const event of events) {
      if (out.length >= max) break
      if (event.revision >= from) out.push(copy(event))
    }
  }
  return out
}

/** index of the first event with a position greater than `after` */
const firstAfter = (log: ReadonlyArray<RecordedEvent>, after: Position): number => {
  let lo = 0
  let hi = log.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((log[mid]?.position ?? Number.POSITIVE_INFINITY) <= after) lo = mid + 1
    else hi = mid
  }
  return lo
}

const readAll = (state: State, options: ReadAllOptions): AllPage => {
  const { filter } = options
  const max = options.maxCount ?? Number.POSITIVE_INFINITY
  const events: Array<RecordedEvent> = []
  let lastPosition = options.after
  for (let i = firstAfter(state.log, options.after); i < state.log.length; i++) {
    if (events.length >= max) return { events, lastPosition, isEnd: false }
    const event = state.log[i]
    if (event === undefined) break
    lastPosition = event.position
    if (filter?.school !== undefined && event.stream.school !== filter.school) continue
    if (filter?.kinds !== undefined && !filter.kinds.includes(event.stream.kind)) continue
    if (filter?.types !== undefined && !filter.types.includes(event.type)) continue
    events.push(copy(event))
  }
  // Every position up to the head is committed, so a reader at the end may resume after the head.
  return { events, lastPosition: Math.max(options.after, state.head), isEnd: true }
}

const readPositions = (state: State, school: string, positions: ReadonlyArray<Position>): Array<RecordedEvent> => {
  const out: Array<RecordedEvent> = []
  for (const position of [...new Set(positions)].sort((a, b) => a - b)) {
    const event = state.log[firstAfter(state.log, position - 1)]
    if (event !== undefined && event.position === position && event.stream.school === school) out.push(copy(event))
  }
  return out
}

const deleteStream = (state: State, stream: StreamId): void => {
  const name = StreamName.encodeStreamName(stream)
  const events = state.streams.get(name)
  if (events === undefined) return
  state.streams.delete(name)
  const gone = new Set(events)
  state.log = state.log.filter((event) => !gone.has(event))
  const ids = state.ids.get(stream.school)
  for (const event of events) {
    if (ids?.get(event.id) === event) ids.delete(event.id)
  }
}

const deleteEvents = (state: State, school: string, positions: ReadonlyArray<Position>): number => {
  const wanted = new Set(positions)
  const gone = new Set<RecordedEvent>()
  for (const event of state.log) {
    if (wanted.has(event.position) && event.stream.school === school) gone.add(event)
  }
  if (gone.size === 0) return 0
  state.log = state.log.filter((event) => !gone.has(event))
  const ids = state.ids.get(school)
  for (const event of gone) {
    if (ids?.get(event.id) === event) ids.delete(event.id)
    const name = StreamName.encodeStreamName(event.stream)
    const left = (state.streams.get(name) ?? []).filter((e) => e !== event)
    if (left.length === 0) state.streams.delete(name)
    else state.streams.set(name, left)
  }
  return gone.size
}

const listStreams = (state: State, filter: StreamFilter): Array<StreamId> => {
  const out: Array<StreamId> = []
  for (const events of state.streams.values()) {
    const stream = events[0]?.stream
    if (stream === undefined || stream.kind !== filter.kind) continue
    if (filter.school !== undefined && stream.school !== filter.school) continue
    out.push({ ...stream })
  }
  return out
}

/**
 * Creates an empty in-memory store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): EventStoreShape => {
  const state: State = { log: [], streams: new Map(), ids: new Map(), head: 0 }
  const wakeUp = Subscription.makeWakeUp()
  const appendMany = (requests: ReadonlyArray<AppendRequest>): Effect.Effect<AppendManyResult, AppendError> =>
    Effect.flatMap(
      Effect.sync(() => {
        const result = appendAll(state, requests, new Date().toISOString())
        if (!("_tag" in result)) wakeUp.notify()
        return result
      }),
      (result) => ("_tag" in result ? Effect.fail(result) : Effect.succeed(result))
    )
  const store: EventStoreShape = {
    capabilities: {
      atomicMultiStreamAppend: true,
      physicalDelete: true,
      recreateDeletedStream: true,
      deleteEvents: true
    },
    append: (request) =>
      Effect.flatMap(appendMany([request]), (result) => {
        const first = result.streams[0]
        return first === undefined
          ? Effect.die(new Error("in-memory store: appendMany lost a stream"))
          : Effect.succeed(first)
      }),
    appendMany,
    readStream: (stream, options) => Effect.sync(() => readStream(state, stream, options)),
    readAll: (options) => Effect.sync(() => readAll(state, options)),
    readPositions: (school, positions) => Effect.sync(() => readPositions(state, school, positions)),
    subscribe: (options) => Subscription.make({ readAll: store.readAll, wakeUp }, options),
    headPosition: Effect.sync(() => state.head),
    deleteStream: (stream) => Effect.sync(() => deleteStream(state, stream)),
    deleteEvents: (school, positions) => Effect.sync(() => deleteEvents(state, school, positions)),
    listStreams: (filter) => Effect.sync(() => listStreams(state, filter))
  }
  return store
}

/**
 * A layer providing a fresh, empty in-memory `EventStore`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<EventStore> = Layer.sync(EventStore, make)
