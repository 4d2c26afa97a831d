/**
 * The advising routes: the worklist, a student's advising file, concerns and cases, mentor
 * assignment with capacity and the counseling conflicts of LCME 11.1, actions on
 * follow-ups, and the admin's settings, bindings and inspection export.
 *
 * Scopes: `advising` reads the caller's own advisees and the cases they handle;
 * `advising:write` acts (and needs a key or person bound to a faculty id);
 * `dashboards:read` is the dean's office (the whole school, never student affairs' cases);
 * `admin` sets, binds, and answers inspection requests. Every action is an event in the
 * student's stream and a line of the advising audit log under the actor's name; every read
 * of notes is a line too. No action counts as contact. A raiser sees only whether their
 * concern was handled.
 *
 * @since 0.4.0
 */
import { type Dashboard, ReadError } from "@rapport/analytics"
import { Advising, EventField } from "@rapport/core"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { randomUUID } from "node:crypto"
import type { ControlUnavailable } from "../control/ControlError.js"
import type { ControlStore } from "../control/ControlStore.js"
import { type HttpProblem, problem } from "../http/Problem.js"
import { type AnyRoute, erase, type Principal, route, type Scope } from "../http/Route.js"
import * as Ingest from "../ingest/Ingest.js"
import { readJsonBody } from "../routes/body.js"
import type { EventStoreShape } from "@rapport/event-store"
import { type AdvisingService, advisorsByRole, type Caller, caseloadOf, loadsOf } from "./Advising.js"
import { type AdvisingStore, Profile, Settings } from "./AdvisingStore.js"

const Id = Schema.String.check(Schema.isPattern(/^[A-Za-z0-9._~:@-]{1,128}$/u))
const KeyName = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(200))
const StudentParams = Schema.Struct({ id: Id })
const CaseParams = Schema.Struct({ id: Id, caseId: Id })
const FollowUpParams = Schema.Struct({ id: Id, followUpId: Id })
const RoleSchema = Schema.Literals(Advising.Roles.roles)
const Json = Schema.Unknown

const WorklistQuery = Schema.Struct({
  graduationYear: Schema.optionalKey(Schema.NumberFromString.check(Schema.isInt())),
  program: Schema.optionalKey(EventField.Program),
  advisor: Schema.optionalKey(Id),
  limit: Schema.optionalKey(
    Schema.NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 500 }))
  )
})
const RoleQuery = Schema.Struct({ role: RoleSchema })
const AuditQuery = Schema.Struct({ studentId: Schema.optionalKey(Id) })

const ConcernBody = Schema.Struct({
  category: Advising.AdvisingEvent.ConcernCategory,
  note: Schema.optionalKey(Advising.AdvisingEvent.ConcernNote)
}).annotate({ identifier: "Concern" })
const NoteBody = Schema.Struct({
  text: Advising.AdvisingEvent.NoteText,
  amends: Schema.optionalKey(Id)
}).annotate({ identifier: "CaseNote" })
const AssignBody = Schema.Struct({ role: RoleSchema, facultyId: Id }).annotate({ identifier: "MentorAssignment" })
const FollowUpBody = Schema.Struct({
  action: Schema.Literals(["dismiss", "snooze", "done"]),
  reason: Schema.optionalKey(Advising.AdvisingEvent.ActionReason),
  until: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/u)))
}).annotate({ identifier: "FollowUpAction" })
const Binding = Schema.Struct({ facultyId: Schema.NullOr(Id) }).annotate({ identifier: "AdvisingKeyBinding" })

/** A stored advising event, as the inspection export gives it (and the OpenAPI document lists). */
const storedAdvisingEvent = <T extends Advising.AdvisingEvent.AdvisingEventType>(type: T) =>
  Schema.Struct({
    id: Schema.String,
    type: Schema.Literal(type),
    v: Schema.Literal(1),
    occurredAt: Schema.String,
    source: Schema.NullOr(Schema.String),
    data: Advising.AdvisingEvent.advisingSchemas[type]
  }).annotate({ identifier: `${type}Record`, description: `A stored ${type} (docs/events.md, "Advising events")` })

const AnyStoredEvent = Schema.Struct({
  id: Schema.String,
  type: Schema.String,
  v: Schema.Number,
  occurredAt: Schema.String,
  source: Schema.NullOr(Schema.String),
  data: Schema.Unknown
}).annotate({ identifier: "StoredEvent" })

const InspectionExport = Schema.Struct({
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

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" }
  })

const scoped = (...anyOf: ReadonlyArray<Scope>) => ({ _tag: "Scoped" as const, anyOf })

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

const today = (deps: AdvisingDeps) => deps.now().toISOString().slice(0, 10)

/** A case's public face for its raiser: handled or not, never notes or outcome. */
const forRaiser = (c: Advising.CaseFile.Case) => ({
  caseId: c.caseId,
  studentId: c.studentId,
  category: c.category,
  raisedAt: c.raisedAt,
  handled: c.state === "closed",
  handledAt: c.closedAt ?? null
})

/** A case without its notes (lists). */
const summary = (c: Advising.CaseFile.Case) => ({
  caseId: c.caseId,
  category: c.category,
  ownerRole: c.ownerRole,
  ownerId: c.ownerId ?? null,
  raisedAt: c.raisedAt,
  state: c.state,
  closedAt: c.closedAt ?? null
})

const notFound = () => problem(404, "No such student in this school.")

const forbidden = (detail: string) => problem(403, detail)

/**
 * @since 0.4.0
 * @category routes
 */
export const routes = (deps: AdvisingDeps): ReadonlyArray<AnyRoute> => {
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

  const worklist = (caller: Caller, query: typeof WorklistQuery.Type) =>
    Effect.gen(function* () {
      const files = yield* service.files(caller.school)
      const students = yield* service.students(caller.school)
      const followUps = yield* service.openFollowUps(caller.school)
      const mine =
        caller.dean || caller.facultyId === undefined
          ? undefined
          : new Set(Object.values(caseloadOf(files, caller.settings, caller.facultyId)).flat())
      const byStudent = new Map<string, Array<Advising.Worklist.OpenFollowUp>>()
      for (const f of followUps) {
        const list = byStudent.get(f.studentId) ?? []
        list.push(f)
        byStudent.set(f.studentId, list)
      }
      const day = today(deps)
      const candidates: Array<Advising.Worklist.Candidate> = []
      for (const student of students.values()) {
        if (!student.active) continue
        if (query.graduationYear !== undefined && student.graduationYear !== query.graduationYear) continue
        if (query.program !== undefined && student.program !== query.program) continue
        const file = files.get(student.studentId)
        const advisors = file === undefined ? {} : advisorsByRole(file, caller.settings)
        if (query.advisor !== undefined && !Object.values(advisors).includes(query.advisor)) continue
        const cases =
          file === undefined ? [] : Advising.CaseFile.openCases(file).filter((c) => service.handles(caller, c, file))
        const inCaseload = mine === undefined || mine.has(student.studentId)
        if (!inCaseload && cases.length === 0) continue
        const open = inCaseload
          ? (byStudent.get(student.studentId) ?? []).filter(
              (f) => file === undefined || !Advising.CaseFile.isSetAside(file, f.followUpId, day)
            )
          : []
        candidates.push({
          studentId: student.studentId,
          graduationYear: student.graduationYear,
          program: student.program,
          advisors,
          followUps: open,
          cases
        })
      }
      return Advising.Worklist.rank(candidates, day, query.limit ?? Advising.Worklist.defaultLimit)
    })

  return [
    erase(
      route<Record<string, never>, typeof WorklistQuery.Type>({
        operationId: "worklist",
        method: "GET",
        path: "/v1/worklist",
        tag: "advising",
        summary: "The students who need attention now",
        description:
          "Ranked by open cases, then the follow-ups' priorities (overdue first); each row has the reason in a sentence, the suggested action and what lies behind it. `dashboards:read`: the whole school (never student affairs' cases); `advising`: the caller's caseload and the cases they handle. The top 20 unless `limit` says otherwise.",
        access: scoped("dashboards:read", "advising"),
        query: WorklistQuery,
        responses: { 200: { description: "The worklist", schema: Json } },
        errors: [400, 401, 403, 503],
        handle: ({ principal, query }) =>
          Effect.gen(function* () {
            const caller = yield* service.caller(principal)
            if (!caller.dean && caller.facultyId === undefined)
              return yield* Effect.fail(forbidden("This key is not bound to a faculty id: it has no caseload."))
            const list = yield* worklist(caller, query)
            return json({ today: today(deps), total: list.total, items: list.items })
          })
      })
    ),
    erase(
      route({
        operationId: "advisingMe",
        method: "GET",
        path: "/v1/advising/me",
        tag: "advising",
        summary: "Who the caller advises, per role",
        access: scoped("advising", "dashboards:read"),
        responses: { 200: { description: "The caller's caseload", schema: Json } },
        errors: [401, 403, 503],
        handle: ({ principal }) =>
          Effect.gen(function* () {
            const caller = yield* service.caller(principal)
            const files = yield* service.files(caller.school)
            return json({
              facultyId: caller.facultyId ?? null,
              studentAffairs: caller.studentAffairs,
              dean: caller.dean,
              caseload: caller.facultyId === undefined ? null : caseloadOf(files, caller.settings, caller.facultyId)
            })
          })
      })
    ),
    erase(
      route<typeof StudentParams.Type>({
        operationId: "advisingStudent",
        method: "GET",
        path: "/v1/advising/students/{id}",
        tag: "advising",
        summary: "A student's advising file: advisors per role, cases (without notes), follow-ups",
        description: "`advising`: only the caller's advisees and the students of cases they handle (404 otherwise).",
        access: scoped("advising", "dashboards:read"),
        params: StudentParams,
        responses: { 200: { description: "The file", schema: Json } },
        errors: [401, 403, 404, 503],
        handle: ({ principal, params, requestId }) =>
          Effect.gen(function* () {
            const { caller, file } = yield* visibleFile(principal, params.id)
            const followUps = yield* service.openFollowUps(caller.school, params.id)
            yield* audit(caller, "viewed-file", params.id, null, requestId)
            return json({
              studentId: file.studentId,
              graduationYear: file.graduationYear ?? null,
              program: file.program ?? null,
              specialties: file.specialties,
              advisors: advisorsByRole(file, caller.settings),
              cases: [...file.cases.values()].filter((c) => service.handles(caller, c, file)).map(summary),
              followUps: followUps.map((f) => ({
                ...f,
                action: file.followUpActions.get(f.followUpId) ?? null
              }))
            })
          })
      })
    ),
    erase(
      route<typeof StudentParams.Type>({
        operationId: "adviseeStudentPage",
        method: "GET",
        path: "/v1/advising/students/{id}/page",
        tag: "advising",
        summary: "An advisee's student page (relationships, timeline, follow-ups, letters), as of now",
        description:
          "What `GET /v1/students/{id}` shows, for the caller's own advisees and the students of cases they handle (404 for anyone else). Every view is written to the page-view audit log under the caller's name.",
        access: scoped("advising", "dashboards:read"),
        params: StudentParams,
        responses: { 200: { description: "The page", schema: Json } },
        errors: [401, 403, 404, 429, 503],
        handle: ({ principal, params, requestId }) =>
          Effect.gen(function* () {
            const { caller } = yield* visibleFile(principal, params.id)
            const page = yield* deps.dashboard
              .studentPage(caller.school, params.id, undefined)
              .pipe(Effect.flatMap(ReadError.required("student", params.id)))
            yield* deps.control.audit(caller.school, {
              viewedAt: deps.now().toISOString(),
              keyName: caller.name,
              studentId: params.id,
              asOf: null,
              requestId
            })
            // the log's position is never shown (http/PositionToken.ts): this page takes no waitFor
            const { meta, ...rest } = page
            const { position: _position, ...shownMeta } = meta
            return json({ ...rest, meta: shownMeta })
          })
      })
    ),
    erase(
      route<typeof CaseParams.Type>({
        operationId: "advisingCase",
        method: "GET",
        path: "/v1/advising/students/{id}/cases/{caseId}",
        tag: "advising",
        summary: "A case with its notes (the read is logged)",
        description:
          "Only whoever handles the case: its owner, student affairs for wellbeing and health, the dean's office for the others. Never its raiser (404).",
        access: scoped("advising", "dashboards:read"),
        params: CaseParams,
        responses: { 200: { description: "The case", schema: Json } },
        errors: [401, 403, 404, 503],
        handle: ({ principal, params, requestId }) =>
          Effect.gen(function* () {
            const caller = yield* service.caller(principal)
            const known = yield* service.known(caller.school, params.id)
            const { file } = yield* service.file(caller.school, params.id)
            const theCase = known ? file.cases.get(params.caseId) : undefined
            if (theCase === undefined || !service.handles(caller, theCase, file))
              return yield* Effect.fail(problem(404, "No such case that this key may read."))
            yield* audit(caller, "read-notes", params.id, params.caseId, requestId)
            return json({
              ...summary(theCase),
              raisedBy: theCase.raisedBy,
              concernNote: theCase.concernNote ?? null,
              notes: theCase.notes
            })
          })
      })
    ),
    erase(
      route<typeof StudentParams.Type>({
        operationId: "raiseConcern",
        method: "POST",
        path: "/v1/advising/students/{id}/concerns",
        tag: "advising",
        summary: "Raise a concern about a student one teaches",
        description:
          "A category from the fixed list and an optional short note. It opens a case owned by the student's advisor in the category's role (the dean's office when there is none); wellbeing and health go to student affairs only. The raiser cannot read the case afterwards; they are told when it is handled.",
        access: scoped("advising:write"),
        params: StudentParams,
        requestBody: { description: "The concern", content: { "application/json": ConcernBody } },
        responses: { 201: { description: "Raised", schema: Json } },
        errors: [401, 403, 404, 409, 413, 415, 503],
        handle: ({ principal, params, request, requestId }) =>
          Effect.gen(function* () {
            const caller = yield* service.caller(principal)
            const me = yield* service.actingAs(caller)
            const body = yield* readJsonBody(request, ConcernBody, 4096)
            const { file, recorded } = yield* service.file(caller.school, params.id)
            if (recorded.length === 0) return yield* Effect.fail(notFound())
            if (!file.teachers.has(me) && !service.sees(caller, file))
              return yield* Effect.fail(forbidden("Only faculty who teach or advise the student may raise a concern."))
            const ownerRole = Advising.Roles.ownerRoleOf(body.category)
            const ownerId =
              ownerRole === "student-affairs" ? undefined : advisorsByRole(file, caller.settings)[ownerRole]
            const caseId = randomUUID()
            yield* service.append(
              caller.school,
              params.id,
              "ConcernRaised",
              {
                caseId,
                studentId: params.id,
                category: body.category,
                ...(body.note === undefined ? {} : { note: body.note }),
                raisedBy: me,
                ownerRole,
                ...(ownerId === undefined ? {} : { ownerId })
              },
              randomUUID(),
              deps.now().toISOString()
            )
            yield* audit(caller, "raised-concern", params.id, caseId, requestId)
            return json({ caseId, ownerRole, routed: ownerId === undefined ? ownerRole : "advisor" }, 201)
          })
      })
    ),
    erase(
      route({
        operationId: "raisedConcerns",
        method: "GET",
        path: "/v1/advising/concerns/raised",
        tag: "advising",
        summary: "The concerns the caller raised: whether each was handled, never notes or outcome",
        access: scoped("advising", "advising:write", "dashboards:read"),
        responses: { 200: { description: "Raised concerns", schema: Json } },
        errors: [401, 403, 503],
        handle: ({ principal }) =>
          Effect.gen(function* () {
            const caller = yield* service.caller(principal)
            const files = yield* service.files(caller.school)
            // a caller bound to no faculty id raised nothing
            const me = caller.facultyId
            if (me === undefined) return json({ concerns: [] })
            const raised = [...files.values()].flatMap((file) =>
              [...file.cases.values()].filter((c) => c.raisedBy === me).map(forRaiser)
            )
            return json({ concerns: raised.sort((a, b) => (a.raisedAt < b.raisedAt ? 1 : -1)) })
          })
      })
    ),
    erase(
      route<typeof CaseParams.Type>({
        operationId: "addCaseNote",
        method: "POST",
        path: "/v1/advising/students/{id}/cases/{caseId}/notes",
        tag: "advising",
        summary: "Add a note to a case, or correct one (`amends`: an amending event, the original kept)",
        access: scoped("advising:write"),
        params: CaseParams,
        requestBody: { description: "The note", content: { "application/json": NoteBody } },
        responses: { 201: { description: "Added", schema: Json } },
        errors: [401, 403, 404, 409, 413, 415, 503],
        handle: ({ principal, params, request, requestId }) =>
          Effect.gen(function* () {
            const caller = yield* service.caller(principal)
            const me = yield* service.actingAs(caller)
            const body = yield* readJsonBody(request, NoteBody, 8192)
            const { file } = yield* service.file(caller.school, params.id)
            const theCase = file.cases.get(params.caseId)
            if (theCase === undefined || !service.handles(caller, theCase, file))
              return yield* Effect.fail(problem(404, "No such case that this key may handle."))
            if (body.amends !== undefined && !theCase.notes.some((n) => n.noteId === body.amends))
              return yield* Effect.fail(problem(404, "No such note on this case."))
            const noteId = randomUUID()
            yield* service.append(
              caller.school,
              params.id,
              "CaseNoteAdded",
              {
                caseId: params.caseId,
                studentId: params.id,
                noteId,
                text: body.text,
                author: me,
                ...(body.amends === undefined ? {} : { amends: body.amends })
              },
              randomUUID(),
              deps.now().toISOString()
            )
            yield* audit(
              caller,
              body.amends === undefined ? "added-note" : "amended-note",
              params.id,
              params.caseId,
              requestId
            )
            return json({ noteId }, 201)
          })
      })
    ),
    erase(
      route<typeof CaseParams.Type>({
        operationId: "closeCase",
        method: "POST",
        path: "/v1/advising/students/{id}/cases/{caseId}/close",
        tag: "advising",
        summary: "Close a case: its raiser is told it was handled",
        access: scoped("advising:write"),
        params: CaseParams,
        responses: { 200: { description: "Closed", schema: Json } },
        errors: [401, 403, 404, 409, 503],
        handle: ({ principal, params, requestId }) =>
          Effect.gen(function* () {
            const caller = yield* service.caller(principal)
            const me = yield* service.actingAs(caller)
            const { file } = yield* service.file(caller.school, params.id)
            const theCase = file.cases.get(params.caseId)
            if (theCase === undefined || !service.handles(caller, theCase, file))
              return yield* Effect.fail(problem(404, "No such case that this key may handle."))
            if (theCase.state === "closed") return json({ caseId: theCase.caseId, state: "closed" })
            yield* service.append(
              caller.school,
              params.id,
              "CaseClosed",
              { caseId: params.caseId, studentId: params.id, closedBy: me },
              randomUUID(),
              deps.now().toISOString()
            )
            yield* audit(caller, "closed-case", params.id, params.caseId, requestId)
            return json({ caseId: theCase.caseId, state: "closed" })
          })
      })
    ),
    erase(
      route<typeof FollowUpParams.Type>({
        operationId: "actOnFollowUp",
        method: "POST",
        path: "/v1/advising/students/{id}/follow-ups/{followUpId}",
        tag: "advising",
        summary: "Dismiss or snooze a follow-up (with a reason), or mark it done",
        description: "Recorded as an event; it is no contact and changes no score, tier or isolation.",
        access: scoped("advising:write"),
        params: FollowUpParams,
        requestBody: { description: "The action", content: { "application/json": FollowUpBody } },
        responses: { 200: { description: "Done", schema: Json } },
        errors: [401, 403, 404, 409, 413, 415, 503],
        handle: ({ principal, params, request, requestId }) =>
          Effect.gen(function* () {
            const { caller } = yield* visibleFile(principal, params.id)
            const me = yield* service.actingAs(caller)
            const body = yield* readJsonBody(request, FollowUpBody, 4096)
            const open = yield* service.openFollowUps(caller.school, params.id)
            if (!open.some((f) => f.followUpId === params.followUpId))
              return yield* Effect.fail(problem(404, "No open follow-up of that id for this student."))
            if (body.action !== "done" && body.reason === undefined)
              return yield* Effect.fail(problem(400, "Dismissing or snoozing needs a reason."))
            if (body.action === "snooze" && (body.until === undefined || body.until <= today(deps)))
              return yield* Effect.fail(problem(400, "Snoozing needs `until`, a date after today."))
            const type =
              body.action === "dismiss"
                ? "FollowUpDismissed"
                : body.action === "snooze"
                  ? "FollowUpSnoozed"
                  : "FollowUpMarkedDone"
            const data = {
              studentId: params.id,
              followUpId: params.followUpId,
              by: me,
              ...(body.action === "done" ? {} : { reason: body.reason }),
              ...(body.action === "snooze" ? { until: body.until } : {})
            }
            const valid = Advising.AdvisingEvent.decodeData(type, data)
            if (valid._tag === "Failure") return yield* Effect.fail(problem(400, valid.failure))
            yield* service.append(caller.school, params.id, type, data, randomUUID(), deps.now().toISOString())
            yield* audit(caller, `follow-up-${body.action}`, params.id, params.followUpId, requestId)
            return json({ followUpId: params.followUpId, action: body.action })
          })
      })
    ),
    erase(
      route<typeof StudentParams.Type, typeof RoleQuery.Type>({
        operationId: "mentorSuggestions",
        method: "GET",
        path: "/v1/advising/students/{id}/suggestions",
        tag: "advising",
        summary: "Faculty with room to advise the student in a role, each with a plain reason",
        description:
          "Load against capacity, shared specialty or department, past contact; no opaque score. For counseling roles, nobody who supervised the student, gave them feedback, or sits on a grading or promotions committee.",
        access: scoped("advising", "dashboards:read"),
        params: StudentParams,
        query: RoleQuery,
        responses: { 200: { description: "Suggestions", schema: Json } },
        errors: [400, 401, 403, 404, 503],
        handle: ({ principal, params, query }) =>
          Effect.gen(function* () {
            const { caller, file } = yield* visibleFile(principal, params.id)
            const advisors = yield* advisorPool(caller, query.role)
            const current = advisorsByRole(file, caller.settings)[query.role]
            return json({
              role: query.role,
              current: current ?? null,
              suggestions: Advising.Matching.suggest(file, query.role, advisors, current)
            })
          })
      })
    ),
    erase(
      route<typeof StudentParams.Type>({
        operationId: "assignMentor",
        method: "POST",
        path: "/v1/advising/students/{id}/mentors",
        tag: "advising",
        summary: "Assign or change the student's advisor in a role (stores MentorAssigned)",
        description:
          "The previous advisor in the role gets MentorshipEnded. The answer warns when the pair breaks LCME 11.1 (a counselor who assessed the student or sits on a grading or promotions committee). Allowed to the dean's office and to the student's current advisor in that role.",
        access: scoped("advising:write"),
        params: StudentParams,
        requestBody: { description: "The role and the faculty id", content: { "application/json": AssignBody } },
        responses: { 200: { description: "Assigned", schema: Json } },
        errors: [401, 403, 404, 409, 413, 415, 503],
        handle: ({ principal, params, request, requestId }) =>
          Effect.gen(function* () {
            const { caller, file } = yield* visibleFile(principal, params.id)
            const me = yield* service.actingAs(caller)
            const body = yield* readJsonBody(request, AssignBody, 4096)
            const current = advisorsByRole(file, caller.settings)[body.role]
            if (!caller.dean && current !== me)
              return yield* Effect.fail(
                forbidden("Only the dean's office or the current advisor in this role may assign one.")
              )
            const program = Advising.Roles.programsOf(caller.settings.programRoles, body.role)[0]
            if (program === undefined)
              return yield* Effect.fail(
                problem(409, `No program of this school maps to ${body.role}; set one in the advising settings.`)
              )
            const profiles = yield* deps.advising.profiles(caller.school)
            const conflicts = Advising.Matching.conflictsOf(
              file,
              { facultyId: body.facultyId, committees: profiles.get(body.facultyId)?.committees ?? [] },
              body.role
            )
            if (current === body.facultyId)
              return json({
                role: body.role,
                facultyId: body.facultyId,
                changed: false,
                warnings: conflicts.map(Advising.Matching.conflictSentence)
              })
            const at = deps.now().toISOString()
            const ended =
              current === undefined
                ? []
                : [
                    {
                      id: randomUUID(),
                      type: "MentorshipEnded",
                      v: 2,
                      occurredAt: at,
                      data: {
                        studentId: params.id,
                        facultyId: current,
                        program: programOfCurrent(file, caller, body.role) ?? program
                      }
                    }
                  ]
            const events = [
              ...ended,
              {
                id: randomUUID(),
                type: "MentorAssigned",
                v: 2,
                occurredAt: at,
                data: { studentId: params.id, facultyId: body.facultyId, program }
              }
            ]
            const valid = Ingest.validate(events, deps.now())
            if (valid._tag === "Failure") return yield* Effect.fail(problem(400, "The assignment does not validate."))
            yield* Ingest.append(deps.store, caller.school, valid.success)
            yield* audit(caller, "assigned-mentor", params.id, `${body.role}:${body.facultyId}`, requestId)
            return json({
              role: body.role,
              facultyId: body.facultyId,
              previous: current ?? null,
              changed: true,
              warnings: conflicts.map(
                (c) =>
                  `${body.facultyId} ${Advising.Matching.conflictSentence(c)}: LCME 11.1 asks that counseling come from someone with no role in assessing or promoting the student.`
              )
            })
          })
      })
    ),
    erase(
      route({
        operationId: "counselingConflicts",
        method: "GET",
        path: "/v1/advising/conflicts",
        tag: "advising",
        summary: "Every counselor–student pair that breaks LCME 11.1",
        access: scoped("dashboards:read"),
        responses: { 200: { description: "The pairs", schema: Json } },
        errors: [401, 403, 503],
        handle: ({ principal }) =>
          Effect.gen(function* () {
            const caller = yield* service.caller(principal)
            const files = yield* service.files(caller.school)
            const profiles = yield* deps.advising.profiles(caller.school)
            const pairs = [...files.values()].flatMap((file) =>
              Object.entries(advisorsByRole(file, caller.settings)).flatMap(([role, facultyId]) => {
                if (!Advising.Roles.isRole(role)) return []
                const conflicts = Advising.Matching.conflictsOf(
                  file,
                  { facultyId, committees: profiles.get(facultyId)?.committees ?? [] },
                  role
                )
                return conflicts.length === 0
                  ? []
                  : [
                      {
                        studentId: file.studentId,
                        facultyId,
                        role,
                        conflicts,
                        reason: conflicts.map(Advising.Matching.conflictSentence).join("; ")
                      }
                    ]
              })
            )
            return json({ pairs: pairs.sort((a, b) => (a.studentId < b.studentId ? -1 : 1)) })
          })
      })
    ),
    ...adminRoutes(deps, audit)
  ]

  function programOfCurrent(
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

  function advisorPool(caller: Caller, role: Advising.Roles.Role) {
    return Effect.gen(function* () {
      const files = yield* service.files(caller.school)
      const departments = yield* service.departments(caller.school)
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
}

type Audit = (
  caller: Caller,
  action: string,
  studentId: string,
  subject: string | null,
  requestId: string
) => Effect.Effect<void, ControlUnavailable>

const adminRoutes = (deps: AdvisingDeps, audit: Audit): ReadonlyArray<AnyRoute> => {
  const { service } = deps
  const admin = (principal: Principal | undefined): Effect.Effect<Caller, HttpProblem | ControlUnavailable> =>
    service.caller(principal)
  return [
    erase(
      route({
        operationId: "advisingSettings",
        method: "GET",
        path: "/v1/advising/settings",
        tag: "advising",
        summary: "The school's advising settings: program → role, student affairs, default capacity",
        access: scoped("admin"),
        responses: { 200: { description: "The settings", schema: Settings } },
        errors: [401, 403, 503],
        handle: ({ principal }) => Effect.map(admin(principal), (caller) => json(caller.settings))
      })
    ),
    erase(
      route({
        operationId: "putAdvisingSettings",
        method: "PUT",
        path: "/v1/advising/settings",
        tag: "advising",
        summary: "Set the school's advising settings",
        access: scoped("admin"),
        requestBody: { description: "The settings", content: { "application/json": Settings } },
        responses: { 200: { description: "Set", schema: Settings } },
        errors: [401, 403, 413, 415, 503],
        handle: ({ principal, request }) =>
          Effect.gen(function* () {
            const caller = yield* admin(principal)
            const body = yield* readJsonBody(request, Settings, 65536)
            yield* deps.advising.putSettings(caller.school, body)
            return json(body)
          })
      })
    ),
    erase(
      route<{ readonly id: string }>({
        operationId: "putAdvisingProfile",
        method: "PUT",
        path: "/v1/advising/faculty/{id}",
        tag: "advising",
        summary: "A faculty member's advising profile: committees (grading, promotions, …), capacity, specialties",
        access: scoped("admin"),
        params: StudentParams,
        requestBody: { description: "The profile", content: { "application/json": Profile } },
        responses: { 200: { description: "Set", schema: Profile } },
        errors: [401, 403, 413, 415, 503],
        handle: ({ principal, params, request }) =>
          Effect.gen(function* () {
            const caller = yield* admin(principal)
            const body = yield* readJsonBody(request, Profile, 16384)
            yield* deps.advising.putProfile(caller.school, params.id, body)
            return json(body)
          })
      })
    ),
    erase(
      route<{ readonly name: string }>({
        operationId: "bindKeyToFaculty",
        method: "PUT",
        path: "/v1/advising/keys/{name}/faculty",
        tag: "advising",
        summary: "Bind a key of this school (by name) to the faculty id it acts for (null: unbind)",
        description:
          "People who sign in with the school's identity provider are bound with PUT /v1/people/{id}/faculty.",
        access: scoped("admin"),
        params: Schema.Struct({ name: KeyName }),
        requestBody: { description: "The faculty id", content: { "application/json": Binding } },
        responses: { 200: { description: "Bound", schema: Json } },
        errors: [401, 403, 404, 413, 415, 503],
        handle: ({ principal, params, request }) =>
          Effect.gen(function* () {
            const caller = yield* admin(principal)
            const body = yield* readJsonBody(request, Binding, 4096)
            const keys = yield* deps.control.listKeys()
            const key = keys.find((k) => k.name === params.name && k.school === caller.school && k.revokedAt === null)
            if (key === undefined) return yield* Effect.fail(problem(404, "No active key of that name in this school."))
            yield* deps.advising.bindKey(caller.school, key.publicId, body.facultyId)
            return json({ name: key.name, facultyId: body.facultyId })
          })
      })
    ),
    erase(
      route<typeof StudentParams.Type>({
        operationId: "requestInspection",
        method: "POST",
        path: "/v1/advising/students/{id}/inspection-requests",
        tag: "advising",
        summary: "Record an inspection request: the student's erasure waits until it is fulfilled",
        access: scoped("admin"),
        params: StudentParams,
        responses: { 201: { description: "Recorded", schema: Json } },
        errors: [401, 403, 404, 409, 503],
        handle: ({ principal, params, requestId }) =>
          Effect.gen(function* () {
            const caller = yield* admin(principal)
            const { recorded } = yield* service.file(caller.school, params.id)
            if (recorded.length === 0) return yield* Effect.fail(problem(404, "No such student in this school."))
            const inspection = randomUUID()
            yield* service.append(
              caller.school,
              params.id,
              "InspectionRequested",
              { studentId: params.id, requestId: inspection, by: caller.name.slice(0, 200) },
              randomUUID(),
              deps.now().toISOString()
            )
            yield* audit(caller, "inspection-requested", params.id, inspection, requestId)
            return json({ requestId: inspection }, 201)
          })
      })
    ),
    erase(
      route<{ readonly id: string; readonly requestId: string }>({
        operationId: "fulfilInspection",
        method: "POST",
        path: "/v1/advising/students/{id}/inspection-requests/{requestId}/fulfil",
        tag: "advising",
        summary: "Mark an inspection request fulfilled (an erasure waiting for it may proceed)",
        access: scoped("admin"),
        params: Schema.Struct({ id: Id, requestId: Id }),
        responses: { 200: { description: "Fulfilled", schema: Json } },
        errors: [401, 403, 404, 409, 503],
        handle: ({ principal, params, requestId }) =>
          Effect.gen(function* () {
            const caller = yield* admin(principal)
            const { file } = yield* service.file(caller.school, params.id)
            if (!file.openInspections.has(params.requestId))
              return yield* Effect.fail(problem(404, "No open inspection request of that id."))
            yield* service.append(
              caller.school,
              params.id,
              "InspectionFulfilled",
              { studentId: params.id, requestId: params.requestId, by: caller.name.slice(0, 200) },
              randomUUID(),
              deps.now().toISOString()
            )
            yield* audit(caller, "inspection-fulfilled", params.id, params.requestId, requestId)
            return json({ requestId: params.requestId, fulfilled: true })
          })
      })
    ),
    erase(
      route<Record<string, never>, typeof AuditQuery.Type>({
        operationId: "advisingAudit",
        method: "GET",
        path: "/v1/advising/audit",
        tag: "advising",
        summary: "Who did what in advising, and who read which notes (newest first, at most 1,000 lines)",
        access: scoped("admin"),
        query: AuditQuery,
        responses: { 200: { description: "The advising audit log", schema: Json } },
        errors: [400, 401, 403, 503],
        handle: ({ principal, query }) =>
          Effect.gen(function* () {
            const caller = yield* admin(principal)
            const lines = yield* deps.advising.auditOf(caller.school, query.studentId)
            return json({ entries: lines })
          })
      })
    ),
    erase(
      route<typeof StudentParams.Type>({
        operationId: "inspectionExport",
        method: "GET",
        path: "/v1/advising/students/{id}/inspection",
        tag: "advising",
        summary: "Everything held about one student, for an inspection request",
        description:
          "Every event of the student's stream (interactions, concerns, notes with their amendments, cases, actions), the directory entry, the page-view audit and the advising audit naming them.",
        access: scoped("admin"),
        params: StudentParams,
        responses: { 200: { description: "The export", schema: InspectionExport } },
        errors: [401, 403, 404, 503],
        handle: ({ principal, params, requestId }) =>
          Effect.gen(function* () {
            const caller = yield* admin(principal)
            const { file, recorded } = yield* service.file(caller.school, params.id)
            if (recorded.length === 0) return yield* Effect.fail(problem(404, "No such student in this school."))
            const directory = yield* deps.control.getDirectory(caller.school, "student", params.id)
            const views = yield* deps.control.listAudit(caller.school, { studentId: params.id, limit: 10_000 })
            const advisingAudit = yield* deps.advising.auditOf(caller.school, params.id)
            yield* audit(caller, "inspection-export", params.id, null, requestId)
            return json({
              studentId: params.id,
              exportedAt: deps.now().toISOString(),
              directory: directory ?? null,
              events: recorded.map((r) => ({
                id: r.id,
                type: r.type,
                v: r.v,
                occurredAt: r.occurredAt,
                source: r.source ?? null,
                data: r.data
              })),
              cases: [...file.cases.values()],
              followUpActions: Object.fromEntries(file.followUpActions),
              openInspections: Object.fromEntries(file.openInspections),
              pageViews: views,
              advisingAudit
            })
          })
      })
    )
  ]
}
