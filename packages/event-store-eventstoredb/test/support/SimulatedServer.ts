/**
 * A simulated EventStoreDB behind the adapter's `Connection`, for unit tests of the
 * adapter's own logic (claims, retries, error handling, filtering) on a machine where
 * no server can run. It is NOT the server: it follows the documented behaviour of the
 * gRPC API as this adapter relies on it (exact expected revisions with idempotent
 * repeats, tombstones, `$all` positions that are record offsets, reads that fail from
 * the middle of a record, prefix-filtered catch-up subscriptions) and throws the
 * client's own error classes. What it gets wrong, only the `*.int.test.ts` suites
 * against a real server can tell.
 *
 * Faults: `faults.next(op, streamName)` may answer "before" (fail as unreachable
 * without doing anything), "after" (do it, then fail as unreachable, like a timeout
 * whose write landed), or "not-ready" / "busy" (do nothing and fail as a node that is
 * starting or overloaded does: an append, which the client sends as a batch append,
 * with the client's UnknownError "Could not recognize Server Is Not Ready" / "Server Is
 * Busy"; any other call with UNAVAILABLE). Every call yields to the event loop first, so
 * concurrent calls interleave.
 */
import type { AppendExpectedRevision, ExpectedRevision } from "@eventstore/db-client"
import {
  MaxAppendSizeExceededError,
  StreamDeletedError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError
} from "@eventstore/db-client"
import type { Checkpoint } from "../../src/Checkpoint.js"
import type { Connection, LiveRecords, ProposedEvent, StoredRecord } from "../../src/internal/Connection.js"

interface SimStream {
  readonly records: Array<StoredRecord>
  tombstoned: boolean
  truncateBefore: number
}

export type Fault = "before" | "after" | "not-ready" | "busy" | undefined

export interface SimulatedServer {
  readonly connect: () => Connection
  /** every record of `$all`, in position order (including claims, tombstones, foreign records) */
  readonly log: ReadonlyArray<StoredRecord>
  readonly streams: ReadonlyMap<string, { readonly records: ReadonlyArray<StoredRecord>; readonly tombstoned: boolean }>
  /** a record of another application (or the server itself) in `$all` */
  readonly foreign: (streamName: string, type: string) => void
  faults: { next: (op: string, streamName: string) => Fault }
  calls: number
}

/**
 * What KurrentDB 25.0 counts against `MaxAppendSize` for a write (its `Event.SizeOnDisk`,
 * summed): data + metadata + 2 × the type's UTF-16 length, the JSON the client sends.
 */
export const sizeOnDisk = (events: ReadonlyArray<ProposedEvent>): number =>
  events.reduce(
    (n, e) =>
      n +
      Buffer.byteLength(JSON.stringify(e.data)) +
      Buffer.byteLength(JSON.stringify(e.metadata ?? {})) +
      2 * e.type.length,
    0
  )

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

// The real client parses every body it reads: callers never share objects.
const copy = (record: StoredRecord): StoredRecord => ({
  ...record,
  data: structuredClone(record.data),
  metadata: structuredClone(record.metadata)
})

export const makeSimulatedServer = (options: { readonly maxAppendSize?: number } = {}): SimulatedServer => {
  const streams = new Map<string, SimStream>()
  const log: Array<StoredRecord> = []
  const listeners = new Set<() => void>()
  // Record offsets grow by an uneven size, as in a real transaction file.
  let nextPosition = 1000n
  const stream = (name: string): SimStream => {
    let found = streams.get(name)
    if (found === undefined) {
      found = { records: [], tombstoned: false, truncateBefore: 0 }
      streams.set(name, found)
    }
    return found
  }
  const current = (name: string): bigint | "no_stream" => {
    const records = streams.get(name)?.records
    const last = records?.[records.length - 1]
    return last === undefined ? "no_stream" : last.revision
  }
  const record = (streamName: string, revision: bigint, event: { eventId: string; type: string; data: unknown }) => {
    const position = nextPosition
    nextPosition += BigInt(150 + ((Number(position) * 7) % 97))
    const stored: StoredRecord = {
      streamName,
      eventId: event.eventId,
      revision,
      type: event.type,
      data: JSON.parse(JSON.stringify(event.data)),
      metadata:
        "metadata" in event && event.metadata !== undefined ? JSON.parse(JSON.stringify(event.metadata)) : undefined,
      created: new Date(),
      position: { commit: position, prepare: position }
    }
    log.push(stored)
    return stored
  }
  const notify = () => {
    for (const listener of [...listeners]) listener()
  }
  const server: SimulatedServer = {
    log,
    streams,
    foreign: (streamName, type) => {
      const revision = current(streamName)
      const stored = record(streamName, revision === "no_stream" ? 0n : revision + 1n, {
        eventId: crypto.randomUUID(),
        type,
        data: {}
      })
      stream(streamName).records.push(stored)
      notify()
    },
    faults: { next: () => undefined },
    calls: 0,
    connect: () => connection
  }
  const guarded = async <A>(op: string, name: string, run: () => A): Promise<A> => {
    await tick()
    server.calls++
    const fault = server.faults.next(op, name)
    if (fault === "before") throw new UnavailableError(undefined, `simulated: ${op} ${name} not sent`)
    if (fault === "not-ready" || fault === "busy") {
      const status = fault === "not-ready" ? "Server Is Not Ready" : "Server Is Busy"
      throw op === "append"
        ? new UnknownError(undefined, `Could not recognize ${status}`)
        : new UnavailableError(undefined, `14 UNAVAILABLE: ${status}`)
    }
    const result = run()
    if (fault === "after") throw new UnavailableError(undefined, `simulated: ${op} ${name} done, answer lost`)
    return result
  }
  const matchesExpected = (name: string, expected: AppendExpectedRevision | ExpectedRevision): boolean => {
    const now = current(name)
    if (expected === "any") return true
    if (expected === "no_stream") return now === "no_stream"
    if (expected === "stream_exists") return now !== "no_stream"
    return now === expected
  }
  const append = (name: string, events: ReadonlyArray<ProposedEvent>, expected: AppendExpectedRevision) => {
    const target = stream(name)
    if (target.tombstoned) throw StreamDeletedError.fromStreamName(name)
    const size = sizeOnDisk(events)
    if (options.maxAppendSize !== undefined && size > options.maxAppendSize) {
      throw MaxAppendSizeExceededError.fromMaxAppendSize(options.maxAppendSize)
    }
    if (!matchesExpected(name, expected)) {
      // The server's idempotency check: the same ids right after an exact expectation.
      if (expected !== "any" && expected !== "stream_exists") {
        const start = expected === "no_stream" ? 0 : Number(expected) + 1
        const same = events.every((e, i) => target.records[start + i]?.eventId === e.eventId)
        if (same && target.records.length >= start + events.length) {
          return { nextExpectedRevision: BigInt(start + events.length - 1) }
        }
      }
      throw new WrongExpectedVersionError(undefined, { streamName: name, expected, current: current(name) })
    }
    for (const event of events) {
      const now = current(name)
      target.records.push(record(name, now === "no_stream" ? 0n : now + 1n, event))
    }
    notify()
    const now = current(name)
    return { nextExpectedRevision: now === "no_stream" ? -1n : now }
  }
  const readStream: Connection["readStream"] = (name, options) =>
    guarded("readStream", name, () => {
      const target = streams.get(name)
      if (target?.tombstoned) throw StreamDeletedError.fromStreamName(name)
      if (target === undefined || target.records.length === 0) return "no-stream" as const
      const visible = target.records.filter((r) => Number(r.revision) >= target.truncateBefore)
      if (options.direction === "forwards") {
        const from = options.from === "start" ? 0n : options.from === "end" ? BigInt(visible.length) : options.from
        return visible
          .filter((r) => r.revision >= from)
          .slice(0, options.maxCount)
          .map(copy)
      }
      const from = options.from === "end" || options.from === "start" ? Number.POSITIVE_INFINITY : Number(options.from)
      return visible
        .filter((r) => Number(r.revision) <= from)
        .reverse()
        .slice(0, options.maxCount)
        .map(copy)
    })
  const startIndex = (from: Checkpoint | "start" | "end", forwards: boolean): number => {
    if (from === "start") return forwards ? 0 : -1
    if (from === "end") return forwards ? log.length : log.length - 1
    if (from.commit === nextPosition) return forwards ? log.length : log.length - 1
    const index = log.findIndex((r) => r.position?.commit === from.commit)
    // The real server fails to parse a record at an offset that is not a record's start.
    if (index < 0) throw new UnknownError(undefined, `simulated: no record at log position ${from.commit}`)
    return forwards ? index : index - 1
  }
  const connection: Connection = {
    append: (name, events, expected) => guarded("append", name, () => append(name, events, expected)),
    readStream,
    readAll: (options) =>
      guarded("readAll", "$all", () => {
        const forwards = options.direction === "forwards"
        const start = startIndex(options.from, forwards)
        return (
          forwards
            ? log.slice(start, start + options.maxCount)
            : log.slice(Math.max(0, start - options.maxCount + 1), start + 1).reverse()
        ).map(copy)
      }),
    subscribeToAll: (options): LiveRecords => {
      let stopped = false
      let wake: (() => void) | undefined
      const listener = () => wake?.()
      listeners.add(listener)
      const wanted = (r: StoredRecord) =>
        options.filter === undefined ||
        options.filter.prefixes.some((p) => (options.filter?.on === "eventType" ? r.type : r.streamName).startsWith(p))
      async function* records(): AsyncGenerator<StoredRecord> {
        let index = options.from === "start" ? 0 : startIndex(options.from, true) + 1
        while (!stopped) {
          await tick()
          while (index < log.length && !stopped) {
            const next = log[index++]
            if (next !== undefined && wanted(next)) yield copy(next)
          }
          if (!stopped)
            await new Promise<void>((resolve) => {
              wake = resolve
            })
        }
      }
      return {
        records: records(),
        stop: async () => {
          stopped = true
          listeners.delete(listener)
          wake?.()
        }
      }
    },
    tombstone: (name, expected) =>
      guarded("tombstone", name, () => {
        const target = stream(name)
        if (target.tombstoned) throw StreamDeletedError.fromStreamName(name)
        if (!matchesExpected(name, expected)) {
          throw new WrongExpectedVersionError(undefined, { streamName: name, expected, current: current(name) })
        }
        target.tombstoned = true
        record(name, BigInt(Number.MAX_SAFE_INTEGER), {
          eventId: crypto.randomUUID(),
          type: "$streamDeleted",
          data: {}
        })
        notify()
      }),
    truncateBefore: (name, revision) =>
      guarded("truncateBefore", name, () => {
        stream(name).truncateBefore = revision
        record(`$$${name}`, 0n, { eventId: crypto.randomUUID(), type: "$metadata", data: { $tb: revision } })
      }),
    close: async () => {}
  }
  return server
}
