/**
 * How a failed SQL statement is told apart: a database that cannot be reached now (a
 * refused or lost connection, a file busy or locked past the timeout, a full disk, a
 * closed handle, a reading thread that died) is `SqlUnavailable`, which a caller may
 * answer with "retry later"; anything else (a syntax error, a missing column, a
 * `TypeError` in the code around it) is a defect, a bug, and is never dressed up as
 * unavailability.
 *
 * Every `SqlDatabase` (`Sql.openSqlite`, `Sql.openPostgres`) rejects with `SqlUnavailable`
 * or with a defect, nothing else; `attempt` turns such a promise into an Effect whose
 * error channel says so.
 *
 * This module must never swallow an error: every input ends up as one of the two.
 *
 * @since 0.2.0
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"

/**
 * The database cannot be reached now; retrying later may succeed.
 *
 * @since 0.2.0
 * @category errors
 */
export class SqlUnavailable extends Data.TaggedError("SqlUnavailable")<{
  readonly reason: string
  readonly cause?: unknown
  /** the database is out of space (a full disk or a size limit): retrying will not help until someone makes room */
  readonly outOfSpace?: boolean | undefined
}> {
  override get message(): string {
    return `database unavailable: ${this.reason}`
  }
}

/**
 * Whether a value is a `SqlUnavailable`.
 *
 * @since 0.2.0
 * @category guards
 */
export const isSqlUnavailable = (error: unknown): error is SqlUnavailable => error instanceof SqlUnavailable

const field = (error: unknown, name: string): unknown =>
  typeof error === "object" && error !== null && name in error ? Reflect.get(error, name) : undefined

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === "string" ? error : "unknown error"

/**
 * SQLite primary result codes (the low byte of node:sqlite's `errcode`) that describe the
 * file or its environment rather than the statement: BUSY, LOCKED, NOMEM, READONLY, IOERR,
 * FULL, CANTOPEN, PROTOCOL.
 */
const sqliteUnavailable = new Set([5, 6, 7, 8, 10, 13, 14, 15])
const sqliteFull = 13

/** node:sqlite's code for a statement on a closed database */
const sqliteClosed = "ERR_INVALID_STATE"

/**
 * A client-side failure to reach the server: Node's system errors of the socket (they
 * name the `syscall` that failed: connect, read, write, getaddrinfo) and postgres.js's own
 * connection and authentication codes (`CONNECTION_CLOSED`, `CONNECT_TIMEOUT`,
 * `SASL_SIGNATURE_MISMATCH`, …).
 */
const clientUnavailable = (error: unknown, code: string): boolean =>
  typeof field(error, "syscall") === "string" || /^(CONNECT|SASL)/.test(code)

/**
 * SQLSTATE classes of a server that cannot serve now: connection exceptions (08),
 * authentication (28), insufficient resources (53, 53100 being a full disk), operator
 * intervention such as a shutdown (57), system errors (58), a missing database (3D000), a
 * read-only server after a failover (25006), a lock timeout (55P03).
 */
const postgresServerUnavailable = (code: string): boolean =>
  ["08", "28", "53", "57", "58"].includes(code.slice(0, 2)) || ["3D000", "25006", "55P03"].includes(code)

const fromSqlite = (error: unknown): SqlUnavailable | undefined => {
  const errcode = field(error, "errcode")
  if (typeof errcode === "number" && sqliteUnavailable.has(errcode & 0xff)) {
    return new SqlUnavailable({
      reason: messageOf(error),
      cause: error,
      ...((errcode & 0xff) === sqliteFull ? { outOfSpace: true } : {})
    })
  }
  if (field(error, "code") === sqliteClosed) return new SqlUnavailable({ reason: messageOf(error), cause: error })
  return undefined
}

const fromPostgres = (error: unknown): SqlUnavailable | undefined => {
  // Node reports a refused dual-stack connection as an AggregateError of the per-address errors.
  if (error instanceof AggregateError) {
    return error.errors.some((inner) => fromPostgres(inner) !== undefined)
      ? new SqlUnavailable({ reason: error.errors.map(messageOf).join("; "), cause: error })
      : undefined
  }
  const code = field(error, "code")
  if (typeof code !== "string") return undefined
  const server = error instanceof Error && error.name === "PostgresError"
  if (server ? postgresServerUnavailable(code) : clientUnavailable(error, code)) {
    return new SqlUnavailable({
      reason: server ? `${code}: ${messageOf(error)}` : messageOf(error),
      cause: error,
      ...(code === "53100" ? { outOfSpace: true } : {})
    })
  }
  return undefined
}

/**
 * A thrown value as a `SqlDatabase` rejects with it: `SqlUnavailable` when it says the
 * database cannot be reached, the value itself (a defect) otherwise.
 *
 * @since 0.2.0
 * @category operations
 */
export const refine = (error: unknown): unknown => {
  if (isSqlUnavailable(error)) return error
  return fromSqlite(error) ?? fromPostgres(error) ?? error
}

/**
 * Runs a `SqlDatabase` promise: unavailability fails with `SqlUnavailable`, anything else dies.
 *
 * @since 0.2.0
 * @category operations
 */
export const attempt = <A>(run: () => Promise<A>): Effect.Effect<A, SqlUnavailable> =>
  Effect.tryPromise({ try: run, catch: refine }).pipe(
    Effect.catch((error) => (isSqlUnavailable(error) ? Effect.fail(error) : Effect.die(error)))
  )
