/**
 * The synthetic people and what the simulator knows about them: each student's archetype,
 * habits, curriculum and life plan (enrolment, leaves, withdrawal, graduation), each
 * faculty member's department, rank, appetite for mentoring and research, and tenure, and
 * the relationships between them as the simulator itself sees them (a decaying "how well
 * do these two know each other", used to choose letter writers and whom to stay in touch
 * with — independent of Rapport's own scoring, which the simulator never consults).
 *
 * Plans are drawn once, when a person is created, so that whether someone is present at
 * an instant is a pure function: no event is ever generated for a student before
 * enrolment, during a leave, after withdrawal or graduation, or for a faculty member
 * outside their tenure. Nothing here is real: ids are synthetic.
 *
 * @since 0.1.0
 */
import type { Block } from "./AcademicCalendar.js"
import type { Archetype, Habits } from "./Behaviour.js"
import type { Tie } from "./Ties.js"

/**
 * A faculty member.
 *
 * @since 0.1.0
 * @category models
 */
export interface Faculty {
  readonly index: number
  readonly id: string
  readonly department: string
  readonly clinical: boolean
  readonly rank: string | undefined
  readonly joinsAt: number
  /** When they leave (`Infinity` if not within the simulated span). */
  readonly leavesAt: number
  /** Relative appetite for mentoring: heavy-tailed, so that a few carry much of it. */
  readonly mentorAppetite: number
  /** Volunteers as an advisory-college mentor. */
  readonly advisor: boolean
  /** Runs research projects, with a relative appetite for students in the lab. */
  readonly labAppetite: number
  /** 0–1: how reliably they keep up meetings, answer letter requests and submit letters. */
  readonly diligence: number
  /** Projects created so far (for project ids). */
  projects: number
}

/**
 * A leave of absence: from `from` to `to`; `returns` is false when the student withdraws
 * before coming back.
 *
 * @since 0.1.0
 * @category models
 */
export interface Leave {
  readonly from: number
  readonly to: number
  readonly returns: boolean
}

/**
 * An assigned mentorship. `legacy` ones were recorded by the advising app before it sent
 * the mentoring program (version 1 of `MentorAssigned` and `MentorshipEnded`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Mentorship {
  readonly faculty: Faculty
  readonly program: string
  readonly legacy: boolean
  readonly since: number
  /** A first meeting is due soon after the assignment (not for mentorships the books carried over). */
  readonly welcome: boolean
  lastMeeting: number
  nudgedAt: number
  ended: boolean
}

/**
 * A research role on a faculty member's project.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResearchPosition {
  readonly faculty: Faculty
  readonly projectId: string
  readonly role: "assistant" | "co-investigator" | "other"
  readonly from: number
  readonly until: number
  /** The student works with the lab's staff and does not meet the investigator unprompted. */
  readonly quiet: boolean
  lastMeeting: number
  nudged: boolean
  ended: boolean
}

/**
 * A student.
 *
 * @since 0.1.0
 * @category models
 */
export interface Student {
  readonly index: number
  readonly id: string
  readonly classOf: number
  readonly program: string
  readonly archetype: Archetype
  readonly habits: Habits
  readonly enrolledAt: number
  /** Commencement; `Infinity` never happens (every student has a graduation year). */
  readonly graduatesAt: number
  /** `Infinity` when the student does not withdraw. */
  readonly withdrawsAt: number
  readonly leaves: ReadonlyArray<Leave>
  /** When a withdrawn student asks for erasure, if they do. */
  readonly erasureAt: number | undefined
  /** The specialty the student will choose. */
  readonly specialty: string
  /** A second specialty some apply to as a fallback. */
  readonly backupSpecialty: string | undefined
  readonly interests: ReadonlyArray<string>
  /** The student's curriculum in order of start (pre-clinical and clinical). */
  readonly blocks: ReadonlyArray<Block>
  /** Index of the first block that has not ended yet (advanced week by week). */
  blockCursor: number
  declared: string | undefined
  /** The student's current (or last) clinical block: the attending on service each week worked. */
  rotation: { readonly block: string; readonly byWeek: Array<Faculty> } | undefined
  /** Doctoring small-group facilitator per doctoring block id. */
  readonly facilitators: Map<string, Faculty>
  readonly mentorships: Array<Mentorship>
  readonly research: Array<ResearchPosition>
  readonly ties: Map<Faculty, Tie>
}

/**
 * Whether a student is on leave at an instant.
 *
 * @since 0.1.0
 * @category guards
 */
export const onLeave = (student: Student, instant: number): boolean => {
  for (const leave of student.leaves) if (instant >= leave.from && instant < leave.to) return true
  return false
}

/**
 * Whether events may involve a student at an instant: enrolled, not on leave, not
 * withdrawn, not graduated.
 *
 * @since 0.1.0
 * @category guards
 */
export const studentPresent = (student: Student, instant: number): boolean =>
  instant >= student.enrolledAt &&
  instant < student.graduatesAt &&
  instant < student.withdrawsAt &&
  !onLeave(student, instant)

/**
 * Whether a student is present for the whole of `[from, until)` (no leave starts within).
 *
 * @since 0.1.0
 * @category guards
 */
export const studentPresentThroughout = (student: Student, from: number, until: number): boolean => {
  if (!studentPresent(student, from) || until > student.graduatesAt || until > student.withdrawsAt) return false
  for (const leave of student.leaves) if (leave.from < until && leave.to > from) return false
  return true
}

/**
 * Whether events may involve a faculty member at an instant.
 *
 * @since 0.1.0
 * @category guards
 */
export const facultyPresent = (faculty: Faculty, instant: number): boolean =>
  instant >= faculty.joinsAt && instant < faculty.leavesAt

/**
 * Whether a faculty member is on staff for the whole of `[from, until)`.
 *
 * @since 0.1.0
 * @category guards
 */
export const facultyPresentThroughout = (faculty: Faculty, from: number, until: number): boolean =>
  from >= faculty.joinsAt && until <= faculty.leavesAt
