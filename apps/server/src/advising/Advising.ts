/**
 * The advising service behind `/v1/advising/*` and `/v1/worklist`: who the caller is (a key
 * or a signed-in person bound to a faculty id), what they may see (their caseload, the
 * cases they own, student affairs' cases for student affairs only), the case files folded
 * from the students' streams, the worklist, and the appends of advising events.
 *
 * The student's stream is the record: a case file is folded from it on every read, so an
 * erased student has none. School-wide lists (caseloads, open cases) come from a per-school
 * cache of the advising-relevant events, followed from the log with `readAll` by type and
 * rebuilt every minute (retention deletes without moving the head); a student the read
 * models no longer hold (erased) is dropped from it and never listed.
 *
 * This module must never let a note reach anything but a case read by someone who may
 * handle the case, and the inspection export.
 *
 * @since 0.4.0
 */
import { ReadError, Streams, type Sql } from "@rapport/analytics"
import { Advising, Decode } from "@rapport/core"
import type { EventStoreShape, RecordedEvent, StoreUnavailable } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type { ControlUnavailable } from "../control/ControlError.js"
import { type HttpProblem, problem } from "../http/Problem.js"
import type { Principal } from "../http/Route.js"
import type { AdvisingStore, Settings } from "./AdvisingStore.js"

type CaseFile = Advising.CaseFile.CaseFile
type FileEvent = Advising.CaseFile.FileEvent
type Role = Advising.Roles.Role

/**
 * Who is calling, for advising.
 *
 * @since 0.4.0
 * @category models
 */
export interface Caller {
  readonly school: string
  readonly name: string
  readonly facultyId: string | undefined
  /** `dashboards:read`: the whole school (the dean's office) */
  readonly dean: boolean
  readonly studentAffairs: boolean
  readonly settings: Settings
}

/**
 * A student's row in the school-wide lists.
 *
 * @since 0.4.0
 * @category models
 */
export interface StudentRow {
  readonly studentId: string
  readonly graduationYear: number | null
  readonly program: string | null
  readonly active: boolean
  readonly specialty: string | null
}

/**
 * The types the school-wide cache follows.
 *
 * @since 0.4.0
 * @category constants
 */
export const followedTypes: ReadonlyArray<string> = [
  "StudentEnrolled",
  "SpecialtyDeclared",
  "MentorAssigned",
  "MentorshipEnded",
  "RotationCompleted",
  "ClinicalFeedbackGiven",
  ...Advising.AdvisingEvent.advisingEventTypes
]

/**
 * Reads a stored event as a case file knows it.
 *
 * @since 0.4.0
 * @category operations
 */
export const toFileEvent = (recorded: RecordedEvent): FileEvent | undefined => {
  const advising = Advising.AdvisingEvent.fromStored(recorded)
  if (advising !== undefined) return advising
  const decoded = Decode.decodeEvent({
    id: recorded.id,
    type: recorded.type,
    v: recorded.v,
    occurredAt: recorded.occurredAt,
    data: recorded.data
  })
  return Result.isSuccess(decoded) ? decoded.success : undefined
}

/** Mentors by role, from the mentors by program. */
export const advisorsByRole = (file: CaseFile, settings: Settings): Readonly<Record<string, string>> => {
  const out: Record<string, string> = {}
  for (const [program, facultyId] of file.mentors) {
    const role = Advising.Roles.roleOfProgram(settings.programRoles, program)
    if (role !== undefined) out[role] = facultyId
  }
  return out
}

/**
 * @since 0.4.0
 * @category models
 */
export interface AdvisingService {
  readonly caller: (principal: Principal | undefined) => Effect.Effect<Caller, HttpProblem | ControlUnavailable>
  /** the caller's faculty id, or 403: acting needs a binding */
  readonly actingAs: (caller: Caller) => Effect.Effect<string, HttpProblem>
  readonly file: (
    school: string,
    studentId: string
  ) => Effect.Effect<{ readonly file: CaseFile; readonly recorded: ReadonlyArray<RecordedEvent> }, StoreUnavailable>
  /** every student's file of a school (from the cache), erased students left out */
  readonly files: (
    school: string
  ) => Effect.Effect<ReadonlyMap<string, CaseFile>, StoreUnavailable | ReadError.ReadModelsUnavailable>
  /** whether the read models hold the student (an erased one is gone from them first) */
  readonly known: (school: string, studentId: string) => Effect.Effect<boolean, ReadError.ReadModelsUnavailable>
  readonly students: (school: string) => Effect.Effect<ReadonlyMap<string, StudentRow>, ReadError.ReadModelsUnavailable>
  readonly openFollowUps: (
    school: string,
    studentId?: string
  ) => Effect.Effect<
    ReadonlyArray<Advising.Worklist.OpenFollowUp & { readonly studentId: string }>,
    ReadError.ReadModelsUnavailable
  >
  readonly departments: (
    school: string
  ) => Effect.Effect<ReadonlyMap<string, string | null>, ReadError.ReadModelsUnavailable>
  /** whether the caller sees a student's advising page */
  readonly sees: (caller: Caller, file: CaseFile) => boolean
  /**
   * whether the caller may read and handle a case: its owner; for wellbeing and health,
   * student affairs, but never one of them who assessed the student; otherwise the dean's office
   */
  readonly handles: (caller: Caller, theCase: Advising.CaseFile.Case, file: CaseFile) => boolean
  readonly append: (
    school: string,
    studentId: string,
    type: Advising.AdvisingEvent.AdvisingEventType,
    data: unknown,
    id: string,
    at: string
  ) => Effect.Effect<number, HttpProblem>
}

const str = (value: unknown): string => (typeof value === "string" ? value : String(value))

/** The read models keep a follow-up's faculty as a JSON array. */
const facultyIdsOf = (text: string): ReadonlyArray<string> => {
  try {
    const parsed: unknown = JSON.parse(text)
    return Array.isArray(parsed) ? parsed.map(str) : []
  } catch {
    return []
  }
}

/**
 * @since 0.4.0
 * @category constructors
 */
export const make = (deps: {
  readonly store: EventStoreShape
  readonly readModels: Sql.SqlDatabase
  readonly advising: AdvisingStore
  /** the clock that decides which follow-ups have expired (issue #17); the system clock by default */
  readonly now?: (() => Date) | undefined
}): AdvisingService => {
  // Rebuilt from scratch at most a minute after it was built: retention deletes events
  // without moving the log's head, and lists must not keep showing what it removed.
  const cache = new Map<string, { after: number; builtAt: number; byStudent: Map<string, Array<FileEvent>> }>()
  const cacheLifeMs = 60_000

  const students = (school: string) =>
    ReadError.fromReadModels(async () => {
      const rows = await deps.readModels.all(
        "SELECT student_id, graduation_year, program, active, specialty FROM rm_students WHERE school = ?",
        [school]
      )
      return new Map(
        rows.map((row) => [
          str(row.student_id),
          {
            studentId: str(row.student_id),
            graduationYear: row.graduation_year === null ? null : Number(row.graduation_year),
            program: row.program === null ? null : str(row.program),
            active: Number(row.active) === 1,
            specialty: row.specialty === null ? null : str(row.specialty)
          }
        ])
      )
    })

  const catchUp = (school: string) =>
    Effect.gen(function* () {
      let entry = cache.get(school)
      if (entry === undefined || performance.now() - entry.builtAt > cacheLifeMs) {
        entry = { after: 0, builtAt: performance.now(), byStudent: new Map() }
        cache.set(school, entry)
      }
      for (;;) {
        const page = yield* deps.store.readAll({
          after: entry.after,
          filter: { school, kinds: ["student"], types: followedTypes },
          maxCount: 5000
        })
        for (const recorded of page.events) {
          const event = toFileEvent(recorded)
          if (event === undefined) continue
          const list = entry.byStudent.get(recorded.stream.id) ?? []
          list.push(event)
          entry.byStudent.set(recorded.stream.id, list)
        }
        entry.after = page.lastPosition
        if (page.isEnd || page.events.length === 0) break
      }
      return entry
    })

  const service: AdvisingService = {
    caller: (principal) =>
      Effect.gen(function* () {
        if (principal === undefined) return yield* Effect.fail(problem(401, "Send an API key."))
        const facultyId = yield* deps.advising.facultyOf(principal.school, principal.keyId)
        const settings = yield* deps.advising.settings(principal.school)
        return {
          school: principal.school,
          name: principal.keyName,
          facultyId,
          dean: principal.scopes.has("dashboards:read"),
          studentAffairs: facultyId !== undefined && settings.studentAffairs.includes(facultyId),
          settings
        }
      }),
    actingAs: (caller) =>
      caller.facultyId === undefined
        ? Effect.fail(
            problem(
              403,
              "This key is not bound to a faculty id; an admin binds it (PUT /v1/advising/keys/{name}/faculty) before it can act."
            )
          )
        : Effect.succeed(caller.facultyId),
    file: (school, studentId) =>
      Effect.map(deps.store.readStream(Streams.student(school, studentId)), (recorded) => ({
        recorded,
        file: Advising.CaseFile.fold(
          studentId,
          recorded.flatMap((r) => {
            const event = toFileEvent(r)
            return event === undefined ? [] : [event]
          })
        )
      })),
    files: (school) =>
      Effect.gen(function* () {
        const entry = yield* catchUp(school)
        const known = yield* students(school)
        const out = new Map<string, CaseFile>()
        for (const [studentId, events] of entry.byStudent) {
          // not in the read models: erased (or not projected yet); an erased one leaves the cache
          if (!known.has(studentId)) {
            const left = yield* deps.store.readStream(Streams.student(school, studentId), { maxCount: 1 })
            if (left.length === 0) entry.byStudent.delete(studentId)
            continue
          }
          out.set(studentId, Advising.CaseFile.fold(studentId, events))
        }
        return out
      }),
    students,
    known: (school, studentId) =>
      ReadError.fromReadModels(async () => {
        const rows = await deps.readModels.all("SELECT 1 AS one FROM rm_students WHERE school = ? AND student_id = ?", [
          school,
          studentId
        ])
        return rows.length > 0
      }),
    openFollowUps: (school, studentId) =>
      ReadError.fromReadModels(async () => {
        // Open: not done and not expired (past its expiry a follow-up is asked of no one). The
        // day is the UTC date, as the routes' `today`.
        const today = (deps.now?.() ?? new Date()).toISOString().slice(0, 10)
        const columns = "follow_up_id, rule_id, student_id, faculty_ids, due_on, sentence, priority"
        const rows = await deps.readModels.all(
          studentId === undefined
            ? `SELECT ${columns} FROM rm_follow_ups WHERE school = ? AND done = 0 AND expires_on >= ?`
            : `SELECT ${columns} FROM rm_follow_ups WHERE school = ? AND done = 0 AND expires_on >= ? AND student_id = ?`,
          studentId === undefined ? [school, today] : [school, today, studentId]
        )
        return rows.map((row) => ({
          followUpId: str(row.follow_up_id),
          ruleId: str(row.rule_id),
          studentId: str(row.student_id),
          dueOn: str(row.due_on),
          sentence: str(row.sentence),
          facultyIds: facultyIdsOf(str(row.faculty_ids)),
          // the rule's priority (1 most important, a school may tune it) on the worklist's
          // scale (0-100, higher first): 1 → 90 … 8 → 20, as its local table had them
          priority: Math.max(0, 100 - 10 * Number(row.priority))
        }))
      }),
    departments: (school) =>
      ReadError.fromReadModels(async () => {
        const rows = await deps.readModels.all("SELECT faculty_id, department FROM rm_faculty WHERE school = ?", [
          school
        ])
        return new Map(rows.map((row) => [str(row.faculty_id), row.department === null ? null : str(row.department)]))
      }),
    sees: (caller, file) => {
      if (caller.dean) return true
      if (caller.facultyId === undefined) return false
      const me = caller.facultyId
      if (Object.values(advisorsByRole(file, caller.settings)).includes(me)) return true
      return [...file.cases.values()].some((c) => service.handles(caller, c, file))
    },
    handles: (caller, theCase, file) => {
      if (caller.facultyId !== undefined && theCase.ownerId === caller.facultyId) return true
      if (Advising.Roles.isSensitive(theCase.category))
        return caller.studentAffairs && caller.facultyId !== undefined && !file.assessors.has(caller.facultyId)
      return caller.dean
    },
    append: (school, studentId, type, data, id, at) =>
      deps.store
        .appendMany([
          {
            stream: Streams.student(school, studentId),
            expected: { _tag: "Any" },
            events: [{ id, type, v: 1, occurredAt: at, data }]
          }
        ])
        .pipe(
          Effect.map((result) => result.position),
          Effect.mapError((error) =>
            error._tag === "StreamDeleted"
              ? problem(409, "This student was erased; nothing about them is recorded.")
              : error._tag === "StoreUnavailable"
                ? problem(503, "The event store cannot be reached; retry later.", { headers: { "retry-after": "5" } })
                : problem(400, error.message)
          )
        )
  }
  return service
}

/**
 * The students a caller advises in each role, from the files.
 *
 * @since 0.4.0
 * @category operations
 */
export const caseloadOf = (
  files: ReadonlyMap<string, CaseFile>,
  settings: Settings,
  facultyId: string
): Readonly<Record<Role, ReadonlyArray<string>>> => {
  const out: Record<Role, Array<string>> = { "academic-counselor": [], "career-advisor": [], "research-mentor": [] }
  for (const file of files.values()) {
    for (const [role, advisor] of Object.entries(advisorsByRole(file, settings))) {
      if (advisor === facultyId && Advising.Roles.isRole(role)) out[role].push(file.studentId)
    }
  }
  for (const list of Object.values(out)) list.sort()
  return out
}

/**
 * Loads per advisor and role across the school.
 *
 * @since 0.4.0
 * @category operations
 */
export const loadsOf = (files: ReadonlyMap<string, CaseFile>, settings: Settings): ReadonlyMap<string, number> => {
  const loads = new Map<string, number>()
  for (const file of files.values()) {
    for (const [role, advisor] of Object.entries(advisorsByRole(file, settings))) {
      const key = `${role}\u0000${advisor}`
      loads.set(key, (loads.get(key) ?? 0) + 1)
    }
  }
  return loads
}
