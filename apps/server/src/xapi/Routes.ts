/**
 * The xAPI routes, as entries of the one route table: the statement resource
 * (`POST`, `PUT`, `GET /xapi/statements`), `GET /xapi/about` and the profile
 * (`GET /xapi/profile`), plus the statements' line in Data coverage. HTTP Basic
 * authentication and the version headers are the `xapi` middleware's
 * (middleware/xapi/index.ts); the work is Statements.ts's.
 *
 * @since 0.3.0
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { type HttpProblem, problem, ProblemType } from "../http/Problem.js"
import { erase, type AnyRoute, type Principal, route } from "../http/Route.js"
import * as Body from "../ingest/Ndjson.js"
import { formatted } from "./Format.js"
import type * as Actors from "./Actors.js"
import * as Profile from "./Profile.js"
import * as ProfileDocument from "./ProfileDocument.js"
import * as Query from "./Query.js"
import { isJsonObject, type Statement } from "./Statement.js"
import type { StatementIndex } from "./StatementIndex.js"
import * as Statements from "./Statements.js"
import * as Kept from "./Kept.js"

/**
 * @since 0.3.0
 * @category models
 */
export interface XapiDeps extends Statements.Deps {
  readonly index: StatementIndex
  readonly resolver: Actors.Resolver
}

const jsonBytes = 1024 * 1024
const maxBatch = 1000

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })

const callerOf = (principal: Principal | undefined): Effect.Effect<Statements.Caller, HttpProblem> =>
  principal === undefined
    ? Effect.fail(problem(401, "Send an events:write key by HTTP Basic authentication."))
    : Effect.succeed({ school: principal.school, keyId: principal.keyId, source: principal.keyName })

/** the authority of statements stored under a key */
const authorityOf = (caller: Statements.Caller): Statement => ({
  objectType: "Agent",
  account: { homePage: "https://rapport.dev/xapi/keys", name: caller.keyId }
})

const versionOf = (request: Request): string =>
  (request.headers.get("x-experience-api-version") ?? "").startsWith("1.0") ? "1.0.3" : "2.0.0"

const readJson = (request: Request): Effect.Effect<unknown, HttpProblem> =>
  Effect.gen(function* () {
    const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase()
    if (type === "multipart/mixed")
      return yield* Effect.fail(
        problem(400, "This LRS takes attachments by fileUrl only: send the statements as application/json.")
      )
    if (type !== "application/json")
      return yield* Effect.fail(problem(400, "Send statements as application/json (xAPI 2.0.0, 1.0.3)."))
    const text = yield* Effect.tryPromise({
      try: () => Body.readText(request.body, jsonBytes, 30_000),
      catch: (error) =>
        error instanceof Body.BodyTooLarge
          ? problem(413, `A request holds at most ${jsonBytes} bytes of statements.`)
          : problem(400, "The request body could not be read.")
    })
    try {
      return JSON.parse(text) as unknown
    } catch {
      return yield* Effect.fail(
        problem(400, "The body is not valid JSON.", {
          type: ProblemType.malformedJson,
          errors: [{ index: 0, path: [], message: "Expected a Statement (object) or an array of Statements" }]
        })
      )
    }
  })

/** Consistent-through: every statement stored before it is in query results. */
const makeConsistency = (now: () => Date) => {
  const inFlight = new Map<number, Date>()
  let next = 0
  return {
    during: <A, E>(body: Effect.Effect<A, E>): Effect.Effect<A, E> =>
      Effect.acquireUseRelease(
        Effect.sync(() => {
          next += 1
          inFlight.set(next, now())
          return next
        }),
        () => body,
        (ticket) => Effect.sync(() => inFlight.delete(ticket))
      ),
    through: (): string => {
      let earliest = now().getTime()
      for (const started of inFlight.values()) earliest = Math.min(earliest, started.getTime() - 1)
      return new Date(earliest).toISOString()
    }
  }
}

const StatementQuery = Schema.Struct(
  Object.fromEntries(Query.parameters.map((name) => [name, Schema.optionalKey(Schema.String)]))
)
const PutQuery = Schema.Struct({ statementId: Schema.String })
const Ids = Schema.Array(Schema.String).annotate({ identifier: "XapiStatementIds" })
const StatementResult = Schema.Union([
  Schema.Struct({ statements: Schema.Array(Schema.Unknown), more: Schema.String }),
  Schema.Record(Schema.String, Schema.Unknown)
]).annotate({ identifier: "XapiStatementResult", description: "A StatementResult, or one Statement" })
const StatementCoverage = Schema.Struct({
  sources: Schema.Array(
    Schema.Struct({
      source: Schema.String,
      received: Schema.Int,
      used: Schema.Int,
      notUsed: Schema.Array(Schema.Struct({ reason: Schema.String, statements: Schema.Int }))
    })
  )
}).annotate({ identifier: "XapiStatementCoverage" })
const writeAccess = { _tag: "Scoped", anyOf: ["events:write"] } as const
const statementBody = { "application/json": undefined }

/**
 * The routes.
 *
 * @since 0.3.0
 * @category routes
 */
export const routes = (deps: XapiDeps): ReadonlyArray<AnyRoute> => {
  const consistency = makeConsistency(deps.now)
  const failIf = (issues: ReadonlyArray<{ index: number; path: ReadonlyArray<string | number>; message: string }>) =>
    problem(400, "Invalid query parameters.", { type: ProblemType.validationFailed, errors: issues })
  return [
    erase(
      route({
        operationId: "postXapiStatements",
        method: "POST",
        path: "/xapi/statements",
        tag: "xapi",
        summary: "Store xAPI statements",
        description:
          "One statement or an array (all or nothing, up to 1,000 and 1 MiB); answers their ids. HTTP Basic authentication with an events:write key (public id as user name, secret as password) and X-Experience-API-Version (2.0.0 or 1.0.3). A statement id stored before with the same content is a harmless retry; with other content, 409. See docs/xapi.md.",
        access: writeAccess,
        requestBody: { description: "A Statement or an array of Statements (xAPI 2.0.0)", content: statementBody },
        responses: { 200: { description: "The ids of the statements, in order", schema: Ids } },
        errors: [400, 401, 403, 409, 413, 503],
        handle: ({ principal, request }) =>
          Effect.gen(function* () {
            const caller = yield* callerOf(principal)
            const body = yield* readJson(request)
            const list = Array.isArray(body) ? body : [body]
            if (list.length === 0 || list.length > maxBatch)
              return yield* Effect.fail(problem(400, `Send 1 to ${maxBatch} statements (got ${list.length}).`))
            const ids = yield* consistency.during(
              Statements.store(deps, caller, list, versionOf(request), authorityOf(caller))
            )
            return json(200, ids)
          })
      })
    ),
    erase(
      route<Record<string, never>, typeof PutQuery.Type>({
        operationId: "putXapiStatement",
        method: "PUT",
        path: "/xapi/statements",
        tag: "xapi",
        summary: "Store one xAPI statement under the id given",
        description:
          "`statementId` is required; a body id, if any, must be the same. 204 when stored (or already stored with the same content).",
        access: writeAccess,
        query: PutQuery,
        requestBody: { description: "A Statement (xAPI 2.0.0)", content: statementBody },
        responses: { 204: { description: "Stored" } },
        errors: [400, 401, 403, 409, 413, 503],
        handle: ({ principal, request, query }) =>
          Effect.gen(function* () {
            const caller = yield* callerOf(principal)
            const body = yield* readJson(request)
            const id = query.statementId
            if (!isJsonObject(body)) return yield* Effect.fail(problem(400, "PUT takes one Statement (a JSON object)."))
            if (body.id !== undefined && String(body.id).toLowerCase() !== id.toLowerCase())
              return yield* Effect.fail(
                failIf([{ index: 0, path: ["id"], message: "Expected the statementId of the query" }])
              )
            yield* consistency.during(
              Statements.store(deps, caller, [{ ...body, id }], versionOf(request), authorityOf(caller))
            )
            return new Response(null, { status: 204 })
          })
      })
    ),
    erase(
      route<Record<string, never>, Readonly<Record<string, string>>>({
        operationId: "getXapiStatements",
        method: "GET",
        path: "/xapi/statements",
        tag: "xapi",
        summary: "Read xAPI statements stored under this key",
        description:
          "By `statementId` or `voidedStatementId` (one Statement), or a query: `agent`, `verb`, `activity`, `registration`, `related_activities`, `related_agents`, `since`, `until`, `limit` (at most 100), `format`, `ascending`; `more` continues a page. Only the statements stored under the same key. Answers X-Experience-API-Consistent-Through.",
        access: writeAccess,
        query: StatementQuery as unknown as Schema.Codec<
          Readonly<Record<string, string>>,
          Readonly<Record<string, string>>
        >,
        responses: { 200: { description: "A Statement, or a StatementResult", schema: StatementResult } },
        errors: [400, 401, 403, 404, 503],
        handle: ({ principal, query, request: http }) =>
          Effect.gen(function* () {
            const caller = yield* callerOf(principal)
            const language = http.headers.get("accept-language")
            const read = Query.read(query, caller)
            if (Result.isFailure(read)) return yield* Effect.fail(failIf(read.failure))
            const through = consistency.through()
            const { request, raw } = read.success
            const headers = { "x-experience-api-consistent-through": through }
            if (request._tag === "One") {
              const entry = yield* deps.index.find(caller.school, request.id)
              const [statement] =
                entry === undefined || entry.keyId !== caller.keyId || entry.voided !== request.voided
                  ? []
                  : yield* Kept.load(deps, caller.school, [entry])
              if (statement === undefined || entry === undefined)
                return yield* Effect.fail(problem(404, "No such statement."))
              return json(200, formatted(statement, request.format, language), {
                ...headers,
                "last-modified": new Date(entry.stored).toUTCString()
              })
            }
            const entries = yield* deps.index.query({ ...request.query, limit: request.query.limit + 1 })
            const page = entries.slice(0, request.query.limit)
            const statements = yield* Kept.load(deps, caller.school, page)
            const last = page.at(-1)
            const more =
              entries.length > request.query.limit && last !== undefined
                ? Query.moreLink(raw, caller.keyId, [last.stored, last.statementId])
                : ""
            return json(
              200,
              { statements: statements.map((s) => formatted(s, request.format, language)), more },
              headers
            )
          })
      })
    ),
    erase(
      route({
        operationId: "getXapiAbout",
        method: "GET",
        path: "/xapi/about",
        tag: "xapi",
        summary: "The xAPI versions this LRS speaks",
        description:
          "No credentials or version header needed. Lists the versions (2.0.0, 1.0.3) and where Rapport's profile is.",
        access: { _tag: "Public" },
        responses: { 200: { description: "versions and the profile" } },
        errors: [],
        handle: () =>
          Effect.succeed(
            json(200, { version: ["2.0.0", "1.0.3"], extensions: { [Profile.profileIri]: "/xapi/profile" } })
          )
      })
    ),
    erase(
      route({
        operationId: "getXapiProfile",
        method: "GET",
        path: "/xapi/profile",
        tag: "xapi",
        summary: "Rapport's xAPI profile (JSON-LD)",
        description:
          "Which statements become which Rapport events: verbs, activity types, extensions and statement templates, per the xAPI Profiles specification.",
        access: { _tag: "Public" },
        responses: { 200: { description: "The profile", contentType: "application/ld+json" } },
        errors: [],
        handle: () =>
          Effect.succeed(
            new Response(JSON.stringify(ProfileDocument.document, null, 2), {
              status: 200,
              headers: { "content-type": "application/ld+json" }
            })
          )
      })
    ),
    erase(
      route({
        operationId: "statementCoverage",
        method: "GET",
        path: "/v1/dashboard/coverage/statements",
        tag: "dashboards",
        summary: "xAPI statements per source system: received, used, and why not",
        description:
          "Statements that became Rapport events are `used`; the others are counted by reason (not-in-profile, incomplete, invalid-data, student-not-matched, faculty-not-matched, voiding).",
        access: { _tag: "Scoped", anyOf: ["dashboards:read", "aggregates:read"] },
        responses: { 200: { description: "Counts per source system", schema: StatementCoverage } },
        errors: [401, 403, 503],
        handle: ({ principal }) =>
          Effect.gen(function* () {
            if (principal === undefined) return yield* Effect.fail(problem(401, "Send an API key."))
            const sources = yield* deps.index.coverage(principal.school)
            return json(200, { sources })
          })
      })
    )
  ]
}
