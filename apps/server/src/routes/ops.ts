/**
 * Operations routes: liveness, readiness (store reachable, projector lag), Prometheus
 * metrics, the OpenAPI document and the page to read and try it.
 *
 * @since 0.1.0
 */
import { ReadError } from "@rapport/analytics"
import type { EventStoreShape } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { problem, ProblemType } from "../http/Problem.js"
import { erase, route, type AnyRoute } from "../http/Route.js"
import type { Metrics } from "../http/Metrics.js"
import { docsPage, docsPolicy, docsScript, viewerFile, viewerFiles } from "./docs-page.js"

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } })

const Health = Schema.Struct({ status: Schema.Literal("ok") })
const Ready = Schema.Struct({
  status: Schema.Literal("ready"),
  storePosition: Schema.Int,
  projectorPosition: Schema.Int,
  lag: Schema.Int.annotate({ description: "events committed but not yet in the read models" })
})

/**
 * @since 0.1.0
 * @category routes
 */
export const routes = (deps: {
  readonly store: EventStoreShape
  readonly projectorPosition: () => Promise<number>
  readonly metrics: Metrics
  readonly openApi: () => Record<string, unknown>
  /** lag (in events) above which /readyz answers 503 (problem+json `projector-lagging`) */
  readonly maxLag: number
}): ReadonlyArray<AnyRoute> => [
  erase(
    route({
      operationId: "healthz",
      method: "GET",
      path: "/healthz",
      tag: "operations",
      summary: "Liveness: the process answers",
      access: { _tag: "Public" },
      responses: { 200: { description: "alive", schema: Health } },
      errors: [],
      handle: () => Effect.succeed(json(200, { status: "ok" }))
    })
  ),
  erase(
    route({
      operationId: "readyz",
      method: "GET",
      path: "/readyz",
      tag: "operations",
      summary: "Readiness: the store answers and the projector keeps up",
      access: { _tag: "Public" },
      responses: { 200: { description: "ready", schema: Ready } },
      errors: [503],
      handle: () =>
        Effect.gen(function* () {
          const storePosition = yield* deps.store.headPosition
          const projectorPosition = yield* ReadError.fromReadModels(deps.projectorPosition)
          const lag = Math.max(0, storePosition - projectorPosition)
          if (lag > deps.maxLag) {
            // an error like every other: problem+json, with the positions for the operator
            return yield* Effect.fail(
              problem(503, `The read models are ${lag} events behind the store (more than ${deps.maxLag}).`, {
                type: ProblemType.projectorLagging,
                headers: { "retry-after": "5" },
                extensions: { storePosition, projectorPosition, lag }
              })
            )
          }
          return json(200, { status: "ready", storePosition, projectorPosition, lag })
        })
    })
  ),
  erase(
    route({
      operationId: "metrics",
      method: "GET",
      path: "/metrics",
      tag: "operations",
      summary:
        "Prometheus metrics (requests, latencies, events ingested and imported, store and projector positions, process and Node.js figures)",
      access: { _tag: "Public" },
      responses: { 200: { description: "Prometheus text format", contentType: "text/plain" } },
      errors: [],
      handle: () =>
        Effect.promise(async () => {
          const body = await deps.metrics.render()
          return new Response(body, { headers: { "content-type": "text/plain; version=0.0.4" } })
        })
    })
  ),
  erase(
    route({
      operationId: "openapi",
      method: "GET",
      path: "/openapi.json",
      tag: "operations",
      summary: "This API's OpenAPI 3.1 document",
      access: { _tag: "Public" },
      responses: { 200: { description: "OpenAPI 3.1", contentType: "application/json" } },
      errors: [],
      handle: () => Effect.sync(() => json(200, deps.openApi()))
    })
  ),
  erase(
    route({
      operationId: "apiDocs",
      method: "GET",
      path: "/docs",
      tag: "operations",
      summary: "A page to read the API and try it",
      description:
        "Swagger UI, served by this server from its own files (no CDN), reading /openapi.json: every operation, schema and example, and a form to try each with your key.",
      access: { _tag: "Public" },
      responses: { 200: { description: "HTML", contentType: "text/html" } },
      errors: [],
      handle: () =>
        Effect.succeed(
          new Response(docsPage, {
            headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": docsPolicy }
          })
        )
    })
  ),
  erase(
    route({
      operationId: "apiDocsScript",
      method: "GET",
      path: "/docs/app.js",
      tag: "operations",
      summary: "The script of the API page",
      access: { _tag: "Public" },
      responses: { 200: { description: "JavaScript", contentType: "text/javascript" } },
      errors: [],
      handle: () =>
        Effect.succeed(new Response(docsScript, { headers: { "content-type": "text/javascript; charset=utf-8" } }))
    })
  ),
  ...Object.entries(viewerFiles).map(([file, spec]) =>
    erase(
      route({
        operationId: spec.operationId,
        method: "GET",
        path: `/docs/${file}`,
        tag: "operations",
        summary: `The API page's viewer (Swagger UI): ${spec.what}`,
        access: { _tag: "Public" },
        responses: { 200: { description: spec.what, contentType: spec.contentType.split(";")[0] ?? "" } },
        errors: [],
        handle: () =>
          Effect.promise(async () => {
            const body = await viewerFile(file)
            return new Response(body, {
              headers: { "content-type": spec.contentType, "cache-control": "public, max-age=3600" }
            })
          })
      })
    )
  )
]
