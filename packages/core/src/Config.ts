/**
 * The one configuration of engagement scoring: the school's time zone, how fast contact
 * fades, what each kind of interaction weighs, where the tiers begin, what counts as an
 * active mentoring pair and the thresholds the summaries use. It is data, validated by a
 * Schema, with every default documented here and in docs/scoring.md (a test keeps the two
 * in step).
 *
 * This module must never read the environment or a clock: a school's settings arrive as
 * an argument to `makeConfig`, and "now" is always an `asOf` argument elsewhere.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"

/**
 * Whether a string is an IANA time zone this runtime knows ("UTC", "Europe/Paris").
 * Constructing an `Intl.DateTimeFormat` is pure; it only consults the runtime's zone data.
 *
 * @since 0.1.0
 * @category guards
 */
export const isTimeZone = (value: string): boolean => {
  if (value.length === 0 || value.length > 64) return false
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value })
    return true
  } catch {
    return false
  }
}

const TimeZone = Schema.String.check(
  Schema.makeFilter((value: string) => isTimeZone(value), {
    message: "Expected an IANA time zone such as UTC or America/New_York"
  })
)

const Positive = Schema.Finite.check(Schema.isGreaterThan(0, { message: "Expected a number greater than 0" }))
const Weight = Schema.Finite.check(
  Schema.isBetween(
    { minimum: 0, maximum: 1000, exclusiveMinimum: true },
    { message: "Expected a weight above 0 and at most 1000" }
  )
)
// At least a day: shorter half-lives would put log keys beyond the precision the fold promises.
const HalfLife = Schema.Finite.check(Schema.isBetween({ minimum: 1, maximum: 36500 }))
const Count = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 1000 }))
const Days = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 36500 }))
const MonthDayText = Schema.String.check(
  Schema.isPattern(/^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, { message: "Expected a month and day, MM-DD" })
)
const Share = Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1, exclusiveMinimum: true }))

/**
 * The weight of one interaction of each kind before fading, duration and initiative. Every
 * weight is positive: a kind that should barely count gets a small weight, so that the
 * events behind letters, research roles and mentor assignments are never dropped.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Weights = Schema.Struct({
  officeHours: Weight,
  mentorshipMeeting: Weight,
  rotation: Weight,
  followUp: Weight,
  letterRequested: Weight,
  letterCommitted: Weight,
  letterSubmitted: Weight,
  lectureEngagement: Weight,
  researchRole: Weight,
  publication: Weight,
  conferencePresentation: Weight,
  clinicalFeedback: Weight,
  supportCheckIn: Weight,
  mentorAssigned: Weight,
  courseCompleted: Weight
})

/**
 * @since 0.1.0
 * @category models
 */
export type Weights = typeof Weights.Type

/**
 * Where one tier begins: the current (faded) strength AND two features that never fade,
 * breadth (how many of the four scored dimensions were ever touched) and sustained
 * contact (in how many distinct weeks the two had contact). A committed or submitted
 * letter, or a rotation the faculty member supervised with feedback they gave, meets
 * every tier's sustained-contact requirement: that is how real letter writers know a
 * student (docs/scoring.md, "The tiers").
 *
 * @since 0.1.0
 * @category schemas
 */
export const TierThreshold = Schema.Struct({
  strength: Positive,
  breadth: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 4 })),
  weeks: Count
})

/**
 * @since 0.1.0
 * @category models
 */
export type TierThreshold = typeof TierThreshold.Type

const tierOrder = ["acquainted", "developing", "strong", "advocate"] as const

/**
 * The thresholds of the four tiers above "none". Each must be at least as high as the one
 * below it in every part, so that a pair meeting a tier also meets every lower one.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TierThresholds = Schema.Struct({
  acquainted: TierThreshold,
  developing: TierThreshold,
  strong: TierThreshold,
  advocate: TierThreshold
}).check(
  Schema.makeFilter((tiers: { readonly [K in (typeof tierOrder)[number]]: TierThreshold }) => {
    for (let i = 1; i < tierOrder.length; i++) {
      const lowerName = tierOrder[i - 1]
      const name = tierOrder[i]
      if (lowerName === undefined || name === undefined) continue
      const lower = tiers[lowerName]
      const upper = tiers[name]
      for (const part of ["strength", "breadth", "weeks"] as const) {
        if (upper[part] < lower[part]) {
          return { path: [name, part], issue: `Expected ${name}.${part} to be at least ${lowerName}.${part}` }
        }
      }
    }
    return undefined
  })
)

/**
 * The configuration of engagement scoring. See `defaultConfig` for every default and
 * docs/scoring.md for what each one means to a dean.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ScoringConfig = Schema.Struct({
  /** The school's IANA time zone: it decides calendar days and months. */
  timeZone: TimeZone,
  /** Days after which an interaction counts half as much as on its day. */
  halfLifeDays: HalfLife,
  /** Strength above the advocate threshold that takes an advocate's score 63% of the way from 75 to 100 (see Score.ts). */
  saturation: Positive,
  weights: Weights,
  /**
   * Diminishing returns: within one episode of one kind (a course's lecture questions, a
   * month's feedback cards or meetings), each further contact counts this fraction of the
   * one after it, the most recent counting fully. So an episode adds at most
   * weight ÷ (1 − repeatRatio), however many events it holds.
   */
  repeatRatio: Schema.Finite.check(
    Schema.isBetween({ minimum: 0, maximum: 1, exclusiveMinimum: true, exclusiveMaximum: true })
  ),
  /** Meetings weigh `clamp(sqrt(minutes / referenceMinutes), floor, cap)` times their weight. */
  duration: Schema.Struct({ referenceMinutes: Positive, floor: Positive, cap: Positive }).check(
    Schema.makeFilter((d: { readonly floor: number; readonly cap: number }) =>
      d.cap >= d.floor ? undefined : { path: ["cap"], issue: "Expected cap to be at least floor" }
    )
  ),
  /** Multiplies contact the student initiated (office hours they asked for, follow-ups, letter requests). */
  studentInitiative: Schema.Finite.check(Schema.isBetween({ minimum: 1, maximum: 10 })),
  tiers: TierThresholds,
  /** A pair is an active mentoring pair with an open mentor assignment, or with a tier of at least `minTier` and a mentoring contact within `withinDays`. */
  activeMentoring: Schema.Struct({
    withinDays: Days,
    minTier: Schema.Literals(tierOrder)
  }),
  /** Letter readiness: advocates a student of a cycle needs, and how many of them in the chosen specialty. */
  letters: Schema.Struct({
    advocatesNeeded: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 10 })),
    inSpecialtyNeeded: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 10 }))
  }).check(
    Schema.makeFilter((l: { readonly advocatesNeeded: number; readonly inSpecialtyNeeded: number }) =>
      l.inSpecialtyNeeded <= l.advocatesNeeded
        ? undefined
        : { path: ["inSpecialtyNeeded"], issue: "Expected inSpecialtyNeeded to be at most advocatesNeeded" }
    )
  ),
  /** A student with no discretionary faculty contact (meetings, office hours, notes, letters, research) for more than this many calendar days is flagged in summaries. */
  staleContactDays: Days,
  /** A student in years 2–4 with no mentoring contact (meeting or office hours) for more than this many days is flagged. */
  mentoringGapDays: Days,
  /** A student's stage: the academic year starts on `academicYearStarts` (MM-DD); a student is "new" until `firstSemesterEnds` (MM-DD) of their first year. */
  stages: Schema.Struct({ academicYearStarts: MonthDayText, firstSemesterEnds: MonthDayText }),
  /**
   * Isolation: an active student past their first semester with fewer than `minPerYear`
   * discretionary contacts a year since enrolment (letters excluded: every applicant asks
   * for them) who never took up a mentor the school assigned them (met them within
   * `takeUpDays` of the assignment).
   */
  isolation: Schema.Struct({ minPerYear: Positive, takeUpDays: Days }),
  /** Mentoring concentration: the share of faculty at the top whose share of pairs is reported. */
  topFacultyShare: Share,
  /** How many contributions an explanation lists. */
  explanationSize: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 50 }))
})

/**
 * A validated scoring configuration.
 *
 * @since 0.1.0
 * @category models
 */
export type ScoringConfig = typeof ScoringConfig.Type

/**
 * The defaults. Each is explained in docs/scoring.md ("Configuration").
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultConfig: ScoringConfig = {
  timeZone: "UTC",
  halfLifeDays: 180,
  saturation: 10,
  repeatRatio: 0.5,
  weights: {
    officeHours: 1,
    mentorshipMeeting: 2,
    rotation: 1.75,
    followUp: 0.5,
    letterRequested: 1,
    letterCommitted: 2,
    letterSubmitted: 3,
    lectureEngagement: 0.25,
    researchRole: 3,
    publication: 6,
    conferencePresentation: 4,
    clinicalFeedback: 1,
    supportCheckIn: 1,
    mentorAssigned: 0.5,
    courseCompleted: 0.25
  },
  duration: { referenceMinutes: 30, floor: 0.5, cap: 2 },
  studentInitiative: 1.25,
  tiers: {
    acquainted: { strength: 0.75, breadth: 1, weeks: 1 },
    developing: { strength: 2.5, breadth: 1, weeks: 2 },
    strong: { strength: 5, breadth: 2, weeks: 3 },
    advocate: { strength: 8, breadth: 2, weeks: 4 }
  },
  activeMentoring: { withinDays: 365, minTier: "developing" },
  letters: { advocatesNeeded: 3, inSpecialtyNeeded: 2 },
  staleContactDays: 180,
  mentoringGapDays: 180,
  stages: { academicYearStarts: "07-01", firstSemesterEnds: "12-31" },
  isolation: { minPerYear: 2, takeUpDays: 14 },
  topFacultyShare: 0.1,
  explanationSize: 3
}

/**
 * A partial configuration: any part may be left out and takes its default.
 *
 * @since 0.1.0
 * @category models
 */
export type ScoringConfigInput = DeepPartial<ScoringConfig>

/**
 * Every part of `A`, at any depth, optional.
 *
 * @since 0.1.0
 * @category models
 */
export type DeepPartial<A> = A extends object ? { readonly [K in keyof A]?: DeepPartial<A[K]> } : A

/**
 * One problem in a configuration, with the path of the offending field.
 *
 * @since 0.1.0
 * @category errors
 */
export interface ConfigProblem {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

/**
 * A configuration that does not validate; `problems` lists every problem found.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidScoringConfig extends Data.TaggedError("InvalidScoringConfig")<{
  readonly problems: ReadonlyArray<ConfigProblem>
}> {
  override get message(): string {
    return this.problems.map((p) => `${p.path.map(String).join(".") || "(config)"}: ${p.message}`).join("; ")
  }
}

const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const merge = (defaults: unknown, override: unknown): unknown => {
  if (override === undefined) return defaults
  if (!isPlainObject(defaults) || !isPlainObject(override)) return override
  const out: Record<string, unknown> = { ...defaults }
  for (const key of Object.keys(override)) out[key] = merge(defaults[key], override[key])
  return out
}

const decode = Schema.decodeUnknownResult(ScoringConfig)
const formatIssues = SchemaIssue.makeFormatterStandardSchemaV1()

/**
 * Builds a configuration from the parts a school sets, every other part taking its
 * default, and validates the whole. Unknown keys are errors (usually typos).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeConfig = (input: ScoringConfigInput = {}): Result.Result<ScoringConfig, InvalidScoringConfig> =>
  fromUnknown(input)

/**
 * Like `makeConfig`, for input of unknown shape (a JSON settings file, environment
 * parsed by the caller).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromUnknown = (input: unknown): Result.Result<ScoringConfig, InvalidScoringConfig> => {
  const merged = merge(defaultConfig, input)
  const decoded = decode(merged, { errors: "all", onExcessProperty: "error" })
  if (Result.isSuccess(decoded)) return Result.succeed(decoded.success)
  const problems = formatIssues(decoded.failure.issue).issues.map((i) => ({
    path: (i.path ?? []).map((segment) => (typeof segment === "object" ? segment.key : segment)),
    message: i.message
  }))
  return Result.fail(new InvalidScoringConfig({ problems }))
}
