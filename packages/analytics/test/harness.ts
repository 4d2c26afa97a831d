/**
 * What the read-side tests share: a simulated school in an event store, projected into a
 * read-model database, and the same events folded directly by `@rapport/core` — the
 * source of truth every view is checked against.
 */
import { Config, type Event, SchoolFold, type State } from "@rapport/core"
import { type EventStoreShape, InMemoryEventStore, type RecordedEvent } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { toEvent } from "../src/internal/Recorded.js"
import * as Dashboard from "../src/Dashboard.js"
import * as Projector from "../src/Projector.js"
import * as Sql from "../src/Sql.js"
import { load, simulatedEvents } from "./fixtures.js"
import * as SchoolSettings from "../src/SchoolSettings.js"

export const timeZone = "America/New_York"
export const schoolId = "school-a"

/** after the simulation's last event (it ends 2026-09-15) */
export const defaultNow = new Date("2026-09-20T16:00:00Z")

const configResult = Config.makeConfig({ timeZone })
export const config: Config.ScoringConfig = Result.isSuccess(configResult) ? configResult.success : Config.defaultConfig

/** A mutable clock shared by a projector and a dashboard. */
export interface TestClock {
  now: Date
}

export const decodeRecorded: (recorded: RecordedEvent) => Event.RapportEvent | undefined = toEvent

/** Everything the store holds, in log order. */
export const recordedEvents = async (store: EventStoreShape): Promise<ReadonlyArray<RecordedEvent>> => {
  const out: Array<RecordedEvent> = []
  let after = 0
  for (;;) {
    const page = await Effect.runPromise(store.readAll({ after, maxCount: 10_000 }))
    out.push(...page.events)
    if (page.isEnd || page.events.length === 0) return out
    after = page.lastPosition
  }
}

/** Decoded events, in the order given. */
export const decodeAll = (recorded: ReadonlyArray<RecordedEvent>): ReadonlyArray<Event.RapportEvent> =>
  recorded.flatMap((r) => {
    const event = decodeRecorded(r)
    return event === undefined ? [] : [event]
  })

/** The decoded events the store holds (what core must agree with). */
export const storedEvents = async (store: EventStoreShape): Promise<ReadonlyArray<Event.RapportEvent>> =>
  decodeAll(await recordedEvents(store))

/** Core's state of a school's events. */
export const coreStateOf = (events: ReadonlyArray<Event.RapportEvent>): State.SchoolState =>
  SchoolFold.fromEvents(events, config)

/** Core's state of the school from the events the store holds. */
export const coreState = async (store: EventStoreShape): Promise<State.SchoolState> =>
  coreStateOf(await storedEvents(store))

type AggregateView = "overview" | "trends" | "students" | "faculty" | "letters" | "followUps" | "coverage"

/**
 * A dashboard whose aggregate views answer promises, for tests that read their values
 * (a failure rejects, with the view's typed error or the defect); person pages stay Effects.
 */
export type TestDashboard = Omit<Dashboard.Dashboard, AggregateView> & {
  readonly [K in AggregateView]: (
    ...args: Parameters<Dashboard.Dashboard[K]>
  ) => Promise<Effect.Success<ReturnType<Dashboard.Dashboard[K]>>>
}

export const promised = (dashboard: Dashboard.Dashboard): TestDashboard => ({
  ...dashboard,
  overview: (...args) => Effect.runPromise(dashboard.overview(...args)),
  trends: (...args) => Effect.runPromise(dashboard.trends(...args)),
  students: (...args) => Effect.runPromise(dashboard.students(...args)),
  faculty: (...args) => Effect.runPromise(dashboard.faculty(...args)),
  letters: (...args) => Effect.runPromise(dashboard.letters(...args)),
  followUps: (...args) => Effect.runPromise(dashboard.followUps(...args)),
  coverage: (...args) => Effect.runPromise(dashboard.coverage(...args))
})

export interface Projected {
  readonly store: EventStoreShape
  readonly db: Sql.SqlDatabase
  readonly clock: TestClock
  readonly projector: Projector.Projector
  readonly dashboard: (threshold?: number) => TestDashboard
}

/** Projects whatever `store` holds into `db` as of `clock.now`. */
export const project = async (
  store: EventStoreShape,
  db: Sql.SqlDatabase,
  clock: TestClock = { now: defaultNow },
  options: { readonly batchSize?: number; readonly leaseMs?: number } = {}
): Promise<Projected> => {
  const projector = Projector.make({
    store,
    db,
    schools: SchoolSettings.inZone(timeZone),
    now: () => clock.now,
    batchSize: options.batchSize ?? 2000,
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs })
  })
  await projector.catchUp()
  return {
    store,
    db,
    clock,
    projector,
    dashboard: (threshold = 10) =>
      promised(Dashboard.make({ db, store, schools: SchoolSettings.inZone(timeZone), threshold, now: () => clock.now }))
  }
}

/** A simulated school in a fresh in-memory store, projected into SQLite (in memory). */
export const simulatedSchool = async (
  seed: number,
  size: "tiny" | "small" = "tiny",
  clock: TestClock = { now: defaultNow }
): Promise<Projected> => {
  const store = InMemoryEventStore.make()
  await load(store, schoolId, simulatedEvents(seed, size), 500)
  return project(store, Sql.openSqlite(":memory:"), clock)
}

/** Plain numbers of a view cell (fails the test when a cell that should be visible is suppressed). */
export const value = (cell: number | { readonly suppressed: true }): number => {
  if (typeof cell !== "number") throw new Error(`expected a number, got ${JSON.stringify(cell)}`)
  return cell
}

/** Rounds every real number so that two databases' answers compare as JSON. */
export const rounded = (input: unknown): unknown => {
  if (typeof input === "number") return Number.isInteger(input) ? input : Math.round(input * 1e9) / 1e9
  if (Array.isArray(input)) return input.map(rounded)
  if (input !== null && typeof input === "object") {
    return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, rounded(v)]))
  }
  return input
}

export const days = (n: number): number => n * 86_400_000
