/**
 * Per-key rate limits: a token bucket per key name (or per client address for requests
 * without a valid key), refilled continuously. Over the limit, 429 with `Retry-After`.
 * A request takes one token to be let in; a route charges more for costly work once it
 * knows the cost (`http/Cost`: a rejected batch by its size, a person's page by the events
 * it folded), so that a key's sustained rate of expensive work is bounded, not only its
 * number of requests. A bucket's debt is capped at one burst: a key that overspent waits
 * at most two bursts' worth of refill.
 * The buckets live in this process; several API instances each apply the limit
 * (documented in docs/operations.md).
 *
 * The client address is the socket's peer, never a header the client writes
 * (`X-Forwarded-For` can be forged, and a forged one per request would give an attacker
 * trying keys a fresh bucket each time). Behind a reverse proxy every anonymous request
 * shares the proxy's bucket unless the operator passes `clientAddress`. When the table of
 * buckets is full, buckets that have refilled (and so equal a fresh one) are dropped, else
 * the one with the most tokens left: filling the table never resets a limited caller.
 *
 * @since 0.1.0
 */
import type { Context, MiddlewareHandler } from "hono"
import { problem, toResponse } from "../../http/Problem.js"
import type { RouteEnv } from "../../http/Route.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface RateLimitOptions {
  /** sustained requests per second per key */
  readonly perSecond: number
  /** burst size */
  readonly burst: number
  readonly now: () => number
  readonly maxBuckets?: number
  /** who an anonymous request comes from; the socket's peer address by default */
  readonly clientAddress?: (c: Context<RouteEnv>) => string | undefined
}

interface Bucket {
  tokens: number
  at: number
}

/**
 * The peer address of the socket under `@hono/node-server` (`undefined` elsewhere, e.g.
 * in `app.request()` tests).
 *
 * @since 0.1.0
 * @category operations
 */
export const socketAddress = (c: Context<RouteEnv>): string | undefined => {
  const env: unknown = c.env
  if (typeof env !== "object" || env === null || !("incoming" in env)) return undefined
  const incoming: unknown = env.incoming
  if (typeof incoming !== "object" || incoming === null || !("socket" in incoming)) return undefined
  const socket: unknown = incoming.socket
  if (typeof socket !== "object" || socket === null || !("remoteAddress" in socket)) return undefined
  return typeof socket.remoteAddress === "string" ? socket.remoteAddress : undefined
}

/**
 * @since 0.1.0
 * @category middleware
 */
export const rateLimit = (options: RateLimitOptions): MiddlewareHandler<RouteEnv> => {
  const buckets = new Map<string, Bucket>()
  const maxBuckets = options.maxBuckets ?? 10_000
  const clientAddress = options.clientAddress ?? socketAddress
  const refill = (bucket: Bucket, now: number): void => {
    bucket.tokens = Math.min(options.burst, bucket.tokens + ((now - bucket.at) / 1000) * options.perSecond)
    bucket.at = now
  }
  const makeRoom = (now: number): void => {
    let fullest: { who: string; tokens: number } | undefined
    for (const [who, bucket] of buckets) {
      refill(bucket, now)
      if (bucket.tokens >= options.burst) buckets.delete(who)
      else if (fullest === undefined || bucket.tokens > fullest.tokens) fullest = { who, tokens: bucket.tokens }
    }
    // Still full: forget the caller closest to a fresh bucket, never the one being limited.
    if (buckets.size >= maxBuckets && fullest !== undefined) buckets.delete(fullest.who)
  }
  return async function rateLimit(c, next) {
    const principal = c.get("principal")
    const who = principal === undefined ? `anonymous:${clientAddress(c) ?? "local"}` : `key:${principal.keyId}`
    const now = options.now()
    let bucket = buckets.get(who)
    if (bucket === undefined) {
      if (buckets.size >= maxBuckets) makeRoom(now)
      bucket = { tokens: options.burst, at: now }
      buckets.set(who, bucket)
    }
    refill(bucket, now)
    if (bucket.tokens < 1) {
      const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / options.perSecond))
      return toResponse(
        problem(429, `Too many requests for this key; retry in ${wait} s.`, {
          headers: { "retry-after": String(wait), ...(carriesBody(c.req.raw) ? { connection: "close" } : {}) }
        }),
        c.get("requestId")
      )
    }
    bucket.tokens -= 1
    const owed = bucket
    c.set("charge", (tokens) => {
      if (!(tokens > 0)) return
      refill(owed, options.now())
      owed.tokens = Math.max(-options.burst, owed.tokens - tokens)
    })
    return next()
  }
}

/**
 * A refused request whose body is still on its way (a batch of a megabyte, say) closes its
 * connection after the answer: otherwise the server would read and throw away the whole
 * body to keep the connection, and a key sending megabytes it may not send would still cost
 * every other request the reading and the garbage collection.
 */
const carriesBody = (request: Request): boolean =>
  request.body !== null &&
  (request.headers.has("transfer-encoding") || Number(request.headers.get("content-length") ?? "0") > 64 * 1024)
