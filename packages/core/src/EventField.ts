/**
 * The field schemas that event payloads are built from: calendar dates, bounded labels,
 * years, durations, the fixed sets of choices (topics, kinds, roles, …), and lists of ids
 * or choices. Each says once what a valid
 * value is, so that every event type using a field means the same thing by it.
 *
 * Everything here validates and never transforms: a decoded value is exactly the value
 * that was sent, so that encoding a decoded event gives back its wire form. This module
 * must never read a clock or a time zone — a calendar date is a date, not an instant.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { toUtcInstant } from "./Canonical.js"
import { FacultyId } from "./Ids.js"

const calendarDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * The first and last years accepted in calendar dates and instants.
 *
 * @since 0.1.0
 * @category constants
 */
export const yearRange = { minimum: 1900, maximum: 2999 } as const

/**
 * Days in a month of the proleptic Gregorian calendar (`month` 1–12).
 *
 * @since 0.1.0
 * @category operations
 */
export const daysInMonth = (year: number, month: number): number => {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/**
 * Whether a string is a calendar date `YYYY-MM-DD` that exists (so `2026-02-30` is not)
 * with a year in {@link yearRange}.
 *
 * @since 0.1.0
 * @category guards
 */
export const isCalendarDate = (value: string): boolean => {
  const match = calendarDatePattern.exec(value)
  if (match === null) return false
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  return (
    year >= yearRange.minimum &&
    year <= yearRange.maximum &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  )
}

const quoted = (values: ReadonlyArray<string>): string => values.map((value) => JSON.stringify(value)).join(", ")

/**
 * One value of a fixed set, with a message that lists the set.
 *
 * @since 0.1.0
 * @category constructors
 */
export const oneOf = <const L extends ReadonlyArray<string>>(literals: L) =>
  Schema.Literals(literals).annotate({ message: `Expected one of ${quoted(literals)}` })

/**
 * A calendar date `YYYY-MM-DD` in the school's own time zone (`startedOn`, `endedOn`).
 * It must exist: `2026-02-30` and `2026-13-01` are rejected. Dates compare correctly as
 * strings.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CalendarDate = Schema.String.check(
  Schema.makeFilter((value: string) => isCalendarDate(value), {
    message: "Expected a calendar date YYYY-MM-DD that exists, between 1900-01-01 and 2999-12-31"
  })
)

const instantPattern =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/

/**
 * Reads an RFC 3339 timestamp with an offset (`Z` or `±hh:mm`, fractions of a second up
 * to nanoseconds) as the UTC instant `YYYY-MM-DDTHH:mm:ss.sssZ` — exactly what
 * `Canonical.toUtcInstant` gives, so that decoded events and canonical content agree.
 * Returns `undefined` for anything else: no offset, a date or time that does not exist
 * (`2026-02-30`, `25:00`, a leap second), a year outside {@link yearRange}.
 *
 * @since 0.1.0
 * @category operations
 */
export const parseInstant = (text: string): string | undefined => {
  const match = instantPattern.exec(text)
  if (match === null) return undefined
  const [, year = "", month = "", day = "", hour = "", minute = "", second = "", fraction, sign, offsetH, offsetM] =
    match
  const y = Number(year)
  const m = Number(month)
  const d = Number(day)
  if (y < yearRange.minimum || y > yearRange.maximum || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
    return undefined
  }
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined
  if (sign !== undefined && (Number(offsetH) > 23 || Number(offsetM) > 59)) return undefined
  // Most senders write UTC: the instant is then the text itself, to the millisecond
  // (truncated, as Date.parse does). Other offsets need the calendar arithmetic.
  if (sign === undefined || (offsetH === "00" && offsetM === "00")) {
    const millis = fraction === undefined ? "000" : `${fraction}00`.slice(0, 3)
    return `${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}Z`
  }
  return toUtcInstant(text.toUpperCase())
}

/**
 * When an event occurred, as sent: RFC 3339 with an offset. Decoding checks it with
 * {@link parseInstant} and then carries the normalised UTC instant.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Instant = Schema.String.check(
  Schema.makeFilter((value: string) => parseInstant(value) !== undefined, {
    message:
      "Expected an RFC 3339 date-time with an offset that exists, such as 2026-10-01T15:30:00Z or 2026-10-01T17:30:00+02:00"
  })
)

const hasNoControlCharacter = (value: string): boolean => {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code < 0x20 || code === 0x7f) return false
  }
  return true
}

/**
 * Whether a string is well-formed UTF-16: no lone surrogate (`"\ud800"` in JSON), which no
 * UTF-8 can carry and which stores would otherwise keep as U+FFFD or refuse.
 *
 * @since 0.2.0
 * @category guards
 */
export const isWellFormed = (value: string): boolean => {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code < 0xd800 || code > 0xdfff) continue
    const next = value.charCodeAt(i + 1)
    if (code > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return false
    i++
  }
  return true
}

/**
 * Whether a string is a short human label: 1–`maxLength` characters (UTF-16 code units),
 * not blank, no control characters (line breaks included), well-formed (no lone surrogate).
 *
 * @since 0.1.0
 * @category guards
 */
export const isLabel = (value: string, maxLength: number): boolean =>
  value.length >= 1 &&
  value.length <= maxLength &&
  value.trim() !== "" &&
  hasNoControlCharacter(value) &&
  isWellFormed(value)

/**
 * A short human label chosen by the school (see {@link isLabel}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const label = (what: string, maxLength: number) =>
  Schema.String.check(
    Schema.makeFilter(
      (value: string) =>
        isLabel(value, maxLength) ||
        (isWellFormed(value)
          ? false
          : `Expected ${what} in well-formed Unicode: it holds a lone surrogate (an unpaired \\uD800–\\uDFFF escape)`),
      { message: `Expected ${what}: 1–${maxLength} characters, not blank, on one line` }
    )
  )

/**
 * A program of study or of mentoring ("MD", "MD-PhD", "DO", "advisory-college").
 *
 * @since 0.1.0
 * @category schemas
 */
export const Program = label("a program", 100)

/**
 * A medical specialty as the school names it ("Internal Medicine", "pediatrics").
 * Rapport compares specialties exactly as written; schools should use one spelling.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Specialty = label("a specialty", 100)

/**
 * The specialties a student is considering: 0–20 of them.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SpecialtyInterests = Schema.Array(Specialty).check(
  Schema.makeFilter((values: ReadonlyArray<string>) => values.length <= 20, {
    message: "Expected at most 20 specialty interests"
  })
)

/**
 * A department as the school names it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Department = label("a department", 200)

/**
 * An academic rank ("assistant professor", "clinical instructor").
 *
 * @since 0.1.0
 * @category schemas
 */
export const Rank = label("a rank", 100)

/**
 * A short reason given for a correction: 1–500 characters, not blank (line breaks
 * are not allowed either, to keep audit views to one line per reason).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Reason = label("a reason", 500)

/**
 * The longest `source` accepted.
 *
 * @since 0.1.0
 * @category constants
 */
export const sourceMaxLength = 128

/**
 * The name of the system that posted an event (`source` in the envelope).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Source = label("a source system name", sourceMaxLength)

/**
 * A year written as an integer (graduation year, Match cycle).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Year = Schema.Int.check(
  Schema.isBetween({ minimum: 1950, maximum: 2150 }, { message: "Expected an integer year between 1950 and 2150" })
)

/**
 * A meeting's length in whole minutes, 1–600.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DurationMinutes = Schema.Int.check(
  Schema.isBetween({ minimum: 1, maximum: 600 }, { message: "Expected a whole number of minutes between 1 and 600" })
)

/**
 * How a follow-up or a nudge reached the person.
 *
 * @since 0.1.0
 * @category choices
 */
export const channels = ["email", "message", "in-person", "other"] as const

/**
 * @since 0.1.0
 * @category schemas
 */
export const Channel = oneOf(channels)

/**
 * @since 0.1.0
 * @category models
 */
export type Channel = typeof Channel.Type

/**
 * What an office-hours visit was about.
 *
 * @since 0.1.0
 * @category choices
 */
export const officeHoursTopics = ["coursework", "career", "feedback", "research", "personal", "other"] as const

/**
 * @since 0.1.0
 * @category schemas
 */
export const OfficeHoursTopic = oneOf(officeHoursTopics)

/**
 * @since 0.1.0
 * @category models
 */
export type OfficeHoursTopic = typeof OfficeHoursTopic.Type

/**
 * Who asked for a meeting.
 *
 * @since 0.1.0
 * @category choices
 */
export const initiators = ["student", "faculty"] as const

/**
 * @since 0.1.0
 * @category schemas
 */
export const InitiatedBy = oneOf(initiators)

/**
 * @since 0.1.0
 * @category models
 */
export type InitiatedBy = typeof InitiatedBy.Type

/**
 * What a mentoring meeting covered.
 *
 * @since 0.1.0
 * @category choices
 */
export const mentorshipTopics = [
  "specialty-selection",
  "residency-application",
  "clinical-practice",
  "work-life-balance",
  "research",
  "other"
] as const

/**
 * @since 0.1.0
 * @category schemas
 */
export const MentorshipTopic = oneOf(mentorshipTopics)

/**
 * @since 0.1.0
 * @category models
 */
export type MentorshipTopic = typeof MentorshipTopic.Type

/**
 * Why a student followed up.
 *
 * @since 0.1.0
 * @category choices
 */
export const followUpKinds = ["thank-you", "update", "check-in"] as const

/**
 * @since 0.1.0
 * @category schemas
 */
export const FollowUpKind = oneOf(followUpKinds)

/**
 * @since 0.1.0
 * @category models
 */
export type FollowUpKind = typeof FollowUpKind.Type

/**
 * A student's status. Only `active` students count in school-wide denominators.
 *
 * @since 0.1.0
 * @category choices
 */
export const studentStatuses = ["active", "leave", "withdrawn", "graduated"] as const

/**
 * @since 0.1.0
 * @category schemas
 */
export const StudentStatus = oneOf(studentStatuses)

/**
 * @since 0.1.0
 * @category models
 */
export type StudentStatus = typeof StudentStatus.Type

/**
 * How a student engaged in a course.
 *
 * @since 0.1.0
 * @category choices
 */
export const lectureEngagementKinds = ["question", "discussion", "small-group"] as const

/**
 * @since 0.1.0
 * @category schemas
 */
export const LectureEngagementKind = oneOf(lectureEngagementKinds)

/**
 * @since 0.1.0
 * @category models
 */
export type LectureEngagementKind = typeof LectureEngagementKind.Type

/**
 * A student's role on a research project.
 *
 * @since 0.1.0
 * @category choices
 */
export const researchRoles = ["assistant", "co-investigator", "other"] as const

/**
 * @since 0.1.0
 * @category schemas
 */
export const ResearchRole = oneOf(researchRoles)

/**
 * @since 0.1.0
 * @category models
 */
export type ResearchRole = typeof ResearchRole.Type

/**
 * Where clinical feedback was given.
 *
 * @since 0.1.0
 * @category choices
 */
export const clinicalSettings = ["rotation", "clerkship", "simulation"] as const

/**
 * @since 0.1.0
 * @category schemas
 */
export const ClinicalSetting = oneOf(clinicalSettings)

/**
 * @since 0.1.0
 * @category models
 */
export type ClinicalSetting = typeof ClinicalSetting.Type

/**
 * What clinical feedback was about.
 *
 * @since 0.1.0
 * @category choices
 */
export const clinicalDomains = ["bedside-manner", "diagnostic-reasoning", "clinical-skills", "professionalism"] as const

/**
 * @since 0.1.0
 * @category schemas
 */
export const ClinicalDomain = oneOf(clinicalDomains)

/**
 * @since 0.1.0
 * @category models
 */
export type ClinicalDomain = typeof ClinicalDomain.Type

/**
 * The kind of a support check-in (there is deliberately no free text).
 *
 * @since 0.1.0
 * @category choices
 */
export const supportKinds = ["encouragement", "wellbeing"] as const

/**
 * @since 0.1.0
 * @category schemas
 */
export const SupportKind = oneOf(supportKinds)

/**
 * @since 0.1.0
 * @category models
 */
export type SupportKind = typeof SupportKind.Type

/**
 * The most ids one event may list (`facultyIds`).
 *
 * @since 0.1.0
 * @category constants
 */
export const maxIdsPerEvent = 100

const hasNoRepeat = (values: ReadonlyArray<string>): boolean => new Set(values).size === values.length

/**
 * A list of faculty ids: 1–100 of them, each at most once (a faculty member listed
 * twice would be counted twice).
 *
 * @since 0.1.0
 * @category schemas
 */
export const FacultyIds = Schema.Array(FacultyId).check(
  Schema.makeFilter(
    (values: ReadonlyArray<string>) => values.length >= 1 && values.length <= maxIdsPerEvent && hasNoRepeat(values),
    { message: `Expected 1–${maxIdsPerEvent} faculty ids, each at most once` }
  )
)

/**
 * A non-empty list of choices from a fixed set (at most 16 entries; repeats allowed).
 *
 * @since 0.1.0
 * @category constructors
 */
export const choices = <const L extends ReadonlyArray<string>>(literals: L) =>
  Schema.Array(oneOf(literals)).check(
    Schema.makeFilter((values: ReadonlyArray<string>) => values.length >= 1 && values.length <= 16, {
      message: "Expected a non-empty array (at most 16 entries)"
    })
  )

/**
 * The check on a payload with both `startedOn` and `endedOn`: the end is not before the
 * start. Reported at `endedOn`.
 *
 * @since 0.1.0
 * @category checks
 */
export const endNotBeforeStart = <A extends { readonly startedOn: string; readonly endedOn: string }>() =>
  Schema.makeFilter((value: A) =>
    value.endedOn >= value.startedOn
      ? undefined
      : { path: ["endedOn"], issue: `Expected endedOn (${value.endedOn}) not before startedOn (${value.startedOn})` }
  )
