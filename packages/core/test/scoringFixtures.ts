/**
 * Shared helpers for the scoring tests: a typed event builder with deterministic ids,
 * generators of fold histories (reusing the events helper's arbitraries), and a deep
 * comparison with a relative tolerance for reals.
 */
import * as fc from "fast-check"
import type { DataOf, Envelope, EventType, RapportEvent } from "../src/Event.js"
import { type ArbitraryOptions, arbitraryEvent } from "./arbitraries.js"

let counter = 0

/** A deterministic event id (a valid UUID). */
export const nextId = (): string => `00000000-0000-4000-8000-${(++counter).toString(16).padStart(12, "0")}`

/** A decoded event of `type` at `occurredAt` (any ISO instant; normalised to UTC). */
export const event = <T extends EventType>(
  type: T,
  occurredAt: string,
  data: DataOf<T>,
  id: string = nextId()
): Envelope<T, DataOf<T>> => ({ id, type, v: 1, occurredAt: new Date(occurredAt).toISOString(), data })

export const studentIds = ["s-1", "s-2", "s-3"] as const
export const facultyIds = ["f-1", "f-2", "f-3", "f-4"] as const

/** Event types that change relationships or people (no retractions, erasures). */
export const foldTypes: ReadonlyArray<EventType> = [
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
  "NudgeSent"
]

/** The types that create a pair interaction. */
export const interactionTypes: ReadonlyArray<EventType> = [
  "OfficeHoursVisited",
  "MentorshipMeetingHeld",
  "RotationCompleted",
  "FollowUpSent",
  "LetterRequested",
  "LetterSubmitted",
  "MentorAssigned",
  "CourseCompleted",
  "LectureEngagementRecorded",
  "ResearchRoleStarted",
  "PublicationCoauthored",
  "ConferencePresentationGiven",
  "ClinicalFeedbackGiven",
  "SupportCheckInHeld",
  "LetterCommitted"
]

export const from = Date.UTC(2025, 0, 1)
export const to = Date.UTC(2027, 0, 1)

const options = (types: ReadonlyArray<EventType>): ArbitraryOptions => ({
  studentIds,
  facultyIds,
  from,
  to,
  types
})

/** Events with distinct ids over a few students and faculty, so that pairs collide. */
export const history = (
  types: ReadonlyArray<EventType> = foldTypes,
  maxLength = 40
): fc.Arbitrary<ReadonlyArray<RapportEvent>> =>
  fc.uniqueArray(arbitraryEvent(options(types)), { selector: (e) => e.id, maxLength })

/** One interaction event (any kind) on the same students and faculty. */
export const interaction = (types: ReadonlyArray<EventType> = interactionTypes): fc.Arbitrary<RapportEvent> =>
  arbitraryEvent(options(types))

/** `asOf` instants within and a little beyond the histories' span. */
export const asOf: fc.Arbitrary<number> = fc.integer({ min: from, max: to + 400 * 86_400_000 })

/** A permutation of a list. */
export const permutation = <A>(items: ReadonlyArray<A>): fc.Arbitrary<ReadonlyArray<A>> =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length })

/** A retraction of `target`. */
export const retraction = (target: string, id: string = nextId()): RapportEvent =>
  event("EventRetracted", "2027-06-01T00:00:00Z", { eventId: target, reason: "test data" }, id)

/**
 * Deep equality where numbers may differ by a relative `tolerance` (and -Infinity,
 * NaN and undefined compare exactly). Returns the path of the first difference, or
 * undefined.
 */
export const differs = (a: unknown, b: unknown, tolerance = 1e-9, path = "$"): string | undefined => {
  if (typeof a === "number" && typeof b === "number") {
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return undefined
    if (!Number.isFinite(a) || !Number.isFinite(b)) return `${path}: ${a} vs ${b}`
    return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b), 1e-300)
      ? undefined
      : `${path}: ${a} vs ${b}`
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} vs ${b.length}`
    for (let i = 0; i < a.length; i++) {
      const d = differs(a[i], b[i], tolerance, `${path}[${i}]`)
      if (d !== undefined) return d
    }
    return undefined
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)])
    for (const key of keys) {
      const d = differs(Reflect.get(a, key), Reflect.get(b, key), tolerance, `${path}.${key}`)
      if (d !== undefined) return d
    }
    return undefined
  }
  return Object.is(a, b) ? undefined : `${path}: ${String(a)} vs ${String(b)}`
}
