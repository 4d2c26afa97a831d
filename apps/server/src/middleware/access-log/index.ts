/**
 * Structured access logs and request metrics. One JSON line per request with the request
 * id, method, the matched route TEMPLATE (never the concrete path, which can hold a
 * student id), status, duration and the key's public id (never its name, which may be a
 * person's). No bodies, no query strings, no ids of people: logs carry no personal data.
 *
 * @since 0.1.0
 */
import type { MiddlewareHandler } from "hono"
import { routePath } from "hono/route"
import type { RouteEnv } from "../../http/Route.js"
import type { Metrics } from "../../http/Metrics.js"

/**
 * @since 0.1.0
 * @category models
 */
export type LogLine = Readonly<Record<string, string | number | boolean | undefined>>

/**
 * @since 0.1.0
 * @category middleware
 */
export const accessLog = (options: {
  readonly log: (line: LogLine) => void
  readonly metrics: Metrics
  readonly now: () => number
}): MiddlewareHandler<RouteEnv> =>
  async function accessLog(c, next) {
    const started = options.now()
    await next()
    const template = routePath(c, -1)
    const route = template === "/*" || template === "" ? "(unmatched)" : template
    const seconds = (options.now() - started) / 1000
    options.metrics.observeRequest(c.req.method, route, c.res.status, seconds)
    options.log({
      msg: "request",
      requestId: c.get("requestId"),
      method: c.req.method,
      route,
      status: c.res.status,
      ms: Math.round(seconds * 1000),
      // the key's public id, not its name: a name may be a person's
      key: c.get("principal")?.keyId
    })
  }
