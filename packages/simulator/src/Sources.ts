/**
 * The school's source systems and how each posts its events: which event types it owns,
 * how it writes instants (UTC or the school's offset, with or without milliseconds),
 * whether it sends `v`, how long it usually takes to deliver (minutes for interactive
 * systems, a nightly batch for the LMS and the registrar) and how prone it is to
 * delivering late.
 *
 * Plain data and small pure functions of a random draw; this module never decides on its
 * own what happens to a given event (Delivery.ts does).
 *
 * @since 0.1.0
 */
import type { Event } from "@rapport/core"
import type { Random } from "./Random.js"
import { DAY, HOUR, type InstantStyle, MINUTE, offsetMinutes } from "./SchoolTime.js"

/**
 * A source system of the synthetic school.
 *
 * - `style`: how it writes `occurredAt`;
 * - `sendsVersion`: whether it writes `v` (those that do not send version-1 types only);
 * - `batch`: delivers in a nightly batch at about this local hour, else within `minutes`;
 * - `lateness`: relative propensity to deliver days or weeks late (1 = the school average).
 *
 * @since 0.1.0
 * @category models
 */
export interface SourceSystem {
  readonly name: string
  readonly style: InstantStyle
  readonly sendsVersion: boolean
  readonly batchHour: number | undefined
  readonly minutes: readonly [number, number]
  readonly lateness: number
}

/**
 * The source systems.
 *
 * @since 0.1.0
 * @category constants
 */
export const sourceSystems: ReadonlyArray<SourceSystem> = [
  { name: "registrar", style: "utc", sendsVersion: false, batchHour: 1, minutes: [0, 0], lateness: 0.3 },
  { name: "scheduling", style: "offset", sendsVersion: true, batchHour: undefined, minutes: [1, 15], lateness: 0.6 },
  { name: "lms", style: "utc-ms", sendsVersion: true, batchHour: 2, minutes: [0, 0], lateness: 0.8 },
  {
    name: "clinical-evals",
    style: "offset-ms",
    sendsVersion: true,
    batchHour: undefined,
    minutes: [10, 480],
    lateness: 2.6
  },
  { name: "research-admin", style: "utc", sendsVersion: true, batchHour: undefined, minutes: [60, 360], lateness: 2 },
  {
    name: "letters-tracker",
    style: "offset",
    sendsVersion: true,
    batchHour: undefined,
    minutes: [1, 10],
    lateness: 0.6
  },
  { name: "advising-app", style: "utc-ms", sendsVersion: true, batchHour: undefined, minutes: [1, 5], lateness: 0.8 }
]

const byName = new Map(sourceSystems.map((system) => [system.name, system]))

/**
 * A source system by name (unknown names get the advising app's habits).
 *
 * @since 0.1.0
 * @category operations
 */
export const system = (name: string): SourceSystem => byName.get(name) ?? (sourceSystems[6] as SourceSystem)

/**
 * The system that posts each event type (`EventRetracted` is posted by the system that
 * posted the retracted event; research meetings come from scheduling).
 *
 * @since 0.1.0
 * @category constants
 */
export const sourceOfType: { readonly [T in Event.EventType]: string } = {
  StudentEnrolled: "registrar",
  StudentStatusChanged: "registrar",
  StudentErasureRequested: "registrar",
  FacultyJoined: "registrar",
  FacultyLeft: "registrar",
  CourseStarted: "lms",
  CourseCompleted: "lms",
  LectureEngagementRecorded: "lms",
  OfficeHoursVisited: "scheduling",
  RotationCompleted: "clinical-evals",
  ClinicalFeedbackGiven: "clinical-evals",
  ResearchRoleStarted: "research-admin",
  ResearchRoleEnded: "research-admin",
  PublicationCoauthored: "research-admin",
  ConferencePresentationGiven: "research-admin",
  LetterRequested: "letters-tracker",
  LetterCommitted: "letters-tracker",
  LetterDeclined: "letters-tracker",
  LetterSubmitted: "letters-tracker",
  MentorAssigned: "advising-app",
  MentorshipMeetingHeld: "advising-app",
  MentorshipEnded: "advising-app",
  SpecialtyDeclared: "advising-app",
  SupportCheckInHeld: "advising-app",
  FollowUpSent: "advising-app",
  NudgeSent: "advising-app",
  EventRetracted: "advising-app"
}

/**
 * The version of each type's payload that the simulator sends: the current one in
 * @rapport/core (2 for the mentorship types, whose `program` came in version 2).
 *
 * @since 0.1.0
 * @category constants
 */
export const currentVersion = (type: Event.EventType): number =>
  type === "MentorAssigned" || type === "MentorshipEnded" ? 2 : 1

/**
 * How long a source usually takes to deliver an event that occurred at `occurredAt`:
 * minutes for interactive systems, or until its next nightly batch. Always under a day
 * and a half, never negative.
 *
 * @since 0.1.0
 * @category operations
 */
export const onTimeDelay = (source: SourceSystem, occurredAt: number, rng: Random): number => {
  if (source.batchHour === undefined) {
    const [low, high] = source.minutes
    return Math.round(rng.between(low, high) * MINUTE + rng.int(0, 60_000))
  }
  // The next batch run at batchHour local time (plus a few minutes of processing).
  const local = occurredAt + offsetMinutes(occurredAt) * MINUTE
  const localDayStart = Math.floor(local / DAY) * DAY
  let run = localDayStart + source.batchHour * HOUR
  if (run <= local) run += DAY
  return run - local + rng.int(1, 40) * MINUTE + rng.int(0, 60_000)
}

/**
 * A late delivery delay: 2 to 42 days, log-uniform (most a few days, some weeks).
 *
 * @since 0.1.0
 * @category operations
 */
export const lateDelay = (rng: Random): number => Math.round(Math.exp(rng.between(Math.log(2), Math.log(42))) * DAY)

/**
 * The delay from which a delivery counts as late.
 *
 * @since 0.1.0
 * @category constants
 */
export const lateThreshold = 2 * DAY
