/**
 * The read-model tables and the projector's checkpoint. Written in the SQL both SQLite
 * and PostgreSQL accept; every dashboard filter and sort has an index.
 *
 * Times are epoch milliseconds (`*_ms`, BIGINT) so that "as of now" comparisons are index
 * range scans. The `*_until_ms` columns hold the instant a tier is lost if no new contact
 * comes (see docs/architecture.md, "Scores as of now without rewriting rows"); `NULL`
 * means the tier is not held at all, and a very large value means "held for good" (an
 * open mentor assignment).
 *
 * Rebuild drops exactly these tables; the server's control tables are elsewhere. The
 * projector's lease lives in `rm_meta` too (internal/tables/Meta.ts, beside its DDL).
 *
 * @since 0.1.0
 */
import * as Tables from "./internal/Tables.js"
import * as Sql from "./Sql.js"
import type { SqlDatabase, SqlExecutor } from "./Sql.js"

/**
 * The read-model schema version; a mismatch makes the projector rebuild.
 *
 * @since 0.1.0
 * @category constants
 */
export const version = 9

/**
 * The tables, in creation order (each is a module of `internal/tables/`, listed in
 * `internal/Tables.ts`).
 *
 * @since 0.1.0
 * @category constants
 */
export const tables: ReadonlyArray<string> = Tables.all.map((table) => table.name)

const ddl = Tables.all.map((table) => table.ddl).join("")

const storedVersion = async (db: SqlDatabase): Promise<string | undefined> => {
  try {
    const value = (await db.all("SELECT value FROM rm_meta WHERE name = 'version'"))[0]?.value
    return value === undefined || value === null ? undefined : String(value)
  } catch {
    return undefined // no rm_meta yet: a fresh database
  }
}

const createTables = async (db: SqlDatabase): Promise<void> => {
  if (db.dialect === "sqlite") {
    await db.exec(ddl)
    return
  }
  // Text compares bytewise on both databases (SQLite's default), whatever a PostgreSQL
  // database's collation: sorting and paging by id or department give the same pages.
  // Projectors starting together take turns (concurrent CREATE ... IF NOT EXISTS can fail).
  await db.transaction(async (tx) => {
    await tx.all("SELECT pg_advisory_xact_lock(hashtext(current_schema()))")
    await tx.exec(ddl.replace(/ TEXT( |,|\n)/g, ' TEXT COLLATE "C"$1'))
  })
}

/**
 * Creates the tables if missing. Returns `true` when the stored schema version differs
 * from this code's (the caller then rebuilds, holding the projector's lease).
 *
 * When the stored version is this code's, no DDL runs: on PostgreSQL `CREATE INDEX IF NOT
 * EXISTS` locks its table even when the index exists, and deadlocks with the writes of a
 * projector already working on the schema.
 *
 * @since 0.1.0
 * @category operations
 */
export const ensure = async (db: SqlDatabase): Promise<{ readonly needsRebuild: boolean }> => {
  const before = await storedVersion(db)
  if (before === String(version)) return { needsRebuild: false }
  await createTables(db)
  const stored = await storedVersion(db)
  if (stored === undefined) {
    await db.run("INSERT INTO rm_meta (name, value) VALUES ('version', ?) ON CONFLICT (name) DO NOTHING", [
      String(version)
    ])
    return { needsRebuild: false }
  }
  return { needsRebuild: stored !== String(version) }
}

/**
 * Drops every read-model table (never the control tables) and creates them again empty.
 * The projector's lease survives, so that a projector rebuilding keeps others out.
 *
 * @since 0.1.0
 * @category operations
 */
export const reset = async (db: SqlDatabase): Promise<void> => {
  await createTables(db)
  await db.exec(
    tables
      .filter((table) => table !== "rm_meta")
      .map((table) => `DROP TABLE IF EXISTS ${table};`)
      .join("\n")
  )
  await db.run("DELETE FROM rm_meta WHERE name <> 'lease'")
  await ensure(db)
}

/**
 * The projector's checkpoint (0 before the first event).
 *
 * @since 0.1.0
 * @category operations
 */
export const checkpoint = async (db: SqlExecutor, name = "projector"): Promise<number> => {
  const rows = await db.all("SELECT position FROM rm_checkpoint WHERE name = ?", [name])
  const position = rows[0]?.position
  return position === undefined || position === null ? 0 : Number(position)
}

/**
 * Whether a student's erasure is recorded in the read models and not yet finished (their
 * stream, directory entry and audit ids still to remove): until it is, the read models
 * still hold the student's id.
 *
 * @since 0.4.0
 * @category operations
 */
export const erasurePending = async (db: SqlExecutor, school: string, studentId: string): Promise<boolean> =>
  (
    await db.all("SELECT 1 AS pending FROM rm_pending_erasures WHERE school = ? AND student_id = ?", [
      school,
      studentId
    ])
  ).length > 0

/**
 * Stores the checkpoint inside the caller's transaction.
 *
 * @since 0.1.0
 * @category operations
 */
export const saveCheckpoint = async (
  tx: SqlExecutor,
  position: number,
  at: Date,
  name = "projector"
): Promise<void> => {
  // Never on its own: a checkpoint that commits without the rows before it would skip them.
  const saved = await tx.run(
    `INSERT INTO rm_checkpoint (name, position, updated_at)
     SELECT CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS TEXT) WHERE ${Sql.inTransaction(tx)}
     ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    [name, position, at.toISOString()]
  )
  if (saved.changes !== 1) throw new Error("the checkpoint was not saved: its transaction's connection was lost")
}
