/**
 * The statement resource's work, apart from HTTP: storing statements (validated, kept as
 * sent in the event store, indexed, and turned into Rapport events when they follow the
 * profile) and reading them back for the key that stored them.
 *
 * A statement is kept as an `XapiStatementRecorded` event, in the stream of the student
 * it names (so the student's erasure deletes it) or, when its student is not matched, in
 * a stream of the agent's identifier (deleted with the directory entry it would match).
 * The Rapport event a statement becomes has the id UUIDv5(`eventNamespace`, statement id),
 * so that a retry is a duplicate; voiding it appends an `EventRetracted`. All events of a
 * request are appended at once (all or nothing), then indexed; a request that failed
 * between the two is completed by its retry.
 *
 * @since 0.3.0
 */
import { Streams } from "@rapport/analytics"
import type { Event } from "@rapport/core"
import type { AppendRequest, EventStoreShape, NewEvent, StreamId } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { createHash, randomUUID } from "node:crypto"
import { fromFailure, type HttpProblem, problem, ProblemType, type ValidationIssue } from "../http/Problem.js"
import * as Ingest from "../ingest/Ingest.js"
import * as Actors from "./Actors.js"
import { normalised } from "./Format.js"
import * as Profile from "./Profile.js"
import { isJsonObject, signature, type Statement, toUtcIso, voided } from "./Statement.js"
import { validate } from "./Validate.js"
import { eventNamespace, recordNamespace, recordType, refsOf, uuidV5 } from "./Kept.js"
import type { Entry, Ref, StatementIndex } from "./StatementIndex.js"

/**
 * @since 0.3.0
 * @category models
 */
export interface Deps {
  readonly store: EventStoreShape
  readonly index: StatementIndex
  readonly resolver: Actors.Resolver
  readonly now: () => Date
}

/**
 * Who stores or reads: the key (public id and name, the source system) and its school.
 *
 * @since 0.3.0
 * @category models
 */
export interface Caller {
  readonly school: string
  readonly keyId: string
  readonly source: string
}

interface Planned {
  readonly id: string
  readonly stream: StreamId
  readonly events: ReadonlyArray<NewEvent>
  readonly recordId: string
  readonly entry: Omit<Entry, "position">
  readonly refs: ReadonlyArray<Ref>
}

const toNewEvent = (event: Event.RapportEvent): NewEvent => ({
  id: event.id,
  type: event.type,
  v: event.v,
  occurredAt: event.occurredAt,
  source: event.source,
  data: event.data
})

const invalid = (issues: ReadonlyArray<ValidationIssue>): HttpProblem =>
  problem(400, `Invalid statements: ${issues.length} problem(s); nothing was stored.`, {
    type: ProblemType.validationFailed,
    errors: issues
  })

const conflict = (id: string, detail: string): HttpProblem =>
  problem(409, `Statement ${id} ${detail}`, { type: ProblemType.eventIdConflict, extensions: { statementId: id } })

const hashOf = (text: string): string => createHash("sha256").update(text).digest("hex")

/**
 * Stores statements for a caller; answers their ids in order. All or nothing.
 *
 * @since 0.3.0
 * @category operations
 */
export const store = (
  deps: Deps,
  caller: Caller,
  sent: ReadonlyArray<unknown>,
  version: string,
  authority: Statement
): Effect.Effect<ReadonlyArray<string>, HttpProblem> =>
  Effect.gen(function* () {
    const issues: Array<ValidationIssue> = []
    sent.forEach((value, index) => {
      for (const issue of validate(value)) issues.push({ index, path: issue.path, message: issue.message })
    })
    if (issues.length > 0) return yield* Effect.fail(invalid(issues))
    const statements = sent.filter(isJsonObject).map(normalised)
    const ids = statements.map((s) => (typeof s.id === "string" ? s.id.toLowerCase() : randomUUID()))
    const seen = new Set<string>()
    for (const [index, id] of ids.entries()) {
      if (seen.has(id))
        return yield* Effect.fail(
          invalid([{ index, path: ["id"], message: `Statement id ${id} is repeated in this batch` }])
        )
      seen.add(id)
    }
    const storedAt = deps.now()
    const stored = storedAt.toISOString()
    const plans: Array<Planned> = []
    for (const [index, statement] of statements.entries()) {
      const id = ids[index] ?? randomUUID()
      const fingerprint = hashOf(signature({ ...statement, id }))
      const existing = yield* deps.index.find(caller.school, id).pipe(Effect.mapError((e) => fromFailure(e)))
      if (existing !== undefined) {
        if (existing.keyId !== caller.keyId)
          return yield* Effect.fail(conflict(id, "was stored by another source system."))
        if (existing.signature !== fingerprint)
          return yield* Effect.fail(conflict(id, "was already stored with other content."))
        continue
      }
      plans.push(
        yield* plan(deps, caller, { ...statement, id }, { id, fingerprint, stored, version, authority, index })
      )
    }
    if (plans.length === 0) return ids
    const byStream = new Map<string, { stream: StreamId; events: Array<NewEvent> }>()
    for (const planned of plans) {
      for (const event of planned.events) {
        const stream =
          event.type === "EventRetracted"
            ? { school: caller.school, kind: "school" as const, id: Streams.retractionsId }
            : planned.stream
        const key = `${stream.kind}\u0000${stream.id}`
        const entry = byStream.get(key) ?? { stream, events: [] }
        entry.events.push(event)
        byStream.set(key, entry)
      }
    }
    const requests: Array<AppendRequest> = [...byStream.values()].map(({ stream, events }) => ({
      stream,
      expected: { _tag: "Any" },
      events
    }))
    const outcome = yield* Effect.result(deps.store.appendMany(requests))
    if (Result.isFailure(outcome)) {
      if (outcome.failure._tag !== "EventIdConflict") return yield* Effect.fail(fromFailure(outcome.failure))
      // Another request stored one of these statements in the meantime (a client retrying
      // before its first attempt was answered): the same statements are a duplicate.
      if (yield* storedAlike(deps, caller, plans)) return ids
      return yield* Effect.fail(conflict(ids.join(", "), "was already stored with other content."))
    }
    const appended = outcome.success
    const positions = new Map<string, number>()
    for (const result of appended.streams) for (const event of result.events) positions.set(event.id, event.position)
    for (const planned of plans) {
      const position = positions.get(planned.recordId) ?? 0
      yield* deps.index
        .insert({ ...planned.entry, position }, planned.refs)
        .pipe(Effect.mapError((e) => fromFailure(e)))
      if (planned.entry.voidingTarget !== null)
        yield* deps.index
          .markVoided(caller.school, planned.entry.voidingTarget)
          .pipe(Effect.mapError((e) => fromFailure(e)))
    }
    return ids
  })

/**
 * Whether every planned statement is now stored under this key with the same content,
 * waiting (at most 2 s) for a concurrent request that appended first to index them.
 */
const storedAlike = (deps: Deps, caller: Caller, plans: ReadonlyArray<Planned>): Effect.Effect<boolean, HttpProblem> =>
  Effect.gen(function* () {
    const deadline = Date.now() + 2000
    for (;;) {
      let missing = false
      for (const planned of plans) {
        const entry = yield* deps.index.find(caller.school, planned.id).pipe(Effect.mapError((e) => fromFailure(e)))
        if (entry === undefined) missing = true
        else if (entry.keyId !== caller.keyId || entry.signature !== planned.entry.signature) return false
      }
      if (!missing) return true
      if (Date.now() > deadline) return false
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
    }
  })

/** what one new statement adds: its record, its Rapport event or retraction, its index entry */
const plan = (
  deps: Deps,
  caller: Caller,
  statement: Statement,
  at: {
    readonly id: string
    readonly fingerprint: string
    readonly stored: string
    readonly version: string
    readonly authority: Statement
    readonly index: number
  }
): Effect.Effect<Planned, HttpProblem> =>
  Effect.gen(function* () {
    const { id, stored } = at
    const verb = isJsonObject(statement.verb) ? String(statement.verb.id) : ""
    const occurredAt =
      typeof statement.timestamp === "string" ? new Date(toUtcIso(statement.timestamp)).toISOString() : stored
    const events: Array<NewEvent> = []
    let stream: StreamId
    let used = false
    let reason: string | null = null
    let eventId: string | null = null
    let voidingTarget: string | null = null
    let kept: Statement = statement
    const resolve = (agent: unknown, kind: Actors.Person["kind"]) =>
      Actors.resolve(deps.resolver, caller.school, caller.source, agent, kind).pipe(
        Effect.mapError((e) => fromFailure(e))
      )
    if (verb === voided) {
      const targetId = String(isJsonObject(statement.object) ? statement.object.id : "").toLowerCase()
      const target = yield* deps.index.find(caller.school, targetId).pipe(Effect.mapError((e) => fromFailure(e)))
      reason = "voiding"
      if (target !== undefined && target.keyId === caller.keyId) {
        if (target.verb === voided)
          return yield* Effect.fail(
            invalid([{ index: at.index, path: ["object", "id"], message: "A voiding statement cannot be voided" }])
          )
        voidingTarget = target.statementId
        stream = {
          school: caller.school,
          kind: target.streamKind === "student" ? "student" : "school",
          id: target.streamId
        }
        if (target.eventId !== null) {
          const retraction = Ingest.validate(
            [
              {
                id: uuidV5(eventNamespace, `voided:${id}`),
                type: "EventRetracted",
                v: 1,
                occurredAt: stored,
                source: caller.source,
                data: { eventId: target.eventId, reason: `voided by xAPI statement ${id}` }
              }
            ],
            deps.now()
          )
          if (Result.isSuccess(retraction)) events.push(...retraction.success.map(toNewEvent))
        }
      } else {
        stream = Actors.unmatchedStream(caller.school, statement.actor)
      }
    } else {
      const matched = Profile.match(statement)
      let studentId: string | undefined
      if (matched._tag === "Matched") {
        const student = yield* resolve(matched.student.agent, "student")
        const faculty = yield* resolve(matched.faculty.agent, "faculty")
        studentId = student?.id
        if (matched.sensitive) kept = Profile.withoutFreeText(statement)
        if (student === undefined) reason = "student-not-matched"
        else if (faculty === undefined) reason = "faculty-not-matched"
        else {
          const wire = {
            id: uuidV5(eventNamespace, id),
            type: matched.type,
            v: 1,
            occurredAt,
            source: caller.source,
            data: { studentId: student.id, facultyId: faculty.id, ...matched.data }
          }
          const validated = Ingest.validate([wire], deps.now())
          if (Result.isSuccess(validated)) {
            events.push(...validated.success.map(toNewEvent))
            used = true
            eventId = wire.id
          } else reason = "invalid-data"
        }
        stream =
          studentId === undefined
            ? Actors.unmatchedStream(caller.school, matched.student.agent)
            : Streams.student(caller.school, studentId)
      } else {
        reason = matched.reason
        const asStudent =
          (yield* resolve(statement.actor, "student")) ??
          (isJsonObject(statement.object) && statement.object.objectType === "Agent"
            ? yield* resolve(statement.object, "student")
            : undefined)
        studentId = asStudent?.id
        stream =
          studentId === undefined
            ? Actors.unmatchedStream(caller.school, statement.actor)
            : Streams.student(caller.school, studentId)
      }
    }
    const full: Statement = {
      ...kept,
      id,
      timestamp: typeof statement.timestamp === "string" ? statement.timestamp : stored,
      stored,
      authority: at.authority,
      version: typeof statement.version === "string" ? statement.version : at.version
    }
    const recordId = uuidV5(recordNamespace, id)
    const studentId = stream.kind === "student" ? stream.id : undefined
    events.unshift({
      id: recordId,
      type: recordType,
      v: 1,
      occurredAt,
      source: caller.source,
      data: { ...(studentId === undefined ? {} : { studentId }), keyId: caller.keyId, statement: full }
    })
    const context = isJsonObject(statement.context) ? statement.context : {}
    return {
      id,
      stream,
      events,
      recordId,
      refs: refsOf(kept),
      entry: {
        school: caller.school,
        statementId: id,
        keyId: caller.keyId,
        source: caller.source,
        stored,
        streamKind: stream.kind,
        streamId: stream.id,
        signature: at.fingerprint,
        verb,
        registration: typeof context.registration === "string" ? context.registration.toLowerCase() : null,
        voided: false,
        voidingTarget,
        target:
          isJsonObject(statement.object) && statement.object.objectType === "StatementRef"
            ? String(statement.object.id).toLowerCase()
            : null,
        used,
        reason: used ? null : reason,
        eventId
      }
    }
  })
