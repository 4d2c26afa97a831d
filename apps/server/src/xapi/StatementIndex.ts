/**
 * The index of stored xAPI statements, beside the control tables: for each statement its
 * id, the key it was stored under, when, where its record is in the event store (stream
 * and position), whether it was voided, whether it became a Rapport event (and why not),
 * and keyed hashes of the agents and activities it names, so that queries never read the
 * store to filter. The statements themselves live only in the event store.
 *
 * Agents and activities are kept as SHA-256 hashes, never as addresses; a student's rows
 * go with the student (`eraseStream`).
 *
 * Every operation is an Effect that fails with `ControlUnavailable` when the database
 * cannot be reached.
 *
 * @since 0.3.0
 */
import type { Sql } from "@rapport/analytics"
import type * as Effect from "effect/Effect"
import { createHash } from "node:crypto"
import { attempt, type ControlUnavailable } from "../control/ControlError.js"

/**
 * @since 0.3.0
 * @category models
 */
export interface Entry {
  readonly school: string
  readonly statementId: string
  readonly keyId: string
  readonly source: string
  /** ISO 8601 UTC with milliseconds */
  readonly stored: string
  readonly streamKind: string
  readonly streamId: string
  readonly position: number
  readonly signature: string
  readonly verb: string
  readonly registration: string | null
  readonly voided: boolean
  readonly voidingTarget: string | null
  /** the statement a StatementRef object names (any verb): it meets the filters its target meets */
  readonly target: string | null
  readonly used: boolean
  /** why it did not become an event: a stable code */
  readonly reason: string | null
  /** the Rapport event it became */
  readonly eventId: string | null
}

/**
 * An agent or activity a statement names; `related` when only its context does.
 *
 * @since 0.3.0
 * @category models
 */
export interface Ref {
  readonly kind: "agent" | "activity"
  readonly value: string
  readonly related: boolean
}

/**
 * @since 0.3.0
 * @category models
 */
export interface Query {
  readonly school: string
  readonly keyId: string
  readonly agent?: { readonly value: string; readonly related: boolean } | undefined
  readonly activity?: { readonly value: string; readonly related: boolean } | undefined
  readonly verb?: string | undefined
  readonly registration?: string | undefined
  readonly since?: string | undefined
  readonly until?: string | undefined
  readonly ascending: boolean
  /** continue after this (stored, statement id) */
  readonly after?: readonly [string, string] | undefined
  readonly limit: number
}

/**
 * @since 0.3.0
 * @category models
 */
export interface Coverage {
  readonly source: string
  readonly received: number
  readonly used: number
  readonly notUsed: ReadonlyArray<{ readonly reason: string; readonly statements: number }>
}

/**
 * @since 0.3.0
 * @category models
 */
export interface StatementIndex {
  readonly find: (school: string, statementId: string) => Effect.Effect<Entry | undefined, ControlUnavailable>
  readonly insert: (entry: Entry, refs: ReadonlyArray<Ref>) => Effect.Effect<void, ControlUnavailable>
  readonly markVoided: (school: string, statementId: string) => Effect.Effect<void, ControlUnavailable>
  readonly query: (query: Query) => Effect.Effect<ReadonlyArray<Entry>, ControlUnavailable>
  readonly coverage: (school: string) => Effect.Effect<ReadonlyArray<Coverage>, ControlUnavailable>
  /** the directory entry with this e-mail address, if one */
  readonly findByEmail: (
    school: string,
    email: string
  ) => Effect.Effect<{ readonly kind: "student" | "faculty"; readonly id: string } | undefined, ControlUnavailable>
  /** forgets every statement kept in a stream (its events are deleted by the caller) */
  readonly eraseStream: (school: string, kind: string, id: string) => Effect.Effect<void, ControlUnavailable>
}

const schemaSql = `
CREATE TABLE IF NOT EXISTS rapport_xapi_statements (
  school TEXT NOT NULL,
  statement_id TEXT NOT NULL,
  key_id TEXT NOT NULL,
  source TEXT NOT NULL,
  stored TEXT NOT NULL,
  stream_kind TEXT NOT NULL,
  stream_id TEXT NOT NULL,
  position BIGINT NOT NULL,
  signature TEXT NOT NULL,
  verb TEXT NOT NULL,
  registration TEXT,
  voided INTEGER NOT NULL,
  voiding_target TEXT,
  target TEXT,
  used INTEGER NOT NULL,
  reason TEXT,
  event_id TEXT,
  PRIMARY KEY (school, statement_id)
);
CREATE INDEX IF NOT EXISTS rapport_xapi_statements_key ON rapport_xapi_statements (school, key_id, stored, statement_id);
CREATE INDEX IF NOT EXISTS rapport_xapi_statements_stream ON rapport_xapi_statements (school, stream_kind, stream_id);
CREATE TABLE IF NOT EXISTS rapport_xapi_refs (
  school TEXT NOT NULL,
  statement_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  related INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS rapport_xapi_refs_ref ON rapport_xapi_refs (school, kind, ref);
CREATE INDEX IF NOT EXISTS rapport_xapi_refs_statement ON rapport_xapi_refs (school, statement_id);
`

/**
 * The hash an agent's identifier or an activity's id is kept as.
 *
 * @since 0.3.0
 * @category operations
 */
export const refHash = (value: string): string => createHash("sha256").update(value).digest("hex")

const toEntry = (row: Record<string, unknown>): Entry => ({
  school: String(row.school),
  statementId: String(row.statement_id),
  keyId: String(row.key_id),
  source: String(row.source),
  stored: String(row.stored),
  streamKind: String(row.stream_kind),
  streamId: String(row.stream_id),
  position: Number(row.position),
  signature: String(row.signature),
  verb: String(row.verb),
  registration: row.registration === null || row.registration === undefined ? null : String(row.registration),
  voided: Number(row.voided) === 1,
  voidingTarget: row.voiding_target === null || row.voiding_target === undefined ? null : String(row.voiding_target),
  target: row.target === null || row.target === undefined ? null : String(row.target),
  used: Number(row.used) === 1,
  reason: row.reason === null || row.reason === undefined ? null : String(row.reason),
  eventId: row.event_id === null || row.event_id === undefined ? null : String(row.event_id)
})

/**
 * Opens the index on the control database, creating its tables.
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = async (database: Sql.SqlDatabase): Promise<StatementIndex> => {
  await database.exec(schemaSql)
  const refFilter = (
    alias: string,
    kind: "agent" | "activity",
    filter: { readonly value: string; readonly related: boolean },
    params: Array<Sql.SqlValue>
  ): string => {
    params.push(kind, refHash(filter.value))
    return `EXISTS (SELECT 1 FROM rapport_xapi_refs r WHERE r.school = ${alias}.school AND r.statement_id = ${alias}.statement_id
      AND r.kind = ? AND r.ref = ?${filter.related ? "" : " AND r.related = 0"})`
  }
  return {
    find: (school, statementId) =>
      attempt("xapi.find", async () => {
        const rows = await database.all("SELECT * FROM rapport_xapi_statements WHERE school = ? AND statement_id = ?", [
          school,
          statementId.toLowerCase()
        ])
        return rows[0] === undefined ? undefined : toEntry(rows[0])
      }),
    insert: (entry, refs) =>
      attempt("xapi.insert", () =>
        database.transaction(async (tx) => {
          const inserted = await tx.run(
            `INSERT INTO rapport_xapi_statements (school, statement_id, key_id, source, stored, stream_kind, stream_id, position,
               signature, verb, registration, voided, voiding_target, target, used, reason, event_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (school, statement_id) DO NOTHING`,
            [
              entry.school,
              entry.statementId,
              entry.keyId,
              entry.source,
              entry.stored,
              entry.streamKind,
              entry.streamId,
              entry.position,
              entry.signature,
              entry.verb,
              entry.registration,
              entry.voided ? 1 : 0,
              entry.voidingTarget,
              entry.target,
              entry.used ? 1 : 0,
              entry.reason,
              entry.eventId
            ]
          )
          if (inserted.changes === 0) return
          for (const ref of refs) {
            await tx.run(
              "INSERT INTO rapport_xapi_refs (school, statement_id, kind, ref, related) VALUES (?, ?, ?, ?, ?)",
              [entry.school, entry.statementId, ref.kind, refHash(ref.value), ref.related ? 1 : 0]
            )
          }
        })
      ),
    markVoided: (school, statementId) =>
      attempt("xapi.markVoided", async () => {
        await database.run("UPDATE rapport_xapi_statements SET voided = 1 WHERE school = ? AND statement_id = ?", [
          school,
          statementId.toLowerCase()
        ])
      }),
    query: (query) =>
      attempt("xapi.query", async () => {
        const where = ["s.school = ?", "s.key_id = ?", "s.voided = 0"]
        const params: Array<Sql.SqlValue> = [query.school, query.keyId]
        // The filters that are not about time (verb, agent, activity, registration): a
        // statement whose object is a StatementRef meets them when its target does
        // (xAPI 2.0.0, "Filter Conditions for StatementRefs"), voided or not.
        const filters = (alias: string, out: Array<Sql.SqlValue>): Array<string> => {
          const conditions: Array<string> = []
          if (query.verb !== undefined) {
            conditions.push(`${alias}.verb = ?`)
            out.push(query.verb)
          }
          if (query.registration !== undefined) {
            conditions.push(`${alias}.registration = ?`)
            out.push(query.registration.toLowerCase())
          }
          if (query.agent !== undefined) conditions.push(refFilter(alias, "agent", query.agent, out))
          if (query.activity !== undefined) conditions.push(refFilter(alias, "activity", query.activity, out))
          return conditions
        }
        const own = filters("s", [])
        if (own.length > 0) {
          const ownParams: Array<Sql.SqlValue> = []
          const direct = filters("s", ownParams).join(" AND ")
          const targetParams: Array<Sql.SqlValue> = []
          const viaTarget = filters("t", targetParams).join(" AND ")
          where.push(`((${direct}) OR EXISTS (SELECT 1 FROM rapport_xapi_statements t
            WHERE t.school = s.school AND t.key_id = s.key_id AND t.statement_id = s.target AND ${viaTarget}))`)
          params.push(...ownParams, ...targetParams)
        }
        if (query.since !== undefined) {
          where.push("s.stored > ?")
          params.push(query.since)
        }
        if (query.until !== undefined) {
          where.push("s.stored <= ?")
          params.push(query.until)
        }
        const direction = query.ascending ? "ASC" : "DESC"
        if (query.after !== undefined) {
          where.push(
            `(s.stored ${query.ascending ? ">" : "<"} ? OR (s.stored = ? AND s.statement_id ${query.ascending ? ">" : "<"} ?))`
          )
          params.push(query.after[0], query.after[0], query.after[1])
        }
        params.push(query.limit)
        const rows = await database.all(
          `SELECT s.* FROM rapport_xapi_statements s WHERE ${where.join(" AND ")}
           ORDER BY s.stored ${direction}, s.statement_id ${direction} LIMIT ?`,
          params
        )
        return rows.map(toEntry)
      }),
    coverage: (school) =>
      attempt("xapi.coverage", async () => {
        const rows = await database.all(
          `SELECT source, used, reason, COUNT(*) AS statements FROM rapport_xapi_statements
           WHERE school = ? GROUP BY source, used, reason ORDER BY source, reason`,
          [school]
        )
        const bySource = new Map<
          string,
          { received: number; used: number; notUsed: Array<{ reason: string; statements: number }> }
        >()
        for (const row of rows) {
          const source = String(row.source)
          const statements = Number(row.statements)
          let entry = bySource.get(source)
          if (entry === undefined) {
            entry = { received: 0, used: 0, notUsed: [] }
            bySource.set(source, entry)
          }
          entry.received += statements
          if (Number(row.used) === 1) entry.used += statements
          else entry.notUsed.push({ reason: String(row.reason ?? "unknown"), statements })
        }
        return [...bySource].map(([source, entry]) => ({ source, ...entry }))
      }),
    findByEmail: (school, email) =>
      attempt("xapi.findByEmail", async () => {
        const rows = await database.all(
          "SELECT kind, person_id FROM rapport_directory WHERE school = ? AND LOWER(email) = ? ORDER BY kind, person_id",
          [school, email.toLowerCase()]
        )
        // an address two people share names neither
        const [row] = rows
        if (row === undefined || rows.length > 1) return undefined
        return { kind: String(row.kind) === "faculty" ? "faculty" : "student", id: String(row.person_id) }
      }),
    eraseStream: (school, kind, id) =>
      attempt("xapi.eraseStream", () =>
        database.transaction(async (tx) => {
          await tx.run(
            `DELETE FROM rapport_xapi_refs WHERE school = ? AND statement_id IN (
               SELECT statement_id FROM rapport_xapi_statements WHERE school = ? AND stream_kind = ? AND stream_id = ?)`,
            [school, school, kind, id]
          )
          await tx.run("DELETE FROM rapport_xapi_statements WHERE school = ? AND stream_kind = ? AND stream_id = ?", [
            school,
            kind,
            id
          ])
        })
      )
  }
}
