/**
 * RFC 9457 problem details: the one place where failures become HTTP responses.
 *
 * Handlers and middleware fail with an `HttpProblem` (or a domain error this module knows);
 * `toResponse` writes `application/problem+json` with a stable `type`, a human `detail`
 * and, for validation, an `errors` array of `{ index, path, message }`. Nothing here ever
 * echoes a stack trace, an internal path or a SQL message: an unexpected failure is a
 * defect, logged with the request id and answered with a bare 500.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"

/**
 * One validation problem: `index` of the item in a batch (0 for a single event, the line
 * number for NDJSON), `path` inside it, a human `message`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ValidationIssue {
  readonly index: number
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

/**
 * The statuses the API answers with, and the stable problem type of each.
 *
 * @since 0.1.0
 * @category models
 */
export const problemTypes = {
  400: "invalid-request",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  405: "method-not-allowed",
  408: "request-timeout",
  409: "event-id-conflict",
  413: "payload-too-large",
  415: "unsupported-media-type",
  429: "rate-limited",
  500: "internal-error",
  503: "store-unavailable"
} as const

/**
 * @since 0.1.0
 * @category models
 */
export type ProblemStatus = keyof typeof problemTypes

const titles: Record<ProblemStatus, string> = {
  400: "Invalid request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  408: "Request timeout",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  429: "Too many requests",
  500: "Internal server error",
  503: "Service unavailable"
}

/**
 * A failure that becomes a problem+json response.
 *
 * @since 0.1.0
 * @category errors
 */
export class HttpProblem extends Data.TaggedError("HttpProblem")<{
  readonly status: ProblemStatus
  readonly detail: string
  /** a more specific stable type than the status's default, e.g. `validation-failed` */
  readonly type?: string
  readonly errors?: ReadonlyArray<ValidationIssue>
  readonly headers?: Readonly<Record<string, string>>
  /** extra members of the problem document (e.g. `eventId` of a conflict) */
  readonly extensions?: Readonly<Record<string, unknown>>
}> {}

/**
 * @since 0.1.0
 * @category constructors
 */
export const problem = (
  status: ProblemStatus,
  detail: string,
  more: Omit<ConstructorParameters<typeof HttpProblem>[0], "status" | "detail"> = {}
): HttpProblem => new HttpProblem({ status, detail, ...more })

/**
 * The URI of a problem type (relative, resolved against the API's base; documented in
 * docs/api.md).
 *
 * @since 0.1.0
 * @category operations
 */
export const typeUri = (type: string): string => `https://rapport.dev/problems/${type}`

/**
 * The JSON body of a problem.
 *
 * @since 0.1.0
 * @category operations
 */
export const toBody = (p: HttpProblem, instance?: string): Record<string, unknown> => ({
  // extensions first: they can add members, never replace the standard ones
  ...p.extensions,
  type: typeUri(p.type ?? problemTypes[p.status]),
  title: titles[p.status],
  status: p.status,
  detail: p.detail,
  ...(instance === undefined ? {} : { instance }),
  ...(p.errors === undefined ? {} : { errors: p.errors })
})

/**
 * @since 0.1.0
 * @category operations
 */
export const toResponse = (p: HttpProblem, requestId?: string): Response => {
  const headers = new Headers({ "content-type": "application/problem+json", ...p.headers })
  if (requestId !== undefined) headers.set("x-request-id", requestId)
  return new Response(JSON.stringify(toBody(p, requestId === undefined ? undefined : `urn:request:${requestId}`)), {
    status: p.status,
    headers
  })
}

/**
 * The answer to a defect: no detail that could leak internals.
 *
 * @since 0.1.0
 * @category constructors
 */
export const internalError = (): HttpProblem =>
  problem(500, "The server failed to handle this request. It has been logged with the request id.")
