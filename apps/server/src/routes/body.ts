/**
 * Small JSON request bodies (directory entries, sign-in): a content type, a byte cap and
 * a strict Schema, each failure a problem naming what is wrong.
 *
 * @since 0.1.0
 */
import { Params } from "@rapport/analytics"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import { type HttpProblem, problem, ProblemType } from "../http/Problem.js"
import * as Batch from "../ingest/Batch.js"
import * as Body from "../ingest/Ndjson.js"

/**
 * Every text of a JSON value (keys included) with a control character or a lone surrogate,
 * with its path: refused at the edge, the same on every store.
 *
 * @since 0.2.0
 * @category operations
 */
export const unreadableTexts = (
  value: unknown,
  path: ReadonlyArray<string | number>
): Array<{ readonly index: 0; readonly path: ReadonlyArray<string | number>; readonly message: string }> => {
  if (typeof value === "string") {
    const message = Params.textProblem(value)
    return message === undefined ? [] : [{ index: 0, path, message }]
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => unreadableTexts(item, [...path, index]))
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, member]) => {
      const message = Params.textProblem(key)
      return [
        ...(message === undefined ? [] : [{ index: 0 as const, path, message: `A key: ${message}` }]),
        ...unreadableTexts(member, [...path, key])
      ]
    })
  }
  return []
}

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
      // a small body: 10 s for the whole of it, however it trickles
      try: () => Body.readText(request.body, limit, 10_000, 10_000),
      catch: (error) =>
        error instanceof Body.BodyTooLarge
          ? problem(413, `The body is larger than ${limit} bytes.`)
          : error instanceof Body.BodyTooSlow || error instanceof Body.BodyStalled
            ? problem(408, "The body did not arrive whole within 10 s.")
            : problem(400, "The request body could not be read.")
    })
    // as for events: no body this route takes nests deeply, and walking one that does would
    // overflow the stack (a 500) when its texts are checked
    if (Batch.nestsDeeperThan(text, Batch.maxNesting))
      return yield* Effect.fail(
        problem(400, `The body nests arrays and objects more than ${Batch.maxNesting} levels deep.`, {
          type: ProblemType.malformedJson
        })
      )
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      return yield* Effect.fail(problem(400, "The body is not valid JSON.", { type: ProblemType.malformedJson }))
    }
    const unreadable = unreadableTexts(parsed, [])
    if (unreadable.length > 0)
      return yield* Effect.fail(
        problem(400, "Invalid body.", { type: ProblemType.validationFailed, errors: unreadable })
      )
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
