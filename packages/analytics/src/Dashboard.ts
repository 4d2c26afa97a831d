/**
 * The read side in one object: every dashboard view and person page for a school, with
 * its clock, suppression policy and settings resolved once. The server's routes call it;
 * it knows nothing of HTTP.
 *
 * @since 0.1.0
 */
import { Config } from "@rapport/core"
import type { EventStoreShape, RecordedEvent, StoreUnavailable } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Clock from "./Clock.js"
import * as FacultyViews from "./FacultyViews.js"
import type * as Filters from "./Filters.js"
import * as PersonPages from "./PersonPages.js"
import * as ReadModel from "./ReadModel.js"
import * as SchoolViews from "./SchoolViews.js"
import type { SqlDatabase } from "./Sql.js"
import * as StudentViews from "./StudentViews.js"
import type * as Suppression from "./Suppression.js"
import type * as Views from "./Views.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface DashboardOptions {
  readonly db: SqlDatabase
  readonly store: EventStoreShape
  readonly timeZoneOf: (school: string) => string
  readonly threshold: number
  readonly now: () => Date
  readonly displayName?: (school: string, kind: "student" | "faculty", id: string) => Promise<string | null>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Dashboard {
  readonly overview: (school: string, audience: Suppression.Audience) => Promise<Views.Overview>
  readonly trends: (school: string, audience: Suppression.Audience, query: Filters.TrendsQuery) => Promise<Views.Trends>
  readonly students: (school: string, query: Filters.StudentsQuery) => Promise<Views.Students>
  readonly faculty: (
    school: string,
    audience: Suppression.Audience,
    query: Filters.FacultyQuery
  ) => Promise<Views.Faculty>
  readonly letters: (
    school: string,
    audience: Suppression.Audience,
    query: Filters.LettersQuery
  ) => Promise<Views.Letters>
  readonly followUps: (
    school: string,
    audience: Suppression.Audience,
    query: Filters.FollowUpsQuery
  ) => Promise<Views.FollowUps>
  readonly coverage: (school: string, audience: Suppression.Audience) => Promise<Views.Coverage>
  readonly studentPage: (
    school: string,
    studentId: string,
    asOf: string | undefined
  ) => Effect.Effect<Views.StudentPage | undefined, StoreUnavailable>
  readonly facultyPage: (
    school: string,
    facultyId: string,
    asOf: string | undefined
  ) => Effect.Effect<Views.FacultyPage | undefined, StoreUnavailable>
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: DashboardOptions): Dashboard => {
  // Validating a configuration builds a time-zone formatter: once per zone, not per request.
  const configs = new Map<string, Config.ScoringConfig>()
  const settings = (school: string) => {
    const timeZone = options.timeZoneOf(school)
    let known = configs.get(timeZone)
    if (known === undefined) {
      const config = Config.makeConfig({ timeZone })
      known = Result.isSuccess(config) ? config.success : Config.defaultConfig
      configs.set(timeZone, known)
    }
    return known
  }
  const context = async (school: string, audience: Suppression.Audience): Promise<SchoolViews.ViewContext> => {
    const config = settings(school)
    return {
      db: options.db,
      school,
      clock: Clock.at(options.now(), config.timeZone),
      policy: { audience, threshold: options.threshold },
      position: await ReadModel.checkpoint(options.db),
      advocatesNeeded: config.letters.advocatesNeeded,
      inSpecialtyNeeded: config.letters.inSpecialtyNeeded,
      topFacultyShare: config.topFacultyShare
    }
  }
  const displayName = (school: string) => (kind: "student" | "faculty", id: string) =>
    options.displayName === undefined ? Promise.resolve(null) : options.displayName(school, kind, id)
  const pageInput = (school: string, asOf: string | undefined): Effect.Effect<PersonPages.PageInput> =>
    Effect.promise(async () => ({
      store: options.store,
      school,
      timeZone: options.timeZoneOf(school),
      asOf: PersonPages.asOfInstant(asOf, options.now(), options.timeZoneOf(school)),
      position: await ReadModel.checkpoint(options.db),
      threshold: options.threshold,
      displayName: displayName(school),
      rotationsElsewhere: async (facultyIds, studentId, asOfMs) => {
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
      }
    }))
  /**
   * The mentees' events a faculty member's page folds, read by their log positions (kept
   * by the projector in rm_positions) when the store can: a few thousand events instead of
   * every mentee's stream. `undefined`: read the streams.
   */
  const locate = (
    school: string,
    facultyId: string,
    studentIds: ReadonlyArray<string>
  ): Effect.Effect<ReadonlyArray<RecordedEvent> | undefined, StoreUnavailable> => {
    const readPositions = options.store.readPositions
    if (readPositions === undefined) return Effect.succeed(undefined)
    return Effect.flatMap(
      Effect.promise(async () => {
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
      (positions) => readPositions(school, positions)
    )
  }
  return {
    overview: async (school, audience) => SchoolViews.overview(await context(school, audience)),
    trends: async (school, audience, query) => SchoolViews.trends(await context(school, audience), query),
    students: async (school, query) => StudentViews.students(await context(school, "individual"), query),
    faculty: async (school, audience, query) => SchoolViews.faculty(await context(school, audience), query),
    letters: async (school, audience, query) => SchoolViews.letters(await context(school, audience), query),
    followUps: async (school, audience, query) => SchoolViews.followUps(await context(school, audience), query),
    coverage: async (school, audience) => SchoolViews.coverage(await context(school, audience)),
    studentPage: (school, studentId, asOf) =>
      Effect.flatMap(pageInput(school, asOf), (input) => PersonPages.studentPage(input, studentId)),
    facultyPage: (school, facultyId, asOf) =>
      Effect.gen(function* () {
        const input = yield* pageInput(school, asOf)
        const rows = yield* Effect.promise(() =>
          options.db.all("SELECT student_id FROM rm_pairs WHERE school = ? AND faculty_id = ? ORDER BY student_id", [
            school,
            facultyId
          ])
        )
        const known = yield* Effect.promise(() =>
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
        const median = yield* Effect.promise(async () => FacultyViews.peerMedian(await context(school, "individual")))
        const active = page.load.activeMentoringPairs
        return {
          ...page,
          load: { ...page.load, peerMedian: median, ratio: median === null || median === 0 ? null : active / median }
        }
      })
  }
}
