/**
 * The event vocabulary of Rapport: every event type, the schema of its payload, and the
 * envelope that carries it (`id`, `type`, `v`, `occurredAt`, `source`, `data`).
 *
 * A `RapportEvent` is a decoded event (see Decode.ts): its payload has passed its schema,
 * it is at the current version of its type, its `id` is lower-case and its `occurredAt`
 * is the UTC instant `YYYY-MM-DDTHH:mm:ss.sssZ`, so folds may compare instants as strings.
 * This module declares and never decodes, reads clocks or performs I/O.
 *
 * @since 0.1.0
 */
import type * as Schema from "effect/Schema"
import {
  StudentEnrolledData,
  FacultyJoinedData,
  OfficeHoursVisitedData,
  MentorshipMeetingHeldData,
  RotationCompletedData,
  FollowUpSentData,
  LetterRequestedData,
  LetterSubmittedData,
  StudentStatusChangedData,
  SpecialtyDeclaredData,
  FacultyLeftData,
  MentorAssignedData,
  MentorshipEndedData,
  CourseStartedData,
  CourseCompletedData,
  LectureEngagementRecordedData,
  ResearchRoleStartedData,
  ResearchRoleEndedData,
  PublicationCoauthoredData,
  ConferencePresentationGivenData,
  ClinicalFeedbackGivenData,
  SupportCheckInHeldData,
  LetterCommittedData,
  LetterDeclinedData,
  NudgeSentData,
  EventRetractedData,
  StudentErasureRequestedData
} from "./EventData.js"

export * from "./EventData.js"

/**
 * The name of an event type.
 *
 * @since 0.1.0
 * @category models
 */
export type EventType =
  | "StudentEnrolled"
  | "FacultyJoined"
  | "OfficeHoursVisited"
  | "MentorshipMeetingHeld"
  | "RotationCompleted"
  | "FollowUpSent"
  | "LetterRequested"
  | "LetterSubmitted"
  | "StudentStatusChanged"
  | "SpecialtyDeclared"
  | "FacultyLeft"
  | "MentorAssigned"
  | "MentorshipEnded"
  | "CourseStarted"
  | "CourseCompleted"
  | "LectureEngagementRecorded"
  | "ResearchRoleStarted"
  | "ResearchRoleEnded"
  | "PublicationCoauthored"
  | "ConferencePresentationGiven"
  | "ClinicalFeedbackGiven"
  | "SupportCheckInHeld"
  | "LetterCommitted"
  | "LetterDeclined"
  | "NudgeSent"
  | "EventRetracted"
  | "StudentErasureRequested"

/**
 * The payload type of each event type.
 *
 * @since 0.1.0
 * @category models
 */
export interface DataByType {
  readonly StudentEnrolled: StudentEnrolledData
  readonly FacultyJoined: FacultyJoinedData
  readonly OfficeHoursVisited: OfficeHoursVisitedData
  readonly MentorshipMeetingHeld: MentorshipMeetingHeldData
  readonly RotationCompleted: RotationCompletedData
  readonly FollowUpSent: FollowUpSentData
  readonly LetterRequested: LetterRequestedData
  readonly LetterSubmitted: LetterSubmittedData
  readonly StudentStatusChanged: StudentStatusChangedData
  readonly SpecialtyDeclared: SpecialtyDeclaredData
  readonly FacultyLeft: FacultyLeftData
  readonly MentorAssigned: MentorAssignedData
  readonly MentorshipEnded: MentorshipEndedData
  readonly CourseStarted: CourseStartedData
  readonly CourseCompleted: CourseCompletedData
  readonly LectureEngagementRecorded: LectureEngagementRecordedData
  readonly ResearchRoleStarted: ResearchRoleStartedData
  readonly ResearchRoleEnded: ResearchRoleEndedData
  readonly PublicationCoauthored: PublicationCoauthoredData
  readonly ConferencePresentationGiven: ConferencePresentationGivenData
  readonly ClinicalFeedbackGiven: ClinicalFeedbackGivenData
  readonly SupportCheckInHeld: SupportCheckInHeldData
  readonly LetterCommitted: LetterCommittedData
  readonly LetterDeclined: LetterDeclinedData
  readonly NudgeSent: NudgeSentData
  readonly EventRetracted: EventRetractedData
  readonly StudentErasureRequested: StudentErasureRequestedData
}

/**
 * The payload type of one event type.
 *
 * @since 0.1.0
 * @category models
 */
export type DataOf<T extends EventType> = DataByType[T]

/**
 * The payload schema of each event type at its current version. The schemas validate
 * and never transform, except that an event id in a payload (`EventRetracted.eventId`)
 * is lower-cased like the envelope's.
 *
 * @since 0.1.0
 * @category schemas
 */
export const dataSchemas: { readonly [T in EventType]: Schema.Codec<DataOf<T>> } = {
  StudentEnrolled: StudentEnrolledData,
  FacultyJoined: FacultyJoinedData,
  OfficeHoursVisited: OfficeHoursVisitedData,
  MentorshipMeetingHeld: MentorshipMeetingHeldData,
  RotationCompleted: RotationCompletedData,
  FollowUpSent: FollowUpSentData,
  LetterRequested: LetterRequestedData,
  LetterSubmitted: LetterSubmittedData,
  StudentStatusChanged: StudentStatusChangedData,
  SpecialtyDeclared: SpecialtyDeclaredData,
  FacultyLeft: FacultyLeftData,
  MentorAssigned: MentorAssignedData,
  MentorshipEnded: MentorshipEndedData,
  CourseStarted: CourseStartedData,
  CourseCompleted: CourseCompletedData,
  LectureEngagementRecorded: LectureEngagementRecordedData,
  ResearchRoleStarted: ResearchRoleStartedData,
  ResearchRoleEnded: ResearchRoleEndedData,
  PublicationCoauthored: PublicationCoauthoredData,
  ConferencePresentationGiven: ConferencePresentationGivenData,
  ClinicalFeedbackGiven: ClinicalFeedbackGivenData,
  SupportCheckInHeld: SupportCheckInHeldData,
  LetterCommitted: LetterCommittedData,
  LetterDeclined: LetterDeclinedData,
  NudgeSent: NudgeSentData,
  EventRetracted: EventRetractedData,
  StudentErasureRequested: StudentErasureRequestedData
}

/**
 * Every event type, fixed types first, in the order of the reference (docs/events.md).
 *
 * @since 0.1.0
 * @category constants
 */
export const eventTypes: ReadonlyArray<EventType> = [
  "StudentEnrolled",
  "FacultyJoined",
  "OfficeHoursVisited",
  "MentorshipMeetingHeld",
  "RotationCompleted",
  "FollowUpSent",
  "LetterRequested",
  "LetterSubmitted",
  "StudentStatusChanged",
  "SpecialtyDeclared",
  "FacultyLeft",
  "MentorAssigned",
  "MentorshipEnded",
  "CourseStarted",
  "CourseCompleted",
  "LectureEngagementRecorded",
  "ResearchRoleStarted",
  "ResearchRoleEnded",
  "PublicationCoauthored",
  "ConferencePresentationGiven",
  "ClinicalFeedbackGiven",
  "SupportCheckInHeld",
  "LetterCommitted",
  "LetterDeclined",
  "NudgeSent",
  "EventRetracted",
  "StudentErasureRequested"
]

/**
 * The eight types whose names and fields are a published contract.
 *
 * @since 0.1.0
 * @category constants
 */
export const fixedEventTypes: ReadonlyArray<EventType> = [
  "StudentEnrolled",
  "FacultyJoined",
  "OfficeHoursVisited",
  "MentorshipMeetingHeld",
  "RotationCompleted",
  "FollowUpSent",
  "LetterRequested",
  "LetterSubmitted"
]

const knownTypes: ReadonlySet<string> = new Set<string>(eventTypes)

/**
 * Whether a string names an event type. Safe for any string (`__proto__`,
 * `constructor`, …).
 *
 * @since 0.1.0
 * @category guards
 */
export const isEventType = (value: string): value is EventType => knownTypes.has(value)

/**
 * The envelope of an event of type `T` with payload `D`.
 *
 * - `id`: a UUID chosen by the sender, the idempotency key within a school (lower-case
 *   once decoded);
 * - `v`: the schema version of the payload (after decoding, always the current one);
 * - `occurredAt`: when it happened, as the UTC instant `YYYY-MM-DDTHH:mm:ss.sssZ` once
 *   decoded;
 * - `source`: the posting system, when it said so.
 *
 * @since 0.1.0
 * @category models
 */
export interface Envelope<T extends EventType, D> {
  readonly id: string
  readonly type: T
  readonly v: number
  readonly occurredAt: string
  readonly source?: string
  readonly data: D
}

/**
 * The decoded event of each type.
 *
 * @since 0.1.0
 * @category models
 */
export type EventByType = { readonly [T in EventType]: Envelope<T, DataOf<T>> }

/**
 * A decoded event of any type, discriminated on `type`.
 *
 * @since 0.1.0
 * @category models
 */
export type RapportEvent = EventByType[EventType]

/**
 * The decoded event of one type.
 *
 * @since 0.1.0
 * @category models
 */
export type EventOf<T extends EventType> = Extract<RapportEvent, { readonly type: T }>

/**
 * The newest version of each type's payload: the `v` every decoded event carries. The
 * older versions and their upcasters are in Upcast.ts, whose table must agree with this
 * one (a test checks it).
 *
 * @since 0.1.0
 * @category constants
 */
export const currentVersions: { readonly [T in EventType]: number } = {
  StudentEnrolled: 1,
  FacultyJoined: 1,
  OfficeHoursVisited: 1,
  MentorshipMeetingHeld: 1,
  RotationCompleted: 1,
  FollowUpSent: 1,
  LetterRequested: 1,
  LetterSubmitted: 1,
  StudentStatusChanged: 1,
  SpecialtyDeclared: 1,
  FacultyLeft: 1,
  MentorAssigned: 2,
  MentorshipEnded: 2,
  CourseStarted: 1,
  CourseCompleted: 1,
  LectureEngagementRecorded: 1,
  ResearchRoleStarted: 1,
  ResearchRoleEnded: 1,
  PublicationCoauthored: 1,
  ConferencePresentationGiven: 1,
  ClinicalFeedbackGiven: 1,
  SupportCheckInHeld: 1,
  LetterCommitted: 1,
  LetterDeclined: 1,
  NudgeSent: 1,
  EventRetracted: 1,
  StudentErasureRequested: 1
}

/**
 * What a caller gives to build an event in code with {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface EventParts<D> {
  readonly id: string
  readonly occurredAt: string
  readonly source?: string
  readonly data: D
}

const maker =
  <T extends EventType>(type: T) =>
  (parts: EventParts<DataOf<T>>): Envelope<T, DataOf<T>> => {
    const { id, occurredAt, data } = parts
    const v = currentVersions[type]
    return parts.source === undefined
      ? { id, type, v, occurredAt, data }
      : { id, type, v, occurredAt, source: parts.source, data }
  }

// One entry per type, so that each event is built as its own member of the union; `make`
// then looks its type up generically.
const makers: { readonly [T in EventType]: (parts: EventParts<DataOf<T>>) => EventByType[T] } = {
  StudentEnrolled: maker("StudentEnrolled"),
  FacultyJoined: maker("FacultyJoined"),
  OfficeHoursVisited: maker("OfficeHoursVisited"),
  MentorshipMeetingHeld: maker("MentorshipMeetingHeld"),
  RotationCompleted: maker("RotationCompleted"),
  FollowUpSent: maker("FollowUpSent"),
  LetterRequested: maker("LetterRequested"),
  LetterSubmitted: maker("LetterSubmitted"),
  StudentStatusChanged: maker("StudentStatusChanged"),
  SpecialtyDeclared: maker("SpecialtyDeclared"),
  FacultyLeft: maker("FacultyLeft"),
  MentorAssigned: maker("MentorAssigned"),
  MentorshipEnded: maker("MentorshipEnded"),
  CourseStarted: maker("CourseStarted"),
  CourseCompleted: maker("CourseCompleted"),
  LectureEngagementRecorded: maker("LectureEngagementRecorded"),
  ResearchRoleStarted: maker("ResearchRoleStarted"),
  ResearchRoleEnded: maker("ResearchRoleEnded"),
  PublicationCoauthored: maker("PublicationCoauthored"),
  ConferencePresentationGiven: maker("ConferencePresentationGiven"),
  ClinicalFeedbackGiven: maker("ClinicalFeedbackGiven"),
  SupportCheckInHeld: maker("SupportCheckInHeld"),
  LetterCommitted: maker("LetterCommitted"),
  LetterDeclined: maker("LetterDeclined"),
  NudgeSent: maker("NudgeSent"),
  EventRetracted: maker("EventRetracted"),
  StudentErasureRequested: maker("StudentErasureRequested")
}

/**
 * Builds an event of type `T` at the current version from values the caller already
 * trusts (fixtures, simulators, tests). It validates nothing: give a lower-case UUID and
 * `occurredAt` as a UTC instant `YYYY-MM-DDTHH:mm:ss.sssZ`, as decoding would, and use
 * `Decode.decodeEvent` for anything from outside.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <T extends EventType>(type: T, parts: EventParts<DataOf<T>>): EventByType[T] => makers[type](parts)
