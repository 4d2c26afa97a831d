/**
 * What every dashboard query shares: the context a view is computed in (database, school,
 * clock, suppression policy, settings), the metadata it reports, the SQL of a tier "as of
 * now", and the readers of driver values (BIGINT arrives as text from PostgreSQL).
 *
 * @since 0.1.0
 */
import type * as Clock from "../../Clock.js"
import type { SqlDatabase, SqlRow } from "../../Sql.js"
import type * as Suppression from "../../Suppression.js"
import type * as Views from "../../Views.js"

/**
 * A number column (0 when NULL): drivers return BIGINT as text or number.
 *
 * @since 0.1.0
 * @category operations
 */
export const num = (row: SqlRow | undefined, column: string): number => {
  const value = row?.[column]
  return value === null || value === undefined ? 0 : Number(value)
}
/**
 * A text column (empty when NULL).
 *
 * @since 0.1.0
 * @category operations
 */
export const str = (row: SqlRow, column: string): string => String(row[column] ?? "")
/**
 * A text column, NULL kept.
 *
 * @since 0.1.0
 * @category operations
 */
export const nullableStr = (row: SqlRow, column: string): string | null => {
  const value = row[column]
  return value === null || value === undefined ? null : String(value)
}
/**
 * Epoch milliseconds as an RFC 3339 instant; NULL or 0 as null.
 *
 * @since 0.1.0
 * @category operations
 */
export const iso = (ms: unknown): string | null =>
  ms === null || ms === undefined || Number(ms) <= 0 ? null : new Date(Number(ms)).toISOString()

/**
 * What every view needs: the database, the school, its clock, the suppression policy
 * and the letter settings.
 *
 * @since 0.1.0
 * @category models
 */
export interface ViewContext {
  readonly db: SqlDatabase
  readonly school: string
  readonly clock: Clock.SchoolClock
  readonly policy: Suppression.Policy
  readonly position: number
  readonly advocatesNeeded: number
  readonly inSpecialtyNeeded: number
  readonly topFacultyShare: number
  /** core's `mentoringGapDays`: the no-mentoring flag's window */
  readonly mentoringGapDays: number
}

/**
 * @since 0.1.0
 * @category operations
 */
export const meta = (ctx: ViewContext): Views.Overview["meta"] => ({
  school: ctx.school,
  asOf: ctx.clock.asOf,
  position: ctx.position,
  suppressionThreshold: ctx.policy.threshold
})

/**
 * A pair's (or a student's) tier now, as SQL over a table alias with until-columns (four `?` for the clock).
 *
 * @since 0.1.0
 * @category operations
 */
export const pairTierSql = (p: string): string => `CASE
  WHEN ${p}.advocate_until_ms > ? THEN 'advocate'
  WHEN ${p}.strong_until_ms > ? THEN 'strong'
  WHEN ${p}.developing_until_ms > ? THEN 'developing'
  WHEN ${p}.acquainted_until_ms > ? THEN 'acquainted'
  ELSE 'none' END`

/**
 * The SQL of a student's highest tier now (four `?` for the clock).
 *
 * @since 0.1.0
 * @category operations
 */
export const studentTierSql = pairTierSql

/**
 * The clock `n` times, for SQL comparing several until-columns with now.
 *
 * @since 0.1.0
 * @category operations
 */
export const nowTimes = (ctx: ViewContext, n: number): Array<number> => Array.from({ length: n }, () => ctx.clock.nowMs)

/**
 * A student's stage now (core's `Stage.stageOf`), as SQL over a `rm_students` alias (three
 * `?` for the clock): NULL past "new" without a graduation year.
 *
 * @since 0.5.0
 * @category operations
 */
export const stageSql = (alias: string): string =>
  `CASE WHEN ${alias}.new_until_ms > ? THEN 'new' WHEN ${alias}.applying_from_ms <= ? THEN 'applying'
     WHEN ${alias}.clinical_from_ms <= ? THEN 'clinical' WHEN ${alias}.graduation_year IS NOT NULL THEN 'pre-clinical'
     ELSE NULL END`
