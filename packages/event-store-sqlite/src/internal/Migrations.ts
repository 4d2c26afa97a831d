/**
 * The store's tables and the migrations that create and evolve them.
 *
 * `schema_version` records which migrations have run; `migrate` applies the missing
 * ones inside one `BEGIN IMMEDIATE` transaction, so two processes opening a fresh file
 * at once run each migration exactly once, and opening an up-to-date file writes
 * nothing. This module must never change a migration that has shipped: add a new one.
 *
 * Streams are keyed by three columns (`school`, `stream_kind`, `stream_id`), never by a
 * string with prefixes, so no school or id can collide with another's.
 *
 * @since 0.1.0
 */
import type { DatabaseSync } from "node:sqlite"
import * as Sqlite from "./Sqlite.js"

/**
 * One step of the schema, applied once.
 *
 * @since 0.1.0
 * @category models
 */
export interface Migration {
  readonly version: number
  readonly description: string
  readonly sql: string
}

/**
 * Every migration, in order. `log_head` holds the last position ever given out; the
 * writer assigns positions from it, so a position is never reused, not even after the
 * stream holding the last event is erased (a consumer checkpointed there must not miss
 * the next event), and a request rolled back to its savepoint leaves no gap (SQLite's
 * `AUTOINCREMENT` counter would keep moving).
 *
 * @since 0.1.0
 * @category models
 */
export const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    description: "events and the log head",
    sql: `
      CREATE TABLE events (
        position INTEGER PRIMARY KEY,
        school TEXT NOT NULL,
        stream_kind TEXT NOT NULL,
        stream_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        event_id TEXT NOT NULL,
        type TEXT NOT NULL,
        v INTEGER NOT NULL,
        occurred_at TEXT NOT NULL,
        source TEXT,
        data TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        UNIQUE (school, event_id),
        UNIQUE (school, stream_kind, stream_id, revision)
      );
      CREATE TABLE log_head (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 0),
        position INTEGER NOT NULL
      );
      INSERT INTO log_head (singleton, position) VALUES (0, 0);
    `
  }
]

/**
 * The newest schema version this adapter knows.
 *
 * @since 0.1.0
 * @category models
 */
export const latestVersion: number = migrations.reduce((max, m) => Math.max(max, m.version), 0)

/**
 * The outcome of {@link migrate}: the version found and the version left.
 *
 * @since 0.1.0
 * @category models
 */
export interface Migrated {
  readonly from: number
  readonly to: number
}

/**
 * A file written by a newer Rapport: refusing it is safer than guessing.
 *
 * @since 0.1.0
 * @category errors
 */
export class NewerSchema extends Error {
  readonly found: number
  constructor(found: number) {
    super(`the database schema is at version ${found}; this adapter knows versions up to ${latestVersion}`)
    this.found = found
  }
}

const currentVersion = (db: DatabaseSync): number => {
  const row = db.prepare("SELECT coalesce(max(version), 0) AS version FROM schema_version").get()
  return row === undefined ? 0 : Sqlite.integer(row, "version")
}

/**
 * Creates or upgrades the schema. Idempotent: running it again on an up-to-date file
 * changes nothing.
 *
 * @since 0.1.0
 * @category operations
 */
export const migrate = (db: DatabaseSync, appliedAt: string): Migrated =>
  Sqlite.immediate(db, () => {
    db.exec(
      "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    const from = currentVersion(db)
    if (from > latestVersion) throw new NewerSchema(from)
    const record = db.prepare("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")
    for (const migration of migrations) {
      if (migration.version <= from) continue
      db.exec(migration.sql)
      record.run(migration.version, migration.description, appliedAt)
    }
    return { from, to: Math.max(from, latestVersion) }
  })
