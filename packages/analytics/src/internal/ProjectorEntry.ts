/**
 * The entry point of the projector's thread (see ProjectorClient.ts): opens the event
 * store and the read-model database named in its settings, runs `Projector.make` on them
 * and answers the caller's messages.
 *
 * The store adapter is loaded on demand (`@rapport/event-store-sqlite` or
 * `@rapport/event-store-postgres`), so only the one in use must be installed. On SQLite
 * the thread's store writes inline: it writes only to delete an erased student's
 * stream, and the caller's writer and this one take turns on the file's lock.
 *
 * This module must never run outside a worker thread started by ProjectorClient.
 *
 * @since 0.1.0
 */
import type { EventStoreShape } from "@rapport/event-store"
import * as Thread from "@rapport/event-store/thread"
import * as Effect from "effect/Effect"
import type { MessagePort } from "node:worker_threads"
import * as Projector from "../Projector.js"
import * as SchoolSettings from "../SchoolSettings.js"
import * as Sql from "../Sql.js"
import * as Protocol from "./ProjectorProtocol.js"

interface Opened<A> {
  readonly value: A
  readonly close: () => Promise<void>
}

const openStore = async (location: Protocol.Location): Promise<Opened<EventStoreShape>> => {
  if (location._tag === "sqlite") {
    const { SqliteEventStore } = await import("@rapport/event-store-sqlite")
    const store = await Effect.runPromise(SqliteEventStore.make({ path: location.path, writer: "inline" }))
    return { value: store, close: () => Effect.runPromise(store.close) }
  }
  const { PostgresEventStore } = await import("@rapport/event-store-postgres")
  const store = await Effect.runPromise(
    PostgresEventStore.make({ url: location.url, schema: location.schema, maxConnections: 2 })
  )
  return { value: store, close: () => Effect.runPromise(store.close) }
}

const openReadModels = async (location: Protocol.Location): Promise<Opened<Sql.SqlDatabase>> => {
  const db =
    location._tag === "sqlite"
      ? Sql.openSqlite(location.path)
      : await Sql.openPostgres(location.url, { schema: location.schema, max: 2 })
  return { value: db, close: () => db.close() }
}

const serve = async (port: MessagePort, settings: Protocol.Settings): Promise<void> => {
  const post = (message: Protocol.FromThread) => port.postMessage(message)
  const log = (line: Readonly<Record<string, string | number | boolean>>) => post({ _tag: "Log", line })
  const store = await openStore(settings.store)
  const readModels = await openReadModels(settings.readModels).catch(async (error: unknown) => {
    await store.close()
    throw error
  })
  let nextErasure = 1
  const erasures = new Map<number, { readonly resolve: () => void; readonly reject: (error: Error) => void }>()
  // pacing and lease pass as they are; the caller validated the schools' statements
  const { store: _store, readModels: _readModels, schools, now: fixedNow, ...pacing } = settings
  const projector = Projector.make({
    ...pacing,
    store: store.value,
    db: readModels.value,
    schools: SchoolSettings.resolveOrThrow(schools),
    now: fixedNow === undefined ? () => new Date() : () => new Date(fixedNow),
    onCommitted: (position) => post({ _tag: "Committed", position }),
    // The directory and the audit log live with the caller.
    onErased: (school, studentId) =>
      new Promise<void>((resolve, reject) => {
        const id = nextErasure++
        erasures.set(id, { resolve, reject })
        post({ _tag: "Erase", id, school, studentId })
      }),
    log
  })
  const run = async (call: Protocol.Call): Promise<void> => {
    switch (call) {
      case "start":
        return projector.start()
      case "catchUp":
        return projector.catchUp()
      case "refreshFollowUps":
        return projector.refreshFollowUps()
      case "stop":
        await projector.stop()
        await readModels.close()
        await store.close()
        return
    }
  }
  port.on("message", (message: unknown) => {
    if (!Protocol.isToThread(message)) return
    switch (message._tag) {
      case "Notify":
        projector.notify()
        return
      case "Erased": {
        const erasure = erasures.get(message.id)
        erasures.delete(message.id)
        if (message.error === undefined) erasure?.resolve()
        else erasure?.reject(new Error(message.error))
        return
      }
      case "Call":
        run(message.call).then(
          () => post({ _tag: "Done", id: message.id }),
          (error: unknown) => post({ _tag: "Done", id: message.id, error: Thread.reason(error) })
        )
        return
    }
  })
}

const started = Thread.entry()
if (started !== undefined && Protocol.isSettings(started.settings)) {
  // Calls that arrive while the connections open wait in the port's queue: the handler
  // is attached once they are open. A failure to open ends the thread with the reason.
  await serve(started.port, started.settings)
}
