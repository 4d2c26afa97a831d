/**
 * Opens an installation from its configuration: the event store, the read-model
 * database, the control tables and the erasure registry, on SQLite files (embedded) or
 * PostgreSQL. Every CLI command goes through here, so the choice of store is made in one
 * place, and the store it hands out is the only one there is: wrapped by the erasure
 * guard (erasure/ErasureGuard.ts), so that no way of appending can skip it.
 *
 * @since 0.1.0
 */
import { Sql } from "@rapport/analytics"
import type { EventStoreShape } from "@rapport/event-store"
import { SqliteEventStore } from "@rapport/event-store-sqlite"
import { PostgresEventStore } from "@rapport/event-store-postgres"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { mkdirSync } from "node:fs"
import { dirname } from "node:path"
import { ConfigError, type ServerConfig, sqliteFiles } from "./Config.js"
import { attempt } from "./control/ControlError.js"
import * as ControlStore from "./control/ControlStore.js"
import * as ErasureGuard from "./erasure/ErasureGuard.js"
import * as ErasureRegistry from "./erasure/ErasureRegistry.js"
import * as Reapply from "./erasure/Reapply.js"
import * as PositionToken from "./http/PositionToken.js"
import * as StatementIndex from "./xapi/StatementIndex.js"
import * as XapiErasure from "./xapi/XapiErasure.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Installation {
  readonly config: ServerConfig
  /** the event store behind the erasure guard: appends about erased students are refused */
  readonly store: EventStoreShape
  readonly readModels: Sql.SqlDatabase
  readonly control: ControlStore.ControlStore
  readonly erasures: ErasureRegistry.ErasureRegistry
  /**
   * the index of xAPI statements (beside the control tables; the statements are in the
   * store); `Installation.open` always makes it, installations assembled by hand may not
   */
  readonly statements?: StatementIndex.StatementIndex | undefined
  /** erasures applied again on opening (a restored backup held erased students) */
  readonly reapplied: Reapply.Reapplied
  /** read-your-writes tokens, under the installation's own key: the same in every `serve` of it */
  readonly positions: PositionToken.PositionTokens
  readonly close: () => Promise<void>
}

/**
 * The PostgreSQL schemas of an installation.
 *
 * @since 0.1.0
 * @category constants
 */
export const postgresSchemas = {
  events: "rapport_events",
  readModels: "rapport",
  control: "rapport_control",
  erasures: "rapport_erasures"
} as const

const openStore = async (config: ServerConfig): Promise<{ store: EventStoreShape; close: () => Promise<void> }> => {
  switch (config.store) {
    case "sqlite": {
      mkdirSync(dirname(config.db), { recursive: true })
      const store = await Effect.runPromise(
        SqliteEventStore.make({
          path: config.db,
          ...(config.sqliteMaxPages === undefined ? {} : { maxPageCount: config.sqliteMaxPages })
        })
      )
      return { store, close: () => Effect.runPromise(store.close) }
    }
    case "postgres": {
      const store = await Effect.runPromise(PostgresEventStore.make({ url: config.db, schema: postgresSchemas.events }))
      return { store, close: () => Effect.runPromise(store.close) }
    }
    case "eventstoredb": {
      const { EventStoreDbEventStore } = await import("@rapport/event-store-eventstoredb")
      const scope = await Effect.runPromise(Scope.make())
      const store = await Effect.runPromise(
        Scope.provide(scope)(
          EventStoreDbEventStore.make({
            url: config.eventStoreDbUrl ?? "",
            streamKey: config.eventStoreDbStreamKey ?? ""
          })
        )
      ).catch(async (error: unknown) => {
        await Effect.runPromise(Scope.close(scope, Exit.void))
        throw error
      })
      return { store, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
    }
  }
}

/**
 * Opens everything. Fails with a one-sentence `ConfigError` when a store cannot be opened.
 * With `reapplyErasures`, a registered student whose stream holds events gets a new
 * erasure request before this resolves (`serve`, `project`, `rebuild`, `import` and
 * `retention` ask for it; see erasure/Reapply.ts).
 *
 * @since 0.1.0
 * @category constructors
 */
export const open = async (
  config: ServerConfig,
  options: { readonly reapplyErasures?: boolean } = {}
): Promise<Installation> => {
  let opened: { store: EventStoreShape; close: () => Promise<void> }
  try {
    opened = await openStore(config)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new ConfigError({ sentence: `The event store (${config.store}) could not be opened: ${reason}` })
  }
  const closing: Array<() => Promise<void>> = [opened.close]
  const closeAll = async () => {
    for (const close of closing.splice(0).reverse()) await close()
  }
  let databases: {
    readonly readModels: Sql.SqlDatabase
    readonly control: ControlStore.ControlStore
    readonly controlDb: Sql.SqlDatabase
    readonly erasures: ErasureRegistry.ErasureRegistry
    readonly statements: StatementIndex.StatementIndex
    readonly positions: PositionToken.PositionTokens
  }
  try {
    const sqlite = config.store === "sqlite" ? sqliteFiles(config.db) : undefined
    const readModels =
      sqlite === undefined
        ? await Sql.openPostgres(config.db, { schema: postgresSchemas.readModels })
        : // dashboard queries in a thread of their own: a long one never holds up appends
          Sql.openSqlite(sqlite.analytics, { readsInThread: true })
    closing.push(readModels.close)
    const controlDb =
      sqlite === undefined
        ? await Sql.openPostgres(config.db, { schema: postgresSchemas.control, max: 2 })
        : Sql.openSqlite(sqlite.control, { durable: true })
    closing.push(controlDb.close)
    const control = await ControlStore.make(
      controlDb,
      config.keyPepper === undefined ? {} : { pepper: config.keyPepper }
    )
    const erasuresDb =
      sqlite === undefined
        ? await Sql.openPostgres(config.db, { schema: postgresSchemas.erasures, max: 2 })
        : Sql.openSqlite(sqlite.erasures, { durable: true })
    closing.push(erasuresDb.close)
    const erasures = await ErasureRegistry.make(
      erasuresDb,
      config.erasureKey ?? (await Effect.runPromise(control.erasureKey()))
    )
    const statements = await StatementIndex.make(controlDb)
    const positions = PositionToken.make(await Effect.runPromise(control.positionKey()))
    databases = { readModels, control, controlDb, erasures, statements, positions }
  } catch (error) {
    await closeAll()
    const reason = error instanceof Error ? error.message : String(error)
    throw new ConfigError({
      sentence: `The read-model, control or erasure database could not be opened: ${reason}`
    })
  }
  const { readModels, control, controlDb, erasures, statements, positions } = databases
  const store = ErasureGuard.guard(opened.store, erasures)
  let reapplied = Reapply.none
  if (options.reapplyErasures === true) {
    try {
      reapplied = await Effect.runPromise(Reapply.reapply(store, erasures))
    } catch (error) {
      await closeAll()
      const reason = error instanceof Error ? error.message : String(error)
      throw new ConfigError({
        sentence: `Erasures could not be applied again to the event store, so nothing was started: ${reason}`
      })
    }
  }
  return {
    config,
    store,
    readModels,
    erasures,
    statements,
    reapplied,
    positions,
    control: {
      ...control,
      // The erased rows are zeroed (secure_delete), but their old pages stay in the WAL
      // until a checkpoint copies the new ones over them: do it now, not someday. The
      // student's xAPI statements go first, while the directory still has their address.
      eraseStudent: (school, studentId) =>
        Effect.andThen(XapiErasure.eraseStudent({ store, control, statements }, school, studentId), () =>
          control.eraseStudent(school, studentId)
        ).pipe(
          Effect.andThen(() =>
            controlDb.dialect === "sqlite"
              ? attempt("eraseStudent", () => controlDb.exec("PRAGMA wal_checkpoint(TRUNCATE)"))
              : Effect.void
          )
        )
    },
    close: closeAll
  }
}
