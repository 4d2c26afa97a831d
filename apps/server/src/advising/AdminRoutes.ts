import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { randomUUID } from "node:crypto"
import type { ControlUnavailable } from "../control/ControlError.js"
import { type HttpProblem, problem } from "../http/Problem.js"
import { type AnyRoute, erase, type Principal, route } from "../http/Route.js"
import { readJsonBody } from "../routes/body.js"
import type { Caller } from "./Advising.js"
import { Profile, Settings } from "./AdvisingStore.js"
import {
  type AdvisingDeps,
  type Audit,
  AuditQuery,
  Binding,
  Id,
  InspectionExport,
  Json,
  KeyName,
  StudentParams,
  json,
  scoped
} from "./RouteParts.js"

/**
 * @since 0.4.0
 * @category routes
 */
export const adminRoutes = (deps: AdvisingDeps, audit: Audit): ReadonlyArray<AnyRoute> => {
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
