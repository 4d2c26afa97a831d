/**
 * Opens an installation from its configuration: the event store, the read-model
 * database and the control tables, on SQLite files (embedded) or PostgreSQL. Every CLI
 * command goes through here, so the choice of store is made in one place.
 *
 * @since 0.1.0
 */
import { Sql } from "@rapport/analytics"
import { type AppendRequest, type EventStoreShape, StoreUnavailable, StreamDeleted } from "@rapport/event-store"
import { SqliteEventStore } from "@rapport/event-store-sqlite"
import { PostgresEventStore } from "@rapport/event-store-postgres"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { mkdirSync } from "node:fs"
import { dirname } from "node:path"
import { ConfigError, type ServerConfig, sqliteFiles } from "./Config.js"
import { attempt, type ControlUnavailable } from "./control/ControlError.js"
import * as ControlStore from "./control/ControlStore.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Installation {
  readonly config: ServerConfig
  readonly store: EventStoreShape
  readonly readModels: Sql.SqlDatabase
  readonly control: ControlStore.ControlStore
  readonly close: () => Promise<void>
}

/**
 * The PostgreSQL schemas of an installation.
 *
 * @since 0.1.0
 * @category constants
 */
export const postgresSchemas = { events: "rapport_events", readModels: "rapport", control: "rapport_control" } as const

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

/** An append cannot be checked against (or recorded in) the registry of erased ids: the store is unavailable. */
const controlUnavailable = (cause: ControlUnavailable): StoreUnavailable =>
  new StoreUnavailable({
    reason: "the control database cannot be reached",
    cause,
    ...(cause.outOfSpace === true ? { outOfSpace: true } : {})
  })

/**
 * The store as every command uses it: appends about a student whose erasure was requested
 * fail with `StreamDeleted` (the API answers 409 "erased"), and an accepted erasure
 * request is recorded (as a keyed hash) before anything else can be appended about them.
 *
 * @since 0.1.0
 * @category constructors
 */
export const refuseErased = (store: EventStoreShape, control: ControlStore.ControlStore): EventStoreShape => {
  const guard = (requests: ReadonlyArray<AppendRequest>): Effect.Effect<void, StreamDeleted | StoreUnavailable> =>
    Effect.gen(function* () {
      const bySchool = new Map<string, Array<string>>()
      for (const request of requests) {
        if (request.stream.kind !== "student") continue
        const ids = bySchool.get(request.stream.school) ?? []
        ids.push(request.stream.id)
        bySchool.set(request.stream.school, ids)
      }
      for (const [school, ids] of bySchool) {
        const erased = yield* control.erasedAmong(school, ids).pipe(Effect.mapError(controlUnavailable))
        const first = [...erased][0]
        if (first !== undefined)
          return yield* Effect.fail(new StreamDeleted({ stream: { school, kind: "student", id: first } }))
      }
    })
  const remember = (requests: ReadonlyArray<AppendRequest>): Effect.Effect<void, StoreUnavailable> =>
    Effect.gen(function* () {
      for (const request of requests) {
        for (const event of request.events) {
          if (event.type === "StudentErasureRequested" && request.stream.kind === "student") {
            yield* control.markErased(request.stream.school, request.stream.id)
          }
        }
      }
    }).pipe(Effect.mapError(controlUnavailable))
  const appendMany: EventStoreShape["appendMany"] = (requests) =>
    Effect.gen(function* () {
      yield* guard(requests)
      const result = yield* store.appendMany(requests)
      yield* remember(requests)
      return result
    })
  return {
    ...store,
    appendMany,
    append: (request) =>
      Effect.map(
        appendMany([request]),
        (result) => result.streams[0] ?? { stream: request.stream, revision: -1, events: [] }
      )
  }
}

/**
 * Opens everything. Fails with a one-sentence `ConfigError` when a store cannot be opened.
 *
 * @since 0.1.0
 * @category constructors
 */
export const open = async (config: ServerConfig): Promise<Installation> => {
  let opened: { store: EventStoreShape; close: () => Promise<void> }
  try {
    opened = await openStore(config)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new ConfigError({ sentence: `The event store (${config.store}) could not be opened: ${reason}` })
  }
  try {
    const sqlite = config.store === "sqlite" ? sqliteFiles(config.db) : undefined
    const readModels =
      sqlite === undefined
        ? await Sql.openPostgres(config.db, { schema: postgresSchemas.readModels })
        : // dashboard queries in a thread of their own: a long one never holds up appends
          Sql.openSqlite(sqlite.analytics, { readsInThread: true })
    const controlDb =
      sqlite === undefined
        ? await Sql.openPostgres(config.db, { schema: postgresSchemas.control, max: 2 })
        : Sql.openSqlite(sqlite.control, { durable: true })
    const control = await ControlStore.make(
      controlDb,
      config.keyPepper === undefined ? {} : { pepper: config.keyPepper }
    )
    return {
      config,
      store: opened.store,
      readModels,
      control: {
        ...control,
        // The erased rows are zeroed (secure_delete), but their old pages stay in the WAL
        // until a checkpoint copies the new ones over them: do it now, not someday.
        eraseStudent: (school, studentId) =>
          Effect.andThen(control.eraseStudent(school, studentId), () =>
            controlDb.dialect === "sqlite"
              ? attempt("eraseStudent", () => controlDb.exec("PRAGMA wal_checkpoint(TRUNCATE)"))
              : Effect.void
          )
      },
      close: async () => {
        await readModels.close()
        await controlDb.close()
        await opened.close()
      }
    }
  } catch (error) {
    await opened.close()
    const reason = error instanceof Error ? error.message : String(error)
    throw new ConfigError({ sentence: `The read-model or control database could not be opened: ${reason}` })
  }
}
