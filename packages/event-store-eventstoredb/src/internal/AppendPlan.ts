/**
 * The pure part of an append: what can be refused without I/O (step 1 of `Append.ts`),
 * the shape of each stream part and each distinct event id, and the answer assembled
 * from the outcomes (step 6). This module must never do I/O.
 *
 * @since 0.1.0
 */
import type { AppendError, AppendManyResult, AppendRequest, AppendedEvent, NewEvent } from "@rapport/event-store"
import { contentHash, EventIdConflict, InvalidAppend, StreamName as PortStreamName } from "@rapport/event-store"
import type { Naming } from "../EventStoreDbStreamName.js"
import type { Actual } from "../ExpectedRevision.js"
import * as Envelope from "./Envelope.js"
import type { Located } from "./Locate.js"

/**
 * One distinct event id of the request, at its first occurrence.
 *
 * @since 0.1.0
 * @category models
 */
export interface Unique {
  readonly key: string
  readonly school: string
  readonly event: NewEvent
  readonly hash: string
  readonly part: number
  readonly serverId: string
}

/**
 * What became of a distinct event id.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome =
  /** reserved by this attempt; `takenOver` when another attempt, maybe alive, reserved it first */
  | { readonly _tag: "Reserved"; readonly claimRevision: bigint; readonly takenOver: boolean }
  | { readonly _tag: "Stored"; readonly at: Located; readonly duplicate: boolean }
  | { readonly _tag: "Conflict"; readonly storedHash: string }
  | { readonly _tag: "Misplaced"; readonly streamName: string }
  /** the id's claim stream was deleted on the server (by hand: Rapport never deletes one) */
  | { readonly _tag: "ClaimDeleted"; readonly claimStream: string }

/**
 * One stream's part of the request.
 *
 * @since 0.1.0
 * @category models
 */
export interface Part {
  readonly request: AppendRequest
  readonly name: string
  /** per event of the request: the key of its distinct id */
  readonly keys: ReadonlyArray<string>
  /** the distinct ids first seen in this part, in order */
  readonly uniques: ReadonlyArray<Unique>
}

const sizingAttempt = "00000000-0000-0000-0000-000000000000"

const keyOf = (school: string, id: string): string => `${school.length}:${school}:${id}`

/**
 * Step 1: everything that can be refused without I/O; the parts otherwise.
 *
 * @since 0.1.0
 * @category planning
 */
export const plan = (
  requests: ReadonlyArray<AppendRequest>,
  settings: { readonly maxAppendSize: number; readonly naming: Naming }
): Array<Part> | AppendError => {
  const names = new Set<string>()
  const firstHash = new Map<string, string>()
  const parts: Array<Part> = []
  for (const [index, request] of requests.entries()) {
    const problem = PortStreamName.problem(request.stream)
    if (problem !== undefined) return new InvalidAppend({ reason: `invalid stream: ${problem}` })
    const name = settings.naming.encode(request.stream)
    if (names.has(name)) return new InvalidAppend({ reason: `stream ${name} appears twice in one request` })
    names.add(name)
    const school = request.stream.school
    const keys: Array<string> = []
    const uniques: Array<Unique> = []
    for (const event of request.events) {
      if (typeof event.id !== "string" || event.id.length === 0) {
        return new InvalidAppend({ reason: `an event of stream ${name} has an empty id` })
      }
      const key = keyOf(school, event.id)
      const hash = contentHash(event)
      const earlier = firstHash.get(key)
      if (earlier !== undefined && earlier !== hash) {
        return new EventIdConflict({ school, eventId: event.id, storedHash: earlier, attemptedHash: hash })
      }
      if (earlier === undefined) {
        firstHash.set(key, hash)
        uniques.push({ key, school, event, hash, part: index, serverId: Envelope.serverEventId(school, event.id) })
      }
      keys.push(key)
    }
    // Counted as the server counts them, with the adapter's own metadata (an attempt id
    // of the same length as every real one) and a margin: a part the server would refuse
    // is refused here, before any part of the request is written.
    const size = Envelope.appendSize(
      uniques.map((u) => Envelope.toProposed(request.stream, u.event, u.hash, sizingAttempt))
    )
    if (size > settings.maxAppendSize) {
      return new InvalidAppend({
        reason: `the events for stream ${name} take ${size} bytes as the server counts them (with a margin of ${Envelope.sizeMargin} per event), over the ${settings.maxAppendSize}-byte limit of one EventStoreDB append`
      })
    }
    parts.push({ request, name, keys, uniques })
  }
  return parts
}

/**
 * Step 6: the answer, in request order; an exact repeat inside the request is reported as
 * a duplicate of its first occurrence.
 *
 * @since 0.1.0
 * @category assembling
 */
export const result = (
  parts: ReadonlyArray<Part>,
  outcomes: ReadonlyMap<string, Outcome>,
  revisions: ReadonlyArray<Actual>
): AppendManyResult => {
  const reported = new Set<string>()
  let stored = 0
  let eventCount = 0
  let position = 0
  const streams = parts.map((part, index) => {
    const events = part.request.events.map((event, i): AppendedEvent => {
      const key = part.keys[i] ?? ""
      const outcome = outcomes.get(key)
      if (outcome?._tag !== "Stored") throw new Error(`event ${event.id} has no outcome after the append`)
      const repeat = reported.has(key)
      reported.add(key)
      const duplicate = outcome.duplicate || repeat
      eventCount++
      if (!duplicate) stored++
      position = Math.max(position, outcome.at.position)
      return { id: event.id, revision: outcome.at.revision, position: outcome.at.position, duplicate }
    })
    const last = revisions[index] ?? "no-stream"
    return { stream: part.request.stream, revision: last === "no-stream" ? -1 : last, events }
  })
  return { streams, stored, duplicates: eventCount - stored, position }
}
