/**
 * The registry of erased students: for each school, a keyed hash of every student whose
 * erasure was requested, and nothing else. It is what makes erasure final: the store
 * every command gets refuses events about a registered student (ErasureGuard.ts), and a
 * stream found for one at start is erased again (Reapply.ts).
 *
 * Where it lives, and why: in a database of its own (`rapport.erasures.db` beside an
 * embedded installation, the schema `rapport_erasures` on PostgreSQL), never in the event
 * store or the control tables, because restoring a backup of those must not roll it back;
 * and apart from the key that keys its hashes (`RAPPORT_ERASURE_KEY`, or a key kept in the
 * control tables), so that a copy of the registry alone cannot tell whether a guessed id
 * was erased. docs/privacy.md ("Erasure is final") says what remains possible.
 *
 * Every operation is an Effect that fails with `SqlError.SqlUnavailable` when the database
 * cannot be reached (the erasure guard answers it as the store being unavailable: an
 * append it cannot check is not stored); any other failure is a defect.
 *
 * This module must never store, log or return a student id it was not given.
 *
 * @since 0.2.0
 */
import { type Sql, SqlError } from "@rapport/analytics"
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"
import { createHmac } from "node:crypto"

/**
 * @since 0.2.0
 * @category models
 */
export interface ErasureRegistry {
  /** records that these students' erasure was requested (idempotent); durable when it succeeds */
  readonly record: (school: string, studentIds: ReadonlyArray<string>) => Effect.Effect<void, SqlError.SqlUnavailable>
  /** which of these students are registered as erased */
  readonly erasedAmong: (
    school: string,
    studentIds: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlySet<string>, SqlError.SqlUnavailable>
  /** how many students of each school are registered (the only thing the hashes alone reveal) */
  readonly counts: () => Effect.Effect<ReadonlyMap<string, number>, SqlError.SqlUnavailable>
  readonly database: Sql.SqlDatabase
}

/**
 * The registry's hashes were made with another key than the one configured: refusing
 * them all would silently make erasure forgettable, so the installation does not open.
 *
 * @since 0.2.0
 * @category errors
 */
export class ErasureKeyMismatch extends Data.TaggedError("ErasureKeyMismatch")<{
  /** how many erasures the registry holds (what would be forgotten) */
  readonly entries: number
}> {
  override get message(): string {
    return `the erasure registry (${this.entries} erased students) was written under another erasure key: set RAPPORT_ERASURE_KEY to the key it was written with, or restore the control tables that hold it`
  }
}

const schemaSql = `
CREATE TABLE IF NOT EXISTS rapport_erased (
  school TEXT NOT NULL,
  id_hash TEXT NOT NULL,
  PRIMARY KEY (school, id_hash)
);
CREATE TABLE IF NOT EXISTS rapport_erasure_key_check (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 0),
  value TEXT NOT NULL
);
`

/** Past this many students per query, the `IN (...)` list is split. */
const chunkSize = 500

/**
 * Up to this many erased students in a school, a check reads them all (one short scan)
 * rather than looking the request's students up one by one: about 0.15 against 2 µs of
 * CPU per event for batches of 500 events, on every append.
 */
const scanLimit = 2000

/**
 * The keyed hash of a student id, bound to its school (the same id in two schools gives
 * two unrelated hashes).
 *
 * @since 0.2.0
 * @category operations
 */
export const hashOf = (key: string, school: string, studentId: string): string =>
  createHmac("sha256", key).update(`erased-student\u0000${school}\u0000${studentId}`).digest("hex")

/** A value only the right key gives: stored once, compared at every open. */
const keyCheck = (key: string): string => createHmac("sha256", key).update("rapport erasure key check").digest("hex")

/**
 * Opens the registry on a database, creating its tables. Rejects with
 * `ErasureKeyMismatch` when the stored hashes were made with another key.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = async (database: Sql.SqlDatabase, key: string): Promise<ErasureRegistry> => {
  await database.exec(schemaSql)
  const check = keyCheck(key)
  await database.run(
    "INSERT INTO rapport_erasure_key_check (singleton, value) VALUES (0, ?) ON CONFLICT (singleton) DO NOTHING",
    [check]
  )
  const stored = await database.all("SELECT value FROM rapport_erasure_key_check WHERE singleton = 0")
  if (String(stored[0]?.value ?? "") !== check) {
    const rows = await database.all("SELECT COUNT(*) AS entries FROM rapport_erased")
    throw new ErasureKeyMismatch({ entries: Number(rows[0]?.entries ?? 0) })
  }
  // A student named many times in one request is hashed once; ids repeat across requests,
  // so the last hashes are kept (bounded).
  const cache = new Map<string, string>()
  /** schools with more erased students than `scanLimit`, checked by lookups */
  const large = new Set<string>()
  const hash = (school: string, id: string): string => {
    const cacheKey = `${school}\u0000${id}`
    let value = cache.get(cacheKey)
    if (value === undefined) {
      value = hashOf(key, school, id)
      if (cache.size >= 50_000) cache.clear()
      cache.set(cacheKey, value)
    }
    return value
  }
  const record = async (school: string, studentIds: ReadonlyArray<string>): Promise<void> => {
    if (studentIds.length === 0) return
    await database.transaction(async (tx) => {
      for (const id of new Set(studentIds)) {
        await tx.run(
          "INSERT INTO rapport_erased (school, id_hash) VALUES (?, ?) ON CONFLICT (school, id_hash) DO NOTHING",
          [school, hash(school, id)]
        )
      }
    })
  }
  const erasedAmong = async (school: string, studentIds: ReadonlyArray<string>): Promise<ReadonlySet<string>> => {
    const found = new Set<string>()
    if (studentIds.length === 0) return found
    const byHash = new Map<string, string>()
    for (const id of studentIds) byHash.set(hash(school, id), id)
    if (!large.has(school)) {
      const rows = await database.all("SELECT id_hash FROM rapport_erased WHERE school = ? LIMIT ?", [
        school,
        scanLimit + 1
      ])
      if (rows.length <= scanLimit) {
        for (const row of rows) {
          const id = byHash.get(String(row.id_hash))
          if (id !== undefined) found.add(id)
        }
        return found
      }
      // (only a choice of method: a registry that shrank is never wrong this way)
      large.add(school)
    }
    const hashes = [...byHash.keys()]
    for (let i = 0; i < hashes.length; i += chunkSize) {
      const chunk = hashes.slice(i, i + chunkSize)
      const rows = await database.all(
        `SELECT id_hash FROM rapport_erased WHERE school = ? AND id_hash IN (${chunk.map(() => "?").join(",")})`,
        [school, ...chunk]
      )
      for (const row of rows) {
        const id = byHash.get(String(row.id_hash))
        if (id !== undefined) found.add(id)
      }
    }
    return found
  }
  const counts = async (): Promise<ReadonlyMap<string, number>> => {
    const rows = await database.all("SELECT school, COUNT(*) AS erased FROM rapport_erased GROUP BY school")
    return new Map(rows.map((row) => [String(row.school), Number(row.erased)]))
  }
  return {
    database,
    record: (school, studentIds) => SqlError.attempt(() => record(school, studentIds)),
    erasedAmong: (school, studentIds) => SqlError.attempt(() => erasedAmong(school, studentIds)),
    counts: () => SqlError.attempt(counts)
  }
}
