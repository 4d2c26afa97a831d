/**
 * How well a student and a faculty member know each other, as the simulator itself sees
 * it: the behaviour model uses it to choose whom a student asks for letters, stays in
 * touch with, or is nudged about. Each interaction adds what @rapport/core's default
 * scoring would add (base weight × duration × student initiative, decaying with its
 * half-life), and the tie remembers the dimensions touched, the months with contact and
 * the last contact — so that the nudging system's idea of "a strong relationship gone
 * quiet" matches the follow-up core will raise.
 *
 * The simulator never reads core's scores of its own output: only these defaults.
 *
 * @since 0.1.0
 */
import { Config, Contact, Contribution, type Event } from "@rapport/core"
import { monthIndex } from "./SchoolTime.js"

/**
 * A tie: `strength` as of `at`, the scored dimensions ever touched (`mask`, core's bits),
 * the months with contact, and the last contact.
 *
 * @since 0.1.0
 * @category models
 */
export interface Tie {
  strength: number
  at: number
  last: number
  contacts: number
  mask: number
  readonly months: Array<number>
}

/**
 * What one event does to a tie: its weight, the dimensions it touches, and whether it is
 * contact (the event types core's follow-up rules count as contact).
 *
 * @since 0.1.0
 * @category models
 */
export interface Impact {
  readonly weight: number
  readonly mask: number
  readonly contact: boolean
}

// The simulator's own sense of a tie keeps the scoring model it was calibrated on (core's
// defaults before issue #16: rotations 3, feedback cards 1.5, tiers on calendar months), so
// that the simulated school does not change when core's scoring does.
const config = Config.defaultConfig
const w = { ...config.weights, rotation: 3, clinicalFeedback: 1.5 }
const tieTiers = {
  strong: { strength: 6, breadth: 2, months: 3 },
  advocate: { strength: 10, breadth: 2, months: 4 }
} as const
const initiative = config.studentInitiative
const contactTypes: ReadonlySet<string> = new Set<string>(Contact.contactTypes)
const [M, R, L, C] = [1, 2, 4, 8]
const none: Impact = { weight: 0, mask: 0, contact: false }
const declined: Impact = { weight: 0, mask: 0, contact: true }

const minutes = (data: Readonly<Record<string, unknown>>): number =>
  typeof data.durationMinutes === "number" ? Contribution.durationFactor(data.durationMinutes, config) : 1

/**
 * The impact of an event on the ties it names. Support check-ins have none: they never
 * count toward letters or advocates.
 *
 * @since 0.1.0
 * @category operations
 */
export const impactOf = (type: Event.EventType, data: Readonly<Record<string, unknown>>): Impact => {
  const contact = contactTypes.has(type)
  switch (type) {
    case "OfficeHoursVisited":
      return {
        weight: w.officeHours * minutes(data) * (data.initiatedBy === "student" ? initiative : 1),
        mask: data.topic === "research" ? M | R : M,
        contact
      }
    case "MentorshipMeetingHeld": {
      const topics = Array.isArray(data.topics) ? data.topics : []
      const mask = M | (topics.includes("research") ? R : 0) | (topics.includes("clinical-practice") ? C : 0)
      return { weight: w.mentorshipMeeting * minutes(data), mask, contact }
    }
    case "RotationCompleted":
      return { weight: w.rotation, mask: C, contact }
    case "ClinicalFeedbackGiven":
      return { weight: w.clinicalFeedback, mask: C, contact }
    case "FollowUpSent":
      return { weight: w.followUp * initiative, mask: M, contact }
    case "LetterRequested":
      return { weight: w.letterRequested * initiative, mask: L, contact }
    case "LetterCommitted":
      return { weight: w.letterCommitted, mask: L, contact }
    case "LetterSubmitted":
      return { weight: w.letterSubmitted, mask: L, contact }
    case "LectureEngagementRecorded":
      return { weight: w.lectureEngagement, mask: M, contact }
    case "ResearchRoleStarted":
      return { weight: w.researchRole, mask: R, contact }
    case "PublicationCoauthored":
      return { weight: w.publication, mask: R, contact }
    case "ConferencePresentationGiven":
      return { weight: w.conferencePresentation, mask: R, contact }
    case "MentorAssigned":
      return { weight: w.mentorAssigned, mask: M, contact }
    case "CourseCompleted":
      // A course roster names its directors for every student: being on it is not knowing them.
      return none
    case "LetterDeclined":
      return declined
    default:
      return none
  }
}

/**
 * The strength of a tie at an instant.
 *
 * @since 0.1.0
 * @category operations
 */
export const strengthAt = (tie: Tie | undefined, instant: number, halfLifeMs: number): number =>
  tie === undefined ? 0 : tie.strength * 2 ** (-(instant - tie.at) / halfLifeMs)

/**
 * Whether a tie looks like one of core's tiers at an instant: its strength, breadth and
 * months with contact at least the tier's (core's default thresholds).
 *
 * @since 0.2.0
 * @category operations
 */
export const looksLike = (tie: Tie, tier: "strong" | "advocate", instant: number, halfLifeMs: number): boolean => {
  const thresholds = tieTiers[tier]
  const breadth = (tie.mask & 1) + ((tie.mask >> 1) & 1) + ((tie.mask >> 2) & 1) + ((tie.mask >> 3) & 1)
  return (
    strengthAt(tie, instant, halfLifeMs) >= thresholds.strength &&
    breadth >= thresholds.breadth &&
    tie.months.length >= thresholds.months
  )
}

/**
 * Whether a tie looks like core's "strong" tier at an instant: strength 6, two dimensions,
 * three months with contact (core's default thresholds).
 *
 * @since 0.1.0
 * @category operations
 */
export const looksStrong = (tie: Tie, instant: number, halfLifeMs: number): boolean =>
  looksLike(tie, "strong", instant, halfLifeMs)

/**
 * Applies an impact at an instant to a tie (made if missing).
 *
 * @since 0.1.0
 * @category operations
 */
export const strengthen = (
  ties: Map<unknown, Tie>,
  key: unknown,
  instant: number,
  impact: Impact,
  halfLifeMs: number
): void => {
  let tie = ties.get(key)
  if (tie === undefined) {
    tie = { strength: 0, at: instant, last: Number.NEGATIVE_INFINITY, contacts: 0, mask: 0, months: [] }
    ties.set(key, tie)
  }
  if (instant >= tie.at) {
    tie.strength = strengthAt(tie, instant, halfLifeMs) + impact.weight
    tie.at = instant
  } else {
    tie.strength += impact.weight * 2 ** (-(tie.at - instant) / halfLifeMs)
  }
  tie.mask |= impact.mask
  if (impact.weight > 0) {
    const month = monthIndex(instant)
    if (!tie.months.includes(month)) tie.months.push(month)
  }
  if (impact.contact) {
    tie.last = Math.max(tie.last, instant)
    tie.contacts++
  }
}
