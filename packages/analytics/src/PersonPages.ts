/**
 * A student's or faculty member's page, as of now or any past date, folded from their
 * events with `@rapport/core` ("as of 1 September" folds the events that occurred
 * before then, including ones that arrived later). Support check-ins never appear on a
 * person's page. Faculty profiles (department, rank) come from the faculty streams.
 *
 * @since 0.1.0
 */
import {
  Calendar,
  type Event,
  RuleEngine,
  Letter,
  Pair,
  RuleContext,
  SchoolFold,
  Student,
  Faculty as FacultySummary
} from "@rapport/core"
import type { EventStoreShape, RecordedEvent, StoreUnavailable, StreamId } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Recorded from "./internal/Recorded.js"
import type { ReadModelsUnavailable } from "./ReadError.js"
import type * as SchoolSettings from "./SchoolSettings.js"
import * as Streams from "./Streams.js"
import type * as Views from "./Views.js"

const readAllOf = (
  store: EventStoreShape,
  stream: StreamId
): Effect.Effect<ReadonlyArray<RecordedEvent>, StoreUnavailable> =>
  Effect.gen(function* () {
    const out: Array<RecordedEvent> = []
    let from = 0
    for (;;) {
      const page = yield* store.readStream(stream, { fromRevision: from, maxCount: 5000 })
      out.push(...page)
      if (page.length < 5000) return out
      from = (page[page.length - 1]?.revision ?? from) + 1
    }
  })

const retractionsOf = (school: string): StreamId => ({ school, kind: "school", id: Streams.retractionsId })

const decode = Recorded.toEvent

/**
 * Whether a stored event of a mentee can matter to a faculty member's page, read off the
 * stored JSON (which core normalised before it was appended): false for events after the
 * page's date, support check-ins, and events with other faculty only. Decoding is what a
 * faculty page spends its time on; this keeps it to the events the fold needs.
 */
const mayConcern = (recorded: RecordedEvent, facultyId: string, asOf: string): boolean => {
  if (recorded.occurredAt > asOf || recorded.type === "SupportCheckInHeld") return false
  const data = recorded.data
  if (typeof data !== "object" || data === null) return true
  if ("facultyIds" in data && Array.isArray(data.facultyIds)) return data.facultyIds.includes(facultyId)
  if ("facultyId" in data && typeof data.facultyId === "string") return data.facultyId === facultyId
  return true
}

const facultyIdsOf = (event: Event.RapportEvent): ReadonlyArray<string> => {
  const data = event.data
  if ("facultyIds" in data) return data.facultyIds
  if ("facultyId" in data) return [data.facultyId]
  return []
}

const summaryOf = (event: Event.RapportEvent): string => {
  const d = event.data
  switch (event.type) {
    case "OfficeHoursVisited":
      return `Office hours (${event.data.topic}, ${event.data.durationMinutes} min, initiated by the ${event.data.initiatedBy})`
    case "MentorshipMeetingHeld":
      return `Mentorship meeting on ${event.data.topics.join(", ")} (${event.data.durationMinutes} min)`
    case "RotationCompleted":
      return `${event.data.specialty} rotation ${event.data.startedOn} – ${event.data.endedOn}`
    case "FollowUpSent":
      return `Follow-up sent (${event.data.kind}, ${event.data.channel})`
    case "LetterRequested":
      return `Letter requested for ${event.data.specialty} (cycle ${event.data.cycle})`
    case "ClinicalFeedbackGiven":
      return `Clinical feedback in ${event.data.setting} on ${event.data.domains.join(", ")}`
    default:
      return "specialty" in d && typeof d.specialty === "string" ? `${event.type}: ${d.specialty}` : event.type
  }
}

/**
 * The instant an `asOf` query means: a date is the end of that day in the school's time
 * zone; an instant is taken as is; absent means now.
 *
 * @since 0.1.0
 * @category operations
 */
export const asOfInstant = (asOf: string | undefined, now: Date, timeZone: string): string => {
  if (asOf === undefined) return now.toISOString()
  if (asOf.length > 10) return new Date(Date.parse(asOf)).toISOString()
  const calendar = Calendar.make(timeZone)
  const day = Date.parse(`${asOf}T00:00:00Z`) / 86_400_000
  return new Date(calendar.startOfDay(day + 1) - 1).toISOString()
}

/**
 * @since 0.1.0
 * @category models
 */
export interface PageInput<E = never> {
  readonly store: EventStoreShape
  readonly school: string
  /** the school's settings: its scoring configuration and follow-up rules */
  readonly settings: SchoolSettings.School
  readonly asOf: string
  readonly position: number
  readonly threshold: number
  readonly displayName: (kind: "student" | "faculty", id: string) => Effect.Effect<string | null, E>
  /**
   * The specialties other students' rotations gave these faculty by `asOfMs` (read models):
   * a faculty member counts as "in the student's specialty" by every rotation they
   * supervised, not only this student's.
   */
  readonly rotationsElsewhere?: (
    facultyIds: ReadonlyArray<string>,
    studentId: string,
    asOfMs: number
  ) => Effect.Effect<
    ReadonlyArray<{ readonly facultyId: string; readonly specialty: string; readonly firstMs: number }>,
    ReadModelsUnavailable
  >
}

const loadFaculty = <E>(input: PageInput<E>, ids: Iterable<string>, fold: SchoolFold.SchoolFold, asOf: string) =>
  Effect.gen(function* () {
    for (const id of ids) {
      for (const recorded of yield* readAllOf(input.store, Streams.faculty(input.school, id))) {
        const event = decode(recorded)
        if (event !== undefined && event.occurredAt <= asOf) fold.apply(event)
      }
    }
  })

/** The rotations other students had with these faculty: they teach the fold the faculty's specialties. */
const rotationsElsewhere = <E>(input: PageInput<E>, facultyIds: ReadonlyArray<string>, studentId: string) =>
  input.rotationsElsewhere === undefined || facultyIds.length === 0
    ? Effect.succeed([])
    : input.rotationsElsewhere(facultyIds, studentId, Date.parse(input.asOf))

const relationship = (
  displayName: string | null,
  state: SchoolFold.SchoolFold["state"],
  score: Pair.RelationshipScore
): Views.Relationship => ({
  studentId: score.studentId,
  facultyId: score.facultyId,
  displayName,
  department: state.faculty.get(score.facultyId)?.department ?? null,
  score: score.score,
  tier: score.tier,
  dimensions: Object.entries(score.dimensions).map(([dimension, d]) => ({
    dimension,
    touched: d.touched,
    strength: d.strength
  })),
  explanation: {
    topContributions: score.explanation.topContributions.map((c) => ({
      eventId: c.eventId,
      type: c.type,
      occurredAt: c.occurredAt,
      dimension: c.dimensions.join(", "),
      points: c.fadedWeight
    })),
    missingDimensions: [...score.explanation.missingDimensions],
    lastContactAt: score.explanation.lastContactAt ?? null
  }
})

const letterRow = (l: Letter.LetterState) => ({
  letterId: l.letterId,
  facultyId: l.facultyId,
  cycle: l.cycle ?? null,
  specialty: l.specialty ?? null,
  state: l.stage,
  requestedAt: l.requestedAtMs === undefined ? null : new Date(l.requestedAtMs).toISOString(),
  committedAt: l.committedAtMs === undefined ? null : new Date(l.committedAtMs).toISOString(),
  submittedAt: l.submittedAtMs === undefined ? null : new Date(l.submittedAtMs).toISOString()
})

/**
 * A student's page; `undefined` when the school has no such student.
 *
 * @since 0.1.0
 * @category views
 */
export const studentPage = <E>(
  input: PageInput<E>,
  studentId: string
): Effect.Effect<Views.StudentPage | undefined, StoreUnavailable | ReadModelsUnavailable | E> =>
  Effect.gen(function* () {
    const recorded = yield* readAllOf(input.store, Streams.student(input.school, studentId))
    if (recorded.length === 0) return undefined
    const events = recorded.flatMap((r) => {
      const event = decode(r)
      return event === undefined || event.occurredAt > input.asOf ? [] : [event]
    })
    const faculty = new Set(events.flatMap(facultyIdsOf))
    const fold = SchoolFold.make(input.settings.scoring, {
      rotationsElsewhere: yield* rotationsElsewhere(input, [...faculty], studentId)
    })
    yield* loadFaculty(input, faculty, fold, input.asOf)
    // Retractions live in the school's stream.
    const retractions = yield* readAllOf(input.store, retractionsOf(input.school))
    const ownIds = new Set(events.map((e) => e.id.toLowerCase()))
    const corrections: Array<Event.RapportEvent> = []
    for (const r of retractions) {
      const event = decode(r)
      if (event?.type === "EventRetracted" && ownIds.has(event.data.eventId.toLowerCase())) {
        fold.apply(event)
        corrections.push(event)
      }
    }
    fold.applyAll(events)
    const summary = Student.summarize(fold.state, studentId, input.asOf)
    if (summary === undefined) return undefined
    const retracted = fold.retracted
    const timeline = events
      .filter((e) => e.type !== "SupportCheckInHeld" && !retracted.has(e.id.toLowerCase()) && !retracted.has(e.id))
      .sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : a.occurredAt > b.occurredAt ? -1 : a.id < b.id ? -1 : 1))
      .map((e) => ({
        eventId: e.id,
        type: e.type,
        occurredAt: e.occurredAt,
        source: e.source ?? null,
        facultyIds: [...facultyIdsOf(e)],
        summary: summaryOf(e)
      }))
    const context = RuleContext.fromState(fold.state, input.asOf)
    const followUps = RuleEngine.evaluateStudent(
      input.settings.rules,
      RuleEngine.fold([...events, ...corrections]),
      studentId,
      input.asOf,
      context
    )
    const counts = { acquainted: 0, developing: 0, strong: 0, advocate: 0 }
    for (const r of summary.relationships) if (r.tier !== "none") counts[r.tier] += 1
    const relationships: Array<Views.Relationship> = []
    for (const r of summary.relationships)
      relationships.push(relationship(yield* input.displayName("faculty", r.facultyId), fold.state, r))
    return {
      meta: { school: input.school, asOf: input.asOf, position: input.position, suppressionThreshold: input.threshold },
      studentId,
      displayName: yield* input.displayName("student", studentId),
      status: summary.status,
      graduationYear: summary.graduationYear ?? null,
      program: summary.program ?? null,
      specialty: summary.specialtySource === "declared" ? (summary.specialties[0] ?? null) : null,
      specialtyInterests: fold.state.students.get(studentId)?.specialtyInterests ?? [],
      summary: {
        relationships: counts,
        advocatesInSpecialty: summary.advocatesInSpecialty.length,
        advocatesOutOfSpecialty: summary.advocatesOutOfSpecialty.length,
        departmentsReached: summary.departmentsReached.length,
        proactivity: summary.proactivity ?? null,
        isolated: summary.isolated,
        daysSinceLastContact: summary.daysSinceLastContact ?? null
      },
      relationships,
      timeline,
      followUps: followUps.map((f) => ({
        id: f.id,
        ruleId: f.ruleId,
        state: f.state,
        dueOn: f.dueOn,
        studentId,
        facultyIds: [...f.facultyIds],
        sentence: f.sentence
      })),
      letters: summary.letters.map(letterRow)
    }
  })

/**
 * A faculty member's page, folded from the streams of the students they have met (listed
 * by the read models) and their own stream.
 *
 * @since 0.1.0
 * @category views
 */
export const facultyPage = <E>(
  input: PageInput<E>,
  facultyId: string,
  studentIds: ReadonlyArray<string>,
  /** the mentees' events that name this faculty member or none, when the caller found them by position */
  located?: ReadonlyArray<RecordedEvent>
): Effect.Effect<Views.FacultyPage | undefined, StoreUnavailable | ReadModelsUnavailable | E> =>
  Effect.gen(function* () {
    const fold = SchoolFold.make(input.settings.scoring)
    yield* loadFaculty(input, [facultyId], fold, input.asOf)
    // Corrections apply whenever they were made: a retraction is not history.
    for (const recorded of yield* readAllOf(input.store, retractionsOf(input.school))) {
      const event = decode(recorded)
      if (event?.type === "EventRetracted") fold.apply(event)
    }
    const menteeIds = new Set(studentIds)
    const streams =
      located === undefined
        ? yield* Effect.forEach(studentIds, (studentId) =>
            readAllOf(input.store, Streams.student(input.school, studentId))
          )
        : [located.filter((recorded) => recorded.stream.kind === "student" && menteeIds.has(recorded.stream.id))]
    for (const stream of streams) {
      for (const recorded of stream) {
        // Most of a mentee's events are with other faculty: skip them before decoding.
        if (!mayConcern(recorded, facultyId, input.asOf)) continue
        const event = decode(recorded)
        if (event === undefined || event.occurredAt > input.asOf || event.type === "SupportCheckInHeld") continue
        const involves =
          facultyIdsOf(event).includes(facultyId) || !("facultyId" in event.data || "facultyIds" in event.data)
        if (involves) fold.apply(event)
      }
    }
    const summary = FacultySummary.summarize(fold.state, facultyId, input.asOf)
    if (summary === undefined) return undefined
    const asOfMs = Date.parse(input.asOf)
    const faculty = fold.state.faculty.get(facultyId)
    const relationships: Array<Views.Relationship> = []
    for (const pair of faculty?.students.values() ?? []) {
      if (pair.interactions === 0) continue
      const score = Pair.relationshipScore(pair, asOfMs, fold.state)
      relationships.push(relationship(yield* input.displayName("faculty", score.facultyId), fold.state, score))
    }
    // Mentees are active students (core's Faculty.load); relationships list everyone met.
    const { acquainted, developing, strong, advocate } = summary.mentees
    const mentees = { acquainted, developing, strong, advocate }
    relationships.sort((a, b) => b.score - a.score || (a.studentId < b.studentId ? -1 : 1))
    // Requested first to last (then by id): the same order whatever order the students were read in.
    const letters = [...(faculty?.students.values() ?? [])]
      .flatMap((pair) => Letter.letters(pair))
      .sort(
        (a, b) =>
          (a.requestedAtMs ?? Number.POSITIVE_INFINITY) - (b.requestedAtMs ?? Number.POSITIVE_INFINITY) ||
          (a.letterId < b.letterId ? -1 : a.letterId > b.letterId ? 1 : 0)
      )
      .map(letterRow)
    return {
      meta: { school: input.school, asOf: input.asOf, position: input.position, suppressionThreshold: input.threshold },
      facultyId,
      displayName: yield* input.displayName("faculty", facultyId),
      department: faculty?.department ?? null,
      rank: faculty?.rank ?? null,
      status: faculty?.status ?? "unknown",
      mentees,
      load: { activeMentoringPairs: summary.activeMentoringPairs, peerMedian: null, ratio: null },
      relationships,
      letters
    }
  })
