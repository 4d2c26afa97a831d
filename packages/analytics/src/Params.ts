/**
 * The kinds of value a URL query parameter may hold, as Effect Schemas from the strings
 * of a URL: decimal integers, dates, instants, months, short texts, read-your-writes
 * tokens. Every query schema of the HTTP API is built from these, so that each kind of
 * value is parsed one way, strictly: `1e3`, `0x10`, `2026-02-30`, `2026-13-45T99:99Z` or an
 * offset of `+99:99` are errors naming the parameter, never values read leniently (a date
 * that rolls over into the next month) or failures further down (a store that rejects what
 * it is given). Control characters are refused for every parameter by the route table.
 *
 * This module must never read a clock: whether a date lies in the future is the reader's
 * business (see `Dashboard`, which answers a future `asOf` as of now).
 *
 * @since 0.2.0
 */
import { EventField } from "@rapport/core"
import * as Schema from "effect/Schema"
import * as SchemaTransformation from "effect/SchemaTransformation"

/**
 * The years a date or an instant in a query may name: from the first year events may
 * carry to the last one four digits can write.
 *
 * @since 0.2.0
 * @category constants
 */
export const queryYears = { minimum: EventField.yearRange.minimum, maximum: 9999 } as const

/**
 * A decimal integer between `minimum` and `maximum` (both at least 0): digits only, so that
 * `1e3`, `0x10`, `+5`, ` 5` and `5.0` are refused.
 *
 * @since 0.2.0
 * @category schemas
 */
export const DecimalInt = (minimum: number, maximum: number) =>
  Schema.String.check(Schema.isPattern(/^\d{1,16}$/u, { message: "Expected a decimal integer (digits only)" })).pipe(
    Schema.decodeTo(
      Schema.Number.check(
        Schema.isInt(),
        Schema.isBetween({ minimum, maximum }, { message: `Expected an integer from ${minimum} to ${maximum}` })
      ),
      SchemaTransformation.numberFromString
    )
  )

/**
 * `true` or `false`.
 *
 * @since 0.2.0
 * @category schemas
 */
export const BooleanText = Schema.Literals(["true", "false"])

/**
 * A text of at most `maxLength` characters (a filter value such as a specialty).
 *
 * @since 0.2.0
 * @category schemas
 */
export const Text = (maxLength: number) => Schema.String.check(Schema.isMaxLength(maxLength))

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/u
const instantPattern =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/u

const isDay = (year: number, month: number, day: number): boolean =>
  year >= queryYears.minimum &&
  year <= queryYears.maximum &&
  month >= 1 &&
  month <= 12 &&
  day >= 1 &&
  day <= EventField.daysInMonth(year, month)

/**
 * Whether a text is a calendar date `YYYY-MM-DD` that exists, in {@link queryYears}.
 *
 * @since 0.2.0
 * @category guards
 */
export const isDate = (text: string): boolean => {
  const match = datePattern.exec(text)
  return match !== null && isDay(Number(match[1]), Number(match[2]), Number(match[3]))
}

/**
 * Whether a text is an RFC 3339 instant with an offset (`Z` or `±hh:mm`, hours to 23 and
 * minutes to 59), seconds optional, whose date and time exist, in {@link queryYears}.
 *
 * @since 0.2.0
 * @category guards
 */
export const isInstant = (text: string): boolean => {
  const match = instantPattern.exec(text)
  if (match === null) return false
  const [, year, month, day, hour, minute, second, sign, offsetHours, offsetMinutes] = match
  return (
    isDay(Number(year), Number(month), Number(day)) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second ?? "0") <= 59 &&
    (sign === undefined || (Number(offsetHours) <= 23 && Number(offsetMinutes) <= 59))
  )
}

/**
 * A date (`YYYY-MM-DD`) or an instant (RFC 3339 with an offset), each as strict as
 * {@link isDate} and {@link isInstant}.
 *
 * @since 0.2.0
 * @category schemas
 */
export const DateOrInstant = Schema.String.check(
  Schema.makeFilter((text: string) => isDate(text) || isInstant(text), {
    message: `Expected a date YYYY-MM-DD or an instant such as 2026-10-01T15:30:00Z that exists, in the years ${queryYears.minimum}–${queryYears.maximum}`
  })
).annotate({
  description:
    "a date YYYY-MM-DD (the end of that day in the school's time zone) or an RFC 3339 instant with an offset, that exists; one in the future means now"
})

/**
 * An instant (RFC 3339 with an offset), as strict as {@link isInstant}.
 *
 * @since 0.2.0
 * @category schemas
 */
export const Instant = Schema.String.check(
  Schema.makeFilter((text: string) => isInstant(text), {
    message: `Expected an instant such as 2026-10-01T15:30:00Z (RFC 3339 with an offset) that exists, in the years ${queryYears.minimum}–${queryYears.maximum}`
  })
)

/**
 * A month `YYYY-MM`, in {@link queryYears}.
 *
 * @since 0.2.0
 * @category schemas
 */
export const Month = Schema.String.check(
  Schema.makeFilter((text: string) => /^\d{4}-\d{2}$/u.test(text) && isDate(`${text}-01`), {
    message: `Expected a month YYYY-MM in the years ${queryYears.minimum}–${queryYears.maximum}`
  })
)

/**
 * A read-your-writes token: the opaque `position` an append answered (see docs/api.md).
 *
 * @since 0.2.0
 * @category schemas
 */
export const PositionToken = Schema.String.check(
  Schema.isPattern(/^[A-Za-z0-9_-]{16,128}$/u, { message: "Expected a position token, as an append answered it" })
).annotate({
  description:
    "the `position` token an append (or a view's `meta.position`) answered this school: wait until the read models include it"
})

/**
 * Whether a character is a control character: C0 (NUL to U+001F), DEL, or C1 (U+0080 to
 * U+009F).
 *
 * @since 0.2.0
 * @category guards
 */
export const isControl = (code: number): boolean => code < 0x20 || (code >= 0x7f && code <= 0x9f)

/**
 * What is wrong with a text sent as a parameter or a field, or `undefined`: a control
 * character (NUL included) or a lone surrogate (UTF-16 that no UTF-8 can carry). Every
 * store then sees the same text, or none: SQLite would store U+FFFD instead of a lone
 * surrogate, PostgreSQL refuses NUL.
 *
 * @since 0.2.0
 * @category guards
 */
export const textProblem = (text: string): string | undefined => {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (isControl(code))
      return `Expected text without control characters (found U+${code.toString(16).toUpperCase().padStart(4, "0")} at ${i})`
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++
        continue
      }
      return `Expected well-formed Unicode (a lone surrogate at ${i})`
    }
    if (code >= 0xdc00 && code <= 0xdfff) return `Expected well-formed Unicode (a lone surrogate at ${i})`
  }
  return undefined
}
