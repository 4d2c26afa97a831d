/**
 * Retention for admins: `POST /v1/retention` removes the key's school's events older than
 * the stated period, or of the given types (a dry run unless `dryRun` is false), and
 * `GET /v1/retention` lists the runs, newest first. The rules: retention/Retention.ts.
 *
 * @since 0.2.0
 */
import { Params, type SchoolSettings, type Sql } from "@rapport/analytics"
import type { EventStoreShape } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { ControlStore } from "../control/ControlStore.js"
import { problem } from "../http/Problem.js"
import { type AnyRoute, erase, route } from "../http/Route.js"
import * as RetentionRun from "../retention/RetentionRun.js"
import { readJsonBody } from "./body.js"

/**
 * The body of `POST /v1/retention`.
 *
 * @since 0.2.0
 * @category models
 */
export const RetentionRequest = Schema.Struct({
  olderThan: Schema.optionalKey(
    Schema.String.check(Schema.isMaxLength(40)).annotate({
      description: "the retention period, an ISO 8601 period of years, months and days back from today (P7Y, P18M)"
    })
  ),
  before: Schema.optionalKey(
    Schema.String.check(Schema.isMaxLength(10)).annotate({
      description: "or a date YYYY-MM-DD: events before the start of that day (the school's time zone)"
    })
  ),
  types: Schema.optionalKey(
    Schema.Array(Schema.String.check(Schema.isMaxLength(100)))
      .check(Schema.isMaxLength(64))
      .annotate({ description: "event types to remove; without them, every kind of interaction" })
  ),
  dryRun: Schema.optionalKey(
    Schema.Boolean.annotate({ description: "true (the default): report what would be removed, remove nothing" })
  ),
  expect: Schema.optionalKey(
    Schema.String.check(Schema.isPattern(/^[0-9a-f]{64}$/u)).annotate({
      description: "a dry run's `selection`: remove exactly those events, or nothing (409)"
    })
  )
}).annotate({ identifier: "RetentionRequest" })

const Report = Schema.Struct({
  school: Schema.String,
  cutoff: Schema.NullOr(Schema.String),
  types: Schema.Array(Schema.String),
  events: Schema.Int,
  byType: Schema.Record(Schema.String, Schema.Int),
  byMonth: Schema.Record(Schema.String, Schema.Int),
  students: Schema.Int,
  retractions: Schema.Int,
  oldest: Schema.NullOr(Schema.String),
  newest: Schema.NullOr(Schema.String),
  selection: Schema.String
}).annotate({ identifier: "RetentionReport" })

const Outcome = Schema.Struct({
  runId: Schema.String,
  dryRun: Schema.Boolean,
  removed: Schema.Int,
  readModels: Schema.Literals(["updated", "pending", "unchanged"]),
  report: Report
}).annotate({ identifier: "RetentionOutcome" })

const Runs = Schema.Struct({
  runs: Schema.Array(
    Schema.Struct({
      runId: Schema.String,
      ranAt: Schema.String,
      actor: Schema.String,
      dryRun: Schema.Boolean,
      policy: Schema.Unknown,
      report: Schema.Unknown,
      removed: Schema.NullOr(Schema.Int),
      requestId: Schema.NullOr(Schema.String)
    })
  )
}).annotate({ identifier: "RetentionRuns" })

const RunsQuery = Schema.Struct({
  limit: Schema.optionalKey(Params.DecimalInt(1, 1000))
})

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" }
  })

/**
 * @since 0.2.0
 * @category routes
 */
export const routes = (deps: {
  readonly store: EventStoreShape
  readonly readModels: Sql.SqlDatabase
  readonly control: ControlStore
  readonly schools: SchoolSettings.SchoolSettings
  readonly now: () => Date
}): ReadonlyArray<AnyRoute> => [
  erase(
    route({
      operationId: "postRetention",
      method: "POST",
      path: "/v1/retention",
      tag: "admin",
      summary: "Remove events older than the school's retention period, or of given types",
      description:
        "A dry run (the default) reports exactly what a real run now would remove: counts by type and month, the students named, and a `selection` digest. With `dryRun: false` the events are deleted for good (pass the dry run's `selection` as `expect` to remove exactly those), and the read models follow (`readModels: updated` once they do). Every run is in the audit log (`GET /v1/retention`). See docs/privacy.md, Retention.",
      access: { _tag: "Scoped", anyOf: ["admin"] },
      requestBody: { description: "The policy of this run", content: { "application/json": RetentionRequest } },
      responses: { 200: { description: "What the run removed, or would remove", schema: Outcome } },
      errors: [400, 401, 403, 408, 409, 413, 415, 429, 503],
      handle: ({ principal, request, requestId }) =>
        Effect.gen(function* () {
          if (principal === undefined) return yield* Effect.fail(problem(401, "Send an API key."))
          const body = yield* readJsonBody(request, RetentionRequest, 16 * 1024)
          const outcome = yield* RetentionRun.run(deps, {
            school: principal.school,
            policy: { olderThan: body.olderThan, before: body.before, types: body.types },
            dryRun: body.dryRun !== false,
            expect: body.expect,
            actor: principal.keyName,
            requestId,
            waitMs: 30_000
          })
          return json(200, outcome)
        })
    })
  ),
  erase(
    route<Record<string, never>, typeof RunsQuery.Type>({
      operationId: "retentionRuns",
      method: "GET",
      path: "/v1/retention",
      tag: "admin",
      summary: "The school's retention runs, newest first",
      description: "Who ran retention, when, with what policy, what it selected and how many events it removed.",
      access: { _tag: "Scoped", anyOf: ["admin"] },
      query: RunsQuery,
      responses: { 200: { description: "Retention runs", schema: Runs } },
      errors: [400, 401, 403, 429, 503],
      handle: ({ principal, query }) =>
        Effect.gen(function* () {
          if (principal === undefined) return yield* Effect.fail(problem(401, "Send an API key."))
          const runs = yield* deps.control.listRetention(principal.school, query.limit ?? 100)
          return json(200, { runs })
        })
    })
  )
]
