/**
 * What xAPI asks of every exchange under `/xapi/`: requests carry
 * `X-Experience-API-Version` (2.0.0, or 1.0.x for clients of 1.0.3; `/xapi/about` and the
 * profile excepted), every response carries `X-Experience-API-Version: 2.0.0` (and every
 * answer to a GET of statements `X-Experience-API-Consistent-Through`), and a
 * request without credentials is told to authenticate with HTTP Basic (the auth
 * middleware reads Basic credentials under `/xapi/` only).
 *
 * @since 0.3.0
 */
import type { MiddlewareHandler } from "hono"
import { problem, ProblemType, toResponse } from "../../http/Problem.js"
import type { RouteEnv } from "../../http/Route.js"

/**
 * The version this LRS answers with.
 *
 * @since 0.3.0
 * @category constants
 */
export const version = "2.0.0"

const accepted = /^(1\.0(\.\d+)?|2\.0(\.\d+)?)$/
const withoutVersion = new Set(["/xapi/about", "/xapi/profile"])

/**
 * @since 0.3.0
 * @category middleware
 */
export const xapi = (): MiddlewareHandler<RouteEnv> =>
  async function xapi(c, next) {
    if (!c.req.path.startsWith("/xapi/")) return next()
    const sent = c.req.header("x-experience-api-version")
    if (!withoutVersion.has(c.req.path) && (sent === undefined || !accepted.test(sent.trim()))) {
      c.res = toResponse(
        problem(
          400,
          sent === undefined
            ? "Send the X-Experience-API-Version header (2.0.0 or 1.0.3)."
            : `X-Experience-API-Version ${sent.slice(0, 20)} is not supported: send 2.0.0 or 1.0.3.`,
          { type: ProblemType.invalidRequest }
        ),
        c.get("requestId")
      )
    } else {
      await next()
    }
    const set = (headers: Headers) => {
      headers.set("x-experience-api-version", version)
      // every answer to a GET of statements says how consistent it is, errors too (the
      // route sets it on what it answers; the rest was answered before reading anything)
      if (
        c.req.method === "GET" &&
        c.req.path === "/xapi/statements" &&
        !headers.has("x-experience-api-consistent-through")
      )
        headers.set("x-experience-api-consistent-through", new Date().toISOString())
      if (c.res.status === 401) headers.set("www-authenticate", 'Basic realm="rapport xapi"')
    }
    try {
      set(c.res.headers)
    } catch {
      c.res = new Response(c.res.body, c.res)
      set(c.res.headers)
    }
  }
