/**
 * RFC 9457 problem details: the one place where failures become HTTP responses.
 *
 * Handlers and middleware fail with an `HttpProblem` or with a typed error of the layers
 * below (`Failure`: the event store's append errors and `StoreUnavailable`, the read
 * side's `ReadError`s, the control tables' `ControlUnavailable` and `AuditUnavailable`,
 * retention's refusals);
 * `fromFailure` maps each to its status and stable `type` here and nowhere else, and
 * `toResponse` writes `application/problem+json` with a human `detail` and, for
 * validation, an `errors` array of `{ index, path, message }`. Nothing here ever echoes a
 * stack trace, an internal path or a SQL message: an unexpected failure is a defect,
 * logged with the request id and answered with a bare 500 (`internalError`).
 *
 * Problem types are the constants of `ProblemType`, never string literals elsewhere.
 *
 * @since 0.1.0
 */
import type { ReadError } from "@rapport/analytics"
import type { AppendError, StreamDeleted } from "@rapport/event-store"
import * as Data from "effect/Data"
import type { AuditUnavailable, ControlUnavailable } from "../control/ControlError.js"
import { studentNamedBy } from "../erasure/ErasureGuard.js"
import type { PolicyInvalid, RetentionUnsupported, SelectionChanged } from "../retention/Retention.js"

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
 * Every stable problem type the API answers with (the last segment of the `type` URI,
 * documented in docs/api.md).
 *
 * @since 0.1.0
 * @category constants
 */
export const ProblemType = {
  invalidRequest: "invalid-request",
  validationFailed: "validation-failed",
  malformedJson: "malformed-json",
  invalidAppend: "invalid-append",
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  csrf: "csrf",
  notFound: "not-found",
  methodNotAllowed: "method-not-allowed",
  requestTimeout: "request-timeout",
  eventIdConflict: "event-id-conflict",
  erased: "erased",
  retentionSelectionChanged: "retention-selection-changed",
  retentionUnsupported: "retention-unsupported",
  payloadTooLarge: "payload-too-large",
  unsupportedMediaType: "unsupported-media-type",
  rateLimited: "rate-limited",
  internalError: "internal-error",
  storeUnavailable: "store-unavailable",
  storeFull: "store-full",
  readModelsUnavailable: "read-models-unavailable",
  controlUnavailable: "control-unavailable",
  auditUnavailable: "audit-unavailable",
  notYetConsistent: "not-yet-consistent",
  busy: "busy",
  projectorLagging: "projector-lagging"
} as const

/**
 * @since 0.1.0
 * @category models
 */
export type ProblemType = (typeof ProblemType)[keyof typeof ProblemType]

/**
 * The statuses the API answers with, and the problem type each has unless a more
 * specific one is given.
 *
 * @since 0.1.0
 * @category models
 */
export const problemTypes = {
  400: ProblemType.invalidRequest,
  401: ProblemType.unauthorized,
  403: ProblemType.forbidden,
  404: ProblemType.notFound,
  405: ProblemType.methodNotAllowed,
  408: ProblemType.requestTimeout,
  409: ProblemType.eventIdConflict,
  413: ProblemType.payloadTooLarge,
  415: ProblemType.unsupportedMediaType,
  429: ProblemType.rateLimited,
  500: ProblemType.internalError,
  503: ProblemType.storeUnavailable
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
  readonly type?: ProblemType
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
export const typeUri = (type: ProblemType): string => `https://rapport.dev/problems/${type}`

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

/**
 * Every failure a handler may fail with: an `HttpProblem` of the HTTP edge, or a typed
 * error of the layers below, which `fromFailure` maps.
 *
 * @since 0.1.0
 * @category models
 */
export type Failure =
  | HttpProblem
  | AppendError
  | ReadError.ReadError
  | ControlUnavailable
  | AuditUnavailable
  | PolicyInvalid
  | RetentionUnsupported
  | SelectionChanged

/**
 * What the caller of `fromFailure` knows of the request, when a failure is about some of
 * its items: the events of a batch, in order, so that a refusal names each refused event
 * by its index.
 *
 * @since 0.2.0
 * @category models
 */
export interface FailureContext {
  readonly events?: ReadonlyArray<{ readonly data: unknown }>
}

const retryAfter = (seconds: number) => ({ headers: { "retry-after": String(seconds) } })

/**
 * Events about erased students: every refused event of the batch (its index, the path that
 * names the student); nothing of the request was stored.
 */
const erased = (failure: StreamDeleted, events: ReadonlyArray<{ readonly data: unknown }>): HttpProblem => {
  const refused = new Set(
    (failure.streams ?? [failure.stream]).flatMap((stream) => (stream.kind === "student" ? [stream.id] : []))
  )
  const errors: Array<ValidationIssue> = []
  events.forEach((event, index) => {
    const studentId = studentNamedBy(event)
    if (studentId !== undefined && refused.has(studentId)) {
      errors.push({
        index,
        path: ["data", "studentId"],
        message: "This student was erased; events about them are refused."
      })
    }
  })
  if (errors.length === 0)
    return problem(409, `The ${failure.stream.kind} ${failure.stream.id} was erased; events about them are refused.`, {
      type: ProblemType.erased
    })
  const detail =
    errors.length === 1
      ? "An event is about a student who was erased; nothing of this request was stored."
      : `${errors.length} events are about students who were erased; nothing of this request was stored.`
  return problem(409, detail, { type: ProblemType.erased, errors })
}

/**
 * The HTTP problem of a failure: the one mapping from typed errors to statuses and types.
 *
 * @since 0.1.0
 * @category operations
 */
export const fromFailure = (failure: Failure, context: FailureContext = {}): HttpProblem => {
  switch (failure._tag) {
    case "HttpProblem":
      return failure
    case "StoreUnavailable":
      return failure.outOfSpace === true
        ? problem(
            503,
            "The event store is out of disk space: nothing of this request was stored. An operator must make room (free disk space, or raise RAPPORT_SQLITE_MAX_PAGES); then retry (appends are idempotent).",
            { type: ProblemType.storeFull, ...retryAfter(60) }
          )
        : problem(503, "The event store cannot be reached; retry later (appends are idempotent).", {
            type: ProblemType.storeUnavailable,
            ...retryAfter(5)
          })
    case "ReadModelsUnavailable":
      return problem(503, "The read models cannot be reached; retry later.", {
        type: ProblemType.readModelsUnavailable,
        ...retryAfter(5)
      })
    case "ControlUnavailable":
      return problem(503, "The control database cannot be reached; retry later.", {
        type: ProblemType.controlUnavailable,
        ...retryAfter(5)
      })
    case "AuditUnavailable":
      return problem(503, "The audit log cannot be written, so the page is not shown.", {
        type: ProblemType.auditUnavailable,
        ...retryAfter(5)
      })
    case "NotYetConsistent":
      // never the position itself: the log is one counter across schools (http/PositionToken.ts)
      return problem(503, "The read models have not reached the position of waitFor yet; retry shortly.", {
        type: ProblemType.notYetConsistent,
        ...retryAfter(1)
      })
    case "NotFound":
      return problem(
        404,
        failure.kind === "student" ? "No such student in this school." : "No such faculty member in this school."
      )
    case "InvalidInput":
      return problem(400, "Invalid query parameters.", {
        type: ProblemType.validationFailed,
        errors: [{ index: 0, path: failure.path, message: failure.detail }]
      })
    case "EventIdConflict":
      return problem(409, `Event ${failure.eventId} was already received with other content.`, {
        type: ProblemType.eventIdConflict,
        extensions: { eventId: failure.eventId }
      })
    case "StreamDeleted":
      return erased(failure, context.events ?? [])
    case "WrongExpectedRevision":
      return problem(400, failure.message, { type: ProblemType.invalidAppend })
    case "InvalidAppend":
      // its sentence is `reason` (a tagged error's `message` is empty unless set)
      return problem(400, failure.reason, { type: ProblemType.invalidAppend })
    case "PolicyInvalid":
      return problem(400, failure.sentence, { type: ProblemType.invalidRequest })
    case "RetentionUnsupported":
      return problem(409, failure.sentence, { type: ProblemType.retentionUnsupported })
    case "SelectionChanged":
      return problem(
        409,
        `The selection is no longer the one expected (it is now ${failure.report.events} events, selection ${failure.report.selection}); nothing was removed. Run a dry run again.`,
        { type: ProblemType.retentionSelectionChanged, extensions: { report: failure.report } }
      )
  }
}
