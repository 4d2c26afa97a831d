/**
 * Retention: removing a school's events that are older than its retention period, or of
 * given types, for good. The same code answers `rapport retention` and
 * `POST /v1/retention`, dry run or not:
 *
 * - the school states its policy with each run (a period back from today, or a date, and
 *   optionally types), so that the policy lives in the school's records of processing and
 *   the run that applied it in the audit log (`rapport_retention_runs`);
 * - the selection: events of the school of the chosen types whose `occurredAt` is before
 *   the cutoff (the start of that day in the school's time zone). Without types, every
 *   kind of interaction; the facts that say who someone is (enrolment, status, declared
 *   specialty, faculty joining and leaving) only when named. Retractions are never chosen
 *   on their own (their target would come back) but go with the events they retract;
 *   erasure requests are never chosen;
 * - a dry run reports exactly what a real run at the same moment would remove: counts by
 *   type and month, the students named, and a digest of the events' positions (pass it as
 *   `expect` and the real run removes exactly that selection, or nothing);
 * - a real run is recorded in the audit log first, deletes the events physically
 *   (`deleteEvents`; stores without it are refused with one sentence), then asks the
 *   projector to fold the school again (analytics Reload.ts), after which the read models
 *   equal a rebuild.
 *
 * This module must never remove an event of another school, nor one it did not report.
 *
 * @since 0.2.0
 */
import { ReadError, Reload, type Sql } from "@rapport/analytics"
import { Advising, Calendar, Event } from "@rapport/core"
import type { EventStoreShape, Position, StoreUnavailable } from "@rapport/event-store"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { createHash } from "node:crypto"

/**
 * A school's policy for one run, as stated by flags or by the route's body.
 *
 * @since 0.2.0
 * @category models
 */
export interface Policy {
  /** an ISO 8601 period of years, months and days (`P7Y`, `P18M`, `P6Y6M`), back from today */
  readonly olderThan?: string | undefined
  /** a date `YYYY-MM-DD`: events before the start of that day */
  readonly before?: string | undefined
  /** event types; without them, every kind of interaction */
  readonly types?: ReadonlyArray<string> | undefined
}

/**
 * What a run removes (or, dry, would remove).
 *
 * @since 0.2.0
 * @category models
 */
export interface Report {
  readonly school: string
  /** events that occurred before this instant (UTC); null: of any age */
  readonly cutoff: string | null
  readonly types: ReadonlyArray<string>
  readonly events: number
  readonly byType: Readonly<Record<string, number>>
  /** by month of `occurredAt` in the school's time zone */
  readonly byMonth: Readonly<Record<string, number>>
  /** how many students the removed events name */
  readonly students: number
  /** retractions removed with the events they retract (counted in `events`) */
  readonly retractions: number
  readonly oldest: string | null
  readonly newest: string | null
  /** SHA-256 of the positions removed: the same selection has the same digest */
  readonly selection: string
}

/**
 * A policy that cannot be applied, in one sentence.
 *
 * @since 0.2.0
 * @category errors
 */
export class PolicyInvalid extends Data.TaggedError("PolicyInvalid")<{ readonly sentence: string }> {}

/**
 * The store cannot delete single events (capability `deleteEvents`).
 *
 * @since 0.2.0
 * @category errors
 */
export class RetentionUnsupported extends Data.TaggedError("RetentionUnsupported")<{ readonly sentence: string }> {}

/**
 * The selection is not the one `expect` named (events arrived or time passed since the dry run).
 *
 * @since 0.2.0
 * @category errors
 */
export class SelectionChanged extends Data.TaggedError("SelectionChanged")<{ readonly report: Report }> {}

/** Never chosen: a retraction goes only with its target; an erasure request goes with its student. */
const neverChosen: ReadonlySet<string> = new Set(["EventRetracted", "StudentErasureRequested"])

/**
 * The facts that say who someone is: kept unless named.
 *
 * @since 0.2.0
 * @category constants
 */
export const identityFacts: ReadonlyArray<string> = [
  "StudentEnrolled",
  "StudentStatusChanged",
  "SpecialtyDeclared",
  "FacultyJoined",
  "FacultyLeft"
]

/**
 * The types removed when none are named: every kind of interaction.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultTypes: ReadonlyArray<string> = Event.eventTypes.filter(
  (type) => !neverChosen.has(type) && !identityFacts.includes(type)
)

const period = /^P(?:(\d{1,4})Y)?(?:(\d{1,5})M)?(?:(\d{1,6})D)?$/

const firstOfMonth = (year: number, month: number): number =>
  Calendar.daysFromCivil(year + Math.floor((month - 1) / 12), ((((month - 1) % 12) + 12) % 12) + 1, 1)

/** The local day `years`, `months`, `days` before `today` (a day of month that does not exist becomes the month's last). */
const dayBefore = (today: number, years: number, months: number, days: number): number => {
  const monthKey = Calendar.monthOfDay(today)
  const year = Math.floor(monthKey / 12)
  const month = (monthKey % 12) + 1
  const dayOfMonth = today - Calendar.daysFromCivil(year, month, 1) + 1
  const targetMonth = month - months - 12 * years
  const start = firstOfMonth(year, targetMonth)
  const length = firstOfMonth(year, targetMonth + 1) - start
  return start + Math.min(dayOfMonth, length) - 1 - days
}

/**
 * The cutoff and types of a policy, for a school in `timeZone`, as of `now`.
 *
 * @since 0.2.0
 * @category operations
 */
export const resolve = (
  policy: Policy,
  timeZone: string,
  now: Date
): Result.Result<{ readonly cutoffMs: number | undefined; readonly types: ReadonlyArray<string> }, PolicyInvalid> => {
  const invalid = (sentence: string) => Result.fail(new PolicyInvalid({ sentence }))
  if (policy.olderThan !== undefined && policy.before !== undefined)
    return invalid("Give the retention period (olderThan) or a date (before), not both.")
  if (policy.olderThan === undefined && policy.before === undefined && policy.types === undefined)
    return invalid("Say what to remove: a retention period (olderThan, e.g. P7Y), a date (before), or event types.")
  const calendar = Calendar.make(timeZone)
  let cutoffMs: number | undefined
  if (policy.olderThan !== undefined) {
    const parts = period.exec(policy.olderThan)
    const [years, months, days] = [parts?.[1], parts?.[2], parts?.[3]].map((n) => Number(n ?? 0))
    if (parts === null || policy.olderThan === "P" || (years ?? 0) + (months ?? 0) + (days ?? 0) === 0)
      return invalid(
        `The retention period "${policy.olderThan}" must be an ISO 8601 period of years, months and days, such as P7Y, P18M or P6Y6M, longer than zero.`
      )
    cutoffMs = calendar.startOfDay(dayBefore(calendar.dayOf(now.getTime()), years ?? 0, months ?? 0, days ?? 0))
  }
  if (policy.before !== undefined) {
    const day = Calendar.dayOfDate(policy.before)
    if (!Number.isFinite(day) || Calendar.formatDay(day) !== policy.before)
      return invalid(`"${policy.before}" is not a date of the form YYYY-MM-DD.`)
    cutoffMs = calendar.startOfDay(day)
  }
  if (cutoffMs !== undefined && cutoffMs > now.getTime())
    return invalid("The cutoff is in the future: retention removes only events that already occurred.")
  const types = policy.types ?? defaultTypes
  if (types.length === 0) return invalid("Name at least one event type, or none to mean every kind of interaction.")
  for (const type of types) {
    // advising events (concerns, notes, cases, actions) are chosen only when named: the school's retention of education records
    if (!Event.isEventType(type) && !Advising.AdvisingEvent.isAdvisingEventType(type))
      return invalid(`"${type}" is not an event type (see docs/events.md).`)
    if (neverChosen.has(type))
      return invalid(
        `${type} events are never removed on their own: a retraction goes with the event it retracts, an erasure request with its student.`
      )
  }
  return Result.succeed({ cutoffMs, types: [...new Set(types)].sort() })
}

const studentOf = (data: unknown): string | undefined =>
  typeof data === "object" && data !== null && "studentId" in data && typeof data.studentId === "string"
    ? data.studentId
    : undefined

const retractedId = (data: unknown): string | undefined =>
  typeof data === "object" && data !== null && "eventId" in data && typeof data.eventId === "string"
    ? data.eventId.toLowerCase()
    : undefined

/**
 * Reads the school's events and chooses what a run removes, with its report.
 *
 * @since 0.2.0
 * @category operations
 */
export const select = (
  store: EventStoreShape,
  school: string,
  resolved: { readonly cutoffMs: number | undefined; readonly types: ReadonlyArray<string> },
  timeZone: string
): Effect.Effect<{ readonly positions: ReadonlyArray<Position>; readonly report: Report }, StoreUnavailable> =>
  Effect.gen(function* () {
    const types = new Set(resolved.types)
    const calendar = Calendar.make(timeZone)
    const chosen: Array<{ readonly position: Position; readonly type: string; readonly occurredMs: number }> = []
    const chosenIds = new Set<string>()
    const students = new Set<string>()
    const retractions: Array<{ readonly position: Position; readonly target: string; readonly occurredMs: number }> = []
    let after = 0
    for (;;) {
      const page = yield* store.readAll({ after, filter: { school }, maxCount: 5000 })
      for (const event of page.events) {
        const occurredMs = Date.parse(event.occurredAt)
        if (event.type === "EventRetracted") {
          const target = retractedId(event.data)
          if (target !== undefined) retractions.push({ position: event.position, target, occurredMs })
          continue
        }
        if (!types.has(event.type) || (resolved.cutoffMs !== undefined && !(occurredMs < resolved.cutoffMs))) continue
        chosen.push({ position: event.position, type: event.type, occurredMs })
        chosenIds.add(event.id.toLowerCase())
        const studentId = studentOf(event.data)
        if (studentId !== undefined) students.add(studentId)
      }
      if (page.isEnd || page.lastPosition <= after) break
      after = page.lastPosition
    }
    const withTargets = retractions.filter((retraction) => chosenIds.has(retraction.target))
    const all = [
      ...chosen,
      ...withTargets.map((r) => ({ position: r.position, type: "EventRetracted", occurredMs: r.occurredMs }))
    ]
    all.sort((a, b) => a.position - b.position)
    const byType: Record<string, number> = {}
    const byMonth: Record<string, number> = {}
    let oldest = Number.POSITIVE_INFINITY
    let newest = Number.NEGATIVE_INFINITY
    for (const event of all) {
      byType[event.type] = (byType[event.type] ?? 0) + 1
      const month = Calendar.formatMonth(calendar.monthOf(event.occurredMs))
      byMonth[month] = (byMonth[month] ?? 0) + 1
      oldest = Math.min(oldest, event.occurredMs)
      newest = Math.max(newest, event.occurredMs)
    }
    const positions = all.map((event) => event.position)
    return {
      positions,
      report: {
        school,
        cutoff: resolved.cutoffMs === undefined ? null : new Date(resolved.cutoffMs).toISOString(),
        types: resolved.types,
        events: all.length,
        byType: Object.fromEntries(Object.entries(byType).sort()),
        byMonth: Object.fromEntries(Object.entries(byMonth).sort()),
        students: students.size,
        retractions: withTargets.length,
        oldest: all.length === 0 ? null : new Date(oldest).toISOString(),
        newest: all.length === 0 ? null : new Date(newest).toISOString(),
        selection: createHash("sha256").update(positions.join(",")).digest("hex")
      }
    }
  })

/** Positions deleted per call: one transaction each, never unbounded. */
const chunk = 20_000

/**
 * Deletes the selected events for good and asks the projector to fold the school again.
 * Answers how many events were deleted.
 *
 * @since 0.2.0
 * @category operations
 */
export const remove = (
  store: EventStoreShape,
  readModels: Sql.SqlDatabase,
  school: string,
  positions: ReadonlyArray<Position>
): Effect.Effect<number, StoreUnavailable | ReadError.ReadModelsUnavailable | RetentionUnsupported> =>
  Effect.gen(function* () {
    const deleteEvents = yield* deleter(store)
    let removed = 0
    for (let i = 0; i < positions.length; i += chunk)
      removed += yield* deleteEvents(school, positions.slice(i, i + chunk))
    if (positions.length > 0) {
      yield* ReadError.fromReadModels(() => Reload.request(readModels, school)).pipe(
        Effect.mapError(
          (error) =>
            new ReadError.ReadModelsUnavailable({
              reason: "the events were deleted, but the read models cannot be reached to be updated; run again",
              cause: error
            })
        )
      )
    }
    return removed
  })

/**
 * The store's `deleteEvents`, or why retention cannot run on it.
 *
 * @since 0.2.0
 * @category operations
 */
export const deleter = (
  store: EventStoreShape
): Effect.Effect<NonNullable<EventStoreShape["deleteEvents"]>, RetentionUnsupported> => {
  const { deleteEvents } = store
  return deleteEvents === undefined || store.capabilities.deleteEvents !== true
    ? Effect.fail(
        new RetentionUnsupported({
          sentence:
            "This event store cannot delete single events (EventStoreDB can only truncate a stream from its start), so retention cannot run on it; erase students instead, or use SQLite or PostgreSQL."
        })
      )
    : Effect.succeed(deleteEvents)
}
