/**
 * "Now" for a school's views: the instant, the calendar day and month in the school's
 * time zone, and the residency application calendar derived from them. Read models
 * store instants; views compare them with this clock, so nothing is rewritten as time
 * passes.
 *
 * @since 0.1.0
 */
import { Calendar } from "@rapport/core"

/**
 * @since 0.1.0
 * @category models
 */
export interface SchoolClock {
  readonly nowMs: number
  /** the school's IANA time zone: it decides calendar days and months */
  readonly timeZone: string
  readonly asOf: string
  /** YYYY-MM-DD in the school's time zone */
  readonly today: string
  /** YYYY-MM in the school's time zone */
  readonly month: string
  readonly year: number
  /** the next cycle (Match year) whose programs have not started reviewing yet */
  readonly nextCycle: number
}

/**
 * The application season of a cycle: opens in June of the year before the Match,
 * programs review from late September.
 *
 * @since 0.1.0
 * @category operations
 */
export const season = (cycle: number): { readonly opensOn: string; readonly programsReviewOn: string } => ({
  opensOn: `${cycle - 1}-06-01`,
  programsReviewOn: `${cycle - 1}-09-25`
})

// A calendar builds its time-zone formatter when made (about a millisecond): one per zone.
const calendars = new Map<string, Calendar.Calendar>()
const calendarOf = (timeZone: string): Calendar.Calendar => {
  let calendar = calendars.get(timeZone)
  if (calendar === undefined) {
    calendar = Calendar.make(timeZone)
    calendars.set(timeZone, calendar)
  }
  return calendar
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const at = (now: Date, timeZone: string): SchoolClock => {
  const calendar = calendarOf(timeZone)
  const nowMs = now.getTime()
  const today = Calendar.formatDay(calendar.dayOf(nowMs))
  const year = Number(today.slice(0, 4))
  const nextCycle = today < season(year + 1).programsReviewOn ? year + 1 : year + 2
  return {
    nowMs,
    timeZone,
    asOf: now.toISOString(),
    today,
    month: Calendar.formatMonth(calendar.monthOf(nowMs)),
    year,
    nextCycle
  }
}

/**
 * The month `n` months before `month` (YYYY-MM).
 *
 * @since 0.1.0
 * @category operations
 */
export const monthsBefore = (month: string, n: number): string => {
  const key = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 - n
  return Calendar.formatMonth(key)
}

/**
 * Calendar days (school time zone) from `fromMs` to now, as core counts them: a contact
 * late yesterday evening is one day ago this morning, though fewer than 24 hours passed.
 *
 * @since 0.1.0
 * @category operations
 */
export const daysSince = (clock: SchoolClock, fromMs: number): number =>
  Math.max(0, calendarOf(clock.timeZone).daysBetween(fromMs, clock.nowMs))

/**
 * The calendar date (YYYY-MM-DD) of an instant in the school's time zone.
 *
 * @since 0.4.0
 * @category operations
 */
export const dateOf = (clock: SchoolClock, ms: number): string =>
  Calendar.formatDay(calendarOf(clock.timeZone).dayOf(ms))

/**
 * The first instant of the calendar day `n` days before today (school time zone).
 *
 * @since 0.1.0
 * @category operations
 */
export const startOfDayBefore = (clock: SchoolClock, n: number): number => {
  const calendar = calendarOf(clock.timeZone)
  return calendar.startOfDay(calendar.dayOf(clock.nowMs) - n)
}
