/**
 * Checks an append request before anything is sent to PostgreSQL, and prepares each
 * event's columns: the content hash, `occurredAt` as an instant PostgreSQL accepts, and
 * `data` as JSON text that jsonb can store unchanged.
 *
 * Whatever PostgreSQL would reject or silently alter (a NUL character, an unpaired
 * surrogate, a year outside 1–9999, an id too long for a btree index) is refused here
 * with `InvalidAppend`, so that bad input never reaches the server and never half-writes
 * anything. This module must never touch the database.
 *
 * @since 0.1.0
 */
import { ContentHash, InvalidAppend, StreamName } from "@rapport/event-store"
import type { AppendRequest, NewEvent } from "@rapport/event-store"

/**
 * The longest event id, in UTF-16 code units. With the school (≤ 128) it keeps the
 * `(school, event_id)` index entry well under PostgreSQL's btree limit (~2,700 bytes).
 *
 * @since 0.1.0
 * @category models
 */
export const maxEventIdLength = 512

/**
 * An event with its columns ready for the insert.
 *
 * @since 0.1.0
 * @category models
 */
export interface PreparedEvent {
  readonly event: NewEvent
  readonly hash: string
  /** ISO 8601 UTC with milliseconds */
  readonly occurredAt: string
  readonly dataJson: string
}

/** a NUL (PostgreSQL text and jsonb refuse it) or an unpaired surrogate (UTF-8 cannot carry it) */
const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const unrepresentable = (text: string): boolean => text.includes("\u0000") || unpairedSurrogate.test(text)

const textProblem = (name: string, value: unknown, max: number): string | undefined => {
  if (typeof value !== "string") return `${name} must be a string`
  if (value.length < 1 || value.length > max) return `${name} must be 1 to ${max} characters long`
  if (unrepresentable(value)) return `${name} must not contain NUL characters or unpaired surrogates`
  return undefined
}

/** the path of the first string or key in `value` that jsonb cannot store, if any */
const jsonProblem = (value: unknown, path: string): string | undefined => {
  if (typeof value === "string") return unrepresentable(value) ? path : undefined
  if (value === null || typeof value !== "object") return undefined
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = jsonProblem(item, `${path}[${i}]`)
      if (problem !== undefined) return problem
    }
    return undefined
  }
  for (const [key, item] of Object.entries(value)) {
    if (unrepresentable(key)) return `${path} (a key)`
    const problem = jsonProblem(item, `${path}.${key}`)
    if (problem !== undefined) return problem
  }
  return undefined
}

const toJson = (data: unknown): string | undefined => {
  try {
    return JSON.stringify(data)
  } catch {
    return undefined
  }
}

const prepareEvent = (event: NewEvent, where: string): PreparedEvent | InvalidAppend => {
  const invalid = (reason: string) => new InvalidAppend({ reason: `${where}: ${reason}` })
  const idProblem = textProblem("id", event.id, maxEventIdLength)
  if (idProblem !== undefined) return invalid(idProblem)
  const typeProblem = textProblem("type", event.type, 256)
  if (typeProblem !== undefined) return invalid(typeProblem)
  if (!Number.isInteger(event.v) || event.v < 1 || event.v > 2_147_483_647) {
    return invalid("v must be an integer from 1 to 2147483647")
  }
  if (event.source !== undefined) {
    const sourceProblem = textProblem("source", event.source, 256)
    if (sourceProblem !== undefined) return invalid(sourceProblem)
  }
  const ms = typeof event.occurredAt === "string" ? Date.parse(event.occurredAt) : Number.NaN
  const year = new Date(ms).getUTCFullYear()
  if (!Number.isFinite(ms) || year < 1 || year > 9999) {
    return invalid("occurredAt must be an RFC 3339 instant between the years 1 and 9999")
  }
  const dataJson = toJson(event.data)
  if (dataJson === undefined) return invalid("data must be JSON")
  const badPath = jsonProblem(event.data, "data")
  if (badPath !== undefined) return invalid(`${badPath} contains a NUL character or an unpaired surrogate`)
  return { event, hash: ContentHash.contentHash(event), occurredAt: new Date(ms).toISOString(), dataJson }
}

/**
 * Validates every stream and event of a request (each stream at most once) and prepares
 * the events, in request order.
 *
 * @since 0.1.0
 * @category operations
 */
export const prepare = (
  requests: ReadonlyArray<AppendRequest>
): ReadonlyArray<ReadonlyArray<PreparedEvent>> | InvalidAppend => {
  const names = new Set<string>()
  const prepared: Array<Array<PreparedEvent>> = []
  for (const request of requests) {
    const problem = StreamName.problem(request.stream)
    if (problem !== undefined) return new InvalidAppend({ reason: `invalid stream: ${problem}` })
    const name = StreamName.encodeStreamName(request.stream)
    if (names.has(name)) return new InvalidAppend({ reason: `stream ${name} appears twice in one request` })
    names.add(name)
    const events: Array<PreparedEvent> = []
    for (const [i, event] of request.events.entries()) {
      const ready = prepareEvent(event, `stream ${name}, event ${i}`)
      if (ready instanceof InvalidAppend) return ready
      events.push(ready)
    }
    prepared.push(events)
  }
  return prepared
}
