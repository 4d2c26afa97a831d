/**
 * The read side in one object: every dashboard view and person page for a school, with
 * its clock, suppression policy and settings resolved once. The server's routes call it;
 * it knows nothing of HTTP.
 *
 * Every read is an Effect whose error channel says what can go wrong (`ReadError`, the
 * event store's `StoreUnavailable`, and `E`, what the display-name lookup may fail with);
 * a bug in a view is a defect, never one of those.
 *
 * @since 0.1.0
 */
import type { EventStoreShape, RecordedEvent, StoreUnavailable } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Clock from "./Clock.js"
import * as FacultyViews from "./internal/views/FacultyViews.js"
import * as Params from "./Params.js"
import type * as Filters from "./Filters.js"
import type * as PersonFold from "./PersonFold.js"
import * as PersonPages from "./PersonPages.js"
import { fromReadModels, InvalidInput, type ReadModelsUnavailable } from "./ReadError.js"
import * as ReadModel from "./ReadModel.js"
import type * as SchoolSettings from "./SchoolSettings.js"
import * as SchoolViews from "./internal/views/SchoolViews.js"
import type { SqlDatabase } from "./Sql.js"
import * as StudentViews from "./internal/views/StudentViews.js"
import type * as Suppression from "./Suppression.js"
import type * as Views from "./Views.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface DashboardOptions<E = never> {
  readonly db: SqlDatabase
  readonly store: EventStoreShape
  /** every school's settings (time zone, follow-up rules), resolved once */
  readonly schools: SchoolSettings.SchoolSettings
  readonly threshold: number
  readonly now: () => Date
  readonly displayName?: (school: string, kind: "student" | "faculty", id: string) => Effect.Effect<string | null, E>
  /** where person pages are folded (a worker thread, in the server); the caller's thread by default */
  readonly folder?: PersonFold.Folder
}

/**
 * A dashboard view of one school: its rows, or `ReadModelsUnavailable`.
 *
 * @since 0.2.0
 * @category models
 */
export type View<A> = Effect.Effect<A, ReadModelsUnavailable>

/**
 * A person's page: `undefined` when the school has no such person.
 *
 * @since 0.2.0
 * @category models
 */
export type Page<A, E> = Effect.Effect<A | undefined, StoreUnavailable | ReadModelsUnavailable | InvalidInput | E>

/**
 * @since 0.1.0
 * @category models
 */
export interface Dashboard<E = never> {
  readonly overview: (school: string, audience: Suppression.Audience) => View<Views.Overview>
  readonly trends: (school: string, audience: Suppression.Audience, query: Filters.TrendsQuery) => View<Views.Trends>
  readonly students: (school: string, query: Filters.StudentsQuery) => View<Views.Students>
  readonly faculty: (school: string, audience: Suppression.Audience, query: Filters.FacultyQuery) => View<Views.Faculty>
  readonly letters: (school: string, audience: Suppression.Audience, query: Filters.LettersQuery) => View<Views.Letters>
  readonly followUps: (
    school: string,
    audience: Suppression.Audience,
    query: Filters.FollowUpsQuery
  ) => View<Views.FollowUps>
  readonly coverage: (school: string, audience: Suppression.Audience) => View<Views.Coverage>
  /** `onRead` is told how many stored events the page read (what it cost) */
  readonly studentPage: (
    school: string,
    studentId: string,
    asOf: string | undefined,
    onRead?: (events: number) => void
  ) => Page<Views.StudentPage, E>
  readonly facultyPage: (
    school: string,
    facultyId: string,
    asOf: string | undefined,
    onRead?: (events: number) => void
  ) => Page<Views.FacultyPage, E>
}

/** Whether `asOf` names a date or an instant that exists (what `PersonPages.asOfInstant` can read). */
const interpretable = (asOf: string): boolean => Params.isDate(asOf) || Params.isInstant(asOf)

/** The instant a page is folded at: `asOf`, or now when `asOf` is absent or in the future (nothing has happened there yet). */
const pageInstant = (asOf: string | undefined, now: Date, timeZone: string): string => {
  // far ahead (9999-12-31): now, without asking the time zone about a year it may not know
  if (
    asOf !== undefined &&
    Date.parse(asOf.length === 10 ? `${asOf}T00:00:00Z` : asOf) > now.getTime() + 2 * 86_400_000
  )
    return now.toISOString()
  const instant = PersonPages.asOfInstant(asOf, now, timeZone)
  return Date.parse(instant) > now.getTime() ? now.toISOString() : instant
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = <E = never>(options: DashboardOptions<E>): Dashboard<E> => {
  const context = async (school: string, audience: Suppression.Audience): Promise<SchoolViews.ViewContext> => {
    const config = options.schools.of(school).scoring
    return {
      db: options.db,
      school,
      clock: Clock.at(options.now(), config.timeZone),
      policy: { audience, threshold: options.threshold },
      position: await ReadModel.checkpoint(options.db),
      advocatesNeeded: config.letters.advocatesNeeded,
      inSpecialtyNeeded: config.letters.inSpecialtyNeeded,
      topFacultyShare: config.topFacultyShare,
      mentoringGapDays: config.mentoringGapDays
    }
  }
  const displayName =
    (school: string) =>
    (kind: "student" | "faculty", id: string): Effect.Effect<string | null, E> =>
      options.displayName === undefined ? Effect.succeed(null) : options.displayName(school, kind, id)
  const pageInput = (
    school: string,
    asOf: string | undefined,
    onRead: ((events: number) => void) | undefined
  ): Effect.Effect<PersonPages.PageInput<E>, ReadModelsUnavailable | InvalidInput> =>
    asOf !== undefined && !interpretable(asOf)
      ? Effect.fail(
          new InvalidInput({
            path: ["query", "asOf"],
            detail: "Expected a date (YYYY-MM-DD) or an instant (RFC 3339 with an offset) that exists."
          })
        )
      : Effect.map(
          fromReadModels(() => ReadModel.checkpoint(options.db)),
          (position) => ({
            store: options.store,
            school,
            settings: options.schools.of(school),
            asOf: pageInstant(asOf, options.now(), options.schools.of(school).timeZone),
            position,
            threshold: options.threshold,
            displayName: displayName(school),
            ...(options.folder === undefined ? {} : { folder: options.folder }),
            ...(onRead === undefined ? {} : { onRead }),
            rotationsElsewhere: (facultyIds, studentId, asOfMs) =>
              fromReadModels(async () => {
                const rows = await options.db.all(
                  `SELECT faculty_id, specialty, MIN(first_ms) AS first_ms FROM rm_rotations
           WHERE school = ? AND faculty_id IN (${facultyIds.map(() => "?").join(",")}) AND student_id <> ? AND first_ms <= ?
           GROUP BY faculty_id, specialty ORDER BY faculty_id, specialty`,
                  [school, ...facultyIds, studentId, asOfMs]
                )
                return rows.map((row) => ({
                  facultyId: String(row.faculty_id),
                  specialty: String(row.specialty),
                  firstMs: Number(row.first_ms)
                }))
              })
          })
        )
  /**
   * The mentees' events a faculty member's page folds, read by their log positions (kept
   * by the projector in rm_positions) when the store can: a few thousand events instead of
   * every mentee's stream. `undefined`: read the streams.
   */
  const locate = (
    school: string,
    facultyId: string,
    studentIds: ReadonlyArray<string>
  ): Effect.Effect<ReadonlyArray<RecordedEvent> | undefined, StoreUnavailable | ReadModelsUnavailable> => {
    const readPositions = options.store.readPositions
    if (readPositions === undefined) return Effect.succeed(undefined)
    return Effect.flatMap(
      fromReadModels(async () => {
        const positions: Array<number> = []
        for (let start = 0; start < studentIds.length; start += 500) {
          const part = studentIds.slice(start, start + 500)
          const found = await options.db.all(
            `SELECT positions FROM rm_positions WHERE school = ? AND faculty_id IN (?, '')
             AND student_id IN (${part.map(() => "?").join(", ")})`,
            [school, facultyId, ...part]
          )
          for (const row of found)
            for (const position of JSON.parse(String(row.positions)) as Array<number>) positions.push(position)
        }
        return positions
      }),
      (positions) =>
        Effect.gen(function* () {
          // in position order, a page at a time, each in a turn of its own (see PersonPages.giveWay)
          const sorted = [...new Set(positions)].sort((a, b) => a - b)
          const out: Array<RecordedEvent> = []
          for (let start = 0; start < sorted.length; start += PersonPages.readPage) {
            yield* PersonPages.giveWay
            out.push(...(yield* readPositions(school, sorted.slice(start, start + PersonPages.readPage))))
          }
          return out
        })
    )
  }
  return {
    overview: (school, audience) => fromReadModels(async () => SchoolViews.overview(await context(school, audience))),
    trends: (school, audience, query) =>
      fromReadModels(async () => SchoolViews.trends(await context(school, audience), query)),
    students: (school, query) =>
      fromReadModels(async () => StudentViews.students(await context(school, "individual"), query)),
    faculty: (school, audience, query) =>
      fromReadModels(async () => SchoolViews.faculty(await context(school, audience), query)),
    letters: (school, audience, query) =>
      fromReadModels(async () => SchoolViews.letters(await context(school, audience), query)),
    followUps: (school, audience, query) =>
      fromReadModels(async () => SchoolViews.followUps(await context(school, audience), query)),
    coverage: (school, audience) => fromReadModels(async () => SchoolViews.coverage(await context(school, audience))),
    studentPage: (school, studentId, asOf, onRead) =>
      Effect.flatMap(pageInput(school, asOf, onRead), (input) => PersonPages.studentPage(input, studentId)),
    facultyPage: (school, facultyId, asOf, onRead) =>
      Effect.gen(function* () {
        const input = yield* pageInput(school, asOf, onRead)
        const rows = yield* fromReadModels(() =>
          options.db.all("SELECT student_id FROM rm_pairs WHERE school = ? AND faculty_id = ? ORDER BY student_id", [
            school,
            facultyId
          ])
        )
        const known = yield* fromReadModels(() =>
          options.db.all("SELECT 1 AS found FROM rm_faculty WHERE school = ? AND faculty_id = ?", [school, facultyId])
        )
        if (rows.length === 0 && known.length === 0) return undefined
        const studentIds = rows.map((row) => String(row.student_id))
        const page = yield* PersonPages.facultyPage(
          input,
          facultyId,
          studentIds,
          yield* locate(school, facultyId, studentIds)
        )
        // Peers are compared now only: the read models hold every colleague's load now, and
        // a past date would need the whole school folded.
        if (page === undefined || asOf !== undefined) return page
        const median = yield* fromReadModels(async () => FacultyViews.peerMedian(await context(school, "individual")))
        const active = page.load.activeMentoringPairs
        return {
          ...page,
          load: { ...page.load, peerMedian: median, ratio: median === null || median === 0 ? null : active / median }
        }
      })
  }
}
