/**
 * The calendar arithmetic follow-up rules share, and the shapes of their time parameters:
 * a number of days, a number of weeks, a month and day of the residency application
 * calendar. Dates are the school's calendar dates `YYYY-MM-DD`; the arithmetic on them
 * is pure and needs no time zone (the zone only decides which date an instant falls on,
 * which `RuleContext.dateOf` does).
 *
 * The residency application calendar: the Match year is the cycle; applications open in
 * June of the year before (cycle − 1) and programs start reviewing in late September of
 * that year, so a student of cycle 2027 should have letters lined up by mid-September 2026.
 *
 * This module must never read a clock.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { daysFromCivil } from "../Calendar.js"
import { daysInMonth } from "../EventField.js"

/**
 * A whole number of calendar days, 1–3650.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Days = Schema.Int.check(
  Schema.isBetween({ minimum: 1, maximum: 3650 }, { message: "Expected a whole number of days between 1 and 3650" })
)

/**
 * A whole number of calendar days, 0–3650.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DaysOrZero = Schema.Int.check(
  Schema.isBetween({ minimum: 0, maximum: 3650 }, { message: "Expected a whole number of days between 0 and 3650" })
)

/**
 * A rule's priority: a whole number 1–99, 1 the most important. The engine keeps the most
 * important open follow-up of a student–faculty pair and lists a student's follow-ups in
 * this order.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Priority = Schema.Int.check(
  Schema.isBetween({ minimum: 1, maximum: 99 }, { message: "Expected a whole number from 1 (most important) to 99" })
)

/**
 * Days past the due date after which a follow-up expires, 0–365: past it the follow-up
 * is `expired` and no longer asked of anyone.
 *
 * @since 0.3.0
 * @category schemas
 */
export const ExpiresAfterDays = Schema.Int.check(
  Schema.isBetween({ minimum: 0, maximum: 365 }, { message: "Expected a whole number of days between 0 and 365" })
)

/**
 * A whole number of weeks, 1–52.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Weeks = Schema.Int.check(
  Schema.isBetween({ minimum: 1, maximum: 52 }, { message: "Expected a whole number of weeks between 1 and 52" })
)

/**
 * A whole number of months, 0–24.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Months = Schema.Int.check(
  Schema.isBetween({ minimum: 0, maximum: 24 }, { message: "Expected a whole number of months between 0 and 24" })
)

const monthDayPattern = /^(\d{2})-(\d{2})$/

const isMonthDay = (value: string): boolean => {
  const match = monthDayPattern.exec(value)
  if (match === null) return false
  const month = Number(match[1])
  const day = Number(match[2])
  // February 29 would not exist in most years: a deadline must exist every year.
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 ? 28 : daysInMonth(2001, month))
}

/**
 * A month and day `MM-DD` that exists every year (so not `02-29`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const MonthDay = Schema.String.check(
  Schema.makeFilter((value: string) => isMonthDay(value), {
    message: "Expected a month and day MM-DD that exists every year, such as 09-15"
  })
)

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n))

/**
 * The day number (days since 1970-01-01) of a calendar date `YYYY-MM-DD`.
 *
 * @since 0.1.0
 * @category operations
 */
export const dayNumber = (date: string): number =>
  daysFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)))

/**
 * The calendar date `YYYY-MM-DD` of a day number, by integer arithmetic (rules format
 * dates in their inner loops; a `Date` per call would dominate them).
 *
 * @since 0.1.0
 * @category operations
 */
export const dateOfDayNumber = (days: number): string => {
  // Howard Hinnant's civil_from_days.
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`
}

/**
 * The date `days` calendar days after `date` (before, when negative).
 *
 * @since 0.1.0
 * @category operations
 */
export const addDays = (date: string, days: number): string => dateOfDayNumber(dayNumber(date) + days)

/**
 * Calendar days from `from` to `to` (negative when `to` is earlier).
 *
 * @since 0.1.0
 * @category operations
 */
export const daysBetween = (from: string, to: string): number => dayNumber(to) - dayNumber(from)

/**
 * The date `months` months after `date` (before, when negative), the day clamped to the
 * length of the month reached (`2026-03-31` minus one month is `2026-02-28`).
 *
 * @since 0.1.0
 * @category operations
 */
export const addMonths = (date: string, months: number): string => {
  const year = Number(date.slice(0, 4))
  const month = Number(date.slice(5, 7))
  const day = Number(date.slice(8, 10))
  const index = year * 12 + (month - 1) + months
  const toYear = Math.floor(index / 12)
  const toMonth = index - toYear * 12 + 1
  const toDay = Math.min(day, daysInMonth(toYear, toMonth))
  return `${String(toYear).padStart(4, "0")}-${String(toMonth).padStart(2, "0")}-${String(toDay).padStart(2, "0")}`
}

/**
 * The date on the application calendar of a Match cycle: `monthDay` of the year before
 * the cycle (the season of Match 2027 runs in 2026).
 *
 * @since 0.1.0
 * @category operations
 */
export const seasonDate = (cycle: number, monthDay: string): string =>
  `${String(cycle - 1).padStart(4, "0")}-${monthDay}`

/**
 * The later of two dates.
 *
 * @since 0.1.0
 * @category operations
 */
export const later = (a: string, b: string): string => (a > b ? a : b)
