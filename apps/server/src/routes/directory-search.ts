/**
 * `GET /v1/directory/search`: people of the school found by display name (every word of
 * the query somewhere in the name, in any case) or by id prefix, for the dashboard's search
 * box. `dashboards:read` only: names are about individuals.
 *
 * It must never answer with another school's people, nor for an `aggregates:read` key.
 *
 * @since 0.4.0
 */
import { Params, ReadError } from "@rapport/analytics"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { ControlStore } from "../control/ControlStore.js"
import { problem } from "../http/Problem.js"
import { type AnyRoute, erase, route } from "../http/Route.js"

const Query = Schema.Struct({
  /** the words of a name, or an id prefix (absent or blank: no matches) */
  q: Schema.optionalKey(Params.Text(128)),
  kind: Schema.optionalKey(Schema.Literals(["student", "faculty"])),
  limit: Schema.optionalKey(Params.DecimalInt(1, 50))
})

const Match = Schema.Struct({
  kind: Schema.Literals(["student", "faculty"]),
  id: Schema.String,
  displayName: Schema.NullOr(Schema.String)
}).annotate({ identifier: "DirectoryMatch" })

/**
 * @since 0.4.0
 * @category models
 */
export const DirectorySearch = Schema.Struct({ matches: Schema.Array(Match) }).annotate({
  identifier: "DirectorySearch"
})

/** `%` and `_` in a word are matched as themselves */
const likeWord = (word: string) => `%${word.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
const likePrefix = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/**
 * @since 0.4.0
 * @category routes
 */
export const routes = (deps: { readonly control: ControlStore }): ReadonlyArray<AnyRoute> => [
  erase(
    route<Record<string, never>, typeof Query.Type>({
      operationId: "searchDirectory",
      method: "GET",
      path: "/v1/directory/search",
      tag: "people",
      summary: "Find students and faculty by name or id prefix",
      description:
        "Every word of `q` anywhere in the display name (case-insensitive), or `q` as an id prefix; names first, in name order. At most `limit` (default 10) matches.",
      access: { _tag: "Scoped", anyOf: ["dashboards:read"] },
      query: Query,
      responses: { 200: { description: "Matches", schema: DirectorySearch } },
      errors: [400, 401, 403, 429, 503],
      handle: ({ principal, query }) =>
        Effect.gen(function* () {
          if (principal === undefined) return yield* Effect.fail(problem(401, "Send an API key."))
          const text = (query.q ?? "").trim()
          const words = text.split(/\s+/).filter((w) => w !== "")
          if (words.length === 0) return json({ matches: [] })
          const kinds = query.kind === undefined ? ["student", "faculty"] : [query.kind]
          const limit = query.limit ?? 10
          const byName = words.map(() => "LOWER(COALESCE(display_name, '')) LIKE ? ESCAPE '\\'").join(" AND ")
          const rows = yield* ReadError.fromReadModels(() =>
            deps.control.database.all(
              `SELECT kind, person_id, display_name, CASE WHEN ${byName} THEN 0 ELSE 1 END AS by_id
               FROM rapport_directory
               WHERE school = ? AND kind IN (${kinds.map(() => "?").join(", ")})
                 AND ((${byName}) OR person_id LIKE ? ESCAPE '\\')
               ORDER BY by_id, display_name, person_id LIMIT ?`,
              [...words.map(likeWord), principal.school, ...kinds, ...words.map(likeWord), likePrefix(text), limit]
            )
          )
          return json({
            matches: rows.map((row) => ({
              kind: row.kind === "faculty" ? "faculty" : "student",
              id: String(row.person_id),
              displayName: row.display_name === null || row.display_name === undefined ? null : String(row.display_name)
            }))
          })
        })
    })
  )
]

const json = (body: unknown): Response =>
  new Response(JSON.stringify(body), {
    status: 200,
    headers: { "content-type": "application/json", "cache-control": "no-store" }
  })
