/**
 * Resolves who is calling, once per request: an API key in `Authorization: Bearer`, or
 * the dashboard's session cookie (a key exchanged at sign-in; the key itself never
 * reaches the browser's storage). The principal is bound to the key's school; routes
 * check scopes from the route table. State-changing requests made with a session cookie
 * must carry the session's CSRF token in `x-csrf-token`.
 *
 * A bad or revoked key is not an error here: the request goes on without a principal and
 * the route answers 401 if it needs one, so public routes stay public.
 *
 * @since 0.1.0
 */
import { getCookie } from "hono/cookie"
import type { MiddlewareHandler } from "hono"
import { toResponse, problem } from "../../http/Problem.js"
import type { Principal, RouteEnv } from "../../http/Route.js"
import type { KeyRecord } from "../../control/ControlStore.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface SessionLookup {
  readonly key: KeyRecord
  readonly csrf: string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface AuthOptions {
  readonly verifyKey: (presented: string) => Promise<KeyRecord | undefined>
  readonly session: (token: string) => Promise<SessionLookup | undefined>
  readonly cookieName: string
}

const toPrincipal = (key: KeyRecord, via: Principal["via"]): Principal => ({
  keyName: key.name,
  school: key.school,
  scopes: new Set(key.scopes),
  via
})

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"])

/**
 * @since 0.1.0
 * @category middleware
 */
export const auth = (options: AuthOptions): MiddlewareHandler<RouteEnv> =>
  async function auth(c, next) {
    c.set("principal", undefined)
    const header = c.req.header("authorization")
    if (header !== undefined) {
      const match = /^Bearer\s+(\S{1,200})$/i.exec(header)
      const key = match?.[1] === undefined ? undefined : await options.verifyKey(match[1])
      if (key !== undefined) c.set("principal", toPrincipal(key, "key"))
      return next()
    }
    const token = getCookie(c, options.cookieName)
    if (token !== undefined && token.length <= 200) {
      const session = await options.session(token)
      if (session !== undefined) {
        if (!safeMethods.has(c.req.method) && c.req.header("x-csrf-token") !== session.csrf) {
          return toResponse(
            problem(403, "This request needs the session's CSRF token in x-csrf-token.", { type: "csrf" }),
            c.get("requestId")
          )
        }
        c.set("principal", toPrincipal(session.key, "session"))
      }
    }
    return next()
  }
