/**
 * What one event adds to one student–faculty relationship: its kind, its weight (base
 * weight × duration × initiative), its instant and the dimensions it touches. This is the
 * single place where the event vocabulary meets the scoring model; docs/scoring.md's
 * table of kinds is this module in words.
 *
 * The five dimensions are mentorship, research, letters, clinical and support. Support
 * check-ins touch support only, and support is kept apart from everything shown per
 * student: it never enters a pair's score, tier, breadth, months or last contact (see
 * docs/scoring.md, "Why support is kept apart").
 *
 * This module allocates nothing per event but the contribution itself and reads nothing
 * but its arguments.
 *
 * @since 0.1.0
 */
import type { ScoringConfig, Weights } from "./Config.js"
import type { EventOf, RapportEvent } from "./Event.js"
import { interactionKey } from "./Strength.js"

/**
 * The kinds of interaction that build a relationship.
 *
 * @since 0.1.0
 * @category models
 */
export type InteractionKind = keyof Weights

/**
 * Every interaction kind, in the order of the weights table.
 *
 * @since 0.1.0
 * @category constants
 */
export const interactionKinds: ReadonlyArray<InteractionKind> = [
  "officeHours",
  "mentorshipMeeting",
  "rotation",
  "followUp",
  "letterRequested",
  "letterCommitted",
  "letterSubmitted",
  "lectureEngagement",
  "researchRole",
  "publication",
  "conferencePresentation",
  "clinicalFeedback",
  "supportCheckIn",
  "mentorAssigned",
  "courseCompleted"
]

/**
 * A dimension of a relationship.
 *
 * @since 0.1.0
 * @category models
 */
export type Dimension = "mentorship" | "research" | "letters" | "clinical" | "support"

/**
 * The five dimensions, and the bit each has in a dimension mask.
 *
 * @since 0.1.0
 * @category constants
 */
export const dimensionBits: { readonly [D in Dimension]: number } = {
  mentorship: 1,
  research: 2,
  letters: 4,
  clinical: 8,
  support: 16
}

/**
 * The dimensions in display order.
 *
 * @since 0.1.0
 * @category constants
 */
export const dimensions: ReadonlyArray<Dimension> = ["mentorship", "research", "letters", "clinical", "support"]

/**
 * The four dimensions that count toward a pair's score, tier and breadth.
 *
 * @since 0.1.0
 * @category constants
 */
export const scoredDimensions: ReadonlyArray<Dimension> = ["mentorship", "research", "letters", "clinical"]

/**
 * The mask of the scored dimensions.
 *
 * @since 0.1.0
 * @category constants
 */
export const scoredMask = 15

/**
 * The dimensions in a mask, in display order.
 *
 * @since 0.1.0
 * @category operations
 */
export const dimensionsOf = (mask: number): ReadonlyArray<Dimension> =>
  dimensions.filter((d) => (mask & dimensionBits[d]) !== 0)

/**
 * How many scored dimensions a mask touches (breadth).
 *
 * @since 0.1.0
 * @category operations
 */
export const breadthOf = (mask: number): number =>
  (mask & 1) + ((mask >> 1) & 1) + ((mask >> 2) & 1) + ((mask >> 3) & 1)

/**
 * The event types that create pair interactions.
 *
 * @since 0.1.0
 * @category constants
 */
export const interactionTypes = [
  "OfficeHoursVisited",
  "MentorshipMeetingHeld",
  "RotationCompleted",
  "FollowUpSent",
  "LetterRequested",
  "LetterCommitted",
  "LetterSubmitted",
  "LectureEngagementRecorded",
  "ResearchRoleStarted",
  "PublicationCoauthored",
  "ConferencePresentationGiven",
  "ClinicalFeedbackGiven",
  "SupportCheckInHeld",
  "MentorAssigned",
  "CourseCompleted"
] as const

/**
 * The interaction kind of each interaction event type (whose weight it takes).
 *
 * @since 0.1.0
 * @category constants
 */
export const kindOfType: { readonly [T in (typeof interactionTypes)[number]]: InteractionKind } = {
  OfficeHoursVisited: "officeHours",
  MentorshipMeetingHeld: "mentorshipMeeting",
  RotationCompleted: "rotation",
  FollowUpSent: "followUp",
  LetterRequested: "letterRequested",
  LetterCommitted: "letterCommitted",
  LetterSubmitted: "letterSubmitted",
  LectureEngagementRecorded: "lectureEngagement",
  ResearchRoleStarted: "researchRole",
  PublicationCoauthored: "publication",
  ConferencePresentationGiven: "conferencePresentation",
  ClinicalFeedbackGiven: "clinicalFeedback",
  SupportCheckInHeld: "supportCheckIn",
  MentorAssigned: "mentorAssigned",
  CourseCompleted: "courseCompleted"
}

/**
 * An event that creates pair interactions.
 *
 * @since 0.1.0
 * @category models
 */
export type InteractionEvent = EventOf<(typeof interactionTypes)[number]>

const interactionTypeSet: ReadonlySet<string> = new Set(interactionTypes)

/**
 * Whether an event creates pair interactions.
 *
 * @since 0.1.0
 * @category guards
 */
export const isInteraction = (event: RapportEvent): event is InteractionEvent => interactionTypeSet.has(event.type)

/**
 * The faculty member, or members, an interaction is with.
 *
 * @since 0.1.0
 * @category accessors
 */
export const facultyOf = (event: InteractionEvent): string | ReadonlyArray<string> =>
  "facultyIds" in event.data ? event.data.facultyIds : event.data.facultyId

/**
 * What one event adds to each pair it names (one object, shared by every faculty member
 * of the event). `weight` is final (base × duration × initiative); `key` is
 * `ln weight + λ·t` (see Strength.ts). Contributions are immutable.
 *
 * @since 0.1.0
 * @category models
 */
export interface Contribution {
  readonly event: InteractionEvent
  readonly kind: InteractionKind
  readonly atMs: number
  /** The month key, in the school's time zone, of `atMs`. */
  readonly month: number
  /** The week key (Monday to Sunday, school time zone) of `atMs`: the unit of sustained contact. */
  readonly week: number
  /**
   * The episode of repeated contact this belongs to within its pair: contributions of one
   * kind in one episode have diminishing returns (Repetition.ts): a course for lecture
   * engagement, the local month for feedback cards, meetings, office hours and notes.
   * `undefined` for the kinds that are one of a kind already — a completed course or
   * rotation, a letter event, a research role, a paper, a presentation, a mentor
   * assignment — each its own episode (and support, which is never scored).
   */
  readonly episode: string | number | undefined
  /** Discretionary contact (see `discretionaryKinds`), decided once per event. */
  readonly discretionary: boolean
  readonly weight: number
  readonly key: number
  readonly dimensions: number
  readonly studentInitiated: boolean
}

/**
 * The duration factor of a meeting: `clamp(sqrt(minutes / reference), floor, cap)`.
 *
 * @since 0.1.0
 * @category operations
 */
export const durationFactor = (minutes: number, config: Pick<ScoringConfig, "duration">): number => {
  const { cap, floor, referenceMinutes } = config.duration
  const f = Math.sqrt(minutes / referenceMinutes)
  return Math.min(cap, Math.max(floor, f))
}

const M = 1
const R = 2
const L = 4
const C = 8
const S = 16

/**
 * The week key of a local day: weeks run Monday to Sunday (day 0, 1970-01-01, was a
 * Thursday).
 *
 * @since 0.3.0
 * @category operations
 */
export const weekOfDay = (day: number): number => Math.floor((day + 3) / 7)

/**
 * The episode of an interaction within its pair (see `Contribution.episode`).
 *
 * @since 0.3.0
 * @category operations
 */
export const episodeOf = (event: InteractionEvent, month: number): string | number | undefined => {
  switch (event.type) {
    case "LectureEngagementRecorded":
      return event.data.courseId
    case "CourseCompleted":
    case "RotationCompleted":
    case "LetterRequested":
    case "LetterCommitted":
    case "LetterSubmitted":
    case "ResearchRoleStarted":
    case "PublicationCoauthored":
    case "ConferencePresentationGiven":
    case "MentorAssigned":
    case "SupportCheckInHeld":
      return undefined
    default:
      // A number for the monthly episodes, the most frequent: no string to build per event.
      return kindIndex[event.type] * 1_000_000 + month
  }
}

const kindIndex: { readonly [T in (typeof interactionTypes)[number]]: number } = {
  OfficeHoursVisited: 0,
  MentorshipMeetingHeld: 1,
  RotationCompleted: 2,
  FollowUpSent: 3,
  LetterRequested: 4,
  LetterCommitted: 5,
  LetterSubmitted: 6,
  LectureEngagementRecorded: 7,
  ResearchRoleStarted: 8,
  PublicationCoauthored: 9,
  ConferencePresentationGiven: 10,
  ClinicalFeedbackGiven: 11,
  SupportCheckInHeld: 12,
  MentorAssigned: 13,
  CourseCompleted: 14
}

// Every argument but the event's own is a constant at each call site below (the kind,
// its dimensions, its episode and whether it is discretionary), so that the hot path does
// no lookup keyed by the event's type but the one switch; `episodeOf` and
// `discretionaryKinds` say the same in one place each, and a test holds them equal.
const make = (
  event: InteractionEvent,
  kind: InteractionKind,
  atMs: number,
  day: number,
  month: number,
  config: ScoringConfig,
  lambda: number,
  dimensionMask: number,
  studentInitiated: boolean,
  factor: number,
  episode: string | number | undefined,
  discretionary: boolean
): Contribution => {
  const weight = config.weights[kind] * factor * (studentInitiated ? config.studentInitiative : 1)
  return {
    event,
    kind,
    atMs,
    month,
    week: weekOfDay(day),
    episode,
    discretionary,
    weight,
    key: interactionKey(weight, atMs, lambda),
    dimensions: dimensionMask,
    studentInitiated
  }
}

/**
 * The contribution of an interaction event at `atMs` (its parsed `occurredAt`), on local
 * day `day` (Calendar.dayOf) of month `month` (Calendar.monthOfDay of that day).
 *
 * Dimensions: office hours → mentorship (+ research when the topic is research);
 * mentorship meetings → mentorship (+ research, + clinical by topic); rotations, clinical
 * feedback → clinical; letters → letters; research roles, publications, presentations →
 * research; follow-ups, lecture engagement, mentor assignment, courses → mentorship;
 * support check-ins → support only. Student-initiated: office hours the student asked for,
 * follow-ups and letter requests.
 *
 * @since 0.1.0
 * @category constructors
 */
export const contributionOf = (
  event: InteractionEvent,
  atMs: number,
  day: number,
  month: number,
  config: ScoringConfig,
  lambda: number
): Contribution => {
  switch (event.type) {
    case "OfficeHoursVisited": {
      const d = event.data
      const dims = d.topic === "research" ? M | R : M
      const factor = durationFactor(d.durationMinutes, config)
      const initiated = d.initiatedBy === "student"
      return make(event, "officeHours", atMs, day, month, config, lambda, dims, initiated, factor, month, true)
    }
    case "MentorshipMeetingHeld": {
      const d = event.data
      let dims = M
      for (const topic of d.topics) {
        if (topic === "research") dims |= R
        else if (topic === "clinical-practice") dims |= C
      }
      const factor = durationFactor(d.durationMinutes, config)
      const episode = 1_000_000 + month
      return make(event, "mentorshipMeeting", atMs, day, month, config, lambda, dims, false, factor, episode, true)
    }
    case "RotationCompleted":
      return make(event, "rotation", atMs, day, month, config, lambda, C, false, 1, undefined, false)
    case "FollowUpSent":
      return make(event, "followUp", atMs, day, month, config, lambda, M, true, 1, 3_000_000 + month, true)
    case "LetterRequested":
      return make(event, "letterRequested", atMs, day, month, config, lambda, L, true, 1, undefined, true)
    case "LetterCommitted":
      return make(event, "letterCommitted", atMs, day, month, config, lambda, L, false, 1, undefined, true)
    case "LetterSubmitted":
      return make(event, "letterSubmitted", atMs, day, month, config, lambda, L, false, 1, undefined, true)
    case "LectureEngagementRecorded": {
      const episode = event.data.courseId
      return make(event, "lectureEngagement", atMs, day, month, config, lambda, M, false, 1, episode, false)
    }
    case "ResearchRoleStarted":
      return make(event, "researchRole", atMs, day, month, config, lambda, R, false, 1, undefined, true)
    case "PublicationCoauthored":
      return make(event, "publication", atMs, day, month, config, lambda, R, false, 1, undefined, true)
    case "ConferencePresentationGiven":
      return make(event, "conferencePresentation", atMs, day, month, config, lambda, R, false, 1, undefined, true)
    case "ClinicalFeedbackGiven":
      return make(event, "clinicalFeedback", atMs, day, month, config, lambda, C, false, 1, 11_000_000 + month, false)
    case "SupportCheckInHeld":
      return make(event, "supportCheckIn", atMs, day, month, config, lambda, S, false, 1, undefined, false)
    case "MentorAssigned":
      return make(event, "mentorAssigned", atMs, day, month, config, lambda, M, false, 1, undefined, false)
    case "CourseCompleted":
      return make(event, "courseCompleted", atMs, day, month, config, lambda, M, false, 1, undefined, false)
  }
}

/**
 * Whether a contribution is a support check-in (kept out of everything shown per student).
 *
 * @since 0.1.0
 * @category guards
 */
export const isSupport = (contribution: Pick<Contribution, "dimensions">): boolean =>
  contribution.dimensions === dimensionBits.support

/**
 * Whether a contribution is mentoring contact (a mentorship meeting or an office-hours
 * visit), which keeps a pair an active mentoring pair.
 *
 * @since 0.1.0
 * @category guards
 */
export const isMentoringContact = (contribution: Pick<Contribution, "kind">): boolean =>
  contribution.kind === "mentorshipMeeting" || contribution.kind === "officeHours"

/**
 * The interaction kinds that are discretionary contact: contact someone chose to seek or
 * give — meetings, office hours, notes, letters and research — as opposed to what the
 * curriculum brings about (lecture questions, course rosters, rotations, feedback cards)
 * or records (mentor assignments). Isolation, staleness and proactivity are judged on
 * these alone (docs/scoring.md, "Discretionary contact"). Support check-ins are never
 * counted per student.
 *
 * @since 0.3.0
 * @category constants
 */
export const discretionaryKinds: ReadonlySet<InteractionKind> = new Set<InteractionKind>([
  "officeHours",
  "mentorshipMeeting",
  "followUp",
  "letterRequested",
  "letterCommitted",
  "letterSubmitted",
  "researchRole",
  "publication",
  "conferencePresentation"
])

const discretionaryByKind: { readonly [K in InteractionKind]: boolean } = {
  officeHours: true,
  mentorshipMeeting: true,
  followUp: true,
  letterRequested: true,
  letterCommitted: true,
  letterSubmitted: true,
  researchRole: true,
  publication: true,
  conferencePresentation: true,
  lectureEngagement: false,
  rotation: false,
  clinicalFeedback: false,
  supportCheckIn: false,
  mentorAssigned: false,
  courseCompleted: false
}

/**
 * Whether a contribution is discretionary contact (see `discretionaryKinds`).
 *
 * @since 0.3.0
 * @category guards
 */
export const isDiscretionary = (contribution: Pick<Contribution, "kind">): boolean =>
  discretionaryByKind[contribution.kind]

/**
 * Whether a contribution is a letter event (requested, committed, submitted). Isolation
 * leaves them out: every applicant asks for letters, related or not.
 *
 * @since 0.3.0
 * @category guards
 */
export const isLetter = (contribution: Pick<Contribution, "kind">): boolean =>
  contribution.kind === "letterRequested" ||
  contribution.kind === "letterCommitted" ||
  contribution.kind === "letterSubmitted"

/**
 * Orders contributions by instant, then event id: the order of the sorted history.
 *
 * @since 0.1.0
 * @category ordering
 */
export const byTime = (a: Contribution, b: Contribution): number =>
  a.atMs - b.atMs || (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0)
