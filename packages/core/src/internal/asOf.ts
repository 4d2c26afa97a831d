/**
 * The one reading of `asOf` that every function taking one shares (see `AsOf`): epoch
 * milliseconds, an RFC 3339 instant with an offset, or a calendar date meaning the first
 * instant of that day in the school's zone.
 *
 * @internal
 */
import * as Data from "effect/Data"
import { type Calendar, dayOfDate } from "../Calendar.js"
import type { RuleContext } from "../Rule.js"
import { isCalendarDate, parseInstant } from "../EventField.js"

/**
 * An `asOf` that is none of the forms the library reads (see the module notes).
 *
 * @internal
 */
export class InvalidAsOf extends Data.TaggedError("InvalidAsOf")<{ readonly asOf: string }> {
  override get message(): string {
    return `asOf must be an RFC 3339 instant with an offset or a calendar date YYYY-MM-DD, got ${JSON.stringify(this.asOf)}`
  }
}

/**
 * Epoch milliseconds of `asOf`, NaN when it is none of the accepted forms.
 *
 * @internal
 */
export const toMs = (asOf: string | number, startOfDate: (date: string) => number): number => {
  if (typeof asOf === "number") return Number.isFinite(asOf) ? asOf : Number.NaN
  if (typeof asOf !== "string") return Number.NaN
  if (asOf.length === 10) return isCalendarDate(asOf) ? startOfDate(asOf) : Number.NaN
  const instant = parseInstant(asOf)
  return instant === undefined ? Number.NaN : Date.parse(instant)
}

/**
 * Epoch milliseconds of a valid `asOf`.
 *
 * @throws InvalidAsOf when `asOf` is none of the accepted forms.
 * @internal
 */
export const asOfMs = (asOf: string | number, startOfDate: (date: string) => number): number => {
  const ms = toMs(asOf, startOfDate)
  if (Number.isNaN(ms)) throw new InvalidAsOf({ asOf: String(asOf) })
  return ms
}

/**
 * The UTC instant `YYYY-MM-DDTHH:mm:ss.sssZ` of a valid `asOf`.
 *
 * @throws InvalidAsOf when `asOf` is none of the accepted forms.
 * @internal
 */
export const asOfInstant = (asOf: string | number, startOfDate: (date: string) => number): string =>
  new Date(asOfMs(asOf, startOfDate)).toISOString()

/**
 * The first instant of a calendar date in a calendar's zone.
 *
 * @internal
 */
export const calendarStart =
  (calendar: Pick<Calendar, "startOfDay">) =>
  (date: string): number =>
    calendar.startOfDay(dayOfDate(date))

/**
 * The first instant of a calendar date in a rule context's zone.
 *
 * @internal
 */
export const contextStart =
  (context: Pick<RuleContext, "startOfDay">) =>
  (date: string): number =>
    Date.parse(context.startOfDay(date))

/**
 * Epoch milliseconds of a valid `asOf` in a calendar's zone (numbers go straight through:
 * scoring calls this per relationship).
 *
 * @throws InvalidAsOf when `asOf` is none of the accepted forms.
 * @internal
 */
export const asOfMsIn = (asOf: string | number, calendar: Pick<Calendar, "startOfDay">): number =>
  typeof asOf === "number" && Number.isFinite(asOf) ? asOf : asOfMs(asOf, calendarStart(calendar))
