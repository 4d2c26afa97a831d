/**
 * Reading an `asOf`, the same way in every function of the library that takes one:
 *
 * - an RFC 3339 instant with an offset (`2026-10-05T12:00:00-04:00`, `…Z`), read exactly as
 *   an event's `occurredAt` is;
 * - a calendar date `YYYY-MM-DD`, meaning midnight (the first instant of that day) in the
 *   school's time zone;
 * - where a function's type allows a number, epoch milliseconds.
 *
 * Anything else — no offset, a date that does not exist, free text — is refused with
 * {@link InvalidAsOf}. {@link parse} returns it in a `Result`, for an `asOf` that came from
 * outside (a query string, a form); the functions that compute from an `asOf`
 * (`Student.summarize`, `RuleEngine.evaluate`, `Nudge.outcomes`, …) expect one that is
 * valid and throw `InvalidAsOf` when it is not, as for any other bug in the calling code.
 * The low-level decay functions of `Strength` know no time zone: they take an instant or
 * epoch milliseconds and refuse a calendar date (with a `RangeError`, as before 0.2.0).
 *
 * This module must never read a clock.
 *
 * @since 0.2.0
 */
import * as Result from "effect/Result"
import { make as makeCalendar } from "./Calendar.js"
import { calendarStart, InvalidAsOf, toMs } from "./internal/asOf.js"

export {
  /**
   * An `asOf` that is none of the forms the library reads (see the module notes).
   *
   * @since 0.1.0
   * @category errors
   */
  InvalidAsOf
}

/**
 * Reads an `asOf` given from outside as the UTC instant `YYYY-MM-DDTHH:mm:ss.sssZ`; a
 * calendar date is midnight in `timeZone` (the school's, `Config`'s `timeZone`).
 *
 * @since 0.2.0
 * @category constructors
 */
export const parse = (asOf: unknown, timeZone: string): Result.Result<string, InvalidAsOf> => {
  if (typeof asOf !== "string" && typeof asOf !== "number") {
    return Result.fail(new InvalidAsOf({ asOf: String(asOf) }))
  }
  const ms = toMs(asOf, calendarStart(makeCalendar(timeZone)))
  return Number.isNaN(ms)
    ? Result.fail(new InvalidAsOf({ asOf: String(asOf) }))
    : Result.succeed(new Date(ms).toISOString())
}
