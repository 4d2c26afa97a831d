/**
 * The folded state of a school as its readers see it: students, faculty and the pairs
 * between them, each with the non-decaying facts of their history. Summaries, follow-up
 * rules and read models read these shapes; only `SchoolFold` writes them, so every field
 * here is read-only.
 *
 * Instants are epoch milliseconds; "never" is `-Infinity`, so that `max` needs no special
 * case. Month keys are `year·12 + month − 1` in the school's time zone (Calendar.ts).
 * Support check-ins live only in `supportKey`, `lastSupportMs` and `supportMonths`, and
 * must never be shown per student.
 *
 * @since 0.1.0
 */
import * as Calendar from "./Calendar.js"
import type { ScoringConfig } from "./Config.js"
import type { Contribution } from "./Contribution.js"
import type { RapportEvent } from "./Event.js"
import type { StudentStatus } from "./EventField.js"
import { decayRate } from "./Strength.js"

/**
 * What every scoring function needs besides the state: the configuration, its decay rate
 * and the school's calendar.
 *
 * @since 0.1.0
 * @category models
 */
export interface ScoringContext {
  readonly config: ScoringConfig
  /** λ = ln 2 / half-life, per day. */
  readonly lambda: number
  readonly calendar: Calendar.Calendar
}

/**
 * The context of a configuration.
 *
 * @since 0.1.0
 * @category constructors
 */
export const context = (config: ScoringConfig): ScoringContext => ({
  config,
  lambda: decayRate(config),
  calendar: Calendar.make(config.timeZone)
})

/**
 * One student–faculty relationship.
 *
 * @since 0.1.0
 * @category models
 */
export interface PairState {
  readonly studentId: string
  readonly facultyId: string
  /** Log key of the scored (non-support) contributions, `ln Σ w·e^{λt}`; `-Infinity` when none. Store it as a column. */
  readonly key: number
  /** Log key of the support check-ins (aggregates only). */
  readonly supportKey: number
  /** Mask of the scored dimensions ever touched (Contribution.dimensionBits). */
  readonly touched: number
  /** Scored contributions per local month (monthly trends). */
  readonly months: ReadonlyMap<number, number>
  /** Local weeks (Monday to Sunday) with scored contact; its size is the "sustained" feature. */
  readonly weeks: ReadonlySet<number>
  /** Letters committed or submitted, counted as contributions: they meet every tier's sustained-contact requirement. */
  readonly vouched: number
  /** Completed rotations the faculty member supervised; with `feedback`, an observed rotation. */
  readonly rotations: number
  /** Clinical feedback the faculty member gave. */
  readonly feedback: number
  /** Latest scored contact. */
  readonly lastContactMs: number
  /** Latest support check-in (aggregates only). */
  readonly lastSupportMs: number
  /** Latest mentoring contact (mentorship meeting or office hours). */
  readonly lastMentoringMs: number
  /** Latest discretionary contact (Contribution.discretionaryKinds). */
  readonly lastDiscretionaryMs: number
  /** Number of scored contributions. */
  readonly interactions: number
  /** Every contribution, support included, in arrival order (sort with `Contribution.byTime`). */
  readonly contributions: ReadonlyArray<Contribution>
  /** Events about the pair that carry no points: MentorshipEnded, ResearchRoleEnded, LetterDeclined. */
  readonly lifecycle: ReadonlyArray<RapportEvent>
}

/**
 * One student, with their relationships.
 *
 * @since 0.1.0
 * @category models
 */
export interface StudentState {
  readonly studentId: string
  /** The latest of StudentEnrolled (active) and StudentStatusChanged; "unknown" when neither arrived (counted as active, see `isActiveStudent`). */
  readonly status: StudentStatus | "unknown"
  readonly graduationYear: number | undefined
  readonly program: string | undefined
  readonly specialtyInterests: ReadonlyArray<string>
  /** The latest SpecialtyDeclared. */
  readonly declaredSpecialty: string | undefined
  /** When the latest StudentEnrolled occurred (the start of their first semester). */
  readonly enrolledAtMs: number | undefined
  /** Relationships by faculty id. */
  readonly pairs: ReadonlyMap<string, PairState>
  /** Scored interaction events per local month (an event with three faculty counts once). */
  readonly months: ReadonlyMap<number, number>
  /** Support check-ins per local month (aggregates only). */
  readonly supportMonths: ReadonlyMap<number, number>
  /** Scored interaction events. */
  readonly interactions: number
  /** Of those, the ones the student initiated. */
  readonly studentInitiated: number
  /** Latest scored contact with any faculty member. */
  readonly lastContactMs: number
  /** Discretionary contacts (Contribution.discretionaryKinds), an event with several faculty once. */
  readonly discretionary: number
  /** Of those, the ones the student initiated. */
  readonly discretionaryInitiated: number
  /** Latest discretionary contact with any faculty member. */
  readonly lastDiscretionaryMs: number
}

/**
 * One faculty member, with an index of their relationships.
 *
 * @since 0.1.0
 * @category models
 */
export interface FacultyState {
  readonly facultyId: string
  /** "left" when the latest of FacultyJoined and FacultyLeft is a departure. */
  readonly status: "active" | "left"
  readonly department: string | undefined
  readonly rank: string | undefined
  /** Relationships by student id (the same objects as in `StudentState.pairs`). */
  readonly students: ReadonlyMap<string, PairState>
  /** Specialties of the rotations they supervised, with counts. */
  readonly rotationSpecialties: ReadonlyMap<string, number>
}

/**
 * A school's folded state.
 *
 * @since 0.1.0
 * @category models
 */
export interface SchoolState extends ScoringContext {
  readonly students: ReadonlyMap<string, StudentState>
  readonly faculty: ReadonlyMap<string, FacultyState>
}

/**
 * The specialties a student is aiming for: the declared one, else their interests.
 *
 * @since 0.1.0
 * @category accessors
 */
export const studentSpecialties = (student: StudentState): ReadonlyArray<string> =>
  student.declaredSpecialty !== undefined ? [student.declaredSpecialty] : student.specialtyInterests

/**
 * The specialties a faculty member counts for: those of the rotations they supervised,
 * else their department. Rotations say what a person actually teaches at the bedside,
 * which a department name ("Medicine") often does not.
 *
 * @since 0.1.0
 * @category accessors
 */
export const facultySpecialties = (faculty: FacultyState | undefined): ReadonlyArray<string> => {
  if (faculty === undefined) return []
  if (faculty.rotationSpecialties.size > 0) return [...faculty.rotationSpecialties.keys()].sort()
  return faculty.department !== undefined ? [faculty.department] : []
}

/**
 * The pair of a student and a faculty member, if they have one.
 *
 * @since 0.1.0
 * @category accessors
 */
export const pairOf = (state: SchoolState, studentId: string, facultyId: string): PairState | undefined =>
  state.students.get(studentId)?.pairs.get(facultyId)

/**
 * Whether a student counts as active: in the school's denominators, in isolation, as a
 * mentee. A student is active until the school says otherwise, so "unknown" (no enrolment
 * or status event yet: a school that sends interactions only) counts as active, as it does
 * for follow-up rules; "leave", "withdrawn" and "graduated" do not.
 *
 * @since 0.1.0
 * @category guards
 */
export const isActiveStudent = (student: StudentState | undefined): boolean =>
  student !== undefined && (student.status === "active" || student.status === "unknown")
