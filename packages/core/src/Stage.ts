/**
 * Where a student is in medical school, as of a date: `new` until the end of their first
 * semester (a school setting), then `pre-clinical` (years 1–2), `clinical` (year 3) and
 * `applying` (year 4, the class applying for residency). A new student has had no time to
 * build relationships: they are never flagged as isolated, and views can show the
 * applying class on its own.
 *
 * The year of study comes from the graduation year (a four-year curriculum: the academic
 * year ending in the graduation year is year 4); the academic year starts on
 * `stages.academicYearStarts`. Pure; `asOf` is an argument.
 *
 * @since 0.3.0
 */
import { dayOfDate, formatDay } from "./Calendar.js"
import type { ScoringContext, StudentState } from "./State.js"

/**
 * A student's stage.
 *
 * @since 0.3.0
 * @category models
 */
export type Stage = "new" | "pre-clinical" | "clinical" | "applying"

/**
 * The stages in order.
 *
 * @since 0.3.0
 * @category constants
 */
export const stages: ReadonlyArray<Stage> = ["new", "pre-clinical", "clinical", "applying"]

/**
 * The year of study (1–4; below 1 before the curriculum's four years, above 4 after) of a
 * student graduating in `graduationYear`, on local date `date` (YYYY-MM-DD).
 *
 * @since 0.3.0
 * @category operations
 */
export const yearOfStudy = (graduationYear: number, date: string, academicYearStarts: string): number => {
  const year = Number(date.slice(0, 4))
  const endsIn = date.slice(5) >= academicYearStarts ? year + 1 : year
  return 4 - (graduationYear - endsIn)
}

/**
 * The local day the first semester ends for a student enrolled on local day `enrolledDay`:
 * the first `firstSemesterEnds` (MM-DD) on or after it.
 *
 * @since 0.3.0
 * @category operations
 */
export const firstSemesterEndDay = (enrolledDay: number, firstSemesterEnds: string): number => {
  const date = formatDay(enrolledDay)
  const year = Number(date.slice(0, 4))
  const sameYear = dayOfDate(`${year}-${firstSemesterEnds}`)
  return sameYear >= enrolledDay ? sameYear : dayOfDate(`${year + 1}-${firstSemesterEnds}`)
}

/**
 * A student's stage at `asOfMs`; `undefined` without a graduation year (no enrolment).
 *
 * @since 0.3.0
 * @category operations
 */
export const stageOf = (student: StudentState, asOfMs: number, ctx: ScoringContext): Stage | undefined => {
  const { academicYearStarts, firstSemesterEnds } = ctx.config.stages
  const today = ctx.calendar.dayOf(asOfMs)
  if (student.enrolledAtMs !== undefined) {
    const enrolled = ctx.calendar.dayOf(student.enrolledAtMs)
    if (today <= firstSemesterEndDay(enrolled, firstSemesterEnds)) return "new"
  }
  if (student.graduationYear === undefined) return undefined
  const year = yearOfStudy(student.graduationYear, formatDay(today), academicYearStarts)
  return year >= 4 ? "applying" : year === 3 ? "clinical" : "pre-clinical"
}
