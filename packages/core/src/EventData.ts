/**
 * The payload (`data`) schema of every event type, at its current version. Each type's
 * schema is exported as `<Type>Data` together with its TypeScript type of the same name.
 *
 * The eight fixed types (StudentEnrolled, FacultyJoined, OfficeHoursVisited,
 * MentorshipMeetingHeld, RotationCompleted, FollowUpSent, LetterRequested,
 * LetterSubmitted) are a published contract: their names and fields must never change
 * here. A changed shape of any type is a new version with an upcaster (see Upcast.ts),
 * never an edit in place. Payloads hold ids and choices, not names or e-mail addresses.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import {
  CalendarDate,
  Channel,
  ClinicalSetting,
  choices,
  clinicalDomains,
  Department,
  DurationMinutes,
  endNotBeforeStart,
  FacultyIds,
  FollowUpKind,
  InitiatedBy,
  LectureEngagementKind,
  mentorshipTopics,
  OfficeHoursTopic,
  Program,
  Rank,
  Reason,
  ResearchRole,
  Specialty,
  SpecialtyInterests,
  StudentStatus,
  SupportKind,
  Year
} from "./EventField.js"
import { EventId, FacultyId, OpaqueId, StudentId } from "./Ids.js"

/**
 * A student joins the school: their expected graduation year, program and (optionally) the specialties they are considering.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StudentEnrolledData = Schema.Struct({
  studentId: StudentId,
  graduationYear: Year,
  program: Program,
  specialtyInterests: Schema.optionalKey(SpecialtyInterests)
})

/**
 * @since 0.1.0
 * @category models
 */
export type StudentEnrolledData = typeof StudentEnrolledData.Type

/**
 * A faculty member joins the school, in a department, optionally with an academic rank.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FacultyJoinedData = Schema.Struct({
  facultyId: FacultyId,
  department: Department,
  rank: Schema.optionalKey(Rank)
})

/**
 * @since 0.1.0
 * @category models
 */
export type FacultyJoinedData = typeof FacultyJoinedData.Type

/**
 * A student visited a faculty member's office hours. `initiatedBy` says who asked for the visit: proactive students are what Rapport encourages.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OfficeHoursVisitedData = Schema.Struct({
  studentId: StudentId,
  facultyId: FacultyId,
  durationMinutes: DurationMinutes,
  topic: OfficeHoursTopic,
  initiatedBy: InitiatedBy
})

/**
 * @since 0.1.0
 * @category models
 */
export type OfficeHoursVisitedData = typeof OfficeHoursVisitedData.Type

/**
 * A mentoring conversation between a student and a faculty member, with the topics it covered.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MentorshipMeetingHeldData = Schema.Struct({
  studentId: StudentId,
  facultyId: FacultyId,
  durationMinutes: DurationMinutes,
  topics: choices(mentorshipTopics)
})

/**
 * @since 0.1.0
 * @category models
 */
export type MentorshipMeetingHeldData = typeof MentorshipMeetingHeldData.Type

/**
 * A student completed a clinical rotation supervised by the listed faculty (the ones who observed them: natural letter writers). `endedOn` is not before `startedOn`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RotationCompletedData = Schema.Struct({
  studentId: StudentId,
  facultyIds: FacultyIds,
  rotationId: OpaqueId,
  specialty: Specialty,
  startedOn: CalendarDate,
  endedOn: CalendarDate
}).check(endNotBeforeStart())

/**
 * @since 0.1.0
 * @category models
 */
export type RotationCompletedData = typeof RotationCompletedData.Type

/**
 * A student followed up with a faculty member (a thank-you after a rotation, an update, a check-in).
 *
 * @since 0.1.0
 * @category schemas
 */
export const FollowUpSentData = Schema.Struct({
  studentId: StudentId,
  facultyId: FacultyId,
  kind: FollowUpKind,
  channel: Channel
})

/**
 * @since 0.1.0
 * @category models
 */
export type FollowUpSentData = typeof FollowUpSentData.Type

/**
 * A student asked a faculty member for a letter of recommendation for the Match `cycle` (the year of the application season, usually the graduation year) in a specialty.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LetterRequestedData = Schema.Struct({
  studentId: StudentId,
  facultyId: FacultyId,
  letterId: OpaqueId,
  cycle: Year,
  specialty: Specialty
})

/**
 * @since 0.1.0
 * @category models
 */
export type LetterRequestedData = typeof LetterRequestedData.Type

/**
 * The faculty member submitted the letter `letterId`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LetterSubmittedData = Schema.Struct({
  studentId: StudentId,
  facultyId: FacultyId,
  letterId: OpaqueId
})

/**
 * @since 0.1.0
 * @category models
 */
export type LetterSubmittedData = typeof LetterSubmittedData.Type

/**
 * A student's status changed. Students whose status is not `active` leave the denominators of school-wide measures.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StudentStatusChangedData = Schema.Struct({
  studentId: StudentId,
  status: StudentStatus
})

/**
 * @since 0.1.0
 * @category models
 */
export type StudentStatusChangedData = typeof StudentStatusChangedData.Type

/**
 * A student declared the specialty they will apply in; it replaces their interests for letter readiness.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SpecialtyDeclaredData = Schema.Struct({
  studentId: StudentId,
  specialty: Specialty
})

/**
 * @since 0.1.0
 * @category models
 */
export type SpecialtyDeclaredData = typeof SpecialtyDeclaredData.Type

/**
 * A faculty member left the school.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FacultyLeftData = Schema.Struct({
  facultyId: FacultyId
})

/**
 * @since 0.1.0
 * @category models
 */
export type FacultyLeftData = typeof FacultyLeftData.Type

/**
 * A faculty member was assigned as a student's mentor in a mentoring `program` (e.g. "advisory-college"). Version 2; version 1 had no `program` (see Upcast).
 *
 * @since 0.1.0
 * @category schemas
 */
export const MentorAssignedData = Schema.Struct({
  studentId: StudentId,
  facultyId: FacultyId,
  program: Program
})

/**
 * @since 0.1.0
 * @category models
 */
export type MentorAssignedData = typeof MentorAssignedData.Type

/**
 * An assigned mentorship in `program` ended. Version 2; version 1 had no `program` (see Upcast).
 *
 * @since 0.1.0
 * @category schemas
 */
export const MentorshipEndedData = Schema.Struct({
  studentId: StudentId,
  facultyId: FacultyId,
  program: Program
})

/**
 * @since 0.1.0
 * @category models
 */
export type MentorshipEndedData = typeof MentorshipEndedData.Type

/**
 * A student started a course taught by the listed faculty on `startedOn`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CourseStartedData = Schema.Struct({
  studentId: StudentId,
  courseId: OpaqueId,
  facultyIds: FacultyIds,
  startedOn: CalendarDate
})

/**
 * @since 0.1.0
 * @category models
 */
export type CourseStartedData = typeof CourseStartedData.Type

/**
 * A student completed a course taught by the listed faculty on `endedOn`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CourseCompletedData = Schema.Struct({
  studentId: StudentId,
  courseId: OpaqueId,
  facultyIds: FacultyIds,
  endedOn: CalendarDate
})

/**
 * @since 0.1.0
 * @category models
 */
export type CourseCompletedData = typeof CourseCompletedData.Type

/**
 * A student engaged with a faculty member in a course: a question, a discussion, a small-group session.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LectureEngagementRecordedData = Schema.Struct({
  studentId: StudentId,
  facultyId: FacultyId,
  courseId: OpaqueId,
  kind: LectureEngagementKind
})

/**
 * @since 0.1.0
 * @category models
 */
export type LectureEngagementRecordedData = typeof LectureEngagementRecordedData.Type

/**
 * A student started a role on a faculty member's research project.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResearchRoleStartedData = Schema.Struct({
  studentId: StudentId,
  facultyId: FacultyId,
  projectId: OpaqueId,
  role: ResearchRole
})

/**
 * @since 0.1.0
 * @category models
 */
export type ResearchRoleStartedData = typeof ResearchRoleStartedData.Type

/**
 * A student's role on a faculty member's research project ended.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResearchRoleEndedData = Schema.Struct({
  studentId: StudentId,
  facultyId: FacultyId,
  projectId: OpaqueId,
  role: ResearchRole
})

/**
 * @since 0.1.0
 * @category models
 */
export type ResearchRoleEndedData = typeof ResearchRoleEndedData.Type

/**
 * A student co-authored a publication with the listed faculty.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PublicationCoauthoredData = Schema.Struct({
  studentId: StudentId,
  facultyIds: FacultyIds,
  publicationId: OpaqueId
})

/**
 * @since 0.1.0
 * @category models
 */
export type PublicationCoauthoredData = typeof PublicationCoauthoredData.Type

/**
 * A student presented at a conference with the listed faculty.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ConferencePresentationGivenData = Schema.Struct({
  studentId: StudentId,
  facultyIds: FacultyIds,
  presentationId: OpaqueId
})

/**
 * @since 0.1.0
 * @category models
 */
export type ConferencePresentationGivenData = typeof ConferencePresentationGivenData.Type

/**
 * A faculty member gave a student direct clinical feedback, in a setting, on one or more domains.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ClinicalFeedbackGivenData = Schema.Struct({
  studentId: StudentId,
  facultyId: FacultyId,
  setting: ClinicalSetting,
  domains: choices(clinicalDomains)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ClinicalFeedbackGivenData = typeof ClinicalFeedbackGivenData.Type

/**
 * A faculty member checked in on a student's wellbeing or encouraged them. Sensitive: it carries no free text by design, is counted only in aggregates, never shown per student, and never counts toward letters or the advocate tier.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SupportCheckInHeldData = Schema.Struct({
  studentId: StudentId,
  facultyId: FacultyId,
  kind: SupportKind
})

/**
 * @since 0.1.0
 * @category models
 */
export type SupportCheckInHeldData = typeof SupportCheckInHeldData.Type

/**
 * The faculty member agreed to write the letter `letterId`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LetterCommittedData = Schema.Struct({
  studentId: StudentId,
  facultyId: FacultyId,
  letterId: OpaqueId
})

/**
 * @since 0.1.0
 * @category models
 */
export type LetterCommittedData = typeof LetterCommittedData.Type

/**
 * The faculty member declined to write the letter `letterId`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LetterDeclinedData = Schema.Struct({
  studentId: StudentId,
  facultyId: FacultyId,
  letterId: OpaqueId
})

/**
 * @since 0.1.0
 * @category models
 */
export type LetterDeclinedData = typeof LetterDeclinedData.Type

/**
 * The system that delivered a follow-up reports that it nudged the student, so that the effect of nudges can be measured. `facultyId` names the faculty member the follow-up is about, when there is one.
 *
 * @since 0.1.0
 * @category schemas
 */
export const NudgeSentData = Schema.Struct({
  studentId: StudentId,
  facultyId: Schema.optionalKey(FacultyId),
  followUpId: OpaqueId,
  ruleId: OpaqueId,
  channel: Channel
})

/**
 * @since 0.1.0
 * @category models
 */
export type NudgeSentData = typeof NudgeSentData.Type

/**
 * A correction: the event `eventId` (of the same school) is withdrawn; folds and read models drop its contribution.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EventRetractedData = Schema.Struct({
  eventId: EventId,
  reason: Reason
})

/**
 * @since 0.1.0
 * @category models
 */
export type EventRetractedData = typeof EventRetractedData.Type

/**
 * The school asked for a student's data to be erased.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StudentErasureRequestedData = Schema.Struct({
  studentId: StudentId
})

/**
 * @since 0.1.0
 * @category models
 */
export type StudentErasureRequestedData = typeof StudentErasureRequestedData.Type
