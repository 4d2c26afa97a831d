/**
 * `POST /v1/events`: one event (JSON object), a batch (JSON array, all-or-nothing, up to
 * 1,000 events and 1 MiB) or a stream (`application/x-ndjson`: no total cap, lines up to
 * 64 KiB, stored in batches, a summary at the end with every rejected line and why).
 * The school always comes from the key.
 *
 * @since 0.1.0
 */
import { Event } from "@rapport/core"
import type { EventStoreShape } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type { PositionTokens } from "../http/PositionToken.js"
import { type HttpProblem, problem, ProblemType, type ValidationIssue } from "../http/Problem.js"
import { erase, route, type AnyRoute } from "../http/Route.js"
import * as Cost from "../http/Cost.js"
import * as Batch from "../ingest/Batch.js"
import * as EventBody from "../ingest/EventBody.js"
import { eventReference } from "../ingest/EventReference.js"
import * as Ingest from "../ingest/Ingest.js"
import * as Body from "../ingest/Ndjson.js"
import * as WorkPool from "../offload/WorkPool.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface IngestLimits {
  readonly jsonBytes: number
  readonly batchEvents: number
  readonly lineBytes: number
  readonly ndjsonBatch: number
  readonly stallMs: number
  /** the longest a JSON body may take to arrive, whole (408 past it; `RAPPORT_BODY_DEADLINE_SECONDS`) */
  readonly jsonDeadlineMs: number
}

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultLimits: IngestLimits = {
  jsonBytes: 1024 * 1024,
  batchEvents: 1000,
  lineBytes: 64 * 1024,
  ndjsonBatch: 500,
  stallMs: 30_000,
  jsonDeadlineMs: 30_000
}

const Issue = Schema.Struct({
  index: Schema.Int,
  path: Schema.Array(Schema.Union([Schema.String, Schema.Int])),
  message: Schema.String
})

const Accepted = Schema.Struct({
  stored: Schema.Int,
  duplicates: Schema.Int,
  position: Schema.String.annotate({
    description:
      "an opaque token of the position reached: pass it as `waitFor` to a dashboard query to read your writes"
  })
}).annotate({ identifier: "EventsAccepted" })

const NdjsonSummary = Schema.Struct({
  stored: Schema.Int,
  duplicates: Schema.Int,
  rejected: Schema.Int,
  position: Schema.String.annotate({ description: "an opaque token of the position reached (see `waitFor`)" }),
  errors: Schema.Array(Issue).annotate({ description: "every rejected line: `index` is the 1-based line number" })
}).annotate({ identifier: "NdjsonSummary" })

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } })

const bodyProblem = (error: unknown, limits: IngestLimits): HttpProblem => {
  if (error instanceof Body.BodyTooLarge) {
    return problem(
      413,
      `A JSON request holds at most ${limits.jsonBytes} bytes; send bulk history as application/x-ndjson.`
    )
  }
  if (error instanceof Body.LineTooLong) {
    return problem(413, `NDJSON line ${error.line} is longer than ${error.limit} bytes.`)
  }
  if (error instanceof Body.BodyTooSlow) {
    return problem(
      408,
      `The body did not arrive whole within ${Math.round(error.afterMs / 1000)} s; nothing was stored.`
    )
  }
  if (error instanceof Body.BodyStalled) {
    const after = error.afterMs < 1000 ? `${error.afterMs} ms` : `${Math.round(error.afterMs / 1000)} s`
    return problem(408, `The upload stalled: no data for ${after}.`)
  }
  return problem(400, "The request body could not be read.")
}

const malformed = (
  outcome: { readonly detail: string; readonly message: string },
  headers?: Record<string, string>
): HttpProblem =>
  problem(400, outcome.detail, {
    type: ProblemType.malformedJson,
    errors: [{ index: 0, path: [], message: outcome.message }],
    ...(headers === undefined ? {} : { headers })
  })

const invalid = (issues: ReadonlyArray<ValidationIssue>, what: string): HttpProblem =>
  problem(400, `${what}: ${issues.length} problem(s); nothing was stored.`, {
    type: ProblemType.validationFailed,
    errors: issues
  })

const mediaType = (request: Request): string =>
  (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? ""

/** What the ingestion of one request works with. */
interface Ingestion {
  readonly store: EventStoreShape
  readonly school: string
  readonly request: Request
  readonly limits: IngestLimits
  readonly now: () => Date
  readonly work: WorkPool.WorkPool
  readonly charge: (tokens: number) => void
  /** the opaque token of a position of this school */
  readonly seal: (position: number) => string
}

/** A job of the worker threads; a full queue is a 503 to retry shortly. */
const offloaded = <A>(job: () => Promise<A>): Effect.Effect<A, HttpProblem> =>
  Effect.tryPromise({ try: job, catch: (error) => error }).pipe(
    Effect.catch((error) =>
      error instanceof WorkPool.Busy
        ? Effect.fail(
            problem(503, "The server is busy with other requests; retry shortly.", {
              type: ProblemType.busy,
              headers: { "retry-after": "1" }
            })
          )
        : Effect.die(error)
    )
  )

const ingestJson = ({
  store,
  school,
  request,
  limits,
  now,
  work,
  charge,
  seal
}: Ingestion): Effect.Effect<Response, HttpProblem> =>
  Effect.gen(function* () {
    const declared = Number(request.headers.get("content-length") ?? "0")
    if (declared > limits.jsonBytes)
      return yield* Effect.fail(bodyProblem(new Body.BodyTooLarge({ limit: limits.jsonBytes }), limits))
    const text = yield* Effect.tryPromise({
      try: () =>
        Body.readText(
          request.body,
          limits.jsonBytes,
          limits.stallMs,
          limits.jsonDeadlineMs,
          Batch.nestingScan(Batch.maxNesting)
        ),
      catch: (error) => error
    }).pipe(
      Effect.catch((error) => {
        if (!(error instanceof Body.BodyRefused)) return Effect.fail(bodyProblem(error, limits))
        // too deep: refused at the chunk that showed it, charged for what the body declared
        charge(Cost.ofRejectedBytes(Math.max(declared, error.bytesRead)))
        return Effect.fail(malformed(Batch.tooDeep, { connection: "close" }))
      })
    )
    const outcome = yield* offloaded(() => work.batch(text, now().getTime(), limits.batchEvents))
    switch (outcome._tag) {
      case "Malformed":
        charge(Cost.ofRejectedBytes(text.length))
        return yield* Effect.fail(malformed(outcome))
      case "Empty":
        return yield* Effect.fail(
          invalid([{ index: 0, path: [], message: "Expected 1 to 1,000 events, got none" }], "Empty batch")
        )
      case "TooMany":
        return yield* Effect.fail(
          problem(
            413,
            `A JSON batch holds at most ${limits.batchEvents} events (got ${outcome.count}); split it or send application/x-ndjson.`
          )
        )
      case "Invalid":
        charge(Cost.ofRejectedEvents(outcome.count))
        return yield* Effect.fail(
          outcome.total > outcome.issues.length
            ? problem(
                400,
                `Invalid events: ${outcome.total} problem(s), the first ${outcome.issues.length} listed; nothing was stored.`,
                { type: ProblemType.validationFailed, errors: outcome.issues }
              )
            : invalid(outcome.issues, "Invalid events")
        )
    }
    const stored = yield* Ingest.append(store, school, outcome.events)
    return json(200, { ...stored, position: seal(stored.position) })
  })

const ingestNdjson = ({
  store,
  school,
  request,
  limits,
  now,
  work,
  charge,
  seal
}: Ingestion): Effect.Effect<Response, HttpProblem> =>
  Effect.gen(function* () {
    const errors: Array<ValidationIssue> = []
    let stored = 0
    let duplicates = 0
    let position = 0
    let pending: Array<{ readonly line: number; readonly value: unknown }> = []
    const flush = Effect.gen(function* () {
      let batch = pending
      pending = []
      // A conflicting line is rejected on its own; the rest of the batch is retried.
      while (batch.length > 0) {
        const items = batch.map((item) => item.value)
        const validated = yield* offloaded(() => work.validate(items, now().getTime()))
        if (validated._tag === "Invalid") {
          charge(Cost.ofRejectedEvents(new Set(validated.issues.map((issue) => issue.index)).size))
          const bad = new Set<number>()
          for (const issue of validated.issues) {
            const item = batch[issue.index]
            if (item === undefined) continue
            bad.add(issue.index)
            errors.push({ index: item.line, path: issue.path, message: issue.message })
          }
          batch = batch.filter((_, index) => !bad.has(index))
          continue
        }
        const outcome = yield* Effect.result(Ingest.append(store, school, validated.events))
        if (Result.isSuccess(outcome)) {
          stored += outcome.success.stored
          duplicates += outcome.success.duplicates
          position = Math.max(position, outcome.success.position)
          return
        }
        const conflictId = outcome.failure.extensions?.eventId
        const refused = outcome.failure.type === ProblemType.erased ? (outcome.failure.errors ?? []) : []
        if (refused.length > 0) {
          // every line about an erased student is rejected on its own; the rest is retried
          const gone = new Set<number>()
          for (const issue of refused) {
            const item = batch[issue.index]
            if (item === undefined) continue
            gone.add(issue.index)
            errors.push({ index: item.line, path: issue.path, message: issue.message })
          }
          if (gone.size > 0) {
            batch = batch.filter((_, index) => !gone.has(index))
            continue
          }
        }
        if (outcome.failure.status !== 409 || typeof conflictId !== "string") {
          return yield* Effect.fail(
            problem(outcome.failure.status, `${outcome.failure.detail} Stored before the failure: ${stored} events.`, {
              ...(outcome.failure.headers === undefined ? {} : { headers: outcome.failure.headers }),
              extensions: { stored, duplicates, position: seal(position), errors }
            })
          )
        }
        const offending = validated.events.findIndex((event) => event.id === conflictId)
        const item = batch[offending]
        if (item !== undefined) errors.push({ index: item.line, path: ["id"], message: outcome.failure.detail })
        batch = batch.filter((_, index) => index !== offending)
      }
    })
    const lines = Body.lines(request.body, limits.lineBytes, limits.stallMs)
    for (;;) {
      const read = yield* Effect.result(
        Effect.tryPromise({ try: () => lines.next(), catch: (error) => bodyProblem(error, limits) })
      )
      if (Result.isFailure(read)) {
        // The lines before the failure are whole: store them, and say what was stored so
        // that the sender can resume after the line the problem names.
        yield* flush
        return yield* Effect.fail(
          problem(read.failure.status, `${read.failure.detail} Stored before it: ${stored} events.`, {
            extensions: { stored, duplicates, rejected: errors.length, position: seal(position), errors }
          })
        )
      }
      const next = read.success
      if (next.done === true) break
      if (next.value.notUtf8 === true) {
        errors.push({ index: next.value.line, path: [], message: "This line is not valid UTF-8" })
        continue
      }
      if (Batch.nestsDeeperThan(next.value.text, Batch.maxNesting)) {
        errors.push({
          index: next.value.line,
          path: [],
          message: `Expected at most ${Batch.maxNesting} levels of nesting on this line`
        })
        continue
      }
      let value: unknown
      try {
        value = JSON.parse(next.value.text)
      } catch {
        errors.push({ index: next.value.line, path: [], message: "Expected one JSON event on this line" })
        continue
      }
      pending.push({ line: next.value.line, value })
      if (pending.length >= limits.ndjsonBatch) yield* flush
    }
    yield* flush
    return json(200, { stored, duplicates, rejected: errors.length, position: seal(position), errors })
  })

/**
 * The route.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes = (deps: {
  readonly store: EventStoreShape
  readonly limits: IngestLimits
  readonly now: () => Date
  readonly positions: PositionTokens
  /** where batches are parsed and validated (worker threads in the server) */
  readonly work?: WorkPool.WorkPool
}): ReadonlyArray<AnyRoute> => [
  erase(
    route({
      operationId: "postEvents",
      method: "POST",
      path: "/v1/events",
      tag: "events",
      summary: "Post interaction events",
      description:
        "One event (a JSON object), a batch (a JSON array of up to 1,000 events and 1 MiB, stored all-or-nothing, every invalid item reported with its index and path) or a stream (`application/x-ndjson`: no total cap, lines up to 64 KiB, stored in batches, a summary with every rejected line). Retrying the same events is harmless: duplicates are counted, not stored again. The same id with other content is a 409. Events more than 5 minutes in the future are rejected.",
      access: { _tag: "Scoped", anyOf: ["events:write"] },
      requestBody: {
        description:
          "An event, an array of events, or NDJSON lines of events (see docs/events.md). For NDJSON the schema is that of each line.",
        content: {
          "application/json": Schema.Union([EventBody.AnyEvent, EventBody.EventBatch(deps.limits.batchEvents)]),
          "application/x-ndjson": EventBody.AnyEvent
        },
        examples: {
          "application/json": Object.fromEntries(
            Event.eventTypes.flatMap((type) => {
              const reference = eventReference[type]
              return reference === undefined ? [] : [[type, { summary: reference.summary, value: reference.example }]]
            })
          ),
          "application/x-ndjson": {
            lines: {
              summary: "One event a line",
              value: ["OfficeHoursVisited", "FollowUpSent"]
                .map((type) => `${JSON.stringify(eventReference[type]?.example)}\n`)
                .join("")
            }
          }
        }
      },
      responses: {
        200: {
          description: "Stored (JSON): counts and the position reached; for NDJSON, the summary",
          schema: Schema.Union([Accepted, NdjsonSummary])
        }
      },
      errors: [400, 401, 403, 408, 409, 413, 415, 429, 503],
      handle: ({ principal, request, charge }) => {
        if (principal === undefined) return Effect.fail(problem(401, "Send an API key."))
        const ingestion: Ingestion = {
          store: deps.store,
          school: principal.school,
          request,
          limits: deps.limits,
          now: deps.now,
          work: deps.work ?? WorkPool.inline,
          charge: charge ?? (() => undefined),
          seal: (position) => deps.positions.seal(principal.school, position)
        }
        const type = mediaType(request)
        if (type === "application/json") return ingestJson(ingestion)
        if (type === "application/x-ndjson") return ingestNdjson(ingestion)
        return Effect.fail(
          problem(
            415,
            "Send events as application/json (one event or an array) or application/x-ndjson (one event a line)."
          )
        )
      }
    })
  )
]
