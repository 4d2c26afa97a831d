/**
 * Time in the synthetic school: calendar days and wall-clock times in the school's time
 * zone (America/New_York, with the United States daylight-saving rules in force since
 * 2007), and the RFC 3339 forms in which the school's systems write instants.
 *
 * Internally every instant is a number of Unix milliseconds and every calendar date a
 * "day number" (days since 1970-01-01). The zone rules are computed, not looked up, so the
 * simulator needs no time-zone database and gives the same output everywhere. This module
 * must never read the clock.
 *
 * @since 0.1.0
 */

/**
 * The IANA time zone of the synthetic school. Configure a Rapport school with it so that
 * calendar days ("within 7 days"), months and `startedOn` dates agree with the simulator.
 *
 * @since 0.1.0
 * @category constants
 */
export const timeZone = "America/New_York"

/**
 * Milliseconds in a minute, an hour, a day and a week.
 *
 * @since 0.1.0
 * @category constants
 */
export const MINUTE = 60_000
/**
 * @since 0.1.0
 * @category constants
 */
export const HOUR = 3_600_000
/**
 * @since 0.1.0
 * @category constants
 */
export const DAY = 86_400_000
/**
 * @since 0.1.0
 * @category constants
 */
export const WEEK = 7 * DAY

/**
 * The day number of a calendar date (`month` 1–12).
 *
 * @since 0.1.0
 * @category constructors
 */
export const dayOf = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day) / DAY

/**
 * The calendar date of a day number as `YYYY-MM-DD`.
 *
 * @since 0.1.0
 * @category operations
 */
export const isoDate = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10)

/**
 * The weekday of a day number: 0 Sunday … 6 Saturday.
 *
 * @since 0.1.0
 * @category operations
 */
export const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7

/**
 * The year of a day number.
 *
 * @since 0.1.0
 * @category operations
 */
export const yearOf = (day: number): number => new Date(day * DAY).getUTCFullYear()

/**
 * The `nth` (1-based) given weekday of a month, or with `nth` = -1 the last one.
 *
 * @since 0.1.0
 * @category constructors
 */
export const nthWeekday = (year: number, month: number, dayOfWeek: number, nth: number): number => {
  if (nth < 0) {
    const last = dayOf(year, month + 1, 0)
    return last - ((weekday(last) - dayOfWeek + 7) % 7)
  }
  const first = dayOf(year, month, 1)
  return first + ((dayOfWeek - weekday(first) + 7) % 7) + 7 * (nth - 1)
}

/**
 * The Monday on or after a day.
 *
 * @since 0.1.0
 * @category operations
 */
export const mondayOnOrAfter = (day: number): number => day + ((8 - weekday(day)) % 7)

const daylightSavingCache = new Map<number, readonly [number, number]>()

/** Daylight saving time in the United States: from 2:00 standard time on the second Sunday of March to 2:00 daylight time on the first Sunday of November. */
const daylightSaving = (year: number): readonly [number, number] => {
  const cached = daylightSavingCache.get(year)
  if (cached !== undefined) return cached
  const begins = nthWeekday(year, 3, 0, 2) * DAY + 7 * HOUR
  const ends = nthWeekday(year, 11, 0, 1) * DAY + 6 * HOUR
  const span = [begins, ends] as const
  daylightSavingCache.set(year, span)
  return span
}

/**
 * The school's offset from UTC at an instant, in minutes (-240 in summer, -300 in winter).
 *
 * @since 0.1.0
 * @category operations
 */
export const offsetMinutes = (instant: number): number => {
  if (!(instant >= cachedYear.from && instant < cachedYear.until)) {
    const year = new Date(instant).getUTCFullYear()
    const [begins, ends] = daylightSaving(year)
    cachedYear = { from: Date.UTC(year, 0, 1), until: Date.UTC(year + 1, 0, 1), begins, ends }
  }
  return instant >= cachedYear.begins && instant < cachedYear.ends ? -240 : -300
}

/** The daylight-saving span of the year last asked about (instants come in runs of the same year). */
let cachedYear = { from: 0, until: 0, begins: 0, ends: 0 }

/**
 * The instant of a wall-clock time on a school day (`minuteOfDay` 0–1439).
 *
 * @since 0.1.0
 * @category constructors
 */
export const at = (day: number, minuteOfDay: number): number => {
  const wall = day * DAY + minuteOfDay * MINUTE
  const summer = wall + 240 * MINUTE
  return offsetMinutes(summer) === -240 ? summer : wall + 300 * MINUTE
}

/**
 * The school day (day number) on which an instant falls.
 *
 * @since 0.1.0
 * @category operations
 */
export const schoolDay = (instant: number): number => Math.floor((instant + offsetMinutes(instant) * MINUTE) / DAY)

/**
 * How a source system writes instants: UTC with `Z` or with the school's offset, with or
 * without milliseconds. All are valid RFC 3339.
 *
 * @since 0.1.0
 * @category models
 */
export type InstantStyle = "utc" | "utc-ms" | "offset" | "offset-ms"

const pad2 = (value: number): string => (value < 10 ? `0${value}` : String(value))

/**
 * Writes an instant in a source system's style.
 *
 * @since 0.1.0
 * @category operations
 */
export const formatInstant = (instant: number, style: InstantStyle): string => {
  if (style === "utc-ms") return new Date(instant).toISOString()
  if (style === "utc") return `${new Date(instant).toISOString().slice(0, 19)}Z`
  const offset = offsetMinutes(instant)
  const local = new Date(instant + offset * MINUTE).toISOString()
  const sign = offset < 0 ? "-" : "+"
  const abs = Math.abs(offset)
  const suffix = `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`
  return `${local.slice(0, style === "offset-ms" ? 23 : 19)}${suffix}`
}

/**
 * The school's calendar month of an instant as one number, `year · 12 + month − 1`
 * (integer arithmetic on the day number, no Date objects: it runs for every event).
 *
 * @since 0.1.0
 * @category operations
 */
export const monthIndex = (instant: number): number => {
  // Howard Hinnant's days-to-civil algorithm.
  const z = schoolDay(instant) + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  return year * 12 + month - 1
}
