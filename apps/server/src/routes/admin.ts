/**
 * Directory (display names and e-mail addresses, kept apart from events), the audit log of
 * student-page views and the follow-up rules in force: `admin` keys only, always within the
 * key's school.
 *
 * @since 0.1.0
 */
import { Params, type SchoolSettings } from "@rapport/analytics"
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

/**
 * `GET /v1/admin/rules`: the follow-up rules a school runs, as its settings resolved them.
 *
 * @since 0.3.0
 * @category models
 */
export const RulesInForce = Schema.Struct({
  rules: Schema.Array(
    Schema.Struct({
      id: Schema.String,
      description: Schema.String,
      /** 1 the most important: a pair's one open follow-up is its most important */
      priority: Schema.Int,
      /** days past the due date after which a follow-up expires */
      expiresAfterDays: Schema.Int,
      /** every parameter in force, defaults included */
      params: Schema.Unknown
    })
  ),
  /** where they come from: `RAPPORT_RULES_FILE` (docs/rules.md, "Tuning the rules") */
  source: Schema.String
}).annotate({ identifier: "RulesInForce" })

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
export const routes = (deps: {
  readonly control: ControlStore
  readonly now: () => Date
  readonly schools?: SchoolSettings.SchoolSettings | undefined
}): ReadonlyArray<AnyRoute> => [
  erase(
    route<Record<string, never>, Record<string, never>>({
      operationId: "rulesInForce",
      method: "GET",
      path: "/v1/admin/rules",
      tag: "admin",
      summary: "The follow-up rules this school runs, with every parameter in force",
      description:
        "A school's rule parameters are data: a JSON file named by RAPPORT_RULES_FILE, keyed by school id (`*` for every school not listed), validated when the server starts. This shows what the projector and the dashboard evaluate for the key's school.",
      access: { _tag: "Scoped", anyOf: ["admin"] },
      responses: { 200: { description: "The rules in force", schema: RulesInForce } },
      errors: [401, 403, 429, 503],
      handle: ({ principal }) =>
        Effect.gen(function* () {
          if (principal === undefined) return yield* Effect.fail(problem(401, "Send an API key."))
          const rules = deps.schools?.of(principal.school).rules ?? []
          return json(200, {
            rules: rules.map((rule) => ({
              id: rule.id,
              description: rule.description,
              priority: rule.priority,
              expiresAfterDays: rule.expiresAfterDays,
              params: rule.params
            })),
            source: "RAPPORT_RULES_FILE"
          })
        })
    })
  ),
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
