/**
 * Resolves who is calling, once per request: an API key in `Authorization: Bearer`, or
 * the dashboard's session cookie (a key exchanged at sign-in; the key itself never
 * reaches the browser's storage). The principal is bound to the key's school; routes
 * check scopes from the route table. A session carries only the reading scopes of its key
 * (`sessionScopes`). State-changing requests made with a session cookie
 * must carry the session's CSRF token in `x-csrf-token`.
 *
 * A bad or revoked key is not an error here: the request goes on without a principal and
 * the route answers 401 if it needs one, so public routes stay public. When the control
 * tables cannot be reached (`ControlUnavailable`), the request goes on unverified and a
 * route that needs a key answers 503 (never a 500, never a 401 that would make a client
 * drop a good key). Any other failure of a lookup is a defect: it propagates, and the app
 * answers 500 and logs it.
 * The CSRF token is compared in constant time.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { getCookie } from "hono/cookie"
import { timingSafeEqual } from "node:crypto"
import type { MiddlewareHandler } from "hono"
import { toResponse, problem, ProblemType } from "../../http/Problem.js"
import { type Principal, type RouteEnv, sessionScopes } from "../../http/Route.js"
import type { ControlUnavailable } from "../../control/ControlError.js"
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
  readonly verifyKey: (presented: string) => Effect.Effect<KeyRecord | undefined, ControlUnavailable>
  readonly session: (token: string) => Effect.Effect<SessionLookup | undefined, ControlUnavailable>
  readonly cookieName: string
  /**
   * paths under this prefix also take HTTP Basic credentials: the key's public id as the
   * user name and its secret as the password (xAPI clients speak Basic only)
   */
  readonly basicUnder?: string
}

/** `rapport_<public id>_<secret>` from Basic credentials, if shaped like them */
const basicKey = (header: string): string | undefined => {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]{1,400})$/i.exec(header)?.[1]
  if (encoded === undefined) return undefined
  const decoded = Buffer.from(encoded, "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  return colon <= 0 ? undefined : `rapport_${decoded.slice(0, colon)}_${decoded.slice(colon + 1)}`
}

const toPrincipal = (key: KeyRecord, via: Principal["via"]): Principal => ({
  keyId: key.publicId,
  keyName: key.name,
  school: key.school,
  scopes: new Set(via === "session" ? sessionScopes(key.scopes) : key.scopes),
  via
})

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"])

/**
 * Whether a presented CSRF token equals the session's, in time independent of where they differ.
 *
 * @since 0.1.0
 * @category operations
 */
export const sameToken = (presented: string | undefined, expected: string): boolean => {
  if (presented === undefined) return false
  const a = Buffer.from(presented)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** A lookup in the control tables; `ok: false` when they cannot be reached (a defect rejects). */
const settle = <A>(
  lookup: Effect.Effect<A, ControlUnavailable>
): Promise<{ readonly ok: true; readonly value: A } | { readonly ok: false }> =>
  Effect.runPromise(
    lookup.pipe(
      Effect.map((value) => ({ ok: true as const, value })),
      Effect.catchTag("ControlUnavailable", () => Effect.succeed({ ok: false as const }))
    )
  )

/**
 * @since 0.1.0
 * @category middleware
 */
export const auth = (options: AuthOptions): MiddlewareHandler<RouteEnv> =>
  async function auth(c, next) {
    c.set("principal", undefined)
    c.set("credentialsUnverified", false)
    const header = c.req.header("authorization")
    if (header !== undefined) {
      const presented =
        /^Bearer\s+(\S{1,200})$/i.exec(header)?.[1] ??
        (options.basicUnder !== undefined && c.req.path.startsWith(options.basicUnder) ? basicKey(header) : undefined)
      if (presented === undefined) return next()
      const key = await settle(options.verifyKey(presented))
      if (!key.ok) c.set("credentialsUnverified", true)
      else if (key.value !== undefined) c.set("principal", toPrincipal(key.value, "key"))
      return next()
    }
    const token = getCookie(c, options.cookieName)
    if (token !== undefined && token.length <= 200) {
      const looked = await settle(options.session(token))
      if (!looked.ok) {
        c.set("credentialsUnverified", true)
        return next()
      }
      const session = looked.value
      if (session !== undefined) {
        if (!safeMethods.has(c.req.method) && !sameToken(c.req.header("x-csrf-token"), session.csrf)) {
          return toResponse(
            problem(403, "This request needs the session's CSRF token in x-csrf-token.", { type: ProblemType.csrf }),
            c.get("requestId")
          )
        }
        c.set("principal", toPrincipal(session.key, "session"))
      }
    }
    return next()
  }
