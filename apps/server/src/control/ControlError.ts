/**
 * The expected failures of the control tables (keys, sessions, directory, audit log,
 * retention runs, the stored secrets): the database cannot be reached, or, for a
 * student's page, its view cannot be written to the audit log. Anything else going wrong there is a defect.
 *
 * @since 0.1.0
 */
import { SqlError } from "@rapport/analytics"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"

/**
 * The control database cannot be reached now (`operation` says what was attempted).
 *
 * @since 0.1.0
 * @category errors
 */
export class ControlUnavailable extends Data.TaggedError("ControlUnavailable")<{
  readonly operation: string
  readonly reason: string
  readonly cause?: unknown
  /** the database is out of space: retrying will not help until an operator makes room */
  readonly outOfSpace?: boolean | undefined
}> {
  override get message(): string {
    return `control tables unavailable (${this.operation}): ${this.reason}`
  }
}

/**
 * A view of a student's page cannot be written to the audit log, so the page must not be
 * shown.
 *
 * @since 0.1.0
 * @category errors
 */
export class AuditUnavailable extends Data.TaggedError("AuditUnavailable")<{
  readonly reason: string
  readonly cause?: unknown
}> {
  override get message(): string {
    return `audit log unavailable: ${this.reason}`
  }
}

/**
 * Runs a statement of the control tables (a promise of `Sql`): an unreachable database
 * fails with `ControlUnavailable`, anything else dies.
 *
 * @since 0.1.0
 * @category operations
 */
export const attempt = <A>(operation: string, run: () => Promise<A>): Effect.Effect<A, ControlUnavailable> =>
  SqlError.attempt(run).pipe(
    Effect.mapError(
      (error) => new ControlUnavailable({ operation, reason: error.reason, cause: error, outOfSpace: error.outOfSpace })
    )
  )
