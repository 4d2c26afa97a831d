/**
 * The Hono app, without sockets: middleware in order (request id, echoed on every
 * response; compression; access log; secure headers; auth; rate limit), then every route of the table, then problem+json for
 * anything unmatched. Tests drive it with `app.request()`; main.ts serves it.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { Hono } from "hono"
import { requestId } from "hono/request-id"
import { secureHeaders } from "hono/secure-headers"
import { randomUUID } from "node:crypto"
import type { EventStoreShape } from "@rapport/event-store"
import type { ControlUnavailable } from "./control/ControlError.js"
import type * as ControlStore from "./control/ControlStore.js"
import * as Metrics from "./http/Metrics.js"
import * as OpenApi from "./http/OpenApi.js"
import * as PositionToken from "./http/PositionToken.js"
import { internalError, problem, toResponse } from "./http/Problem.js"
import { mount, type AnyRoute, type RouteEnv } from "./http/Route.js"
import { accessLog, type LogLine } from "./middleware/access-log/index.js"
import { auth } from "./middleware/auth/index.js"
import { compress } from "./middleware/compress/index.js"
import { rateLimit } from "./middleware/rate-limit/index.js"
import { xapi } from "./middleware/xapi/index.js"
import type * as WorkPool from "./offload/WorkPool.js"
import * as EventRoutes from "./routes/events.js"
import * as OpsRoutes from "./routes/ops.js"

/**
 * Everything the app needs, passed in (no globals, no environment reads).
 *
 * @since 0.1.0
 * @category models
 */
export interface AppServices {
  readonly store: EventStoreShape
  readonly control: ControlStore.ControlStore
  readonly projectorPosition: () => Promise<number>
  /** routes contributed by the read side (dashboard queries, people pages, directory, audit, session) */
  readonly extraRoutes?: ReadonlyArray<AnyRoute>
  readonly now: () => Date
  readonly log: (line: LogLine) => void
  readonly limits?: Partial<EventRoutes.IngestLimits>
  /** worker threads for reading batches; the event loop itself by default */
  readonly work?: WorkPool.WorkPool
  readonly rateLimit?: { readonly perSecond: number; readonly burst: number }
  readonly maxLag?: number
  readonly version: string
  readonly metrics?: Metrics.Metrics
  readonly session?: (
    token: string
  ) => Effect.Effect<{ readonly key: ControlStore.KeyRecord; readonly csrf: string } | undefined, ControlUnavailable>
  /** seals the positions appends answer (default: a key of this process only) */
  readonly positions?: PositionToken.PositionTokens
  /** serves the dashboard's static assets for paths no route matched */
  readonly assets?: ((path: string) => Promise<Response | undefined>) | undefined
}

/** `file:line:column` of the innermost frame of a stack (the file's name, not its folders). */
const innermostFrame = (stack: string | undefined): string | undefined =>
  /\n\s+at (?:[^\n()]*\()?([^\n()]+:\d+:\d+)\)?/
    .exec(stack ?? "")?.[1]
    ?.split(/[/\\]/)
    .at(-1)

/**
 * The log line of a defect: the request id, the error's class and where it was thrown,
 * never its message, which may quote data.
 *
 * @since 0.1.0
 * @category operations
 */
export const defectLine = (cause: unknown, requestId: string): LogLine => ({
  msg: "defect",
  requestId,
  error: cause instanceof Error ? cause.name : typeof cause,
  at: cause instanceof Error ? innermostFrame(cause.stack) : undefined
})

/**
 * The route table of the app.
 *
 * @since 0.1.0
 * @category constructors
 */
export const routeTable = (services: AppServices, metrics: Metrics.Metrics): ReadonlyArray<AnyRoute> => {
  const table: Array<AnyRoute> = []
  table.push(
    ...EventRoutes.routes({
      store: services.store,
      limits: { ...EventRoutes.defaultLimits, ...services.limits },
      now: services.now,
      positions: services.positions ?? PositionToken.ephemeral(),
      ...(services.work === undefined ? {} : { work: services.work })
    }),
    ...(services.extraRoutes ?? [])
  )
  table.push(
    ...OpsRoutes.routes({
      store: services.store,
      projectorPosition: services.projectorPosition,
      metrics,
      openApi: () => OpenApi.document(table, { version: services.version }),
      maxLag: services.maxLag ?? 100_000
    })
  )
  return table
}

/**
 * Builds the app.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeApp = (
  services: AppServices
): { readonly app: Hono<RouteEnv>; readonly table: ReadonlyArray<AnyRoute>; readonly metrics: Metrics.Metrics } => {
  const metrics = services.metrics ?? Metrics.make()
  const app = new Hono<RouteEnv>()
  app.use(requestId({ generator: () => randomUUID() }))
  // hono/request-id's header reaches only responses built through the context; routes
  // return plain Responses, so the id is set on whatever response goes out.
  app.use(async function echoRequestId(c, next) {
    await next()
    if (c.res.headers.get("x-request-id") === c.get("requestId")) return
    try {
      c.res.headers.set("x-request-id", c.get("requestId"))
    } catch {
      c.res = new Response(c.res.body, c.res)
      c.res.headers.set("x-request-id", c.get("requestId"))
    }
  })
  // around everything below, so that problems, assets and every route are compressed alike
  app.use(compress())
  app.use(accessLog({ log: services.log, metrics, now: () => performance.now() }))
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"]
      },
      strictTransportSecurity: "max-age=31536000; includeSubDomains",
      referrerPolicy: "no-referrer",
      xFrameOptions: "DENY",
      // a route that sets its own, stricter policy (the /docs page) keeps it
      overwrite: false
    })
  )
  app.use(xapi())
  app.use(
    auth({
      verifyKey: services.control.verifyKey,
      session: services.session ?? (() => Effect.succeed(undefined)),
      cookieName: "rapport_session",
      basicUnder: "/xapi/"
    })
  )
  const limit = services.rateLimit ?? { perSecond: 50, burst: 200 }
  app.use(rateLimit({ perSecond: limit.perSecond, burst: limit.burst, now: () => Date.now() }))
  const table = routeTable(services, metrics)
  mount(app, table, (cause, id) => services.log(defectLine(cause, id)))
  app.notFound(async (c) => {
    if (
      c.req.method === "GET" &&
      services.assets !== undefined &&
      !c.req.path.startsWith("/v1/") &&
      !/^\/xapi(\/|$)/.test(c.req.path)
    ) {
      const asset = await services.assets(c.req.path)
      if (asset !== undefined) return asset
    }
    return toResponse(problem(404, "No such route."), c.get("requestId"))
  })
  app.onError((error, c) => {
    services.log(defectLine(error, c.get("requestId")))
    return toResponse(internalError(), c.get("requestId"))
  })
  return { app, table, metrics }
}
