/**
 * The query parameters of the dashboard routes, as Effect Schemas from the strings of a
 * URL. Strict: an unknown parameter or a bad value is a 400 naming it. Paging is bounded
 * so no request can ask the database for everything at once.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { BooleanText, DateOrInstant, DecimalInt as IntText, Month, PositionToken, Text } from "./Params.js"

const Common = {
  /** wait (up to a few seconds) until the read models include the events of an append: pass the `position` it answered */
  waitFor: Schema.optionalKey(PositionToken)
}

const Paging = {
  page: Schema.optionalKey(IntText(1, 1_000_000)),
  pageSize: Schema.optionalKey(IntText(1, 200))
}

const Order = Schema.optionalKey(Schema.Literals(["asc", "desc"]))

/** a list as JSON (a page) or as CSV (the whole list, streamed): the server's to honour */
const Format = {
  format: Schema.optionalKey(Schema.Literals(["json", "csv"]))
}

const PersonId = Schema.String.check(Schema.isPattern(/^[A-Za-z0-9._~:@-]{1,128}$/))

/**
 * @since 0.1.0
 * @category filters
 */
export const ViewQuery = Schema.Struct({ ...Common })

/**
 * @since 0.1.0
 * @category filters
 */
export type ViewQuery = typeof ViewQuery.Type

/**
 * @since 0.1.0
 * @category filters
 */
export const TrendsQuery = Schema.Struct({
  ...Common,
  /** first month, YYYY-MM (default: 24 months back) */
  from: Schema.optionalKey(Month),
  graduationYear: Schema.optionalKey(IntText(1900, 2200))
})

/**
 * @since 0.1.0
 * @category filters
 */
export type TrendsQuery = typeof TrendsQuery.Type

/**
 * @since 0.1.0
 * @category filters
 */
export const StudentsQuery = Schema.Struct({
  ...Common,
  ...Paging,
  ...Format,
  graduationYear: Schema.optionalKey(IntText(1900, 2200)),
  specialty: Schema.optionalKey(Text(128)),
  tier: Schema.optionalKey(Schema.Literals(["none", "acquainted", "developing", "strong", "advocate"])),
  isolated: Schema.optionalKey(BooleanText),
  /** (added in 0.5.0) the students in one stage now: `applying` is the class applying for residency */
  stage: Schema.optionalKey(Schema.Literals(["new", "pre-clinical", "clinical", "applying"])),
  status: Schema.optionalKey(Schema.Literals(["active", "leave", "withdrawn", "graduated", "all"])),
  /** student id prefix */
  q: Schema.optionalKey(Text(128)),
  /** `relationships`: the number of developing-or-better relationships now (the list's "Developing or better" column) */
  sort: Schema.optionalKey(Schema.Literals(["studentId", "graduationYear", "lastContact", "relationships", "tier"])),
  order: Order
})

/**
 * @since 0.1.0
 * @category filters
 */
export type StudentsQuery = typeof StudentsQuery.Type

/**
 * @since 0.1.0
 * @category filters
 */
export const FacultyQuery = Schema.Struct({
  ...Common,
  ...Paging,
  ...Format,
  department: Schema.optionalKey(Text(128)),
  /** faculty who are active or who left (default: both) */
  status: Schema.optionalKey(Schema.Literals(["active", "left", "all"])),
  q: Schema.optionalKey(Text(128)),
  sort: Schema.optionalKey(Schema.Literals(["facultyId", "department", "load", "letters"])),
  order: Order
})

/**
 * @since 0.1.0
 * @category filters
 */
export type FacultyQuery = typeof FacultyQuery.Type

/**
 * @since 0.1.0
 * @category filters
 */
export const LettersQuery = Schema.Struct({
  ...Common,
  cycle: Schema.optionalKey(IntText(1900, 2200)),
  specialty: Schema.optionalKey(Text(128))
})

/**
 * @since 0.1.0
 * @category filters
 */
export type LettersQuery = typeof LettersQuery.Type

/**
 * @since 0.1.0
 * @category filters
 */
export const FollowUpsQuery = Schema.Struct({
  ...Common,
  ...Paging,
  ...Format,
  ruleId: Schema.optionalKey(Text(64)),
  state: Schema.optionalKey(Schema.Literals(["due", "overdue", "done", "expired"])),
  studentId: Schema.optionalKey(PersonId),
  /**
   * `current` (default): follow-ups due in the last 30 days or the next 14, open ones unless
   * `state` says otherwise — what is newly due or coming due; `all`: every follow-up
   */
  window: Schema.optionalKey(Schema.Literals(["current", "all"])),
  /**
   * each student's `perStudent` most important open follow-ups only (1–20): what an advisor
   * works through first (core's `RuleEngine.topFew`)
   */
  perStudent: Schema.optionalKey(IntText(1, 20))
})

/**
 * @since 0.1.0
 * @category filters
 */
export type FollowUpsQuery = typeof FollowUpsQuery.Type

/**
 * @since 0.1.0
 * @category filters
 */
export const CoverageQuery = Schema.Struct({ ...Common })

/**
 * @since 0.1.0
 * @category filters
 */
export type CoverageQuery = typeof CoverageQuery.Type

/**
 * `GET /v1/students/{id}` and `GET /v1/faculty/{id}`.
 *
 * @since 0.1.0
 * @category filters
 */
export const PersonQuery = Schema.Struct({
  ...Common,
  /** a past date (YYYY-MM-DD, end of that day in the school's time zone) or instant: fold only events that occurred before it; a future one means now */
  asOf: Schema.optionalKey(DateOrInstant)
})

/**
 * @since 0.1.0
 * @category filters
 */
export type PersonQuery = typeof PersonQuery.Type

/**
 * `GET /v1/students/{id}`: a person's query, and a page of the timeline.
 *
 * @since 0.4.0
 * @category filters
 */
export const StudentPageQuery = Schema.Struct({
  ...PersonQuery.fields,
  /** at most this many timeline entries (1–1000); the whole timeline when absent */
  timelineLimit: Schema.optionalKey(IntText(1, 1000)),
  /** the `timelinePage.nextCursor` of the previous page */
  timelineCursor: Schema.optionalKey(Text(512))
})

/**
 * @since 0.4.0
 * @category filters
 */
export type StudentPageQuery = typeof StudentPageQuery.Type

/**
 * @since 0.1.0
 * @category filters
 */
export const PersonParams = Schema.Struct({ id: PersonId })
