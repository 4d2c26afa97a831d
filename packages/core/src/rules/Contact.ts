/**
 * What counts as contact between a student and a faculty member for follow-up rules and
 * nudge effectiveness: an event in which the two dealt with each other — met, wrote,
 * worked, were observed or answered a request.
 *
 * It is the scoring's interactions minus four kinds, and the difference is deliberate:
 * - support check-ins: sensitive, never shown per student. A follow-up turning done (or
 *   a nudge "followed by contact") must not reveal that one took place;
 * - mentor assignments and course completions: administrative records, not a
 *   conversation — assigning a mentor does not mean the two have met;
 * - letter submissions: the letter goes to the programs, not to the student.
 *
 * This module only classifies events; it keeps no state.
 *
 * @since 0.1.0
 */
import { discretionaryKinds, isInteraction, kindOfType } from "../Contribution.js"
import type { EventOf, EventType, RapportEvent } from "../Event.js"

/**
 * The event types that are contact.
 *
 * @since 0.1.0
 * @category constants
 */
export const contactTypes = [
  "OfficeHoursVisited",
  "MentorshipMeetingHeld",
  "RotationCompleted",
  "FollowUpSent",
  "LectureEngagementRecorded",
  "ResearchRoleStarted",
  "PublicationCoauthored",
  "ConferencePresentationGiven",
  "ClinicalFeedbackGiven",
  "LetterRequested",
  "LetterCommitted",
  "LetterDeclined"
] as const satisfies ReadonlyArray<EventType>

/**
 * A type of contact event.
 *
 * @since 0.1.0
 * @category models
 */
export type ContactType = (typeof contactTypes)[number]

/**
 * A contact event.
 *
 * @since 0.1.0
 * @category models
 */
export type ContactEvent = EventOf<ContactType>

const contactTypeSet: ReadonlySet<string> = new Set<string>(contactTypes)

/**
 * Whether an event is contact between a student and one or more faculty members.
 *
 * @since 0.1.0
 * @category guards
 */
export const isContact = (event: RapportEvent): event is ContactEvent => contactTypeSet.has(event.type)

/**
 * The faculty members a contact event involves.
 *
 * @since 0.1.0
 * @category operations
 */
export const facultyOf = (event: ContactEvent): ReadonlyArray<string> => {
  switch (event.type) {
    case "RotationCompleted":
    case "PublicationCoauthored":
    case "ConferencePresentationGiven":
      return event.data.facultyIds
    default:
      return [event.data.facultyId]
  }
}

/**
 * The event types that are discretionary contact: contact someone chose — meetings, office
 * hours, notes, letters, research — as opposed to contact a schedule made (lecture
 * questions, a rotation's roster, feedback cards). Staleness is judged on these: a
 * relationship is not kept alive by sitting in the same lecture hall.
 *
 * It is the scoring's discretionary contact (`Contribution.discretionaryKinds`, which
 * isolation, staleness and proactivity use) restricted to contact types, plus a declined
 * letter request (a reply someone chose to give): a test holds the two together.
 *
 * @since 0.3.0
 * @category constants
 */
export const discretionaryTypes = [
  "OfficeHoursVisited",
  "MentorshipMeetingHeld",
  "FollowUpSent",
  "ResearchRoleStarted",
  "PublicationCoauthored",
  "ConferencePresentationGiven",
  "LetterRequested",
  "LetterCommitted",
  "LetterDeclined"
] as const satisfies ReadonlyArray<ContactType>

/**
 * A type of discretionary contact event.
 *
 * @since 0.3.0
 * @category models
 */
export type DiscretionaryType = (typeof discretionaryTypes)[number]

const discretionaryTypeSet: ReadonlySet<string> = new Set<string>(discretionaryTypes)

/**
 * Whether an event type is discretionary contact (see {@link discretionaryTypes}).
 *
 * @since 0.3.0
 * @category guards
 */
export const isDiscretionary = (eventType: string): eventType is DiscretionaryType =>
  discretionaryTypeSet.has(eventType)

/**
 * Whether a contact event involves a faculty member.
 *
 * @since 0.1.0
 * @category operations
 */
export const involves = (event: ContactEvent, facultyId: string): boolean => facultyOf(event).includes(facultyId)

/**
 * Whether an event is discretionary contact — contact someone chose: meetings, office
 * hours, notes, letters (requested, committed, submitted) and research — the contact that
 * isolation, staleness and proactivity are judged on (Contribution.discretionaryKinds).
 * Lecture engagement, course rosters, rotations and feedback cards are not.
 *
 * @since 0.3.0
 * @category guards
 */
export const discretionary = (event: RapportEvent): boolean =>
  isInteraction(event) && discretionaryKinds.has(kindOfType[event.type])
