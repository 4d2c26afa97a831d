/**
 * A student's or faculty member's page, as of now or any past date, folded from their
 * events with `@rapport/core` ("as of 1 September" folds the events that occurred
 * before then, including ones that arrived later). Support check-ins never appear on a
 * person's page. Faculty profiles (department, rank) come from the faculty streams.
 *
 * This module reads what a page needs (the store, the read models, the directory); the
 * fold itself is `PersonFold`, run by the `Folder` the caller gives (a worker thread in
 * the server), so that the caller's event loop only reads and passes messages.
 *
 * @since 0.1.0
 */
import { Calendar } from "@rapport/core"
import type { EventStoreShape, RecordedEvent, StoreUnavailable, StreamId } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as PersonFold from "./PersonFold.js"
import { type ReadModelsUnavailable, fromReadModels } from "./ReadError.js"
import type * as SchoolSettings from "./SchoolSettings.js"
import * as Streams from "./Streams.js"
import type * as Views from "./Views.js"

/**
 * Waits for a turn of the event loop of its own. A store may read synchronously (SQLite):
 * pages of a few hundred events, each read in its own turn, keep a page with thousands of
 * events from holding every other request meanwhile. The turns are handed out one per
 * iteration of the event loop, first come first served: ten pages read at once take ten
 * iterations, with the sockets (a health check, another school's request) served between
 * each, rather than all ten reads in one iteration's queue of immediates.
 *
 * @since 0.2.0
 * @category operations
 */
export const giveWay: Effect.Effect<void> = Effect.promise(
  () =>
    new Promise<void>((resolve) => {
      turns.push(resolve)
      if (!handingOut) {
        handingOut = true
        setImmediate(handOut)
      }
    })
)

const turns: Array<() => void> = []
let handingOut = false
// One turn per iteration: an immediate queued while immediates run waits for the next
// iteration, after the poll phase has served the sockets.
const handOut = (): void => {
  const next = turns.shift()
  if (next === undefined) {
    handingOut = false
    return
  }
  next()
  setImmediate(handOut)
}

/**
 * How many events one read takes before giving way.
 *
 * @since 0.2.0
 * @category constants
 */
export const readPage = 200

const readAllOf = (
  store: EventStoreShape,
  stream: StreamId
): Effect.Effect<ReadonlyArray<RecordedEvent>, StoreUnavailable> =>
  Effect.gen(function* () {
    const out: Array<RecordedEvent> = []
    let from = 0
    for (;;) {
      // before every read, the first one too: a page reads many small streams in a row
      yield* giveWay
      const page = yield* store.readStream(stream, { fromRevision: from, maxCount: readPage })
      out.push(...page)
      if (page.length < readPage) return out
      from = (page[page.length - 1]?.revision ?? from) + 1
    }
  })

const retractionsOf = (school: string): StreamId => ({ school, kind: "school", id: Streams.retractionsId })

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
  /** where the fold runs; in the caller's thread by default */
  readonly folder?: PersonFold.Folder
  /** told how many stored events the page read, for a caller that charges by cost */
  readonly onRead?: (events: number) => void
}

/** Runs a fold: a folder that cannot take it fails as unavailable; a fold that throws is a defect. */
const run = <S, A>(fold: (sources: S) => Promise<A>, sources: S): Effect.Effect<A, ReadModelsUnavailable> =>
  fromReadModels(() => fold(sources))

const settingsOf = <E>(input: PageInput<E>): PersonFold.PageSettings => ({
  school: input.school,
  settings: input.settings,
  asOf: input.asOf,
  position: input.position,
  threshold: input.threshold
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
    const student = yield* readAllOf(input.store, Streams.student(input.school, studentId))
    if (student.length === 0) return undefined
    // the faculty the events before the page's date name: their streams and rotations
    const named = new Set<string>()
    for (const recorded of student)
      if (recorded.occurredAt <= input.asOf) for (const id of PersonFold.storedFacultyIds(recorded)) named.add(id)
    const facultyIds = [...named]
    const faculty = yield* Effect.forEach(facultyIds, (facultyId) =>
      Effect.map(readAllOf(input.store, Streams.faculty(input.school, facultyId)), (events) => ({ facultyId, events }))
    )
    const rotationsElsewhere =
      input.rotationsElsewhere === undefined || facultyIds.length === 0
        ? []
        : yield* input.rotationsElsewhere(facultyIds, studentId, Date.parse(input.asOf))
    const retractions = yield* readAllOf(input.store, retractionsOf(input.school))
    input.onRead?.(student.length + retractions.length + faculty.reduce((n, stream) => n + stream.events.length, 0))
    const page = yield* run((input.folder ?? PersonFold.inline).student, {
      ...settingsOf(input),
      studentId,
      student,
      faculty,
      rotationsElsewhere,
      retractions
    })
    if (page === undefined) return undefined
    const relationships: Array<Views.Relationship> = []
    for (const r of page.relationships)
      relationships.push({ ...r, displayName: yield* input.displayName("faculty", r.facultyId) })
    return { ...page, displayName: yield* input.displayName("student", studentId), relationships }
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
    const faculty = yield* readAllOf(input.store, Streams.faculty(input.school, facultyId))
    const retractions = yield* readAllOf(input.store, retractionsOf(input.school))
    const menteeIds = new Set(studentIds)
    const streams =
      located === undefined
        ? yield* Effect.forEach(studentIds, (studentId) =>
            readAllOf(input.store, Streams.student(input.school, studentId))
          )
        : [located.filter((recorded) => recorded.stream.kind === "student" && menteeIds.has(recorded.stream.id))]
    let read = faculty.length + retractions.length
    const mentees: Array<RecordedEvent> = []
    for (const stream of streams) {
      read += stream.length
      // Most of a mentee's events are with other faculty: only the others go to the fold.
      for (const recorded of stream) if (PersonFold.mayConcern(recorded, facultyId, input.asOf)) mentees.push(recorded)
    }
    input.onRead?.(read)
    const page = yield* run((input.folder ?? PersonFold.inline).faculty, {
      ...settingsOf(input),
      facultyId,
      faculty,
      retractions,
      mentees
    })
    if (page === undefined) return undefined
    const relationships: Array<Views.Relationship> = []
    for (const r of page.relationships)
      relationships.push({ ...r, displayName: yield* input.displayName("faculty", r.facultyId) })
    return { ...page, displayName: yield* input.displayName("faculty", facultyId), relationships }
  })
