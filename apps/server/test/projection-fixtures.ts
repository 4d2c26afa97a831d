/**
 * The read models of an in-memory installation, for the tests of the erasure guard: a
 * projector on a store, every read-model row, and the rows of a rebuild from scratch.
 */
import { Projector, ReadModel, SchoolSettings, Sql } from "@rapport/analytics"
import type { EventStoreShape } from "@rapport/event-store"

export const projectorOn = (store: EventStoreShape, db: Sql.SqlDatabase) =>
  Projector.make({ store, db, schools: SchoolSettings.inZone("UTC"), now: () => new Date("2026-11-01T12:00:00Z") })

/** every read-model row but checkpoint and lease */
export const rows = async (db: Sql.SqlDatabase): Promise<Record<string, Array<string>>> => {
  const out: Record<string, Array<string>> = {}
  for (const table of ReadModel.tables.filter((t) => t !== "rm_meta" && t !== "rm_checkpoint")) {
    out[table] = (await db.all(`SELECT * FROM ${table}`)).map((row) => JSON.stringify(row)).sort()
  }
  return out
}

/** the rows a rebuild of the store from scratch writes */
export const rebuiltRows = async (store: EventStoreShape): Promise<Record<string, Array<string>>> => {
  const fresh = Sql.openSqlite(":memory:")
  const rebuild = projectorOn(store, fresh)
  await rebuild.catchUp()
  await rebuild.stop()
  return rows(fresh)
}
