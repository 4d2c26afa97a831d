/**
 * A student's advising file: folded from the student's own events (their stream holds
 * both the interaction events and the advising events). It says who advises the student
 * in which role, who teaches and who assesses them, which cases are open and who owns
 * them, what was done to their follow-ups, and whether an inspection request is open.
 *
 * A fold in the decider style: `empty`, `evolve`, `fold`. `fold` sorts by `occurredAt`;
 * events of the same instant keep their stream order. It reads no clock and performs no I/O.
 *
 * @since 0.4.0
 */
import type * as Event from "../Event.js"
import type { AdvisingEvent } from "./AdvisingEvent.js"
import type { ConcernCategory, OwnerRole } from "./Roles.js"

/**
 * One note of a case, as last amended.
 *
 * @since 0.4.0
 * @category models
 */
export interface Note {
  readonly noteId: string
  readonly author: string
  readonly writtenAt: string
  readonly text: string
  /** earlier texts of this note, oldest first (corrections are amending events, never rewrites) */
  readonly amendments: ReadonlyArray<{ readonly noteId: string; readonly text: string; readonly at: string }>
}

/**
 * A case, opened by a concern.
 *
 * @since 0.4.0
 * @category models
 */
export interface Case {
  readonly caseId: string
  readonly studentId: string
  readonly category: ConcernCategory
  readonly ownerRole: OwnerRole
  readonly ownerId: string | undefined
  readonly raisedBy: string
  readonly raisedAt: string
  readonly concernNote: string | undefined
  readonly state: "open" | "closed"
  readonly closedAt: string | undefined
  readonly closedBy: string | undefined
  readonly notes: ReadonlyArray<Note>
}

/**
 * What someone did to a follow-up (the last action counts).
 *
 * @since 0.4.0
 * @category models
 */
export interface FollowUpAction {
  readonly kind: "dismissed" | "snoozed" | "done"
  readonly by: string
  readonly at: string
  readonly reason: string | undefined
  readonly until: string | undefined
}

/**
 * @since 0.4.0
 * @category models
 */
export interface CaseFile {
  readonly studentId: string
  readonly graduationYear: number | undefined
  readonly program: string | undefined
  /** the declared specialty first, then the interests */
  readonly specialties: ReadonlyArray<string>
  /** the current mentor per mentoring program */
  readonly mentors: ReadonlyMap<string, string>
  /** faculty with any event with the student: who may raise a concern */
  readonly teachers: ReadonlySet<string>
  /** faculty who supervised the student on a rotation or gave them clinical feedback (LCME 11.1) */
  readonly assessors: ReadonlySet<string>
  /** faculty with discretionary contact (meetings, office hours, research, letters): "past contact" */
  readonly contacts: ReadonlySet<string>
  readonly cases: ReadonlyMap<string, Case>
  readonly followUpActions: ReadonlyMap<string, FollowUpAction>
  /** open inspection requests: request id → when asked */
  readonly openInspections: ReadonlyMap<string, string>
}

/**
 * @since 0.4.0
 * @category constructors
 */
export const empty = (studentId: string): CaseFile => ({
  studentId,
  graduationYear: undefined,
  program: undefined,
  specialties: [],
  mentors: new Map(),
  teachers: new Set(),
  assessors: new Set(),
  contacts: new Set(),
  cases: new Map(),
  followUpActions: new Map(),
  openInspections: new Map()
})

/**
 * An event a case file folds.
 *
 * @since 0.4.0
 * @category models
 */
export type FileEvent = Event.RapportEvent | AdvisingEvent

const facultyOf = (event: Event.RapportEvent): ReadonlyArray<string> => {
  const data: object = event.data
  if ("facultyIds" in data && Array.isArray(data.facultyIds)) return data.facultyIds.map(String)
  if ("facultyId" in data && typeof data.facultyId === "string") return [data.facultyId]
  return []
}

const discretionary: ReadonlySet<string> = new Set([
  "OfficeHoursVisited",
  "MentorshipMeetingHeld",
  "FollowUpSent",
  "LetterRequested",
  "LetterCommitted",
  "LetterSubmitted",
  "ResearchRoleStarted",
  "PublicationCoauthored",
  "ConferencePresentationGiven"
])

const withAdded = <A>(set: ReadonlySet<A>, values: ReadonlyArray<A>): ReadonlySet<A> =>
  values.every((value) => set.has(value)) ? set : new Set([...set, ...values])

const withEntry = <K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> => new Map(map).set(key, value)

const withoutEntry = <K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> => {
  const next = new Map(map)
  next.delete(key)
  return next
}

const evolveInteraction = (file: CaseFile, event: Event.RapportEvent): CaseFile => {
  switch (event.type) {
    case "StudentEnrolled":
      return {
        ...file,
        graduationYear: event.data.graduationYear,
        program: event.data.program,
        specialties: [...new Set([...file.specialties, ...(event.data.specialtyInterests ?? [])])]
      }
    case "SpecialtyDeclared":
      return {
        ...file,
        specialties: [event.data.specialty, ...file.specialties.filter((s) => s !== event.data.specialty)]
      }
    case "MentorAssigned":
      return { ...file, mentors: withEntry(file.mentors, event.data.program, event.data.facultyId) }
    case "MentorshipEnded":
      return file.mentors.get(event.data.program) === event.data.facultyId
        ? { ...file, mentors: withoutEntry(file.mentors, event.data.program) }
        : file
    default: {
      const faculty = facultyOf(event)
      if (faculty.length === 0) return file
      const assessed = event.type === "RotationCompleted" || event.type === "ClinicalFeedbackGiven"
      return {
        ...file,
        teachers: withAdded(file.teachers, faculty),
        assessors: assessed ? withAdded(file.assessors, faculty) : file.assessors,
        contacts: discretionary.has(event.type) ? withAdded(file.contacts, faculty) : file.contacts
      }
    }
  }
}

const evolveAdvising = (file: CaseFile, event: AdvisingEvent): CaseFile => {
  switch (event.type) {
    case "ConcernRaised": {
      const d = event.data
      return {
        ...file,
        cases: withEntry(file.cases, d.caseId, {
          caseId: d.caseId,
          studentId: d.studentId,
          category: d.category,
          ownerRole: d.ownerRole,
          ownerId: d.ownerId,
          raisedBy: d.raisedBy,
          raisedAt: event.occurredAt,
          concernNote: d.note,
          state: "open",
          closedAt: undefined,
          closedBy: undefined,
          notes: []
        })
      }
    }
    case "CaseNoteAdded": {
      const d = event.data
      const found = file.cases.get(d.caseId)
      if (found === undefined) return file
      const amended = d.amends === undefined ? undefined : found.notes.find((n) => n.noteId === d.amends)
      const notes =
        amended === undefined
          ? [
              ...found.notes,
              { noteId: d.noteId, author: d.author, writtenAt: event.occurredAt, text: d.text, amendments: [] }
            ]
          : found.notes.map((n) =>
              n === amended
                ? {
                    ...n,
                    text: d.text,
                    amendments: [...n.amendments, { noteId: d.noteId, text: n.text, at: event.occurredAt }]
                  }
                : n
            )
      return { ...file, cases: withEntry(file.cases, d.caseId, { ...found, notes }) }
    }
    case "CaseClosed": {
      const found = file.cases.get(event.data.caseId)
      if (found === undefined || found.state === "closed") return file
      return {
        ...file,
        cases: withEntry(file.cases, found.caseId, {
          ...found,
          state: "closed",
          closedAt: event.occurredAt,
          closedBy: event.data.closedBy
        })
      }
    }
    case "FollowUpDismissed":
    case "FollowUpSnoozed":
    case "FollowUpMarkedDone": {
      const d = event.data
      const action: FollowUpAction = {
        kind: event.type === "FollowUpDismissed" ? "dismissed" : event.type === "FollowUpSnoozed" ? "snoozed" : "done",
        by: d.by,
        at: event.occurredAt,
        reason: "reason" in d ? d.reason : undefined,
        until: "until" in d ? d.until : undefined
      }
      return { ...file, followUpActions: withEntry(file.followUpActions, d.followUpId, action) }
    }
    case "InspectionRequested":
      return { ...file, openInspections: withEntry(file.openInspections, event.data.requestId, event.occurredAt) }
    case "InspectionFulfilled":
      return { ...file, openInspections: withoutEntry(file.openInspections, event.data.requestId) }
  }
}

const advisingTypes: ReadonlySet<string> = new Set([
  "ConcernRaised",
  "CaseNoteAdded",
  "CaseClosed",
  "FollowUpDismissed",
  "FollowUpSnoozed",
  "FollowUpMarkedDone",
  "InspectionRequested",
  "InspectionFulfilled"
])

const isAdvising = (event: FileEvent): event is AdvisingEvent => advisingTypes.has(event.type)

/**
 * Applies one event.
 *
 * @since 0.4.0
 * @category operations
 */
export const evolve = (file: CaseFile, event: FileEvent): CaseFile =>
  isAdvising(event) ? evolveAdvising(file, event) : evolveInteraction(file, event)

// Ties keep the order given (the stream's): a note and its correction written in the same
// millisecond must apply in the order they were written, which no event id can tell.
const byTime = (a: FileEvent, b: FileEvent): number =>
  a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0

/**
 * Folds a student's events: by `occurredAt`, events of the same instant in the order given
 * (pass them in stream order).
 *
 * @since 0.4.0
 * @category operations
 */
export const fold = (studentId: string, events: ReadonlyArray<FileEvent>): CaseFile =>
  [...events].sort(byTime).reduce(evolve, empty(studentId))

/**
 * Whether a follow-up is off the worklist on a day (dismissed, done, or snoozed past it).
 *
 * @since 0.4.0
 * @category operations
 */
export const isSetAside = (file: CaseFile, followUpId: string, today: string): boolean => {
  const action = file.followUpActions.get(followUpId)
  if (action === undefined) return false
  return action.kind !== "snoozed" || (action.until !== undefined && action.until > today)
}

/**
 * The open cases of a file.
 *
 * @since 0.4.0
 * @category operations
 */
export const openCases = (file: CaseFile): ReadonlyArray<Case> =>
  [...file.cases.values()].filter((c) => c.state === "open")
