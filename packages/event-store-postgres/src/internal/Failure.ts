/**
 * How a failure of postgres.js maps onto the port: the server or the network being
 * unavailable becomes `StoreUnavailable` (the caller may retry; appends are idempotent),
 * a transient concurrency failure is retried by the adapter, and anything else is a
 * defect (a bug in the adapter), which is never dressed up as unavailability.
 *
 * This module must never swallow an error: every input ends up as one of the three.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { StoreUnavailable } from "@rapport/event-store"

/**
 * The three fates of a failed statement.
 *
 * @since 0.1.0
 * @category models
 */
export type Classified =
  | { readonly _tag: "Unavailable"; readonly reason: string; readonly outOfSpace?: boolean }
  | { readonly _tag: "Retry"; readonly reason: string }
  | { readonly _tag: "Defect" }

const codeOf = (error: unknown): string | undefined => {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined
  return typeof error.code === "string" ? error.code : undefined
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === "string" ? error : "unknown error"

const isPostgresError = (error: unknown): boolean => error instanceof Error && error.name === "PostgresError"

/** client-side codes of postgres.js and Node's network errors */
const clientUnavailable = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "ENOENT",
  "SASL_SIGNATURE_MISMATCH"
])

/**
 * SQLSTATE classes and codes that describe the server or its environment rather than
 * a statement: connection exceptions (08), authentication (28), a missing database
 * (3D000), insufficient resources (53), program limits hit by the environment (54),
 * lock timeouts (55P03), operator intervention such as shutdowns and statement timeouts
 * (57), system errors (58), internal errors (XX), a read-only server after a failover
 * (25006), and objects or privileges missing from under a running store (42P01, 42501,
 * 3F000).
 */
const serverUnavailable = (code: string): boolean =>
  code.startsWith("08") ||
  code.startsWith("28") ||
  code.startsWith("53") ||
  code.startsWith("57") ||
  code.startsWith("58") ||
  code.startsWith("XX") ||
  code === "3D000" ||
  code === "3F000" ||
  code === "55P03" ||
  code === "25006" ||
  code === "42P01" ||
  code === "42501"

/**
 * A failure the adapter retries (a unique violation from a concurrent writer, a deadlock,
 * a serialization failure). It never leaves the adapter.
 *
 * @since 0.1.0
 * @category models
 */
export class Retryable {
  readonly _tag = "Retryable"
  constructor(readonly reason: string) {}
}

/**
 * Sorts a thrown value into unavailable, retry or defect.
 *
 * @since 0.1.0
 * @category operations
 */
export const classify = (error: unknown): Classified => {
  if (error instanceof Retryable) return { _tag: "Retry", reason: error.reason }
  const code = codeOf(error)
  if (isPostgresError(error) && code !== undefined) {
    if (code === "40001" || code === "40P01") return { _tag: "Retry", reason: messageOf(error) }
    if (code === "23505") return { _tag: "Retry", reason: messageOf(error) }
    // 53100 disk_full: the server's disk (or a tablespace quota) has no room left
    if (serverUnavailable(code))
      return {
        _tag: "Unavailable",
        reason: `${code}: ${messageOf(error)}`,
        ...(code === "53100" ? { outOfSpace: true } : {})
      }
    return { _tag: "Defect" }
  }
  if (code !== undefined && clientUnavailable.has(code)) return { _tag: "Unavailable", reason: messageOf(error) }
  // Node reports a refused dual-stack connection as an AggregateError of the per-address errors.
  if (error instanceof AggregateError && error.errors.some((inner) => classify(inner)._tag === "Unavailable")) {
    return { _tag: "Unavailable", reason: error.errors.map(messageOf).join("; ") }
  }
  return { _tag: "Defect" }
}

/**
 * Runs a postgres.js promise: unavailability fails with `StoreUnavailable`, a transient
 * concurrency failure with `Retryable`, anything else dies.
 *
 * @since 0.1.0
 * @category operations
 */
export const attempt = <A>(run: () => Promise<A>): Effect.Effect<A, StoreUnavailable | Retryable> =>
  Effect.flatMap(
    Effect.tryPromise({ try: run, catch: (error) => error }).pipe(Effect.result),
    (result): Effect.Effect<A, StoreUnavailable | Retryable> => {
      if (result._tag === "Success") return Effect.succeed(result.success)
      const error = result.failure
      const fate = classify(error)
      switch (fate._tag) {
        case "Unavailable":
          return Effect.fail(
            new StoreUnavailable({
              reason: fate.reason,
              cause: error,
              ...(fate.outOfSpace ? { outOfSpace: true } : {})
            })
          )
        case "Retry":
          return Effect.fail(new Retryable(fate.reason))
        case "Defect":
          return Effect.die(error)
      }
    }
  )

/**
 * Like {@link attempt} for statements that cannot hit a transient concurrency failure
 * (reads): a `Retryable` there would be a bug, so it dies.
 *
 * @since 0.1.0
 * @category operations
 */
export const query = <A>(run: () => Promise<A>): Effect.Effect<A, StoreUnavailable> =>
  Effect.catchIf(
    attempt(run),
    (error): error is Retryable => error instanceof Retryable,
    (error) => Effect.die(new Error(`unexpected transient failure in a read: ${error.reason}`))
  )
