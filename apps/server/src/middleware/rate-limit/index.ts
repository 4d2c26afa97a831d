/**
 * Per-key rate limits: a token bucket per key name (or per client address for requests
 * without a key), refilled continuously. Over the limit, 429 with `Retry-After`. The
 * buckets live in this process; several API instances each apply the limit (documented
 * in docs/operations.md).
 *
 * @since 0.1.0
 */
import type { MiddlewareHandler } from "hono"
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
}

interface Bucket {
  tokens: number
  at: number
}

/**
 * @since 0.1.0
 * @category middleware
 */
export const rateLimit = (options: RateLimitOptions): MiddlewareHandler<RouteEnv> => {
  const buckets = new Map<string, Bucket>()
  const maxBuckets = options.maxBuckets ?? 10_000
  return async function rateLimit(c, next) {
    const principal = c.get("principal")
    const who =
      principal === undefined ? `anonymous:${c.req.header("x-forwarded-for") ?? "local"}` : `key:${principal.keyName}`
    const now = options.now()
    let bucket = buckets.get(who)
    if (bucket === undefined) {
      if (buckets.size >= maxBuckets) buckets.clear()
      bucket = { tokens: options.burst, at: now }
      buckets.set(who, bucket)
    }
    bucket.tokens = Math.min(options.burst, bucket.tokens + ((now - bucket.at) / 1000) * options.perSecond)
    bucket.at = now
    if (bucket.tokens < 1) {
      const wait = Math.ceil((1 - bucket.tokens) / options.perSecond)
      return toResponse(
        problem(429, `Too many requests for this key; retry in ${wait} s.`, {
          headers: { "retry-after": String(wait) }
        }),
        c.get("requestId")
      )
    }
    bucket.tokens -= 1
    return next()
  }
}
