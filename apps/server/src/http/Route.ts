/**
 * The route table: every HTTP route of Rapport as data (method, path, scopes, Effect
 * Schemas for parameters, query, body and responses, the error statuses it can answer).
 * One table builds both the Hono routes (`mount`) and the OpenAPI document (`OpenApi`),
 * so the two cannot drift.
 *
 * Handlers are Effects that fail with a `Problem.Failure` (an `HttpProblem` or a typed
 * error of the layers below, mapped by `Problem.fromFailure`); a defect is logged with the
 * request id and answered 500. Decoding of path and query happens here, strictly (unknown
 * query parameters are errors), before the handler runs.
 *
 * @since 0.1.0
 */
import { Params } from "@rapport/analytics"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Cause from "effect/Cause"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import type { Context, Hono } from "hono"
import {
  type Failure,
  fromFailure,
  type HttpProblem,
  internalError,
  problem,
  type ProblemStatus,
  ProblemType,
  toResponse,
  type ValidationIssue
} from "./Problem.js"

/**
 * @since 0.1.0
 * @category models
 */
export type Scope = "events:write" | "dashboards:read" | "aggregates:read" | "admin" | "advising" | "advising:write"

/**
 * @since 0.1.0
 * @category models
 */
export const scopes: ReadonlyArray<Scope> = [
  "events:write",
  "dashboards:read",
  "aggregates:read",
  "admin",
  // added in 0.4.0: an advisor's own caseload, and acting on it (docs/advising.md)
  "advising",
  "advising:write"
]

/**
 * The scopes a dashboard session carries: the reading scopes of the key it was signed in
 * with, and the advising scopes (a person acting on their own caseload, every write
 * guarded by the session's CSRF token), never `events:write` or `admin`, so that a
 * browser session can do no more than the dashboard needs even when the person's key can.
 *
 * @since 0.1.0
 * @category models
 */
export const sessionScopes = (keyScopes: ReadonlyArray<Scope>): ReadonlyArray<Scope> =>
  keyScopes.filter(
    (scope) =>
      scope === "dashboards:read" || scope === "aggregates:read" || scope === "advising" || scope === "advising:write"
  )

/**
 * Who is calling: a key (or the session a key was exchanged for), bound to one school.
 *
 * @since 0.1.0
 * @category models
 */
export interface Principal {
  /** the key's public id (the part of the key between `rapport_` and the secret): logs and rate limits */
  readonly keyId: string
  /** the name the key was created with (may be a person's): the audit log only */
  readonly keyName: string
  readonly school: string
  readonly scopes: ReadonlySet<Scope>
  readonly via: "key" | "session"
}

/**
 * @since 0.1.0
 * @category models
 */
export type Access =
  /** anyone, no key */
  | { readonly _tag: "Public" }
  /** a principal holding at least one of these scopes */
  | { readonly _tag: "Scoped"; readonly anyOf: ReadonlyArray<Scope> }

/**
 * @since 0.1.0
 * @category models
 */
export interface ResponseSpec {
  readonly description: string
  readonly contentType?: string
  /** other representations of the same answer, by content type, with what each holds (a list as `text/csv`) */
  readonly alternatives?: Readonly<Record<string, string>>
  /** decodable without services, so that tests (and clients) can check answers against it */
  readonly schema?: Schema.Top & Schema.ConstraintDecoder<unknown>
}

/**
 * An example of a request body, as OpenAPI's Example Object.
 *
 * @since 0.2.0
 * @category models
 */
export interface Example {
  readonly summary: string
  readonly value: unknown
}

/**
 * @since 0.1.0
 * @category models
 */
export interface HandlerInput<P, Q> {
  readonly params: P
  readonly query: Q
  readonly principal: Principal | undefined
  readonly request: Request
  readonly requestId: string
  readonly context: Context
  /**
   * Charges the caller's rate limit for work beyond an ordinary request (see `http/Cost`);
   * nothing when no limit applies.
   */
  readonly charge?: (tokens: number) => void
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Route<P = unknown, Q = unknown> {
  readonly operationId: string
  readonly method: "GET" | "POST" | "PUT" | "DELETE"
  /** OpenAPI style: `/v1/students/{id}` */
  readonly path: string
  readonly summary: string
  readonly description?: string
  readonly tag: string
  readonly access: Access
  readonly params?: Schema.Codec<P, Readonly<Record<string, string>>>
  readonly query?: Schema.Codec<Q, Readonly<Record<string, string>>>
  readonly requestBody?: {
    readonly description: string
    readonly content: Readonly<Record<string, Schema.Top | undefined>>
    /** named examples per media type, shown by `/docs` (`{ summary, value }` as in OpenAPI) */
    readonly examples?: Readonly<Record<string, Readonly<Record<string, Example>>>>
  }
  readonly responses: Readonly<Record<number, ResponseSpec>>
  readonly errors: ReadonlyArray<ProblemStatus>
  readonly handle: (input: HandlerInput<P, Q>) => Effect.Effect<Response, Failure>
}

/**
 * Defines a route; the identity, for inference of `P` and `Q`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const route = <P = Record<string, never>, Q = Record<string, never>>(definition: Route<P, Q>): Route<P, Q> =>
  definition

/**
 * A route with its parameter types erased, as stored in the table.
 *
 * @since 0.1.0
 * @category models
 */
export interface AnyRoute {
  readonly operationId: string
  readonly method: Route["method"]
  readonly path: string
  readonly summary: string
  readonly description?: string
  readonly tag: string
  readonly access: Access
  readonly params?: Schema.Top
  readonly query?: Schema.Top
  readonly requestBody?: Route["requestBody"]
  readonly responses: Route["responses"]
  readonly errors: ReadonlyArray<ProblemStatus>
  readonly run: (
    input: HandlerInput<Readonly<Record<string, string>>, Readonly<Record<string, string>>>
  ) => Effect.Effect<Response, Failure>
}

const decodeOptions = { errors: "all", onExcessProperty: "error" } as const

const issuesOf = (error: Schema.SchemaError, prefix: string): ReadonlyArray<ValidationIssue> =>
  SchemaIssue.makeFormatterStandardSchemaV1()(error.issue).issues.map((issue) => ({
    index: 0,
    path: [prefix, ...(issue.path ?? []).map((key) => (typeof key === "object" ? String(key.key) : key))].map((k) =>
      typeof k === "symbol" ? String(k) : k
    ),
    message: issue.message
  }))

const decodePart = <A>(
  schema: Schema.Codec<A, Readonly<Record<string, string>>> | undefined,
  raw: Readonly<Record<string, string>>,
  part: "path" | "query"
): Effect.Effect<A, HttpProblem> => {
  if (schema === undefined) {
    return Object.keys(raw).length === 0 || part === "path"
      ? Effect.succeed({} as A)
      : Effect.fail(
          problem(400, `This route takes no query parameters; got ${Object.keys(raw).join(", ")}.`, {
            type: ProblemType.validationFailed,
            errors: Object.keys(raw).map((key) => ({ index: 0, path: ["query", key], message: "Unknown parameter" }))
          })
        )
  }
  // Control characters and lone surrogates, in every parameter of every route, before any
  // schema: no store is ever asked about a text that one store would refuse (PostgreSQL and
  // NUL) and another would keep.
  if (part === "query") {
    const unreadable = Object.entries(raw).flatMap(([key, value]) => {
      const message = Params.textProblem(value)
      return message === undefined ? [] : [{ index: 0, path: ["query", key], message }]
    })
    if (unreadable.length > 0)
      return Effect.fail(
        problem(400, "Invalid query parameters.", { type: ProblemType.validationFailed, errors: unreadable })
      )
  }
  const result = Schema.decodeUnknownResult(schema)(raw, decodeOptions)
  if (Result.isSuccess(result)) return Effect.succeed(result.success)
  const errors = issuesOf(result.failure, part)
  return Effect.fail(
    problem(part === "path" ? 404 : 400, part === "path" ? "No such resource." : "Invalid query parameters.", {
      type: part === "path" ? ProblemType.notFound : ProblemType.validationFailed,
      ...(part === "path" ? {} : { errors })
    })
  )
}

/**
 * Erases a route's parameter types for the table, wrapping decoding around its handler.
 *
 * @since 0.1.0
 * @category constructors
 */
export const erase = <P, Q>(definition: Route<P, Q>): AnyRoute => ({
  ...definition,
  run: (input) =>
    Effect.gen(function* () {
      // the query first: a malformed request is 400 whether or not what it names exists
      const query = yield* decodePart(definition.query, input.query, "query")
      const params = yield* decodePart(definition.params, input.params, "path")
      return yield* definition.handle({ ...input, params, query })
    })
})

/**
 * Every error status a route can answer: its own `errors` and those the machinery adds
 * around every route — 400 (unknown or repeated query parameters), 429 (rate limit), 404
 * (a path parameter that is not an id), and for scoped routes 401, 403 and 503 (the key
 * cannot be checked), and for state-changing methods 403 (a cookie without its CSRF
 * token). The OpenAPI document lists these, so that it names every status a client meets.
 *
 * @since 0.1.0
 * @category operations
 */
export const statusesOf = (entry: AnyRoute): ReadonlyArray<ProblemStatus> => {
  const statuses = new Set<ProblemStatus>(entry.errors)
  statuses.add(400)
  statuses.add(429)
  if (entry.params !== undefined) statuses.add(404)
  if (entry.access._tag === "Scoped") {
    statuses.add(401)
    statuses.add(403)
    statuses.add(503)
  }
  if (entry.method !== "GET") statuses.add(403)
  return [...statuses].sort((a, b) => a - b)
}

const toHonoPath = (path: string): string => path.replace(/\{([a-zA-Z]+)\}/g, ":$1")

const searchParams = (request: Request): Effect.Effect<Readonly<Record<string, string>>, HttpProblem> => {
  const url = new URL(request.url)
  const out: Record<string, string> = Object.create(null)
  for (const [key, value] of url.searchParams) {
    if (key in out) {
      return Effect.fail(
        problem(400, `Query parameter "${key.slice(0, 64)}" is repeated.`, { type: ProblemType.validationFailed })
      )
    }
    out[key] = value
  }
  return Effect.succeed(out)
}

/**
 * Checks access: 401 without a principal, 403 without a matching scope, 503 when the
 * credentials sent could not be checked (control tables unreachable).
 *
 * @since 0.1.0
 * @category operations
 */
export const authorize = (
  access: Access,
  principal: Principal | undefined,
  credentialsUnverified = false
): Effect.Effect<void, HttpProblem> => {
  if (access._tag === "Public") return Effect.void
  if (principal === undefined && credentialsUnverified) {
    // The caller sent a key or a session the control tables could not check: not their fault.
    return Effect.fail(
      problem(503, "The keys cannot be checked right now; retry later.", {
        type: ProblemType.controlUnavailable,
        headers: { "retry-after": "5" }
      })
    )
  }
  if (principal === undefined) {
    return Effect.fail(
      problem(401, "Send an API key as `Authorization: Bearer <key>`.", {
        headers: { "www-authenticate": 'Bearer realm="rapport"' }
      })
    )
  }
  return access.anyOf.some((scope) => principal.scopes.has(scope))
    ? Effect.void
    : Effect.fail(problem(403, `This key lacks the scope this route needs (one of: ${access.anyOf.join(", ")}).`))
}

/**
 * What the Hono context carries between middleware and routes.
 *
 * @since 0.1.0
 * @category models
 */
export interface RouteEnv {
  Variables: {
    requestId: string
    principal: Principal | undefined
    /** a key or session was presented but could not be checked (control tables unreachable) */
    credentialsUnverified: boolean
    /** set by the rate limit: charges the caller's bucket for costly work */
    charge: ((tokens: number) => void) | undefined
  }
}

/**
 * Mounts every route of the table on a Hono app.
 *
 * @since 0.1.0
 * @category operations
 */
export const mount = (
  app: Hono<RouteEnv>,
  table: ReadonlyArray<AnyRoute>,
  onDefect: (cause: unknown, requestId: string) => void
): void => {
  for (const entry of table) {
    app.on(entry.method, toHonoPath(entry.path), async (c) => {
      const requestId = c.get("requestId")
      const principal = c.get("principal")
      const program = Effect.gen(function* () {
        yield* authorize(entry.access, principal, c.get("credentialsUnverified") === true)
        const query = yield* searchParams(c.req.raw)
        return yield* entry.run({
          params: c.req.param(),
          query,
          principal,
          request: c.req.raw,
          requestId,
          context: c,
          charge: (tokens) => c.get("charge")?.(tokens)
        })
      })
      const exit = await Effect.runPromiseExit(program)
      if (Exit.isSuccess(exit)) return exit.value
      const failure = Cause.findErrorOption(exit.cause)
      if (failure._tag === "Some") return toResponse(fromFailure(failure.value), requestId)
      onDefect(Cause.squash(exit.cause), requestId)
      return toResponse(internalError(), requestId)
    })
  }
}
