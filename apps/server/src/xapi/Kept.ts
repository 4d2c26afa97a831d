/**
 * How a statement is kept in the event store: the type and id of its record, the id of
 * the Rapport event it becomes (UUIDv5 of the statement id, docs/xapi.md), the agents and
 * activities the index keeps of it, and reading records back for index entries.
 *
 * @since 0.3.0
 */
import type { EventStoreShape, StreamId } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { createHash } from "node:crypto"
import { fromFailure, type HttpProblem } from "../http/Problem.js"
import { ifiOf, isJsonObject, type Statement } from "./Statement.js"
import type { Entry, Ref } from "./StatementIndex.js"

/**
 * The type of the events that keep statements.
 *
 * @since 0.3.0
 * @category constants
 */
export const recordType = "XapiStatementRecorded"

/**
 * The UUIDv5 namespace of the Rapport events statements become (docs/xapi.md).
 *
 * @since 0.3.0
 * @category constants
 */
export const eventNamespace = "0b5c9a52-3f8e-4a1d-9c67-5e2d7f1a8b34"

/**
 * The UUIDv5 namespace of the records that keep statements.
 *
 * @since 0.3.0
 * @category constants
 */
export const recordNamespace = "9d3e6f10-2b7a-4c58-8e91-4a6b0c2d1f57"

/**
 * A name-based UUID (RFC 9562 version 5, SHA-1).
 *
 * @since 0.3.0
 * @category operations
 */
export const uuidV5 = (namespace: string, name: string): string => {
  const hash = createHash("sha1")
    .update(Buffer.from(namespace.replace(/-/g, ""), "hex"))
    .update(name, "utf8")
    .digest()
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString("hex")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * The agents and activities a statement names, for queries (`related` when only its
 * context, authority or a SubStatement names them).
 *
 * @since 0.3.0
 * @category operations
 */
export const refsOf = (statement: Statement): Array<Ref> => {
  const refs: Array<Ref> = []
  const agent = (value: unknown, related: boolean) => {
    const ifi = ifiOf(value)
    if (ifi !== undefined) refs.push({ kind: "agent", value: ifi, related })
    if (isJsonObject(value) && Array.isArray(value.member)) for (const m of value.member) agent(m, true)
  }
  const activity = (value: unknown, related: boolean) => {
    if (isJsonObject(value) && typeof value.id === "string") refs.push({ kind: "activity", value: value.id, related })
  }
  const walk = (s: Statement, nested: boolean) => {
    agent(s.actor, nested)
    const object = isJsonObject(s.object) ? s.object : {}
    if (object.objectType === "Agent" || object.objectType === "Group") agent(object, nested)
    else if (object.objectType === "SubStatement") walk(object, true)
    else if (object.objectType === undefined || object.objectType === "Activity") activity(object, nested)
    agent(s.authority, true)
    const context = isJsonObject(s.context) ? s.context : {}
    agent(context.instructor, true)
    agent(context.team, true)
    const activities = isJsonObject(context.contextActivities) ? context.contextActivities : {}
    for (const kind of ["parent", "grouping", "category", "other"]) {
      const list = activities[kind]
      for (const entry of Array.isArray(list) ? list : list === undefined ? [] : [list]) activity(entry, true)
    }
  }
  walk(statement, false)
  return refs
}

/**
 * The statements kept for index entries, in their order (an entry whose record is gone,
 * erased meanwhile, is left out).
 *
 * @since 0.3.0
 * @category operations
 */
export const load = (
  deps: { readonly store: EventStoreShape },
  school: string,
  entries: ReadonlyArray<Entry>
): Effect.Effect<ReadonlyArray<Statement>, HttpProblem> =>
  Effect.gen(function* () {
    if (entries.length === 0) return []
    const byPosition = new Map<number, Statement>()
    const keep = (event: { readonly position: number; readonly type: string; readonly data: unknown }) => {
      if (event.type !== recordType || !isJsonObject(event.data) || !isJsonObject(event.data.statement)) return
      byPosition.set(event.position, event.data.statement)
    }
    const readPositions = deps.store.readPositions
    if (readPositions !== undefined) {
      const events = yield* readPositions(
        school,
        entries.map((entry) => entry.position)
      ).pipe(Effect.mapError((e) => fromFailure(e)))
      for (const event of events) keep(event)
    } else {
      const streams = new Map<string, StreamId>()
      for (const entry of entries) {
        const kind = entry.streamKind === "student" ? "student" : "school"
        streams.set(`${kind}\u0000${entry.streamId}`, { school, kind, id: entry.streamId })
      }
      for (const stream of streams.values()) {
        const events = yield* deps.store.readStream(stream).pipe(Effect.mapError((e) => fromFailure(e)))
        for (const event of events) keep(event)
      }
    }
    return entries.flatMap((entry) => {
      const statement = byPosition.get(entry.position)
      return statement === undefined ? [] : [statement]
    })
  })
