/**
 * Small JSON request bodies (directory entries, sign-in): a content type, a byte cap and
 * a strict Schema, each failure a problem naming what is wrong.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import { type HttpProblem, problem, ProblemType } from "../http/Problem.js"
import * as Body from "../ingest/Ndjson.js"

/**
 * @since 0.1.0
 * @category operations
 */
export const readJsonBody = <A>(
  request: Request,
  schema: Schema.Codec<A, unknown>,
  limit: number
): Effect.Effect<A, HttpProblem> =>
  Effect.gen(function* () {
    const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase()
    if (type !== "application/json") return yield* Effect.fail(problem(415, "Send application/json."))
    const text = yield* Effect.tryPromise({
      try: () => Body.readText(request.body, limit, 10_000),
      catch: (error) =>
        error instanceof Body.BodyTooLarge
          ? problem(413, `The body is larger than ${limit} bytes.`)
          : problem(400, "The request body could not be read.")
    })
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      return yield* Effect.fail(problem(400, "The body is not valid JSON.", { type: ProblemType.malformedJson }))
    }
    const decoded = Schema.decodeUnknownResult(schema)(parsed, { errors: "all", onExcessProperty: "error" })
    if (Result.isSuccess(decoded)) return decoded.success
    const errors = SchemaIssue.makeFormatterStandardSchemaV1()(decoded.failure.issue).issues.map((issue) => ({
      index: 0,
      path: (issue.path ?? []).map((key) => {
        const k = typeof key === "object" ? key.key : key
        return typeof k === "number" ? k : String(k)
      }),
      message: issue.message
    }))
    return yield* Effect.fail(problem(400, "Invalid body.", { type: ProblemType.validationFailed, errors }))
  })
