/**
 * What the advising routes share: their schemas, the dependencies they are given, the
 * faces a case shows (to its raiser, in lists), and the steps every route takes (the audit
 * line, the caller's view of a student's file, the pool of advisors to suggest from).
 *
 * @since 0.4.0
 */
import type { Dashboard, ReadError } from "@rapport/analytics"
import { Advising, EventField } from "@rapport/core"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { ControlUnavailable } from "../control/ControlError.js"
import type { ControlStore } from "../control/ControlStore.js"
import { type HttpProblem, problem } from "../http/Problem.js"
import type { Principal, Scope } from "../http/Route.js"
import type { EventStoreShape, RecordedEvent, StoreUnavailable } from "@rapport/event-store"
import { type AdvisingService, type Caller, loadsOf } from "./Advising.js"
import type { AdvisingStore } from "./AdvisingStore.js"

export const Id = Schema.String.check(Schema.isPattern(/^[A-Za-z0-9._~:@-]{1,128}$/u))
export const KeyName = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(200))
export const StudentParams = Schema.Struct({ id: Id })
export const CaseParams = Schema.Struct({ id: Id, caseId: Id })
export const FollowUpParams = Schema.Struct({ id: Id, followUpId: Id })
export const RoleSchema = Schema.Literals(Advising.Roles.roles)
export const Json = Schema.Unknown

export const WorklistQuery = Schema.Struct({
  graduationYear: Schema.optionalKey(Schema.NumberFromString.check(Schema.isInt())),
  program: Schema.optionalKey(EventField.Program),
  advisor: Schema.optionalKey(Id),
  limit: Schema.optionalKey(
    Schema.NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 500 }))
  )
})
export const RoleQuery = Schema.Struct({ role: RoleSchema })
export const AuditQuery = Schema.Struct({ studentId: Schema.optionalKey(Id) })

export const ConcernBody = Schema.Struct({
  category: Advising.AdvisingEvent.ConcernCategory,
  note: Schema.optionalKey(Advising.AdvisingEvent.ConcernNote)
}).annotate({ identifier: "Concern" })
export const NoteBody = Schema.Struct({
  text: Advising.AdvisingEvent.NoteText,
  amends: Schema.optionalKey(Id)
}).annotate({ identifier: "CaseNote" })
export const AssignBody = Schema.Struct({ role: RoleSchema, facultyId: Id }).annotate({
  identifier: "MentorAssignment"
})
export const FollowUpBody = Schema.Struct({
  action: Schema.Literals(["dismiss", "snooze", "done"]),
  reason: Schema.optionalKey(Advising.AdvisingEvent.ActionReason),
  until: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/u)))
}).annotate({ identifier: "FollowUpAction" })
export const Binding = Schema.Struct({ facultyId: Schema.NullOr(Id) }).annotate({ identifier: "AdvisingKeyBinding" })

/** A stored advising event, as the inspection export gives it (and the OpenAPI document lists). */
export const storedAdvisingEvent = <T extends Advising.AdvisingEvent.AdvisingEventType>(type: T) =>
  Schema.Struct({
    id: Schema.String,
    type: Schema.Literal(type),
    v: Schema.Literal(1),
    occurredAt: Schema.String,
    source: Schema.NullOr(Schema.String),
    data: Advising.AdvisingEvent.advisingSchemas[type]
  }).annotate({ identifier: `${type}Record`, description: `A stored ${type} (docs/events.md, "Advising events")` })

export const AnyStoredEvent = Schema.Struct({
  id: Schema.String,
  type: Schema.String,
  v: Schema.Number,
  occurredAt: Schema.String,
  source: Schema.NullOr(Schema.String),
  data: Schema.Unknown
}).annotate({ identifier: "StoredEvent" })

export const InspectionExport = Schema.Struct({
  studentId: Schema.String,
  exportedAt: Schema.String,
  directory: Schema.Unknown,
  events: Schema.Array(
    Schema.Union([
      storedAdvisingEvent("ConcernRaised"),
      storedAdvisingEvent("CaseNoteAdded"),
      storedAdvisingEvent("CaseClosed"),
      storedAdvisingEvent("FollowUpDismissed"),
      storedAdvisingEvent("FollowUpSnoozed"),
      storedAdvisingEvent("FollowUpMarkedDone"),
      storedAdvisingEvent("InspectionRequested"),
      storedAdvisingEvent("InspectionFulfilled"),
      AnyStoredEvent
    ])
  ),
  cases: Schema.Array(Schema.Unknown),
  followUpActions: Schema.Unknown,
  openInspections: Schema.Unknown,
  pageViews: Schema.Array(Schema.Unknown),
  advisingAudit: Schema.Array(Schema.Unknown)
}).annotate({ identifier: "InspectionExport" })

export const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" }
  })

export const scoped = (...anyOf: ReadonlyArray<Scope>) => ({ _tag: "Scoped" as const, anyOf })

/**
 * @since 0.4.0
 * @category models
 */
export interface AdvisingDeps {
  readonly service: AdvisingService
  readonly advising: AdvisingStore
  readonly control: ControlStore
  /** the guarded store: MentorAssigned goes through the same path as any event */
  readonly store: EventStoreShape
  /** the student pages, for an advisor's own advisees */
  readonly dashboard: Dashboard.Dashboard<ControlUnavailable>
  readonly now: () => Date
}

export const today = (deps: AdvisingDeps) => deps.now().toISOString().slice(0, 10)

/** A case's public face for its raiser: handled or not, never notes or outcome. */
export const forRaiser = (c: Advising.CaseFile.Case) => ({
  caseId: c.caseId,
  studentId: c.studentId,
  category: c.category,
  raisedAt: c.raisedAt,
  handled: c.state === "closed",
  handledAt: c.closedAt ?? null
})

/** A case without its notes (lists). */
export const summary = (c: Advising.CaseFile.Case) => ({
  caseId: c.caseId,
  category: c.category,
  ownerRole: c.ownerRole,
  ownerId: c.ownerId ?? null,
  raisedAt: c.raisedAt,
  state: c.state,
  closedAt: c.closedAt ?? null
})

export const notFound = () => problem(404, "No such student in this school.")

export const forbidden = (detail: string) => problem(403, detail)

/**
 * A line of the advising audit log under the caller's name.
 *
 * @since 0.4.0
 * @category models
 */
export type Audit = (
  caller: Caller,
  action: string,
  studentId: string,
  subject: string | null,
  requestId: string
) => Effect.Effect<void, ControlUnavailable>

/**
 * The steps every advising route takes: the audit line, and the caller with a student's
 * file (404 when the caller may not see the student).
 *
 * @since 0.4.0
 * @category constructors
 */
export interface Tools {
  readonly audit: Audit
  readonly visibleFile: (
    principal: Principal | undefined,
    studentId: string
  ) => Effect.Effect<
    {
      readonly caller: Caller
      readonly file: Advising.CaseFile.CaseFile
      readonly recorded: ReadonlyArray<RecordedEvent>
    },
    HttpProblem | ControlUnavailable | StoreUnavailable | ReadError.ReadModelsUnavailable
  >
}

export const tools = (deps: AdvisingDeps): Tools => {
  const { service } = deps
  const audit = (caller: Caller, action: string, studentId: string, subject: string | null, requestId: string) =>
    deps.advising.audit(caller.school, {
      at: deps.now().toISOString(),
      actor: caller.name,
      facultyId: caller.facultyId ?? null,
      action,
      studentId,
      subject,
      requestId
    })

  /** The caller and a student's file, or 404 when the caller may not see the student. */
  const visibleFile = (principal: Principal | undefined, studentId: string) =>
    Effect.gen(function* () {
      const caller = yield* service.caller(principal)
      const known = yield* service.known(caller.school, studentId)
      const { file, recorded } = yield* service.file(caller.school, studentId)
      if (!known || recorded.length === 0 || !service.sees(caller, file)) return yield* Effect.fail(notFound())
      return { caller, file, recorded }
    })
  return { audit, visibleFile }
}

/** The program a student's current advisor of a role was assigned under. */
export function programOfCurrent(
  file: Advising.CaseFile.CaseFile,
  caller: Caller,
  role: Advising.Roles.Role
): string | undefined {
  for (const [program, facultyId] of file.mentors) {
    if (facultyId.length > 0 && Advising.Roles.roleOfProgram(caller.settings.programRoles, program) === role)
      return program
  }
  return undefined
}

/** Faculty who could advise in a role: department, load against capacity, committees. */
export interface Candidate {
  readonly facultyId: string
  readonly department: string | null
  readonly load: number
  readonly capacity: number
  readonly committees: ReadonlyArray<string>
  readonly specialties: ReadonlyArray<string>
}

export function advisorPool(
  deps: AdvisingDeps,
  caller: Caller,
  role: Advising.Roles.Role
): Effect.Effect<Array<Candidate>, StoreUnavailable | ReadError.ReadModelsUnavailable | ControlUnavailable> {
  return Effect.gen(function* () {
    const files = yield* deps.service.files(caller.school)
    const departments = yield* deps.service.departments(caller.school)
    const profiles = yield* deps.advising.profiles(caller.school)
    const loads = loadsOf(files, caller.settings)
    return [...departments.entries()].map(([facultyId, department]) => {
      const profile = profiles.get(facultyId)
      return {
        facultyId,
        department,
        load: loads.get(`${role}\u0000${facultyId}`) ?? 0,
        capacity: profile?.capacity ?? caller.settings.defaultCapacity,
        committees: profile?.committees ?? [],
        specialties: profile?.specialties ?? []
      }
    })
  })
}
