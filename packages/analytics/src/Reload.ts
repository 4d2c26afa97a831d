/**
 * Reloading a school: when events were deleted from the store (retention), the read
 * models and the projector's in-memory folds still count them. Whoever deleted them asks
 * for a reload here (a row `reload:<school>` in `rm_meta`, so that every projector sees
 * it: in the server's thread, `rapport project`, after a restart); the projector holding
 * the lease then folds the school again from the store as it now is, and in one
 * transaction replaces every read-model row of the school (pending erasures aside) and
 * clears the request. The rows are then those a rebuild would write.
 *
 * A request carries a token: a projector clears only the request it saw, so a second
 * deletion while it reloads asks again and is not lost.
 *
 * This module must never touch the event store.
 *
 * @since 0.2.0
 */
import { randomUUID } from "node:crypto"
import * as Tables from "./internal/Tables.js"
import * as Meta from "./internal/tables/Meta.js"
import * as ReadModel from "./ReadModel.js"
import type { SqlDatabase, SqlExecutor } from "./Sql.js"

const prefix = "reload:"

/**
 * A reload asked for and not done yet.
 *
 * @since 0.2.0
 * @category models
 */
export interface Request {
  readonly school: string
  readonly token: string
}

/**
 * Asks the projector to reload a school (after its events were deleted from the store).
 *
 * @since 0.2.0
 * @category operations
 */
export const request = async (db: SqlDatabase, school: string): Promise<Request> => {
  await ReadModel.ensure(db)
  const token = `${new Date().toISOString()} ${randomUUID()}`
  await db.run(
    "INSERT INTO rm_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    [`${prefix}${school}`, token]
  )
  return { school, token }
}

/**
 * The reloads asked for.
 *
 * @since 0.2.0
 * @category operations
 */
export const pending = async (db: SqlExecutor): Promise<ReadonlyArray<Request>> => {
  const rows = await db.all("SELECT name, value FROM rm_meta WHERE name LIKE ?", [`${prefix}%`])
  return rows.map((row) => ({ school: String(row.name).slice(prefix.length), token: String(row.value) }))
}

/**
 * Whether a reload of the school is still to be done (true until a projector has done it).
 *
 * @since 0.2.0
 * @category operations
 */
export const isPending = async (db: SqlExecutor, school: string): Promise<boolean> =>
  (await db.all("SELECT 1 AS found FROM rm_meta WHERE name = ?", [`${prefix}${school}`])).length > 0

/**
 * Inside the projector's write transaction: deletes every row of the school (its folds
 * then write them all again) and clears the request it saw.
 *
 * @since 0.2.0
 * @category operations
 */
export const replaceSchool = async (tx: SqlExecutor, seen: Request): Promise<void> => {
  for (const table of Tables.ofSchool) await tx.run(`DELETE FROM ${table.name} WHERE school = ?`, [seen.school])
  await tx.run("DELETE FROM rm_meta WHERE name = ? AND value = ?", [`${prefix}${seen.school}`, seen.token])
}

/**
 * Whether a projector holds the lease now (it will do a reload within seconds), so that a
 * command that asked for one knows whether waiting for it makes sense.
 *
 * @since 0.2.0
 * @category operations
 */
export const projectorActive = async (db: SqlExecutor, now: Date): Promise<boolean> => {
  const stored = await Meta.readLease(db).catch(() => undefined)
  const lease = stored === undefined ? undefined : Meta.parseLease(stored)
  return lease !== undefined && lease.expiresMs > now.getTime()
}
