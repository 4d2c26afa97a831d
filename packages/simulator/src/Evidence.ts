/**
 * What a school's feed shows, condensed as it streams by: the accepted events (neither
 * malformed nor a duplicate copy nor later retracted — what Rapport keeps) that the
 * measures of `Measure` need, per student, with their instants. It reads only the
 * deliveries, never the simulator's ground truth, so that what it finds is what any
 * system fed the same events could find.
 *
 * Course rosters (`CourseStarted`, `CourseCompleted`) and lecture engagement are counted
 * but never taken as contact; discretionary contact is what a student chooses to seek:
 * meetings, office hours, thank-you and update notes, letter requests and research.
 *
 * Holds a few numbers per interaction, not the events: a large school's evidence fits in
 * tens of megabytes.
 *
 * @since 0.2.0
 */
import type { SimulatedEvent } from "./Delivery.js"

/**
 * A feedback event: when, from whom, in which setting.
 *
 * @since 0.2.0
 * @category models
 */
export interface Feedback {
  readonly at: number
  readonly facultyId: string
  readonly setting: string
}

/**
 * A discretionary contact: when, with whom, of what type, and whether the student sought
 * it (office hours the student asked for, notes, letter requests).
 *
 * @since 0.2.0
 * @category models
 */
export interface Contact {
  readonly at: number
  readonly facultyId: string
  readonly type: string
  readonly studentInitiated: boolean
}

/**
 * A letter request: the cycle and specialty the letter was asked for, and the writer.
 *
 * @since 0.2.0
 * @category models
 */
export interface LetterRequest {
  readonly letterId: string
  readonly studentId: string
  readonly facultyId: string
  readonly cycle: number
  readonly specialty: string
}

/**
 * One student's evidence.
 *
 * @since 0.2.0
 * @category models
 */
export interface StudentEvidence {
  readonly feedback: Array<Feedback>
  /** Mentorship meetings, in delivery order (a subset of `contacts`). */
  readonly meetings: Array<{ readonly at: number; readonly facultyId: string }>
  readonly contacts: Array<Contact>
  /** Supervising faculty named by each completed rotation, by rotation id. */
  readonly rotations: Map<string, ReadonlyArray<string>>
}

/**
 * The evidence of a feed.
 *
 * @since 0.2.0
 * @category models
 */
export interface Evidence {
  /** Deliveries seen, and accepted events (what a store keeps once retractions apply). */
  items: number
  accepted: number
  readonly byType: Map<string, number>
  readonly students: Map<string, StudentEvidence>
  readonly letters: Map<string, LetterRequest>
  /** When each letter was submitted, by letter id (a submission may be delivered before its request). */
  readonly submitted: Map<string, number>
  /** Departments from `FacultyJoined`. */
  readonly departments: Map<string, string>
  /** Open mentor assignments at the end: +1 per `MentorAssigned`, −1 per `MentorshipEnded`, by faculty → student. */
  readonly mentoring: Map<string, Map<string, number>>
}

/**
 * Empty evidence.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (): Evidence => ({
  items: 0,
  accepted: 0,
  byType: new Map(),
  students: new Map(),
  letters: new Map(),
  submitted: new Map(),
  departments: new Map(),
  mentoring: new Map()
})

/**
 * The event types that are discretionary contact.
 *
 * @since 0.2.0
 * @category constants
 */
export const discretionaryTypes: ReadonlySet<string> = new Set([
  "MentorshipMeetingHeld",
  "OfficeHoursVisited",
  "FollowUpSent",
  "LetterRequested",
  "ResearchRoleStarted",
  "PublicationCoauthored",
  "ConferencePresentationGiven"
])

const text = (data: Readonly<Record<string, unknown>>, name: string): string => {
  const value = data[name]
  return typeof value === "string" ? value : ""
}

const texts = (data: Readonly<Record<string, unknown>>, name: string): ReadonlyArray<string> => {
  const value = data[name]
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === "string") : []
}

const studentOf = (evidence: Evidence, studentId: string): StudentEvidence => {
  let found = evidence.students.get(studentId)
  if (found === undefined) {
    found = { feedback: [], meetings: [], contacts: [], rotations: new Map() }
    evidence.students.set(studentId, found)
  }
  return found
}

const assignment = (evidence: Evidence, facultyId: string, studentId: string, change: number): void => {
  const mentees = evidence.mentoring.get(facultyId) ?? new Map<string, number>()
  mentees.set(studentId, (mentees.get(studentId) ?? 0) + change)
  evidence.mentoring.set(facultyId, mentees)
}

/**
 * Adds one delivery (mutates and returns the evidence). Malformed deliveries, second
 * copies and events an `EventRetracted` will name are left out, as a store leaves them.
 *
 * @since 0.2.0
 * @category operations
 */
export const add = (evidence: Evidence, item: SimulatedEvent): Evidence => {
  evidence.items++
  const { event, flags } = item
  if (flags.malformed !== undefined || flags.duplicate === true || flags.retracted === true) return evidence
  if (event.type === "EventRetracted") return evidence
  evidence.accepted++
  evidence.byType.set(event.type, (evidence.byType.get(event.type) ?? 0) + 1)
  const data = event.data
  const at = Date.parse(event.occurredAt)
  const studentId = text(data, "studentId")
  const facultyId = text(data, "facultyId")
  switch (event.type) {
    case "FacultyJoined":
      evidence.departments.set(facultyId, text(data, "department"))
      break
    case "ClinicalFeedbackGiven":
      studentOf(evidence, studentId).feedback.push({ at, facultyId, setting: text(data, "setting") })
      break
    case "RotationCompleted":
      studentOf(evidence, studentId).rotations.set(text(data, "rotationId"), texts(data, "facultyIds"))
      break
    case "MentorAssigned":
      assignment(evidence, facultyId, studentId, 1)
      break
    case "MentorshipEnded":
      assignment(evidence, facultyId, studentId, -1)
      break
    case "LetterSubmitted": {
      const letterId = text(data, "letterId")
      evidence.submitted.set(letterId, Math.min(evidence.submitted.get(letterId) ?? at, at))
      break
    }
  }
  if (event.type === "LetterRequested") {
    const cycle = data.cycle
    evidence.letters.set(text(data, "letterId"), {
      letterId: text(data, "letterId"),
      studentId,
      facultyId,
      cycle: typeof cycle === "number" ? cycle : 0,
      specialty: text(data, "specialty")
    })
  }
  if (discretionaryTypes.has(event.type) && studentId !== "") {
    const student = studentOf(evidence, studentId)
    const faculty = facultyId !== "" ? facultyId : (texts(data, "facultyIds")[0] ?? "")
    const studentInitiated =
      event.type === "FollowUpSent" ||
      event.type === "LetterRequested" ||
      (event.type === "OfficeHoursVisited" && data.initiatedBy === "student")
    student.contacts.push({ at, facultyId: faculty, type: event.type, studentInitiated })
    if (event.type === "MentorshipMeetingHeld") student.meetings.push({ at, facultyId })
  }
  return evidence
}
