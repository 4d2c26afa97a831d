/**
 * Calendar days and months in a school's time zone, fast enough to place a million
 * events: `Intl` formatting costs microseconds, so a calendar asks `Intl` for the UTC
 * offset at most a few times per UTC day it meets and caches the answer; days and months
 * are then integer arithmetic on `instant + offset`. A day containing an offset change
 * (daylight saving) is found by bisection once and cached with the instant of the change.
 * The one assumption: a zone changes its offset at most once within a UTC day.
 *
 * Day numbers count days since 1970-01-01 in the zone; month keys are `year·12 + month − 1`
 * (so they sort, and consecutive months differ by one). Instants are epoch milliseconds.
 *
 * A `Calendar`'s cache is its only state; it reads no clock and depends on nothing but its
 * time zone, so every answer is the same whenever it is asked.
 *
 * @since 0.1.0
 */

/**
 * Milliseconds in a day.
 *
 * @since 0.1.0
 * @category constants
 */
export const msPerDay = 86_400_000

/**
 * The calendar of one time zone.
 *
 * @since 0.1.0
 * @category models
 */
export interface Calendar {
  /** The IANA time zone. */
  readonly timeZone: string
  /** Local time minus UTC, in milliseconds, at an instant. */
  readonly offsetAt: (ms: number) => number
  /** The local calendar day (days since 1970-01-01 in the zone) of an instant. */
  readonly dayOf: (ms: number) => number
  /** The local month key (`year·12 + month − 1`) of an instant. */
  readonly monthOf: (ms: number) => number
  /** Calendar days from the day of `fromMs` to the day of `toMs` (negative when earlier). */
  readonly daysBetween: (fromMs: number, toMs: number) => number
  /** The first instant of a local day (local midnight, or the first instant after it when a change skips it). */
  readonly startOfDay: (day: number) => number
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (month 1–12).
 *
 * @since 0.1.0
 * @category operations
 */
export const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/**
 * The month key (`year·12 + month − 1`) of a day number.
 *
 * @since 0.1.0
 * @category operations
 */
export const monthOfDay = (days: number): number => {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  return year * 12 + month - 1
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

/**
 * `YYYY-MM` of a month key.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatMonth = (monthKey: number): string =>
  `${pad(Math.floor(monthKey / 12), 4)}-${pad((monthKey % 12) + 1, 2)}`

/**
 * `YYYY-MM-DD` of a day number.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatDay = (days: number): string => new Date(days * msPerDay).toISOString().slice(0, 10)

/**
 * The day number of a calendar date `YYYY-MM-DD` (`startedOn`, `endedOn`), or NaN.
 *
 * @since 0.1.0
 * @category operations
 */
export const dayOfDate = (date: string): number =>
  date.length === 10 ? parseInstant(`${date}T00:00:00.000Z`) / msPerDay : Number.NaN

const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : 30 + ((month + (month >> 3)) & 1)

const digits = (s: string, from: number, to: number): number => {
  let n = 0
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48
    if (d < 0 || d > 9) return -1
    n = n * 10 + d
  }
  return n
}

/**
 * Epoch milliseconds of an instant, NaN when it is not one. Decoded events carry the
 * form `YYYY-MM-DDTHH:mm:ss.sssZ`, read here digit by digit (several times faster than
 * `Date.parse`), and a date that does not exist (`2026-02-30`) is NaN where `Date.parse`
 * would roll it over; any other RFC 3339 form falls back to `Date.parse`.
 *
 * @since 0.1.0
 * @category operations
 */
export const parseInstant = (iso: string): number => {
  if (
    iso.length === 24 &&
    iso.charCodeAt(23) === 90 &&
    iso.charCodeAt(4) === 45 &&
    iso.charCodeAt(7) === 45 &&
    iso.charCodeAt(10) === 84 &&
    iso.charCodeAt(13) === 58 &&
    iso.charCodeAt(16) === 58 &&
    iso.charCodeAt(19) === 46
  ) {
    const year = digits(iso, 0, 4)
    const month = digits(iso, 5, 7)
    const day = digits(iso, 8, 10)
    const hour = digits(iso, 11, 13)
    const minute = digits(iso, 14, 16)
    const second = digits(iso, 17, 19)
    const milli = digits(iso, 20, 23)
    if (
      year >= 0 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= daysInMonth(year, month) &&
      hour >= 0 &&
      hour < 24 &&
      minute >= 0 &&
      minute < 60 &&
      second >= 0 &&
      second < 60 &&
      milli >= 0
    ) {
      return daysFromCivil(year, month, day) * msPerDay + hour * 3_600_000 + minute * 60_000 + second * 1000 + milli
    }
    return Number.NaN
  }
  return Date.parse(iso)
}

const isUtc = (timeZone: string): boolean => {
  const upper = timeZone.toUpperCase()
  return upper === "UTC" || upper === "ETC/UTC" || upper === "GMT" || upper === "ETC/GMT" || upper === "Z"
}

/** Offset by asking Intl: the local wall clock read back as if it were UTC, minus the instant. */
const intlOffset =
  (format: Intl.DateTimeFormat) =>
  (ms: number): number => {
    const wholeSecond = ms - (((ms % 1000) + 1000) % 1000)
    let year = 0
    let month = 1
    let day = 1
    let hour = 0
    let minute = 0
    let second = 0
    for (const part of format.formatToParts(wholeSecond)) {
      const value = Number(part.value)
      if (part.type === "year") year = value
      else if (part.type === "month") month = value
      else if (part.type === "day") day = value
      else if (part.type === "hour") hour = value % 24
      else if (part.type === "minute") minute = value
      else if (part.type === "second") second = value
    }
    const local = daysFromCivil(year, month, day) * msPerDay + hour * 3_600_000 + minute * 60_000 + second * 1000
    return local - wholeSecond
  }

interface Change {
  readonly at: number
  readonly before: number
  readonly after: number
}

/**
 * The calendar of an IANA time zone. The zone must be valid (see `Config.isTimeZone`);
 * "UTC" and its aliases take a path with no `Intl` at all.
 *
 * @throws RangeError when the runtime does not know the zone (a configuration that skipped
 * validation).
 * @since 0.1.0
 * @category constructors
 */
export const make = (timeZone: string): Calendar => {
  let offsetAt: (ms: number) => number
  if (isUtc(timeZone)) {
    offsetAt = () => 0
  } else {
    const ask = intlOffset(
      new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric"
      })
    )
    const steady = new Map<number, number>()
    const changes = new Map<number, Change>()
    const learn = (utcDay: number): void => {
      const start = utcDay * msPerDay
      const before = ask(start)
      const after = ask(start + msPerDay - 1000)
      if (before === after) {
        steady.set(utcDay, before)
        return
      }
      // Bisect on whole seconds for the first instant at the new offset.
      let lo = start
      let hi = start + msPerDay - 1000
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000
        if (ask(mid) === before) lo = mid
        else hi = mid
      }
      changes.set(utcDay, { at: hi, before, after })
    }
    offsetAt = (ms: number): number => {
      const utcDay = Math.floor(ms / msPerDay)
      for (;;) {
        const offset = steady.get(utcDay)
        if (offset !== undefined) return offset
        const change = changes.get(utcDay)
        if (change !== undefined) return ms < change.at ? change.before : change.after
        learn(utcDay)
      }
    }
  }
  const dayOf = (ms: number): number => Math.floor((ms + offsetAt(ms)) / msPerDay)
  return {
    timeZone,
    offsetAt,
    dayOf,
    monthOf: (ms) => monthOfDay(dayOf(ms)),
    daysBetween: (fromMs, toMs) => dayOf(toMs) - dayOf(fromMs),
    startOfDay: (day) => {
      const guess = day * msPerDay - offsetAt(day * msPerDay)
      const refined = day * msPerDay - offsetAt(guess)
      return dayOf(refined) === day ? refined : guess
    }
  }
}
