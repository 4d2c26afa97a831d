/**
 * The rows of the read models, as the projector builds them (Projection.ts) and writes
 * them (the table modules under `tables/`). A leaf: it imports nothing of this package,
 * so that every module that speaks of rows can import it without a cycle.
 *
 * @since 0.2.0
 */
import type { Letter } from "@rapport/core"

/**
 * The instant until which a pair (or a student, over their pairs) holds each tier if no
 * new contact comes; `null` when the tier is not held at all.
 *
 * @since 0.1.0
 * @category models
 */
export interface Untils {
  readonly acquainted: number | null
  readonly developing: number | null
  readonly strong: number | null
  readonly advocate: number | null
}

/**
 * @since 0.1.0
 * @category models
 */
export interface PairRow {
  readonly studentId: string
  readonly facultyId: string
  readonly logKey: number | null
  readonly touched: number
  readonly months: number
  readonly interactions: number
  readonly lastContactMs: number | null
  readonly untils: Untils
  readonly mentoringUntilMs: number | null
  readonly inSpecialty: boolean
  /** the student is active (a copy of their row's flag: the faculty view counts pairs without a join) */
  readonly studentActive: boolean
}

/**
 * @since 0.1.0
 * @category models
 */
export interface StudentRow {
  readonly studentId: string
  readonly status: string
  readonly active: boolean
  readonly graduationYear: number | null
  readonly program: string | null
  readonly specialty: string | null
  readonly interests: ReadonlyArray<string>
  readonly interactions: number
  readonly studentInitiated: number
  /** The last discretionary contact (core's StudentSummary.lastContactAt). */
  readonly lastContactMs: number | null
  readonly untils: Untils
  /** From when the student counts as isolated if no discretionary contact comes (Student.isolatedFromMs); null when never (not active). */
  readonly isolatedFromMs: number | null
  /** From when their letters committed or submitted make them ready (Student.lettersReadyFromMs). */
  readonly lettersReadyFromMs: number | null
  /** The student's stage (Stage.stageOf) as instants: "new" before `newUntilMs` (null without enrolment). */
  readonly newUntilMs: number | null
  /** Clinical (year 3) from this instant, applying (year 4) from the next; null without a graduation year. */
  readonly clinicalFromMs: number | null
  readonly applyingFromMs: number | null
  /** In years 2–4 from this instant (what the no-mentoring flag looks at); null without a graduation year. */
  readonly yearTwoFromMs: number | null
  /** No mentoring contact for more than `mentoringGapDays` from this instant; null without any mentoring contact. */
  readonly mentoringLapsesMs: number | null
}

/**
 * @since 0.1.0
 * @category models
 */
export interface MonthRow {
  readonly month: string
  readonly interactions: number
  readonly facultyContacted: number
  readonly supportCheckIns: number
}

/**
 * A month of a student with the graduation year its row carries.
 *
 * @since 0.1.0
 * @category models
 */
export interface StudentMonth {
  readonly studentId: string
  readonly graduationYear: number | null
  readonly month: MonthRow
}

/**
 * @since 0.1.0
 * @category models
 */
export interface FacultyRow {
  readonly facultyId: string
  readonly status: string
  readonly department: string | null
  readonly rank: string | null
  readonly specialties: ReadonlyArray<string>
  readonly letters: Letter.LetterCounts
  /** pairs with scored contact whose student is active: the faculty view's mentee population */
  readonly activePairs: number
}

/**
 * A specialty a faculty member supervised a student's rotation in, from when: person pages
 * as of a date need every student's rotations with their faculty, since a faculty member's
 * specialties (and so "advocate in the student's specialty") come from all of them.
 *
 * @since 0.1.0
 * @category models
 */
export interface RotationRow {
  readonly facultyId: string
  readonly specialty: string
  readonly firstMs: number
}

/**
 * A student's letters with one faculty member (all of them: `facultyId` undefined).
 *
 * @since 0.2.0
 * @category models
 */
export interface StudentLetters {
  readonly studentId: string
  readonly facultyId: string | undefined
  readonly letters: ReadonlyArray<Letter.LetterState>
}

/**
 * A student's rotations with one faculty member (all of them: `facultyId` undefined).
 *
 * @since 0.2.0
 * @category models
 */
export interface StudentRotations {
  readonly studentId: string
  readonly facultyId: string | undefined
  readonly rotations: ReadonlyArray<RotationRow>
}

/**
 * How data coverage is grouped: by the system that posted (`source`), and by the
 * specialty of the rotations recorded (`rotation-specialty`: a clerkship site that sends no
 * data shows as a specialty gone quiet).
 *
 * @since 0.4.0
 * @category models
 */
export type CoverageDimension = "source" | "rotation-specialty"

/**
 * One (dimension, name, month) cell of data coverage; a cell with no events left loses its row.
 *
 * @since 0.1.0
 * @category models
 */
export interface CoverageCell {
  readonly dimension: CoverageDimension
  /** the source, or the specialty */
  readonly name: string
  readonly month: string
  readonly events: number
  readonly lastOccurredMs: number | null
  readonly lastReceivedMs: number | null
  /** the days of the month (school time zone) with an event: bit d − 1 for day d */
  readonly days: number
}

/**
 * Where a student's events naming a faculty member ("" for none) are in the log, as a
 * JSON array of positions.
 *
 * @since 0.2.0
 * @category models
 */
export interface PositionRow {
  readonly studentId: string
  readonly facultyId: string
  readonly positions: string
}

/**
 * A follow-up's columns but school and student: id, rule, faculty ids (JSON), due on,
 * done (0 or 1), sentence, expires on, priority. Whether an open one is due, overdue or
 * expired is decided at read time from the day (as overdue always was), so rows need not
 * be rewritten as days pass.
 *
 * @since 0.2.0
 * @category models
 */
export type FollowUpColumns = readonly [string, string, string, string, number, string, string, number]

/**
 * A nudge outcome's columns but school and student: event id, rule, sent, contact, days
 * to contact.
 *
 * @since 0.2.0
 * @category models
 */
export type NudgeColumns = readonly [string, string, number, number | null, number | null]

/**
 * A student's follow-up and nudge rows (without school and student): what the projector
 * writes, and, as JSON, how it tells an evaluation that would write the same rows (most,
 * from one evaluation to the next) from one that would not.
 *
 * @since 0.2.0
 * @category models
 */
export interface FollowUpRows {
  readonly followUps: ReadonlyArray<FollowUpColumns>
  readonly nudges: ReadonlyArray<NudgeColumns>
}

/**
 * A student's follow-up rows with the student they belong to.
 *
 * @since 0.2.0
 * @category models
 */
export interface StudentFollowUpRows {
  readonly studentId: string
  readonly rows: FollowUpRows
}
