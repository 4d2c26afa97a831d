/**
 * `GET /v1/dashboard/overview/context`: what the overview's headline figures were a month
 * and a year ago, with the twelve months between (the dashboard's trend lines), for the
 * whole school or one graduation year; and the headline figures now for one graduation
 * year (the overview's class selector).
 *
 * The read models keep tiers "as of now" only (until-instants), so the past is folded: the
 * school's events in the order they occurred, through `@rapport/core`'s own fold, read at
 * the same day of each of the last twelve months (never a month-end, so that no point is a
 * partial month). The fold is kept per school for a few minutes (past months barely move)
 * and gives way to other requests every few thousand events.
 *
 * Follow-ups have no history here: their rules are evaluated as of now only.
 *
 * It must never show a class that the trends view hides from an `aggregates:read` key, nor
 * a group under the threshold to one.
 *
 * @since 0.4.0
 */
import { Clock, type Dashboard, Params, ReadError, type Sql, Suppression, Views } from "@rapport/analytics"
import { Decode, SchoolFold, State, Student, type Event } from "@rapport/core"
import type { EventStoreShape, RecordedEvent } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type { SchoolSettings } from "@rapport/analytics"
import { problem } from "../http/Problem.js"
import { type AnyRoute, erase, type Principal, route } from "../http/Route.js"

/**
 * @since 0.4.0
 * @category models
 */
export interface ContextDeps {
  readonly dashboard: Dashboard.Dashboard<unknown>
  readonly store: EventStoreShape
  readonly readModels: Sql.SqlDatabase
  readonly schools: SchoolSettings.SchoolSettings
  readonly threshold: number
  readonly now: () => Date
}

/** One graduation year's counts at one instant (`null`: students without a year). */
interface YearCounts {
  active: number
  strong: number
  isolated: number
  ready: number
}

interface Snapshot {
  readonly asOf: string
  readonly byYear: ReadonlyMap<number | null, YearCounts>
}

interface Folded {
  readonly at: number
  readonly snapshots: ReadonlyArray<Snapshot>
}

/** how long a school's fold is reused (past months barely move; "now" comes from the read models) */
const keepMs = 5 * 60_000
const months = 12

/** The same day `k` months before `now` (the last day of a shorter month), same time of day. */
const monthsBack = (now: Date, k: number): number => {
  const year = now.getUTCFullYear()
  const month = now.getUTCMonth() - k
  const first = new Date(Date.UTC(year, month, 1))
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate()
  return Date.UTC(
    first.getUTCFullYear(),
    first.getUTCMonth(),
    Math.min(now.getUTCDate(), lastDay),
    now.getUTCHours(),
    now.getUTCMinutes(),
    now.getUTCSeconds()
  )
}

const toEvent = (recorded: RecordedEvent): Event.RapportEvent | undefined => {
  const decoded = Decode.decodeEvent({
    id: recorded.id,
    type: recorded.type,
    v: recorded.v,
    occurredAt: recorded.occurredAt,
    ...(recorded.source === undefined ? {} : { source: recorded.source }),
    data: recorded.data
  })
  return Result.isSuccess(decoded) ? decoded.success : undefined
}

const giveWay = () => new Promise<void>((resolve) => setImmediate(resolve))

const countAt = (state: State.SchoolState, asOfMs: number): Map<number | null, YearCounts> => {
  const byYear = new Map<number | null, YearCounts>()
  for (const student of state.students.values()) {
    if (!State.isActiveStudent(student)) continue
    const standing = Student.standing(student, asOfMs, state)
    const year = student.graduationYear ?? null
    const counts = byYear.get(year) ?? { active: 0, strong: 0, isolated: 0, ready: 0 }
    counts.active += 1
    if (standing.bestTier === "strong" || standing.bestTier === "advocate") counts.strong += 1
    if (standing.isolated) counts.isolated += 1
    if (standing.letterReady) counts.ready += 1
    byYear.set(year, counts)
  }
  return byYear
}

/** Folds a school's events in occurrence order, read at each of the instants (ascending). */
const foldSchool = async (
  events: ReadonlyArray<Event.RapportEvent>,
  settings: SchoolSettings.School,
  instants: ReadonlyArray<number>
): Promise<ReadonlyArray<Snapshot>> => {
  const fold = SchoolFold.make(settings.scoring)
  // Retractions and erasures apply whenever they occurred (the fold is order-independent),
  // so they go first; everything else in the order it occurred.
  const first = events.filter((e) => e.type === "EventRetracted" || e.type === "StudentErasureRequested")
  const rest = events
    .filter((e) => e.type !== "EventRetracted" && e.type !== "StudentErasureRequested")
    .map((event) => ({ event, ms: Date.parse(event.occurredAt) }))
    .sort((a, b) => a.ms - b.ms)
  for (const event of first) fold.apply(event)
  const snapshots: Array<Snapshot> = []
  let next = 0
  for (const instant of instants) {
    while (next < rest.length && (rest[next]?.ms ?? Number.POSITIVE_INFINITY) <= instant) {
      const item = rest[next]
      if (item !== undefined) fold.apply(item.event)
      next += 1
      if (next % 1000 === 0) await giveWay()
    }
    snapshots.push({ asOf: new Date(instant).toISOString(), byYear: countAt(fold.state, instant) })
    await giveWay()
  }
  return snapshots
}

const folds = new Map<string, Promise<Folded>>()

const readSchool = (store: EventStoreShape, school: string) =>
  Effect.gen(function* () {
    const events: Array<Event.RapportEvent> = []
    let after = 0
    for (;;) {
      const page = yield* store.readAll({ after, filter: { school }, maxCount: 500 })
      for (const recorded of page.events) {
        const event = toEvent(recorded)
        if (event !== undefined) events.push(event)
      }
      after = page.lastPosition
      if (page.isEnd || page.events.length === 0) break
      yield* Effect.promise(giveWay)
    }
    return events
  })

const folded = (deps: ContextDeps, school: string) =>
  Effect.gen(function* () {
    const now = deps.now()
    const kept = folds.get(school)
    if (kept !== undefined) {
      const value = yield* Effect.promise(() => kept)
      if (now.getTime() - value.at < keepMs) return value
    }
    const events = yield* readSchool(deps.store, school)
    const instants = Array.from({ length: months + 1 }, (_, i) => monthsBack(now, months - i))
    const running = foldSchool(events, deps.schools.of(school), instants).then((snapshots) => ({
      at: now.getTime(),
      snapshots
    }))
    folds.set(school, running)
    return yield* Effect.promise(() => running)
  })

const Point = Schema.Struct({
  /** the instant the figures were read at: the same day of each month */
  asOf: Schema.String,
  activeStudents: Views.Cell,
  withStrongRelationship: Views.Cell,
  withStrongRelationshipShare: Views.Cell,
  isolated: Views.Cell,
  isolatedShare: Views.Cell,
  /** students of the cycle (the graduation year) with enough advocates */
  letterReady: Views.Cell,
  letterReadyShare: Views.Cell,
  cycleStudents: Views.Cell
}).annotate({ identifier: "OverviewContextPoint" })

/**
 * @since 0.4.0
 * @category models
 */
export const OverviewContext = Schema.Struct({
  meta: Schema.Struct({ school: Schema.String, asOf: Schema.String, suppressionThreshold: Schema.Int }),
  graduationYear: Schema.NullOr(Schema.Int),
  /** the school's current month, YYYY-MM in its time zone (still under way: partial) */
  currentMonth: Schema.String,
  /** the cycle whose letter readiness is shown: the next one, or the graduation year chosen */
  cycle: Schema.Int,
  /** thirteen points, oldest first: a year ago, every month since, and now (the last) */
  points: Schema.Array(Point),
  /** the figures now, from the read models (null for the whole school: the overview has them) */
  now: Schema.NullOr(
    Schema.Struct({
      activeStudents: Views.Cell,
      withStrongRelationship: Views.Cell,
      withStrongRelationshipShare: Views.Cell,
      isolated: Views.Cell,
      isolatedShare: Views.Cell,
      letterReady: Views.Cell,
      letterReadyShare: Views.Cell,
      cycleStudents: Views.Cell,
      followUpsDue: Views.Cell,
      followUpsOverdue: Views.Cell,
      /** the class's students with an open follow-up: who needs attention (added with issue #17) */
      followUpsStudents: Views.Cell
    })
  )
}).annotate({ identifier: "OverviewContext" })

const Query = Schema.Struct({
  graduationYear: Schema.optionalKey(Params.DecimalInt(1900, 2200))
})

const json = (body: unknown): Response =>
  new Response(JSON.stringify(body), {
    status: 200,
    headers: { "content-type": "application/json", "cache-control": "no-store" }
  })

const sum = (snapshot: Snapshot, year: number | undefined): YearCounts => {
  const total: YearCounts = { active: 0, strong: 0, isolated: 0, ready: 0 }
  for (const [y, counts] of snapshot.byYear) {
    if (year !== undefined && y !== year) continue
    total.active += counts.active
    total.strong += counts.strong
    total.isolated += counts.isolated
  }
  return total
}

const audienceOf = (principal: Principal | undefined): Suppression.Audience =>
  principal?.scopes.has("dashboards:read") === true ? "individual" : "aggregate"

/**
 * @since 0.4.0
 * @category routes
 */
export const routes = (deps: ContextDeps): ReadonlyArray<AnyRoute> => [
  erase(
    route<Record<string, never>, typeof Query.Type>({
      operationId: "dashboardOverviewContext",
      method: "GET",
      path: "/v1/dashboard/overview/context",
      tag: "dashboards",
      summary: "The overview's figures a month and a year ago, and every month between",
      description:
        "Active students, students with a strong relationship, isolated students (no developing-or-better relationship) and letter readiness, read on the same day of each of the last twelve months and now, by folding the school's events as they occurred; for the whole school or one graduation year. Follow-ups have no history.",
      access: { _tag: "Scoped", anyOf: ["dashboards:read", "aggregates:read"] },
      query: Query,
      responses: { 200: { description: "The overview's context", schema: OverviewContext } },
      errors: [400, 401, 403, 429, 503],
      handle: ({ principal, query }) =>
        Effect.gen(function* () {
          if (principal === undefined) return yield* Effect.fail(problem(401, "Send an API key."))
          const school = principal.school
          const audience = audienceOf(principal)
          const policy: Suppression.Policy = { audience, threshold: deps.threshold }
          const year = query.graduationYear
          // An aggregates:read key sees only the classes the trends view shows it.
          const trends = yield* deps.dashboard.trends(school, audience, {})
          const shown = year === undefined || trends.byGraduationYear.some((g) => g.graduationYear === year)
          const history = yield* folded(deps, school)
          const clock = Clock.at(deps.now(), deps.schools.of(school).timeZone)
          const cycleNow = year ?? clock.nextCycle
          const hide = (value: number, population: number): Views.Cell =>
            shown ? Suppression.cell(policy, value, population) : Suppression.hidden(policy, "complementary")
          const hideShare = (part: number, population: number): Views.Cell =>
            shown ? Suppression.share(policy, part, population) : Suppression.hidden(policy, "complementary")
          const points = history.snapshots.map((snapshot) => {
            const counts = sum(snapshot, year)
            const cohort = snapshot.byYear.get(cycleNow) ?? { active: 0, strong: 0, isolated: 0, ready: 0 }
            return {
              asOf: snapshot.asOf,
              activeStudents: hide(counts.active, counts.active),
              withStrongRelationship: hide(counts.strong, counts.active),
              withStrongRelationshipShare: hideShare(counts.strong, counts.active),
              isolated: hide(counts.isolated, counts.active),
              isolatedShare: hideShare(counts.isolated, counts.active),
              letterReady: hide(cohort.ready, cohort.active),
              letterReadyShare: hideShare(cohort.ready, cohort.active),
              cycleStudents: hide(cohort.active, cohort.active)
            }
          })
          const last = points.at(-1)
          const now =
            year === undefined || last === undefined
              ? null
              : {
                  ...(yield* classNow(deps, school, year, policy, shown)),
                  // a class's readiness now: the fold's last point (read now, kept a few minutes)
                  letterReady: last.letterReady,
                  letterReadyShare: last.letterReadyShare,
                  cycleStudents: last.cycleStudents
                }
          return json({
            meta: {
              school,
              asOf: deps.now().toISOString(),
              suppressionThreshold: Suppression.reported(policy)
            },
            graduationYear: year ?? null,
            currentMonth: clock.month,
            cycle: cycleNow,
            points,
            now
          })
        })
    })
  )
]

/** A class's headline figures now, from the read models (as the overview counts the school). */
const classNow = (deps: ContextDeps, school: string, year: number, policy: Suppression.Policy, shown: boolean) =>
  ReadError.fromReadModels(async () => {
    const nowMs = deps.now().getTime()
    const [students] = await deps.readModels.all(
      `SELECT COUNT(*) AS active,
         SUM(CASE WHEN strong_until_ms > ? THEN 1 ELSE 0 END) AS strong,
         SUM(CASE WHEN developing_until_ms > ? THEN 0 ELSE 1 END) AS isolated
       FROM rm_students WHERE school = ? AND active = 1 AND graduation_year = ?`,
      [nowMs, nowMs, school, year]
    )
    const today = new Date(nowMs).toISOString().slice(0, 10)
    const [followUps] = await deps.readModels.all(
      `SELECT SUM(CASE WHEN f.due_on < ? THEN 1 ELSE 0 END) AS overdue, SUM(CASE WHEN f.due_on >= ? THEN 1 ELSE 0 END) AS due,
         COUNT(DISTINCT f.student_id) AS students
       FROM rm_follow_ups f JOIN rm_students s ON s.school = f.school AND s.student_id = f.student_id
       WHERE f.school = ? AND f.done = 0 AND f.expires_on >= ? AND s.graduation_year = ?`,
      [today, today, school, today, year]
    )
    const n = (row: Sql.SqlRow | undefined, key: string) => Number(row?.[key] ?? 0)
    const active = n(students, "active")
    const hide = (value: number, population: number): Views.Cell =>
      shown ? Suppression.cell(policy, value, population) : Suppression.hidden(policy, "complementary")
    const hideShare = (part: number, population: number): Views.Cell =>
      shown ? Suppression.share(policy, part, population) : Suppression.hidden(policy, "complementary")
    return {
      activeStudents: hide(active, active),
      withStrongRelationship: hide(n(students, "strong"), active),
      withStrongRelationshipShare: hideShare(n(students, "strong"), active),
      isolated: hide(n(students, "isolated"), active),
      isolatedShare: hideShare(n(students, "isolated"), active),
      followUpsDue: hide(n(followUps, "due"), n(followUps, "students")),
      followUpsOverdue: hide(n(followUps, "overdue"), n(followUps, "students")),
      followUpsStudents: hide(n(followUps, "students"), n(followUps, "students"))
    }
  })
