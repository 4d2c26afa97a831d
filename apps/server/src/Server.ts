/**
 * A running Rapport: an installation, its projector (in-process unless configured as
 * external), the read side, and the HTTP app on a socket, with a graceful stop: no new
 * connections, in-flight requests finish, the projector checkpoints, stores close.
 *
 * @since 0.1.0
 */
import { Dashboard, Projector, ProjectorWorker, ReadModel } from "@rapport/analytics"
import type { EventStoreShape } from "@rapport/event-store"
import { serve, type ServerType } from "@hono/node-server"
import * as Effect from "effect/Effect"
import { fileURLToPath } from "node:url"
import { makeApp } from "./app.js"
import * as Assets from "./http/Assets.js"
import { ConfigError, sqliteFiles } from "./Config.js"
import { type Installation, postgresSchemas } from "./Installation.js"
import type { LogLine } from "./middleware/access-log/index.js"
import * as WorkPool from "./offload/WorkPool.js"
import * as AdminRoutes from "./routes/admin.js"
import * as DashboardRoutes from "./routes/dashboard.js"
import * as DashboardContextRoutes from "./routes/dashboard-context.js"
import * as DirectorySearchRoutes from "./routes/directory-search.js"
import * as RetentionRoutes from "./routes/retention.js"
import * as PeopleRoutes from "./routes/people.js"
import * as SessionRoutes from "./routes/session.js"
import * as SignInRoutes from "./routes/sign-in.js"
import * as SignInStore from "./control/SignInStore.js"
import * as Metrics from "./http/Metrics.js"
import * as ProcessMetrics from "./http/ProcessMetrics.js"
import * as XapiRoutes from "./xapi/Routes.js"
import * as AdvisingService from "./advising/Advising.js"
import * as AdvisingRoutes from "./advising/Routes.js"
import * as AdvisingStore from "./advising/AdvisingStore.js"
import * as InspectionHold from "./advising/InspectionHold.js"
import * as ApiKeys from "./control/ApiKeys.js"
import { scopes, sessionScopes } from "./http/Route.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Running {
  readonly url: string
  readonly port: number
  readonly projector: Projector.Projector | undefined
  /** starts the projector when `deferProjector` was given (bulk loads first, then one catch-up) */
  readonly startProjector: () => Promise<void>
  readonly app: ReturnType<typeof makeApp>["app"]
  readonly stop: () => Promise<void>
}

/**
 * The folder of the built dashboard, beside this app in the repository.
 *
 * @since 0.1.0
 * @category constants
 */
export const dashboardFolder = fileURLToPath(new URL("../../dashboard/dist", import.meta.url))

/** The longest an append waits for the projector: a stuck projector slows ingestion, never stops it. */
const maxHoldMs = 5000

/**
 * Builds the app over an installation (no socket): used by `serve`, `demo` and tests.
 *
 * @since 0.1.0
 * @category constructors
 */
export const assemble = (
  installation: Installation,
  options: {
    readonly log: (line: LogLine) => void
    readonly now?: () => Date
    readonly projector?: Projector.Projector | undefined
    /** whether the projector is running (appends wait for it only then); default: always */
    readonly projectorRunning?: () => boolean
    /** worker threads for batches and person pages; the event loop itself by default */
    readonly work?: WorkPool.WorkPool
    /** the rate limit (tests that sweep every route); the app's default otherwise */
    readonly rateLimit?: { readonly perSecond: number; readonly burst: number }
  }
) => {
  const now = options.now ?? (() => new Date())
  const { readModels, control, config } = installation
  const signIn = SignInStore.make(control.database)
  const advising = AdvisingStore.make(control.database)
  // an erasure waits while an inspection request about the student is open (docs/advising.md)
  const rawStore = InspectionHold.hold(installation.store)
  const projector = options.projector
  const metrics = Metrics.make()
  // The highest position this process appended: how far the in-process projector is behind.
  let appended = 0
  const maxLag = config.maxProjectorLag ?? 0
  const projectorRunning = options.projectorRunning ?? (() => true)
  // Bounded staleness: while the projector is more than `maxLag` events behind what this
  // process appended, an append waits (at most maxHoldMs) until it has caught up to the
  // bound. A bulk load then runs at the projector's pace, and dashboards stay seconds,
  // not minutes, behind it (docs/operations.md, RAPPORT_MAX_PROJECTOR_LAG).
  // The bound holds from the first time the projector is within it: a backlog from before
  // (a `rapport import`, a rebuild, another writer) is worked off without holding appends.
  let bounded = false
  const holdBack = Effect.promise(async () => {
    if (projector === undefined || maxLag === 0 || !projectorRunning() || appended === 0) return
    if (appended - projector.position() <= maxLag) {
      bounded = true
      return
    }
    if (!bounded) return
    const started = performance.now()
    const caughtUp = await projector.waitFor(appended - maxLag, maxHoldMs)
    metrics.addHeldBack((performance.now() - started) / 1000, caughtUp)
  })
  // After each append: wake the in-process projector and count what was acknowledged.
  const store: EventStoreShape = {
    ...rawStore,
    appendMany: (requests) =>
      Effect.andThen(holdBack, () =>
        Effect.tap(rawStore.appendMany(requests), (result) =>
          Effect.sync(() => {
            appended = Math.max(appended, result.position)
            metrics.addIngested(result.stored, result.duplicates)
            projector?.notify()
          })
        )
      )
  }
  const projectorPosition = () =>
    projector === undefined ? ReadModel.checkpoint(readModels) : Promise.resolve(projector.position())
  metrics.gauge(
    "rapport_store_position",
    "The store's position: the last event committed to the log (as /readyz reports it).",
    () => Effect.runPromise(rawStore.headPosition)
  )
  metrics.gauge("rapport_projector_position", "The last position the read models include.", projectorPosition)
  metrics.collect(ProcessMetrics.ofProcess().render)
  metrics.collect(async () => {
    const totals = await Effect.runPromise(control.importedTotals())
    return [
      "# HELP rapport_events_imported_total Events read by `rapport import`, by outcome: stored, duplicate (already in the store), rejected (written aside with their reasons).",
      "# TYPE rapport_events_imported_total counter",
      `rapport_events_imported_total{outcome="stored"} ${totals.stored}`,
      `rapport_events_imported_total{outcome="duplicate"} ${totals.duplicates}`,
      `rapport_events_imported_total{outcome="rejected"} ${totals.rejected}`
    ].join("\n")
  })
  metrics.gauge(
    "rapport_projector_lag_events",
    "Events committed to the store but not yet in the read models.",
    async () => {
      const head = await Effect.runPromise(rawStore.headPosition)
      return Math.max(0, head - (await projectorPosition()))
    }
  )
  const waitFor = async (position: number, timeoutMs: number): Promise<boolean> => {
    if (projector !== undefined) return projector.waitFor(position, timeoutMs)
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if ((await ReadModel.checkpoint(readModels)) >= position) return true
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    return false
  }
  const dashboard = Dashboard.make({
    db: readModels,
    store: rawStore,
    schools: config.schools,
    threshold: config.suppressionThreshold,
    now,
    displayName: (school, kind, id) =>
      Effect.map(control.getDirectory(school, kind, id), (entry) => entry?.displayName ?? null),
    ...(options.work === undefined ? {} : { folder: options.work.folder })
  })
  return makeApp({
    store,
    control,
    projectorPosition,
    // With a bound, not ready when the projector is twice the bound behind (the bound is
    // not holding: the projector is stuck); otherwise 100,000 events.
    maxLag: projector === undefined ? 100_000 : Math.max(100_000, 2 * maxLag),
    now,
    log: options.log,
    metrics,
    version: "0.1.0",
    // a key's session, else a person's (signed in with the school's identity provider)
    session: (token) =>
      Effect.flatMap(control.session(token, now()), (keySession) =>
        keySession !== undefined
          ? Effect.succeed(keySession)
          : Effect.map(signIn.session(token, now()), (person) =>
              person === undefined
                ? undefined
                : {
                    key: {
                      publicId: `person-${person.person.personId}`,
                      school: person.person.school,
                      name: SignInStore.label(person.person),
                      scopes: sessionScopes(ApiKeys.parseScopes(person.scopes.join(","), scopes).scopes),
                      createdAt: person.person.firstSignIn,
                      revokedAt: null
                    },
                    csrf: person.csrf
                  }
            )
      ),
    limits: { jsonDeadlineMs: (config.bodyDeadlineSeconds ?? 30) * 1000 },
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    positions: installation.positions,
    ...(options.work === undefined ? {} : { work: options.work }),
    extraRoutes: [
      ...DashboardRoutes.routes({ dashboard, control, waitFor, positions: installation.positions, now }),
      ...DashboardContextRoutes.routes({
        dashboard,
        store: rawStore,
        readModels,
        schools: config.schools,
        threshold: config.suppressionThreshold,
        now
      }),
      ...DirectorySearchRoutes.routes({ control }),
      ...AdminRoutes.routes({ control, now, schools: config.schools }),
      ...RetentionRoutes.routes({ store: rawStore, readModels, control, schools: config.schools, now }),
      ...SessionRoutes.routes({ control, signIn, now }),
      ...SignInRoutes.routes({ signIn, now, log: options.log }),
      ...PeopleRoutes.routes({ signIn }),
      ...AdvisingRoutes.routes({
        service: AdvisingService.make({ store, readModels, advising, now }),
        advising,
        control,
        store,
        dashboard,
        now
      }),
      ...(installation.statements === undefined
        ? []
        : XapiRoutes.routes({
            store,
            index: installation.statements,
            resolver: { homePages: config.xapiAccounts ?? {}, byEmail: installation.statements.findByEmail },
            now
          }))
    ],
    assets: Assets.fromFolder(dashboardFolder)
  })
}

/**
 * The projector of an installation, the one place its options are put together. With
 * `thread` on SQLite and PostgreSQL, in a thread of its own (ProjectorWorker), so that
 * folding and writing read models never stall requests; otherwise (EventStoreDB, or
 * `rapport project` and `rebuild`, processes of their own) on the caller's thread.
 *
 * @since 0.2.0
 * @category constructors
 */
export const projectorOf = (
  installation: Installation,
  log: (line: LogLine) => void,
  options: { readonly thread: boolean; readonly rebuild?: boolean }
): Projector.Projector => {
  const { config } = installation
  const common = {
    schools: config.schools,
    onErased: (school: string, studentId: string) =>
      Effect.runPromise(
        Effect.andThen(installation.control.eraseStudent(school, studentId), () =>
          AdvisingStore.make(installation.control.database).eraseStudent(school, studentId)
        )
      ),
    log
  }
  if (options.thread && options.rebuild !== true && (config.store === "sqlite" || config.store === "postgres")) {
    return ProjectorWorker.make({
      ...common,
      store:
        config.store === "sqlite"
          ? { _tag: "sqlite", path: config.db }
          : { _tag: "postgres", url: config.db, schema: postgresSchemas.events },
      readModels:
        config.store === "sqlite"
          ? { _tag: "sqlite", path: sqliteFiles(config.db).analytics }
          : { _tag: "postgres", url: config.db, schema: postgresSchemas.readModels }
    })
  }
  return Projector.make({
    ...common,
    store: installation.store,
    db: installation.readModels,
    now: () => new Date(),
    ...(options.rebuild === true ? { rebuild: true } : {})
  })
}

/**
 * The projector the server runs with an installation (`projectorOf`, in a thread); none
 * when it runs as its own process (`RAPPORT_PROJECTOR=external`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeProjector = (
  installation: Installation,
  log: (line: LogLine) => void
): Projector.Projector | undefined =>
  installation.config.projector === "in-process" ? projectorOf(installation, log, { thread: true }) : undefined

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Waits until the erasures applied again on opening (a restored backup held erased
 * students) are done: the read models without the students (the projector passed their
 * requests), their streams deleted, their directory entries and audit ids gone. `serve`
 * listens only after it: nobody is ever answered with an erased student's data.
 *
 * @since 0.2.0
 * @category operations
 */
export const finishReappliedErasures = async (
  installation: Installation,
  projector: Projector.Projector | undefined,
  log: (line: LogLine) => void
): Promise<void> => {
  const { students, position } = installation.reapplied
  if (students.length === 0) return
  log({ msg: "erasing again the students a restored backup held", students: students.length })
  const projected = async () =>
    projector === undefined
      ? (await ReadModel.checkpoint(installation.readModels)) >= position
      : projector.waitFor(position, 10_000)
  while (!(await projected())) {
    log({ msg: "waiting for the projector to erase them before answering", position })
    if (projector === undefined) await pause(1000)
  }
  for (const stream of students) {
    // the projector deletes a stream right after committing its erasure
    while ((await Effect.runPromise(installation.store.readStream(stream, { maxCount: 1 }))).length > 0)
      await pause(100)
    // ...and then forgets the erasure it finished, the last place the student's id is held
    while (await ReadModel.erasurePending(installation.readModels, stream.school, stream.id)) await pause(100)
    await Effect.runPromise(installation.control.eraseStudent(stream.school, stream.id))
  }
  log({ msg: "erased them again", students: students.length })
}

const listenRefused = (error: unknown, host: string, port: number): unknown => {
  const code = (error as { readonly code?: unknown } | null)?.code
  const choose = "choose another with --port or PORT (0: any free port)"
  if (code === "EADDRINUSE") return new ConfigError({ sentence: `port ${port} on ${host} is in use: ${choose}.` })
  if (code === "EACCES") return new ConfigError({ sentence: `may not listen on port ${port} on ${host}: ${choose}.` })
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
    return new ConfigError({ sentence: `HOST ${host} is not an address of this machine to listen on.` })
  }
  return error
}

/**
 * Starts the projector and the HTTP server.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = async (
  installation: Installation,
  options: { readonly log: (line: LogLine) => void; readonly port?: number; readonly deferProjector?: boolean }
): Promise<Running> => {
  const projector = makeProjector(installation, options.log)
  let projectorStarted = options.deferProjector !== true
  if (projectorStarted) await projector?.start()
  await finishReappliedErasures(installation, projectorStarted ? projector : undefined, options.log)
  const refresh = setInterval(() => {
    projector?.refreshFollowUps().catch(() => undefined)
  }, 10 * 60_000)
  refresh.unref()
  const work = WorkPool.make({
    threads: WorkPool.defaultThreads(),
    maxQueued: WorkPool.defaultMaxQueued,
    schools: installation.config.schools
  })
  const { app } = assemble(installation, {
    log: options.log,
    projector,
    projectorRunning: () => projectorStarted,
    work
  })
  const host = installation.config.host
  const server: ServerType = await new Promise<ServerType>((resolveServer, rejectServer) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? installation.config.port, hostname: host }, () => {
      s.off("error", rejectServer)
      resolveServer(s)
    })
    s.once("error", rejectServer)
  }).catch(async (error: unknown) => {
    // a port in use is a setting to change, said in one sentence, and nothing left running
    clearInterval(refresh)
    await projector?.stop()
    await work.close()
    await installation.close()
    throw listenRefused(error, host, options.port ?? installation.config.port)
  })
  const address = server.address()
  const port =
    typeof address === "object" && address !== null ? address.port : (options.port ?? installation.config.port)
  let stopped: Promise<void> | undefined
  return {
    url: `http://${installation.config.host}:${port}`,
    port,
    projector,
    startProjector: async () => {
      await projector?.start()
      projectorStarted = true
    },
    app,
    stop: () => {
      stopped ??= (async () => {
        clearInterval(refresh)
        await new Promise<void>((resolveClose) => server.close(() => resolveClose()))
        await projector?.stop()
        await work.close()
        await installation.close()
      })()
      return stopped
    }
  }
}
