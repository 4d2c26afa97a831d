/**
 * Local date-times as school systems export them ("2026-10-01 15:30", "10/1/2026 3:30 PM"),
 * read in the school's time zone and turned into UTC instants. A time that a daylight-saving
 * change skips does not exist and is an error; a time that a change repeats is taken at its
 * first occurrence (the earlier instant), so that the same text always gives the same
 * instant. Text that carries its own offset (`Z`, `+02:00`) keeps it.
 *
 * It never reads the clock; the zone is an argument.
 *
 * @since 0.2.0
 */
import type { Calendar } from "@rapport/core"
import * as Result from "effect/Result"

/**
 * How the text writes dates: `iso` (2026-10-01 15:30[:00]) or `us` (10/1/2026 3:30[:00] PM,
 * or a 24-hour time without AM/PM).
 *
 * @since 0.2.0
 * @category models
 */
export type DateFormat = "iso" | "us"

interface Parts {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
  /** minutes east of UTC, when the text says */
  readonly offset?: number
}

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i
const usPattern = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]\.?M\.?)?)?$/i

const offsetMinutes = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined
  if (text.toUpperCase() === "Z") return 0
  const digits = text.replace(":", "")
  const sign = digits.startsWith("-") ? -1 : 1
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)))
}

const parse = (text: string, format: DateFormat): Parts | string => {
  if (format === "iso") {
    const m = isoPattern.exec(text)
    if (m === null) return `Expected a date and time such as 2026-10-01 15:30, got "${text}"`
    const offset = offsetMinutes(m[7])
    return {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[4] ?? 0),
      minute: Number(m[5] ?? 0),
      second: Number(m[6] ?? 0),
      ...(offset === undefined ? {} : { offset })
    }
  }
  const m = usPattern.exec(text)
  if (m === null) return `Expected a date and time such as 10/1/2026 3:30 PM, got "${text}"`
  let hour = Number(m[4] ?? 0)
  const meridiem = m[7]?.replaceAll(".", "").toUpperCase()
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return `Expected an hour from 1 to 12 before ${meridiem}, got "${text}"`
    hour = (hour % 12) + (meridiem === "PM" ? 12 : 0)
  }
  return {
    year: Number(m[3]),
    month: Number(m[1]),
    day: Number(m[2]),
    hour,
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0)
  }
}

/**
 * The UTC instant (`YYYY-MM-DDTHH:mm:ss.sssZ`) of a local date-time in a zone, or why not.
 *
 * @since 0.2.0
 * @category operations
 */
export const toInstant = (
  text: string,
  format: DateFormat,
  calendar: Calendar.Calendar
): Result.Result<string, string> => {
  const parts = parse(text.trim(), format)
  if (typeof parts === "string") return Result.fail(parts)
  const { year, month, day, hour, minute, second } = parts
  const wall = Date.UTC(year, month - 1, day, hour, minute, second)
  const check = new Date(wall)
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return Result.fail(`"${text}" is not a date and time that exists`)
  if (parts.offset !== undefined) return Result.succeed(new Date(wall - parts.offset * 60_000).toISOString())
  // The offsets in force half a day either side bound every offset a local time can have.
  const candidates = [...new Set([calendar.offsetAt(wall - 43_200_000), calendar.offsetAt(wall + 43_200_000)])]
    .map((offset) => wall - offset)
    .filter((instant) => instant + calendar.offsetAt(instant) === wall)
    .sort((a, b) => a - b)
  const first = candidates[0]
  if (first === undefined)
    return Result.fail(
      `"${text}" does not exist in ${calendar.timeZone}: the clocks skip it (a daylight-saving change)`
    )
  return Result.succeed(new Date(first).toISOString())
}
