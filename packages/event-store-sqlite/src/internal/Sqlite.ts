/**
 * Opening a connection to the store's file with the settings every connection needs,
 * telling storage failures from bugs, and reading typed columns out of `node:sqlite`
 * rows.
 *
 * Every connection, writer or reader, in any thread or process, runs in WAL mode with
 * `synchronous=FULL` (a commit is on disk when it returns), `secure_delete=ON` (erased
 * rows are overwritten, not merely unlinked) and a busy timeout. This module must never
 * hide a bug: only SQLite's "the store cannot serve you" codes become
 * `StoreUnavailable`; anything else (a constraint we thought impossible, SQL we got
 * wrong) stays a defect.
 *
 * @since 0.1.0
 */
import { DatabaseSync, type SQLOutputValue } from "node:sqlite"

/**
 * Settings a connection is opened with.
 *
 * @since 0.1.0
 * @category models
 */
export interface ConnectionSettings {
  readonly path: string
  readonly busyTimeoutMillis: number
  /** `PRAGMA max_page_count`, a per-connection cap on the file size; writers only */
  readonly maxPageCount?: number | undefined
}

/**
 * A storage failure that a caller can do nothing about but retry or alert: the file is
 * missing, locked beyond the busy timeout, full, read-only or damaged.
 *
 * @since 0.1.0
 * @category models
 */
export interface Unavailable {
  readonly _tag: "Unavailable"
  readonly reason: string
  readonly code: number
  /** SQLITE_FULL: the disk, or `max_page_count`, has no room left */
  readonly outOfSpace: boolean
}

// Primary result codes (the low byte of an extended code) that mean "the store cannot
// serve this now": https://www.sqlite.org/rescode.html
const unavailableCodes: ReadonlyMap<number, string> = new Map([
  [3, "permission denied"],
  [5, "the database is locked by another connection beyond the busy timeout"],
  [6, "a table is locked"],
  [7, "out of memory"],
  [8, "the database is read-only"],
  [10, "disk I/O error"],
  [11, "the database file is corrupt"],
  [13, "the database or disk is full"],
  [14, "the database file cannot be opened"],
  [15, "file locking protocol error"],
  [23, "access to the database file was denied"],
  [26, "the file is not a database"]
])

/**
 * The SQLite extended result code carried by a `node:sqlite` error, if it is one.
 *
 * @since 0.1.0
 * @category errors
 */
export const errorCode = (error: unknown): number | undefined =>
  typeof error === "object" && error !== null && "errcode" in error && typeof error.errcode === "number"
    ? error.errcode
    : undefined

/**
 * Classifies a thrown value: a storage failure becomes {@link Unavailable}; anything
 * else is returned as `undefined` so that the caller rethrows it as a defect.
 *
 * @since 0.1.0
 * @category errors
 */
export const unavailable = (error: unknown): Unavailable | undefined => {
  const code = errorCode(error)
  if (code === undefined) return undefined
  const what = unavailableCodes.get(code & 0xff)
  if (what === undefined) return undefined
  const detail = error instanceof Error ? error.message : String(error)
  return { _tag: "Unavailable", reason: `${what} (SQLite ${code}: ${detail})`, code, outOfSpace: (code & 0xff) === 13 }
}

/**
 * Opens a connection and applies the per-connection settings. `journal_mode=WAL` is
 * persistent in the file; the rest must be set on every connection.
 *
 * @since 0.1.0
 * @category constructors
 */
export const open = (settings: ConnectionSettings): DatabaseSync => {
  const db = new DatabaseSync(settings.path, { timeout: settings.busyTimeoutMillis })
  try {
    db.exec("PRAGMA journal_mode = WAL")
    db.exec("PRAGMA synchronous = FULL")
    db.exec("PRAGMA secure_delete = ON")
    db.exec("PRAGMA foreign_keys = OFF")
    if (settings.maxPageCount !== undefined) db.exec(`PRAGMA max_page_count = ${Math.floor(settings.maxPageCount)}`)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

/**
 * Runs `f` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws. `IMMEDIATE`
 * takes the write lock up front, so two writers never both read a stream's revision and
 * then race to extend it.
 *
 * @since 0.1.0
 * @category operations
 */
export const immediate = <A>(db: DatabaseSync, f: () => A): A => {
  db.exec("BEGIN IMMEDIATE")
  try {
    const result = f()
    db.exec("COMMIT")
    return result
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK")
    throw error
  }
}

/**
 * Runs `f` inside a deferred read transaction, so that several SELECTs see one snapshot.
 *
 * @since 0.1.0
 * @category operations
 */
export const snapshot = <A>(db: DatabaseSync, f: () => A): A => {
  db.exec("BEGIN")
  try {
    return f()
  } finally {
    if (db.isTransaction) db.exec("COMMIT")
  }
}

/**
 * A row as `node:sqlite` returns it.
 *
 * @since 0.1.0
 * @category models
 */
export type Row = Record<string, SQLOutputValue>

/**
 * A text column. A missing or mistyped column is a bug in our SQL, so it throws.
 *
 * @since 0.1.0
 * @category rows
 */
export const text = (row: Row, column: string): string => {
  const value = row[column]
  if (typeof value === "string") return value
  throw new TypeError(`column ${column}: expected text, got ${typeof value}`)
}

/**
 * A nullable text column.
 *
 * @since 0.1.0
 * @category rows
 */
export const optionalText = (row: Row, column: string): string | undefined => {
  const value = row[column]
  if (value === null || value === undefined) return undefined
  if (typeof value === "string") return value
  throw new TypeError(`column ${column}: expected text or null, got ${typeof value}`)
}

/**
 * An integer column (positions and revisions stay below 2^53).
 *
 * @since 0.1.0
 * @category rows
 */
export const integer = (row: Row, column: string): number => {
  const value = row[column]
  if (typeof value === "number") return value
  if (typeof value === "bigint") return Number(value)
  throw new TypeError(`column ${column}: expected an integer, got ${typeof value}`)
}

/**
 * A nullable integer column (`max()` over no rows is NULL).
 *
 * @since 0.1.0
 * @category rows
 */
export const optionalInteger = (row: Row, column: string): number | undefined => {
  const value = row[column]
  if (value === null || value === undefined) return undefined
  return integer(row, column)
}
