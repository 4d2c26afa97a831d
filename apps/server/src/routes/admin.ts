/**
 * Directory (display names and e-mail addresses, kept apart from events) and the audit
 * log of student-page views: `admin` keys only, always within the key's school.
 *
 * @since 0.1.0
 */
import { Params } from "@rapport/analytics"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { ControlStore } from "../control/ControlStore.js"
import { problem } from "../http/Problem.js"
import { type AnyRoute, erase, route } from "../http/Route.js"
import { readJsonBody } from "./body.js"

// the `u` flag lets the pattern into the OpenAPI document (JSON Schema patterns are Unicode-aware)
const PersonId = Schema.String.check(Schema.isPattern(/^[A-Za-z0-9._~:@-]{1,128}$/u))
const PathParams = Schema.Struct({ id: PersonId })

/**
 * The body of `PUT /v1/directory/...`.
 *
 * @since 0.1.0
 * @category models
 */
export const DirectoryEntry = Schema.Struct({
  displayName: Schema.NullOr(Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(200))),
  email: Schema.NullOr(
    Schema.String.check(
      Schema.isMaxLength(254),
      Schema.isPattern(/^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/u)
    )
  )
}).annotate({ identifier: "DirectoryEntry" })

const Saved = Schema.Struct({
  kind: Schema.Literals(["student", "faculty"]),
  id: Schema.String,
  created: Schema.Boolean
})

const AuditQuery = Schema.Struct({
  studentId: Schema.optionalKey(PersonId),
  before: Schema.optionalKey(Params.Instant),
  limit: Schema.optionalKey(Params.DecimalInt(1, 1000))
})

const AuditPage = Schema.Struct({
  entries: Schema.Array(
    Schema.Struct({
      viewedAt: Schema.String,
      keyName: Schema.String,
      studentId: Schema.String,
      asOf: Schema.NullOr(Schema.String),
      requestId: Schema.String
    })
  )
}).annotate({ identifier: "AuditPage" })

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" }
  })

const directoryRoute = (control: ControlStore, now: () => Date, kind: "student" | "faculty"): AnyRoute =>
  erase(
    route<typeof PathParams.Type, Record<string, never>>({
      operationId: kind === "student" ? "putStudentDirectory" : "putFacultyDirectory",
      method: "PUT",
      path: `/v1/directory/${kind === "student" ? "students" : "faculty"}/{id}`,
      tag: "admin",
      summary: `Set a ${kind}'s display name and e-mail address`,
      description:
        "Directory data is kept apart from events: it is never needed to compute anything and is erased with the student. Send null to clear a field.",
      access: { _tag: "Scoped", anyOf: ["admin"] },
      params: PathParams,
      requestBody: { description: "The entry", content: { "application/json": DirectoryEntry } },
      responses: {
        200: { description: "Updated", schema: Saved },
        201: { description: "Created", schema: Saved }
      },
      errors: [400, 401, 403, 404, 408, 413, 415, 429, 503],
      handle: ({ principal, params, request }) =>
        Effect.gen(function* () {
          if (principal === undefined) return yield* Effect.fail(problem(401, "Send an API key."))
          const entry = yield* readJsonBody(request, DirectoryEntry, 16 * 1024)
          const saved = yield* control.putDirectory(principal.school, kind, params.id, entry, now())
          return json(saved.created ? 201 : 200, { kind, id: params.id, created: saved.created })
        })
    })
  )

/**
 * @since 0.1.0
 * @category routes
 */
export const routes = (deps: { readonly control: ControlStore; readonly now: () => Date }): ReadonlyArray<AnyRoute> => [
  directoryRoute(deps.control, deps.now, "student"),
  directoryRoute(deps.control, deps.now, "faculty"),
  erase(
    route<Record<string, never>, typeof AuditQuery.Type>({
      operationId: "audit",
      method: "GET",
      path: "/v1/audit",
      tag: "admin",
      summary: "Who viewed which student's page, when",
      description:
        "Newest first; page with `before` (the `viewedAt` of the last entry you have). A page holds `limit` entries, or more when several share its last instant, so that paging never skips a view.",
      access: { _tag: "Scoped", anyOf: ["admin"] },
      query: AuditQuery,
      responses: { 200: { description: "Audit entries", schema: AuditPage } },
      errors: [400, 401, 403, 429, 503],
      handle: ({ principal, query }) =>
        Effect.gen(function* () {
          if (principal === undefined) return yield* Effect.fail(problem(401, "Send an API key."))
          const entries = yield* deps.control.listAudit(principal.school, {
            studentId: query.studentId,
            before: query.before,
            limit: query.limit ?? 100
          })
          return json(200, { entries })
        })
    })
  )
]
