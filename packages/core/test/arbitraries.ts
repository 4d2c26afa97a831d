/**
 * fast-check arbitraries for every event type, shared by the property tests of the whole
 * package: `arbitraryEvent()` generates valid, decoded `RapportEvent`s (lower-case ids,
 * `occurredAt` as a UTC instant, the current `v`), so that
 * `decodeEvent(encodeEvent(event))` gives the event back.
 *
 * Options narrow the population so that folds see the same people again and again
 * (`studentIds`, `facultyIds`), a window of time (`from`, `to`, epoch milliseconds,
 * inclusive), some types only (`types`), or any valid text instead of realistic labels
 * (`text: "any"`, for round trips).
 */
import * as fc from "fast-check"
import {
  type DataOf,
  type Envelope,
  type EventByType,
  type EventType,
  eventTypes,
  type RapportEvent
} from "../src/Event.js"
import {
  channels,
  clinicalDomains,
  clinicalSettings,
  followUpKinds,
  initiators,
  isLabel,
  lectureEngagementKinds,
  mentorshipTopics,
  officeHoursTopics,
  researchRoles,
  studentStatuses,
  supportKinds
} from "../src/EventField.js"
import { currentVersion } from "../src/Upcast.js"

export interface ArbitraryOptions {
  readonly studentIds?: ReadonlyArray<string>
  readonly facultyIds?: ReadonlyArray<string>
  readonly from?: number
  readonly to?: number
  readonly types?: ReadonlyArray<EventType>
  readonly text?: "realistic" | "any"
}

const dayMs = 86_400_000

export const defaultFrom = Date.UTC(2024, 0, 1)
export const defaultTo = Date.UTC(2028, 0, 1)

export const arbitraryEventId: fc.Arbitrary<string> = fc.uuid()

export const arbitraryOpaqueId: fc.Arbitrary<string> = fc.stringMatching(/^[A-Za-z0-9._~:@-]{1,128}$/)

export const arbitraryInstant = (from = defaultFrom, to = defaultTo): fc.Arbitrary<string> =>
  fc.integer({ min: from, max: to }).map((ms) => new Date(ms).toISOString())

export const arbitraryCalendarDate = (from = defaultFrom, to = defaultTo): fc.Arbitrary<string> =>
  fc.integer({ min: from, max: to }).map((ms) => new Date(ms).toISOString().slice(0, 10))

const specialties = [
  "Internal Medicine",
  "Pediatrics",
  "General Surgery",
  "Emergency Medicine",
  "Family Medicine",
  "Psychiatry",
  "Neurology",
  "Obstetrics and Gynecology"
] as const

const anyLabel = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: "grapheme", minLength: 1, maxLength }).filter((text) => isLabel(text, maxLength))

const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

const yearOf = (ms: number): number => new Date(ms).getUTCFullYear()

type DataArbitrary<T extends EventType> = (at: number) => fc.Arbitrary<DataOf<T>>

const envelopeOf = <T extends EventType>(
  type: T,
  data: DataArbitrary<T>,
  options: ArbitraryOptions,
  source: fc.Arbitrary<string>
): fc.Arbitrary<Envelope<T, DataOf<T>>> =>
  fc
    .record({
      id: arbitraryEventId,
      at: fc.integer({ min: options.from ?? defaultFrom, max: options.to ?? defaultTo }),
      source: fc.option(source, { nil: undefined })
    })
    .chain(({ id, at, source }) =>
      data(at).map((generated): Envelope<T, DataOf<T>> => {
        // fc.record may build null-prototype objects; decoded events are plain objects.
        const payload = { ...generated }
        const occurredAt = new Date(at).toISOString()
        const v = currentVersion(type)
        return source === undefined
          ? { id, type, v, occurredAt, data: payload }
          : { id, type, v, occurredAt, source, data: payload }
      })
    )

/** One arbitrary per event type, built for the given options. */
export const eventArbitraries = (
  options: ArbitraryOptions = {}
): { readonly [T in EventType]: fc.Arbitrary<EventByType[T]> } => {
  const any = options.text === "any"
  const pool = (ids: ReadonlyArray<string> | undefined, prefix: string): fc.Arbitrary<string> =>
    ids !== undefined && ids.length > 0
      ? fc.constantFrom(...ids)
      : any
        ? arbitraryOpaqueId
        : fc.nat(9_999).map((n) => `${prefix}-${n}`)
  const studentId = pool(options.studentIds, "s")
  const facultyId = pool(options.facultyIds, "f")
  const maxFaculty = options.facultyIds !== undefined && options.facultyIds.length > 0 ? options.facultyIds.length : 4
  const facultyIds = fc.uniqueArray(facultyId, { minLength: 1, maxLength: Math.min(3, maxFaculty) })
  const otherId = (prefix: string) => (any ? arbitraryOpaqueId : fc.nat(99_999).map((n) => `${prefix}-${n}`))
  const text = (realistic: ReadonlyArray<string>, maxLength: number) =>
    any ? anyLabel(maxLength) : fc.constantFrom(...realistic)
  const specialty = text(specialties, 100)
  const program = text(["MD", "MD-PhD", "DO"], 100)
  const mentoringProgram = text(["advisory-college", "specialty-advising", "peer-mentoring"], 100)
  const source = text(["office-hours-scheduler", "lms", "clinical-evaluations", "research-admin", "letters"], 128)
  const duration = fc.integer({ min: 1, max: 600 })
  const year = (at: number) => fc.integer({ min: yearOf(at), max: Math.min(2150, yearOf(at) + 4) })
  const letter = () => fc.record({ studentId, facultyId, letterId: otherId("letter") })
  const env = <T extends EventType>(type: T, data: DataArbitrary<T>) => envelopeOf(type, data, options, source)

  return {
    StudentEnrolled: env("StudentEnrolled", (at) =>
      fc.record(
        {
          studentId,
          graduationYear: year(at),
          program,
          specialtyInterests: fc.array(specialty, { maxLength: 3 })
        },
        { requiredKeys: ["studentId", "graduationYear", "program"] }
      )
    ),
    FacultyJoined: env("FacultyJoined", () =>
      fc.record(
        {
          facultyId,
          department: text(["Medicine", "Pediatrics", "Surgery", "Psychiatry", "Neurology"], 200),
          rank: text(["Assistant Professor", "Associate Professor", "Professor", "Clinical Instructor"], 100)
        },
        { requiredKeys: ["facultyId", "department"] }
      )
    ),
    OfficeHoursVisited: env("OfficeHoursVisited", () =>
      fc.record({
        studentId,
        facultyId,
        durationMinutes: duration,
        topic: fc.constantFrom(...officeHoursTopics),
        initiatedBy: fc.constantFrom(...initiators)
      })
    ),
    MentorshipMeetingHeld: env("MentorshipMeetingHeld", () =>
      fc.record({
        studentId,
        facultyId,
        durationMinutes: duration,
        topics: fc.array(fc.constantFrom(...mentorshipTopics), { minLength: 1, maxLength: 3 })
      })
    ),
    RotationCompleted: env("RotationCompleted", (at) =>
      fc.record({
        studentId,
        facultyIds,
        rotationId: otherId("rotation"),
        specialty,
        startedOn: fc
          .integer({ min: 0, max: 84 })
          .map((days) => dateOf(Math.max(at - days * dayMs, Date.UTC(1900, 0, 1)))),
        endedOn: fc.constant(dateOf(at))
      })
    ),
    FollowUpSent: env("FollowUpSent", () =>
      fc.record({
        studentId,
        facultyId,
        kind: fc.constantFrom(...followUpKinds),
        channel: fc.constantFrom(...channels)
      })
    ),
    LetterRequested: env("LetterRequested", (at) =>
      fc.record({ studentId, facultyId, letterId: otherId("letter"), cycle: year(at), specialty })
    ),
    LetterSubmitted: env("LetterSubmitted", letter),
    StudentStatusChanged: env("StudentStatusChanged", () =>
      fc.record({ studentId, status: fc.constantFrom(...studentStatuses) })
    ),
    SpecialtyDeclared: env("SpecialtyDeclared", () => fc.record({ studentId, specialty })),
    FacultyLeft: env("FacultyLeft", () => fc.record({ facultyId })),
    MentorAssigned: env("MentorAssigned", () => fc.record({ studentId, facultyId, program: mentoringProgram })),
    MentorshipEnded: env("MentorshipEnded", () => fc.record({ studentId, facultyId, program: mentoringProgram })),
    CourseStarted: env("CourseStarted", (at) =>
      fc.record({ studentId, courseId: otherId("course"), facultyIds, startedOn: fc.constant(dateOf(at)) })
    ),
    CourseCompleted: env("CourseCompleted", (at) =>
      fc.record({ studentId, courseId: otherId("course"), facultyIds, endedOn: fc.constant(dateOf(at)) })
    ),
    LectureEngagementRecorded: env("LectureEngagementRecorded", () =>
      fc.record({
        studentId,
        facultyId,
        courseId: otherId("course"),
        kind: fc.constantFrom(...lectureEngagementKinds)
      })
    ),
    ResearchRoleStarted: env("ResearchRoleStarted", () =>
      fc.record({ studentId, facultyId, projectId: otherId("project"), role: fc.constantFrom(...researchRoles) })
    ),
    ResearchRoleEnded: env("ResearchRoleEnded", () =>
      fc.record({ studentId, facultyId, projectId: otherId("project"), role: fc.constantFrom(...researchRoles) })
    ),
    PublicationCoauthored: env("PublicationCoauthored", () =>
      fc.record({ studentId, facultyIds, publicationId: otherId("publication") })
    ),
    ConferencePresentationGiven: env("ConferencePresentationGiven", () =>
      fc.record({ studentId, facultyIds, presentationId: otherId("presentation") })
    ),
    ClinicalFeedbackGiven: env("ClinicalFeedbackGiven", () =>
      fc.record({
        studentId,
        facultyId,
        setting: fc.constantFrom(...clinicalSettings),
        domains: fc.array(fc.constantFrom(...clinicalDomains), { minLength: 1, maxLength: 4 })
      })
    ),
    SupportCheckInHeld: env("SupportCheckInHeld", () =>
      fc.record({ studentId, facultyId, kind: fc.constantFrom(...supportKinds) })
    ),
    LetterCommitted: env("LetterCommitted", letter),
    LetterDeclined: env("LetterDeclined", letter),
    NudgeSent: env("NudgeSent", () =>
      fc.record(
        {
          studentId,
          facultyId,
          followUpId: otherId("follow-up"),
          ruleId: any ? arbitraryOpaqueId : fc.constantFrom("thank-you", "stay-in-touch", "mentor-cadence"),
          channel: fc.constantFrom(...channels)
        },
        { requiredKeys: ["studentId", "followUpId", "ruleId", "channel"] }
      )
    ),
    EventRetracted: env("EventRetracted", () =>
      fc.record({ eventId: arbitraryEventId, reason: text(["sent twice", "wrong student", "test data"], 500) })
    ),
    StudentErasureRequested: env("StudentErasureRequested", () => fc.record({ studentId }))
  }
}

/** Valid events of one type. */
export const arbitraryEventOf = <T extends EventType>(
  type: T,
  options: ArbitraryOptions = {}
): fc.Arbitrary<EventByType[T]> => eventArbitraries(options)[type]

/** Valid events of every type (or of `options.types`), each type equally likely. */
export const arbitraryEvent = (options: ArbitraryOptions = {}): fc.Arbitrary<RapportEvent> => {
  const table = eventArbitraries(options)
  const types = options.types ?? eventTypes
  return fc.oneof(...types.map((type): fc.Arbitrary<RapportEvent> => table[type]))
}
