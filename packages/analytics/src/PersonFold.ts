/**
 * The fold behind a person's page: from the stored events a page needs (read by
 * `PersonPages`) to the page, without display names. Pure, synchronous and made of plain
 * data in and out, so that a server can run it in a worker thread: decoding and folding a
 * student's history is tens of milliseconds that the event loop must not spend while other
 * requests wait.
 *
 * It must never read the store, the read models, the clock or the directory.
 *
 * @since 0.2.0
 */
import {
  type Event,
  Letter,
  Pair,
  RuleContext,
  RuleEngine,
  SchoolFold,
  Student,
  Faculty as FacultySummary
} from "@rapport/core"
import type { RecordedEvent } from "@rapport/event-store"
import * as Recorded from "./internal/Recorded.js"
import type * as SchoolSettings from "./SchoolSettings.js"
import type * as Views from "./Views.js"

/**
 * What every page's fold needs besides events.
 *
 * @since 0.2.0
 * @category models
 */
export interface PageSettings {
  readonly school: string
  /** the school's scoring configuration and follow-up rules (not plain data: a worker rebuilds them) */
  readonly settings: SchoolSettings.School
  /** an instant (see `PersonPages.asOfInstant`) */
  readonly asOf: string
  readonly position: number
  readonly threshold: number
}

/**
 * A specialty another student's rotation gave a faculty member (read models).
 *
 * @since 0.2.0
 * @category models
 */
export interface RotationElsewhere {
  readonly facultyId: string
  readonly specialty: string
  readonly firstMs: number
}

/**
 * The events of a student's page.
 *
 * @since 0.2.0
 * @category models
 */
export interface StudentSources extends PageSettings {
  readonly studentId: string
  /** the student's stream */
  readonly student: ReadonlyArray<RecordedEvent>
  /** the streams of every faculty member the student's events name (more is harmless) */
  readonly faculty: ReadonlyArray<{ readonly facultyId: string; readonly events: ReadonlyArray<RecordedEvent> }>
  /** the rotations elsewhere of those faculty members, ordered by faculty and specialty */
  readonly rotationsElsewhere: ReadonlyArray<RotationElsewhere>
  /** the school's retractions */
  readonly retractions: ReadonlyArray<RecordedEvent>
}

/**
 * The events of a faculty member's page.
 *
 * @since 0.2.0
 * @category models
 */
export interface FacultySources extends PageSettings {
  readonly facultyId: string
  /** the faculty member's stream */
  readonly faculty: ReadonlyArray<RecordedEvent>
  readonly retractions: ReadonlyArray<RecordedEvent>
  /** the mentees' events that may concern this faculty member (see {@link mayConcern}) */
  readonly mentees: ReadonlyArray<RecordedEvent>
}

/**
 * Runs folds somewhere: in the caller's thread ({@link inline}) or in a worker thread.
 *
 * @since 0.2.0
 * @category models
 */
export interface Folder {
  readonly student: (sources: StudentSources) => Promise<Views.StudentPage | undefined>
  readonly faculty: (sources: FacultySources) => Promise<Views.FacultyPage | undefined>
}

const decode = Recorded.toEvent

/**
 * The faculty ids a stored event names, read off its stored JSON (which core normalised
 * before it was appended), without decoding it.
 *
 * @since 0.2.0
 * @category operations
 */
export const storedFacultyIds = (recorded: RecordedEvent): ReadonlyArray<string> => {
  const data = recorded.data
  if (typeof data !== "object" || data === null) return []
  if ("facultyIds" in data && Array.isArray(data.facultyIds))
    return data.facultyIds.filter((id): id is string => typeof id === "string")
  if ("facultyId" in data && typeof data.facultyId === "string") return [data.facultyId]
  return []
}

/**
 * Whether a stored event of a mentee can matter to a faculty member's page, read off the
 * stored JSON: false for events after the page's date, support check-ins, and events with
 * other faculty only. Decoding is what a faculty page spends its time on; this keeps it
 * to the events the fold needs.
 *
 * @since 0.2.0
 * @category operations
 */
export const mayConcern = (recorded: RecordedEvent, facultyId: string, asOf: string): boolean => {
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
      points: c.points
    })),
    otherPoints: score.explanation.otherPoints,
    missingDimensions: [...score.explanation.missingDimensions],
    lastContactAt: score.explanation.lastContactAt ?? null,
    nextTier:
      score.explanation.nextTier === undefined
        ? null
        : {
            tier: score.explanation.nextTier.tier,
            strengthNeeded: score.explanation.nextTier.strengthNeeded ?? null,
            breadthNeeded: score.explanation.nextTier.breadthNeeded ?? null,
            weeksNeeded: score.explanation.nextTier.weeksNeeded ?? null
          },
    sentence: score.explanation.sentence
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

const meta = (sources: PageSettings) => ({
  school: sources.school,
  asOf: sources.asOf,
  position: sources.position,
  suppressionThreshold: sources.threshold
})

/**
 * A student's page without display names (`null`); `undefined` when the school has no
 * such student.
 *
 * @since 0.2.0
 * @category views
 */
export const studentPage = (sources: StudentSources): Views.StudentPage | undefined => {
  const { asOf, studentId } = sources
  if (sources.student.length === 0) return undefined
  const events = sources.student.flatMap((r) => {
    const event = decode(r)
    return event === undefined || event.occurredAt > asOf ? [] : [event]
  })
  const faculty = new Set(events.flatMap(facultyIdsOf))
  // the rotations other students had with these faculty teach the fold their specialties
  const fold = SchoolFold.make(sources.settings.scoring, {
    rotationsElsewhere: sources.rotationsElsewhere.filter((row) => faculty.has(row.facultyId))
  })
  const streams = new Map(sources.faculty.map((stream) => [stream.facultyId, stream.events]))
  for (const id of faculty) {
    for (const recorded of streams.get(id) ?? []) {
      const event = decode(recorded)
      if (event !== undefined && event.occurredAt <= asOf) fold.apply(event)
    }
  }
  // Retractions live in the school's stream.
  const ownIds = new Set(events.map((e) => e.id.toLowerCase()))
  const corrections: Array<Event.RapportEvent> = []
  for (const r of sources.retractions) {
    const event = decode(r)
    if (event?.type === "EventRetracted" && ownIds.has(event.data.eventId.toLowerCase())) {
      fold.apply(event)
      corrections.push(event)
    }
  }
  fold.applyAll(events)
  const summary = Student.summarize(fold.state, studentId, asOf)
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
  const context = RuleContext.fromState(fold.state, asOf)
  const followUps = RuleEngine.evaluateStudent(
    sources.settings.rules,
    RuleEngine.fold([...events, ...corrections]),
    studentId,
    asOf,
    context
  )
  const counts = { acquainted: 0, developing: 0, strong: 0, advocate: 0 }
  for (const r of summary.relationships) if (r.tier !== "none") counts[r.tier] += 1
  return {
    meta: meta(sources),
    studentId,
    displayName: null,
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
      stage: summary.stage ?? null,
      daysSinceLastContact: summary.daysSinceLastContact ?? null,
      noRecentContact: summary.noRecentContact,
      noRecentMentoring: summary.noRecentMentoring,
      letterReadiness: {
        ready: summary.readiness.ready,
        basis: summary.readiness.basis,
        count: summary.readiness.count,
        inSpecialty: summary.readiness.inSpecialty,
        needed: summary.readiness.needed,
        inSpecialtyNeeded: summary.readiness.inSpecialtyNeeded
      }
    },
    relationships: summary.relationships.map((r) => relationship(null, fold.state, r)),
    timeline,
    timelinePage: { total: timeline.length, nextCursor: null },
    followUps: followUps.map((f) => ({
      id: f.id,
      ruleId: f.ruleId,
      state: f.state,
      dueOn: f.dueOn,
      studentId,
      facultyIds: [...f.facultyIds],
      sentence: f.sentence,
      expiresOn: f.expiresOn,
      priority: f.priority
    })),
    letters: summary.letters.map(letterRow)
  }
}

/**
 * A faculty member's page without display names (`null`) or peer comparison; `undefined`
 * when the school has no such faculty member.
 *
 * @since 0.2.0
 * @category views
 */
export const facultyPage = (sources: FacultySources): Views.FacultyPage | undefined => {
  const { asOf, facultyId } = sources
  const fold = SchoolFold.make(sources.settings.scoring)
  for (const recorded of sources.faculty) {
    const event = decode(recorded)
    if (event !== undefined && event.occurredAt <= asOf) fold.apply(event)
  }
  // Corrections apply whenever they were made: a retraction is not history.
  for (const recorded of sources.retractions) {
    const event = decode(recorded)
    if (event?.type === "EventRetracted") fold.apply(event)
  }
  for (const recorded of sources.mentees) {
    // Most of a mentee's events are with other faculty: skip them before decoding.
    if (!mayConcern(recorded, facultyId, asOf)) continue
    const event = decode(recorded)
    if (event === undefined || event.occurredAt > asOf || event.type === "SupportCheckInHeld") continue
    const involves =
      facultyIdsOf(event).includes(facultyId) || !("facultyId" in event.data || "facultyIds" in event.data)
    if (involves) fold.apply(event)
  }
  const summary = FacultySummary.summarize(fold.state, facultyId, asOf)
  if (summary === undefined) return undefined
  const asOfMs = Date.parse(asOf)
  const faculty = fold.state.faculty.get(facultyId)
  const relationships: Array<Views.Relationship> = []
  for (const pair of faculty?.students.values() ?? []) {
    if (pair.interactions === 0) continue
    relationships.push(relationship(null, fold.state, Pair.relationshipScore(pair, asOfMs, fold.state)))
  }
  // Mentees are active students (core's Faculty.load); relationships list everyone met.
  const { acquainted, developing, strong, advocate } = summary.mentees
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
    meta: meta(sources),
    facultyId,
    displayName: null,
    department: faculty?.department ?? null,
    rank: faculty?.rank ?? null,
    status: faculty?.status ?? "unknown",
    mentees: { acquainted, developing, strong, advocate },
    load: { activeMentoringPairs: summary.activeMentoringPairs, peerMedian: null, ratio: null },
    relationships,
    letters
  }
}

/**
 * Folds in the caller's thread.
 *
 * @since 0.2.0
 * @category constructors
 */
export const inline: Folder = {
  student: async (sources) => studentPage(sources),
  faculty: async (sources) => facultyPage(sources)
}
