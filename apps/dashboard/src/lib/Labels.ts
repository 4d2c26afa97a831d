/**
 * The school's words for the API's identifiers: tiers, follow-up rules, event types,
 * dimensions and letter states, and dates and instants written for a dean. Unknown
 * identifiers (a rule a school added itself) read as themselves, made readable.
 *
 * It must never change a value, only how it reads.
 *
 * @since 0.1.0
 */

/**
 * The relationship tiers, weakest first.
 *
 * @since 0.1.0
 * @category models
 */
export const tiers = ["none", "acquainted", "developing", "strong", "advocate"] as const

/**
 * @since 0.1.0
 * @category models
 */
export type Tier = (typeof tiers)[number]

const tierLabels: Record<Tier, string> = {
  none: "No relationship",
  acquainted: "Acquainted",
  developing: "Developing",
  strong: "Strong",
  advocate: "Advocate"
}

// In the words of docs/scoring.md ("The tiers"), with what each tier asks besides strength.
const tierDescriptions: Record<Tier, string> = {
  none: "No contact to speak of.",
  acquainted: "They have met: contact in at least 1 week.",
  developing:
    "Contact in more than one week: at least 2 weeks with contact (or a letter, or a rotation with feedback).",
  strong:
    "Regular contact of more than one kind: at least 2 dimensions and 3 weeks with contact (or a letter, or a rotation with feedback).",
  advocate:
    "Knows the student well enough to write a strong letter: at least 2 dimensions and 4 weeks with contact, or a committed letter or a rotation they supervised with feedback."
}

/**
 * @since 0.1.0
 * @category labels
 */
export const tierLabel = (tier: string): string => (isTier(tier) ? tierLabels[tier] : readable(tier))

/**
 * @since 0.1.0
 * @category labels
 */
export const tierDescription = (tier: string): string => (isTier(tier) ? tierDescriptions[tier] : "")

/**
 * The stages of medical school, in order (core's `Stage`, as the API answers them).
 *
 * @since 0.5.0
 * @category labels
 */
export const stages = ["new", "pre-clinical", "clinical", "applying"] as const

const stageLabels: Readonly<Record<(typeof stages)[number], string>> = {
  new: "New (first semester)",
  "pre-clinical": "Pre-clinical",
  clinical: "Clinical",
  applying: "Applying (residency)"
}

/**
 * @since 0.5.0
 * @category labels
 */
export const stageLabel = (stage: string): string => {
  const known = stages.find((s) => s === stage)
  return known === undefined ? readable(stage) : stageLabels[known]
}

/**
 * @since 0.1.0
 * @category guards
 */
export const isTier = (value: string): value is Tier => tiers.some((tier) => tier === value)

const ruleLabels: Record<string, string> = {
  "thank-you": "Thank-you after a rotation or course",
  "stay-in-touch": "Stay in touch with strong relationships",
  "mentor-cadence": "Assigned mentor meetings",
  "letter-readiness": "Letter readiness before applications",
  "letter-pipeline": "Letters requested, not yet committed or submitted",
  "early-office-hours": "Early office hours in a course",
  "research-follow-through": "Research follow-through",
  outreach: "Reach out to a student without faculty contact"
}

/**
 * @since 0.1.0
 * @category labels
 */
export const ruleLabel = (ruleId: string): string => ruleLabels[ruleId] ?? readable(ruleId)

const eventLabels: Record<string, string> = {
  OfficeHoursVisited: "Office hours",
  MentorshipMeetingHeld: "Mentorship meeting",
  RotationCompleted: "Rotation completed",
  FollowUpSent: "Follow-up sent",
  LetterRequested: "Letter requested",
  LetterCommitted: "Letter committed",
  LetterDeclined: "Letter declined",
  LetterSubmitted: "Letter submitted",
  MentorAssigned: "Mentor assigned",
  MentorshipEnded: "Mentorship ended",
  CourseStarted: "Course started",
  CourseCompleted: "Course completed",
  LectureEngagementRecorded: "Engagement in class",
  ResearchRoleStarted: "Research role started",
  ResearchRoleEnded: "Research role ended",
  PublicationCoauthored: "Publication co-authored",
  ConferencePresentationGiven: "Conference presentation",
  ClinicalFeedbackGiven: "Clinical feedback",
  NudgeSent: "Nudge sent",
  StudentEnrolled: "Enrolled",
  SpecialtyDeclared: "Specialty declared",
  StudentStatusChanged: "Status changed"
}

/**
 * @since 0.1.0
 * @category labels
 */
export const eventLabel = (type: string): string => eventLabels[type] ?? readable(type)

/**
 * `letter-readiness` → "Letter readiness", `OfficeHoursVisited` → "Office hours visited".
 *
 * @since 0.1.0
 * @category labels
 */
export const readable = (id: string): string => {
  const words = id
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[-_]+/g, " ")
    .trim()
    .toLowerCase()
  return words.length === 0 ? id : words.charAt(0).toUpperCase() + words.slice(1)
}

const dateFormat = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  timeZone: "UTC"
})
const instantFormat = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit"
})
const monthFormat = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "short", timeZone: "UTC" })

/**
 * A calendar date `YYYY-MM-DD` (already in the school's time zone) as "Sep 28, 2026".
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatDate = (isoDate: string): string => {
  const date = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`)
  return Number.isNaN(date.getTime()) ? isoDate : dateFormat.format(date)
}

/**
 * An RFC 3339 instant in the reader's local time, or "never" for `null`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatInstant = (instant: string | null): string => {
  if (instant === null) return "never"
  const date = new Date(instant)
  return Number.isNaN(date.getTime()) ? instant : instantFormat.format(date)
}

/**
 * A month `YYYY-MM` as "Sep 2026".
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatMonth = (month: string): string => {
  const date = new Date(`${month}-01T00:00:00Z`)
  return Number.isNaN(date.getTime()) ? month : monthFormat.format(date)
}

/**
 * Whole days from one calendar date to another (negative when `to` is earlier).
 *
 * @since 0.1.0
 * @category formatting
 */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 86_400_000)

/**
 * Today's calendar date in the reader's time zone, `YYYY-MM-DD`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const today = (now: Date): string => {
  const pad = (n: number) => String(n).padStart(2, "0")
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}
