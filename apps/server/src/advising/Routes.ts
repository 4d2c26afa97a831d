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
import { ReadError } from "@rapport/analytics"
import { Advising } from "@rapport/core"
import * as Effect from "effect/Effect"
import { randomUUID } from "node:crypto"
import { problem } from "../http/Problem.js"
import { type AnyRoute, erase, route } from "../http/Route.js"
import { readJsonBody } from "../routes/body.js"
import { advisorsByRole, type Caller, caseloadOf } from "./Advising.js"
import { adminRoutes } from "./AdminRoutes.js"
import { matchingRoutes } from "./MatchingRoutes.js"
import {
  type AdvisingDeps,
  CaseParams,
  ConcernBody,
  FollowUpBody,
  FollowUpParams,
  Json,
  NoteBody,
  StudentParams,
  WorklistQuery,
  forRaiser,
  forbidden,
  json,
  notFound,
  scoped,
  summary,
  today,
  tools
} from "./RouteParts.js"

/**
 * @since 0.4.0
 * @category routes
 */
export const routes = (deps: AdvisingDeps): ReadonlyArray<AnyRoute> => {
  const { service } = deps
  const { audit, visibleFile } = tools(deps)

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
    ...matchingRoutes(deps),
    ...adminRoutes(deps, audit)
  ]
}
