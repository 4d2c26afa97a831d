/**
 * The whole server for route, authorization and fuzz tests: `Server.assemble` over an
 * installation made of an in-memory event store and SQLite `:memory:` read models and
 * control tables, with two schools whose ids are distinctive ("alpha" / "bravo", event ids
 * `aaaaaaaa-…` / `bbbbbbbb-…`) so that any response can be scanned for the other school.
 *
 * Faults can be switched on per dependency (event store, read models, control tables) to
 * check that an unreachable store is a 503, never a 500, and bugs planted in the read
 * models and the control tables to check that a defect is a 500, logged, never a 503.
 */
import { Dashboard, Projector, SchoolSettings, Sql, SqlError } from "@rapport/analytics"
import { type EventStoreShape, InMemoryEventStore, StoreUnavailable } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { makeApp } from "../src/app.js"
import type { ServerConfig } from "../src/Config.js"
import * as ControlStore from "../src/control/ControlStore.js"
import * as ErasureGuard from "../src/erasure/ErasureGuard.js"
import * as ErasureRegistry from "../src/erasure/ErasureRegistry.js"
import * as Reapply from "../src/erasure/Reapply.js"
import * as PositionToken from "../src/http/PositionToken.js"
import { scopes, type Scope } from "../src/http/Route.js"
import * as Ingest from "../src/ingest/Ingest.js"
import type { Installation } from "../src/Installation.js"
import type { LogLine } from "../src/middleware/access-log/index.js"
import * as AdminRoutes from "../src/routes/admin.js"
import * as DashboardRoutes from "../src/routes/dashboard.js"
import * as RetentionRoutes from "../src/routes/retention.js"
import * as PeopleRoutes from "../src/routes/people.js"
import * as SessionRoutes from "../src/routes/session.js"
import * as SignInRoutes from "../src/routes/sign-in.js"
import * as SignInStore from "../src/control/SignInStore.js"
import * as Server from "../src/Server.js"
import { type PromisedControl, promised } from "./control.js"

export type SchoolName = "alpha" | "bravo"
export const schoolNames: ReadonlyArray<SchoolName> = ["alpha", "bravo"]
export const schoolId = (name: SchoolName): string => `school-${name}`

/** the ways a caller can present itself besides a scoped key */
export type Caller = Scope | "no-scopes" | "revoked" | "bad-key" | "anonymous"
export const callers: ReadonlyArray<Caller> = [...scopes, "no-scopes", "revoked", "bad-key", "anonymous"]

export interface Faults {
  store: boolean
  readModels: boolean
  control: boolean
  /** control tables that answer reads but refuse writes */
  controlWrites: boolean
  /** reads of the read models throw a TypeError, as a bug in a view would */
  readModelsBug: boolean
  /** reads of the control tables throw a TypeError, as a bug in the key check would */
  controlBug: boolean
}

export interface World {
  readonly app: ReturnType<typeof makeApp>["app"]
  readonly table: ReturnType<typeof makeApp>["table"]
  /** the read-your-writes tokens the app seals and opens */
  readonly positions: PositionToken.PositionTokens
  /** the projector: not running; `catchUp()` moves it */
  readonly projector: Projector.Projector
  /** the event store without faults */
  readonly store: EventStoreShape
  /** the control tables the server uses, as promises */
  readonly control: PromisedControl
  readonly controlDb: Sql.SqlDatabase
  readonly faults: Faults
  readonly logs: Array<LogLine>
  readonly now: Date
  /** keys[school][scope]: a key holding exactly that scope (plus no-scopes and a revoked admin key) */
  readonly keys: Record<SchoolName, Record<Scope | "no-scopes" | "revoked", string>>
  readonly students: Record<SchoolName, ReadonlyArray<string>>
  readonly faculty: Record<SchoolName, ReadonlyArray<string>>
  readonly eventIds: Record<SchoolName, ReadonlyArray<string>>
  /** a person of each school who signed in with its identity provider */
  readonly people: Record<SchoolName, string>
}

export const now = new Date("2026-11-01T12:00:00Z")

const down = () => new StoreUnavailable({ reason: "switched off by the test" })

/** A store whose every operation fails with StoreUnavailable while `isDown()`. */
export const faultyStore = (inner: EventStoreShape, isDown: () => boolean): EventStoreShape => {
  const guard = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E | StoreUnavailable> =>
    Effect.suspend((): Effect.Effect<A, E | StoreUnavailable> => (isDown() ? Effect.fail(down()) : effect))
  return {
    capabilities: inner.capabilities,
    append: (request) => guard(inner.append(request)),
    appendMany: (requests) => guard(inner.appendMany(requests)),
    readStream: (stream, options) => guard(inner.readStream(stream, options)),
    readAll: (options) => guard(inner.readAll(options)),
    subscribe: (options) =>
      Stream.unwrap(Effect.sync(() => (isDown() ? Stream.fail(down()) : inner.subscribe(options)))),
    headPosition: guard(inner.headPosition),
    deleteStream: (stream) => guard(inner.deleteStream(stream))
  }
}

/**
 * A database whose statements reject as an unreachable one does (`SqlUnavailable`) while
 * `isDown(write)`, and whose reads throw a TypeError while `isBuggy()`.
 */
export const faultySql = (
  inner: Sql.SqlDatabase,
  isDown: (write: boolean) => boolean,
  isBuggy: () => boolean = () => false
): Sql.SqlDatabase => {
  const check = (write: boolean) => {
    if (isDown(write)) throw new SqlError.SqlUnavailable({ reason: "database switched off by the test" })
  }
  return {
    dialect: inner.dialect,
    all: async (sql, params) => {
      check(false)
      if (isBuggy()) throw new TypeError("Cannot read properties of undefined (reading 'planted')")
      return inner.all(sql, params)
    },
    run: async (sql, params) => {
      check(true)
      return inner.run(sql, params)
    },
    exec: async (script) => {
      check(true)
      return inner.exec(script)
    },
    transaction: async (body) => {
      check(true)
      return inner.transaction(body)
    },
    close: () => inner.close()
  }
}

const eventId = (name: SchoolName, n: number): string =>
  `${name === "alpha" ? "aaaaaaaa" : "bbbbbbbb"}-0000-7000-8000-${n.toString(16).padStart(12, "0")}`

/** A small school: 12 students and 3 faculty, with contact, mentoring, letters and a support check-in. */
export const schoolEvents = (name: SchoolName) => {
  const students = Array.from({ length: 12 }, (_, i) => `${name}-stu-${String(i + 1).padStart(2, "0")}`)
  const faculty = Array.from({ length: 3 }, (_, i) => `${name}-fac-${i + 1}`)
  const source = `${name}-scheduler`
  let n = 0
  const events: Array<Record<string, unknown>> = []
  const add = (type: string, occurredAt: string, data: Record<string, unknown>) => {
    n += 1
    events.push({ id: eventId(name, n), type, v: 1, occurredAt, source, data })
  }
  for (const [i, facultyId] of faculty.entries()) {
    add("FacultyJoined", "2025-01-02T12:00:00Z", { facultyId, department: i === 0 ? "Surgery" : "Medicine" })
  }
  for (const [i, studentId] of students.entries()) {
    const facultyId = faculty[i % faculty.length] ?? "unused"
    add("StudentEnrolled", "2025-01-03T12:00:00Z", { studentId, graduationYear: 2027, program: "MD" })
    for (const month of ["06", "07", "08", "09"]) {
      add("OfficeHoursVisited", `2026-${month}-10T15:00:00Z`, {
        studentId,
        facultyId,
        durationMinutes: 30,
        topic: "career",
        initiatedBy: "student"
      })
    }
    add("MentorshipMeetingHeld", "2026-10-01T15:00:00Z", {
      studentId,
      facultyId,
      durationMinutes: 45,
      topics: ["residency-application"]
    })
    add("LetterRequested", "2026-10-02T15:00:00Z", {
      studentId,
      facultyId,
      letterId: `${name}-letter-${i}`,
      cycle: 2027,
      specialty: "Surgery"
    })
    add("SupportCheckInHeld", "2026-10-03T15:00:00Z", { studentId, facultyId, kind: "wellbeing" })
  }
  return { students, faculty, events }
}

export interface WorldOptions {
  /** when given, the app is built by `makeApp` with the same routes as `Server.assemble` and this limit */
  readonly rateLimit?: { readonly perSecond: number; readonly burst: number }
  readonly seed?: boolean
  /** `RAPPORT_MAX_PROJECTOR_LAG` (default: none, appends never wait for the projector) */
  readonly maxProjectorLag?: number
  /** the rate limit of `Server.assemble` itself (sweeps of every route as every caller); its default otherwise */
  readonly sweepLimit?: { readonly perSecond: number; readonly burst: number }
}

/** The configuration of an in-process test server: SQLite in memory, UTC, a threshold of 10 unless told. */
export const testConfig = (
  options: { readonly suppressionThreshold?: number; readonly maxProjectorLag?: number | undefined } = {}
): ServerConfig => ({
  store: "sqlite",
  db: ":memory:",
  eventStoreDbUrl: undefined,
  port: 0,
  host: "127.0.0.1",
  timeZones: { "*": "UTC" },
  schools: SchoolSettings.inZone("UTC"),
  keyPepper: undefined,
  suppressionThreshold: options.suppressionThreshold ?? 10,
  projector: "in-process",
  maxProjectorLag: options.maxProjectorLag
})

export const world = async (options: WorldOptions = {}): Promise<World> => {
  const faults: Faults = {
    store: false,
    readModels: false,
    control: false,
    controlWrites: false,
    readModelsBug: false,
    controlBug: false
  }
  const rawStore = InMemoryEventStore.make()
  const readModels = faultySql(
    Sql.openSqlite(":memory:"),
    () => faults.readModels,
    () => faults.readModelsBug
  )
  const controlDb = faultySql(
    Sql.openSqlite(":memory:"),
    (write) => faults.control || (write && faults.controlWrites),
    () => faults.controlBug
  )
  const typedControl = await ControlStore.make(controlDb)
  const control = promised(typedControl)
  // as Installation.open does: every append passes the erasure guard
  const erasures = await ErasureRegistry.make(Sql.openSqlite(":memory:"), await control.erasureKey())
  const store = ErasureGuard.guard(
    faultyStore(rawStore, () => faults.store),
    erasures
  )
  const keys = { alpha: {}, bravo: {} } as World["keys"]
  for (const name of schoolNames) {
    const school = schoolId(name)
    for (const scope of scopes) {
      keys[name][scope] = (await control.createKey({ school, name: `${name}-key-${scope}`, scopes: [scope], now })).key
    }
    keys[name]["no-scopes"] = (await control.createKey({ school, name: `${name}-key-none`, scopes: [], now })).key
    const revoked = await control.createKey({ school, name: `${name}-key-revoked`, scopes: [...scopes], now })
    await control.revokeKey(`${name}-key-revoked`, now)
    keys[name].revoked = revoked.key
  }
  const signIn = SignInStore.make(controlDb)
  const people = { alpha: "", bravo: "" }
  for (const name of schoolNames) {
    const person = await Effect.runPromise(
      signIn.recordSignIn({
        school: schoolId(name),
        subject: `oidc:https://idp.example#${name}-dean`,
        displayName: `${name} dean`,
        email: null,
        scopes: ["dashboards:read"],
        facultyIdFromClaim: undefined,
        now
      })
    )
    people[name] = person.personId
  }
  const students = { alpha: [] as ReadonlyArray<string>, bravo: [] as ReadonlyArray<string> }
  const faculty = { alpha: [] as ReadonlyArray<string>, bravo: [] as ReadonlyArray<string> }
  const eventIds = { alpha: [] as ReadonlyArray<string>, bravo: [] as ReadonlyArray<string> }
  if (options.seed !== false) {
    for (const name of schoolNames) {
      const seeded = schoolEvents(name)
      students[name] = seeded.students
      faculty[name] = seeded.faculty
      eventIds[name] = seeded.events.map((event) => String(event.id))
      const valid = Ingest.validate(seeded.events, now)
      if (Result.isFailure(valid)) throw new Error(`bad seed: ${JSON.stringify(valid.failure.slice(0, 3))}`)
      await Effect.runPromise(Ingest.append(rawStore, schoolId(name), valid.success))
      for (const [i, studentId] of seeded.students.entries()) {
        const displayName = `${name === "alpha" ? "Alma Alphaville" : "Bruno Bravo"} ${i}`
        await control.putDirectory(schoolId(name), "student", studentId, { displayName, email: null }, now)
      }
    }
  }
  const config = testConfig({ maxProjectorLag: options.maxProjectorLag })
  const projector = Projector.make({
    store: rawStore,
    db: readModels,
    schools: SchoolSettings.inZone("UTC"),
    now: () => now
  })
  await projector.catchUp()
  const installation: Installation = {
    config,
    store,
    readModels,
    control: typedControl,
    erasures,
    reapplied: Reapply.none,
    positions: PositionToken.ephemeral(),
    close: async () => undefined
  }
  const logs: Array<LogLine> = []
  const log = (line: LogLine) => logs.push(line)
  const built =
    options.rateLimit === undefined
      ? Server.assemble(installation, {
          log,
          now: () => now,
          projector,
          ...(options.sweepLimit === undefined ? {} : { rateLimit: options.sweepLimit })
        })
      : assembleWithLimit(installation, log, options.rateLimit)
  return {
    app: built.app,
    table: built.table,
    positions: installation.positions,
    projector,
    store: rawStore,
    control,
    controlDb,
    faults,
    logs,
    now,
    keys,
    students,
    faculty,
    eventIds,
    people
  }
}

/** `Server.assemble`'s composition, with a rate limit of the test's choosing (fuzzing sends thousands of requests). */
const assembleWithLimit = (
  installation: Installation,
  log: (line: LogLine) => void,
  rateLimit: { readonly perSecond: number; readonly burst: number }
) => {
  const { store, readModels, control, config } = installation
  const signIn = SignInStore.make(control.database)
  const dashboard = Dashboard.make({
    db: readModels,
    store,
    schools: SchoolSettings.inZone("UTC"),
    threshold: config.suppressionThreshold,
    now: () => now
  })
  return makeApp({
    store,
    control,
    projectorPosition: async () => 0,
    now: () => now,
    log,
    version: "test",
    rateLimit,
    session: (token) => control.session(token, now),
    positions: installation.positions,
    extraRoutes: [
      ...DashboardRoutes.routes({
        dashboard,
        control,
        waitFor: async () => true,
        positions: installation.positions,
        now: () => now
      }),
      ...AdminRoutes.routes({ control, now: () => now }),
      ...RetentionRoutes.routes({ store, readModels, control, schools: SchoolSettings.inZone("UTC"), now: () => now }),
      ...SessionRoutes.routes({ control, signIn, now: () => now }),
      ...SignInRoutes.routes({ signIn, now: () => now, log }),
      ...PeopleRoutes.routes({ signIn })
    ]
  })
}

export const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` })

/** the headers a caller sends (a key of `school`, or none) */
export const credentials = (w: World, school: SchoolName, caller: Caller): Record<string, string> => {
  switch (caller) {
    case "anonymous":
      return {}
    case "bad-key":
      return bearer("rapport_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    default:
      return bearer(w.keys[school][caller])
  }
}

export const other = (school: SchoolName): SchoolName => (school === "alpha" ? "bravo" : "alpha")
