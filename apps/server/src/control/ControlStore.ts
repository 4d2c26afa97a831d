/**
 * The server's own tables, beside the read models but never dropped by a rebuild: API
 * keys (hashed), the directory of display names (kept apart from events so it can be
 * erased and is never needed to compute anything), the audit log of student-page views
 * and of retention runs,
 * dashboard sessions, the key pepper of an embedded installation, the running totals of
 * `rapport import` (for /metrics: the import is a process of its own), and the erasure key
 * when the operator gives none (never the erased ids: see erasure/ErasureRegistry.ts).
 *
 * Every operation is an Effect that fails with `ControlUnavailable` when the database
 * cannot be reached (`AuditUnavailable` for writing the audit log); any other failure is a
 * defect.
 *
 * @since 0.1.0
 */
import type { Sql } from "@rapport/analytics"
import * as Effect from "effect/Effect"
import { randomBytes } from "node:crypto"
import * as ApiKeys from "./ApiKeys.js"
import { attempt, AuditUnavailable, type ControlUnavailable } from "./ControlError.js"
import type { Scope } from "../http/Route.js"
import { scopes as knownScopes } from "../http/Route.js"

type SqlDatabase = Sql.SqlDatabase

/**
 * @since 0.1.0
 * @category models
 */
export interface KeyRecord {
  readonly publicId: string
  readonly school: string
  readonly name: string
  readonly scopes: ReadonlyArray<Scope>
  readonly createdAt: string
  readonly revokedAt: string | null
}

/**
 * @since 0.1.0
 * @category models
 */
export interface DirectoryEntry {
  readonly displayName: string | null
  readonly email: string | null
  readonly updatedAt: string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface AuditEntry {
  readonly viewedAt: string
  readonly keyName: string
  readonly studentId: string
  readonly asOf: string | null
  readonly requestId: string
}

const schemaSql = `
CREATE TABLE IF NOT EXISTS rapport_keys (
  public_id TEXT PRIMARY KEY,
  school TEXT NOT NULL,
  name TEXT NOT NULL,
  scopes TEXT NOT NULL,
  hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS rapport_keys_active_name ON rapport_keys (name) WHERE revoked_at IS NULL;
CREATE TABLE IF NOT EXISTS rapport_directory (
  school TEXT NOT NULL,
  kind TEXT NOT NULL,
  person_id TEXT NOT NULL,
  display_name TEXT,
  email TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (school, kind, person_id)
);
CREATE TABLE IF NOT EXISTS rapport_audit (
  viewed_at TEXT NOT NULL,
  school TEXT NOT NULL,
  key_name TEXT NOT NULL,
  student_id TEXT NOT NULL,
  as_of TEXT,
  request_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rapport_audit_school ON rapport_audit (school, viewed_at);
CREATE TABLE IF NOT EXISTS rapport_sessions (
  token_hash TEXT PRIMARY KEY,
  key_public_id TEXT NOT NULL,
  csrf TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
-- Erased ids live in the erasure registry, apart from the key that hashes them.
DROP TABLE IF EXISTS rapport_erased;
CREATE TABLE IF NOT EXISTS rapport_retention_runs (
  run_id TEXT PRIMARY KEY,
  ran_at TEXT NOT NULL,
  school TEXT NOT NULL,
  actor TEXT NOT NULL,
  dry_run INTEGER NOT NULL,
  policy TEXT NOT NULL,
  report TEXT NOT NULL,
  removed INTEGER,
  request_id TEXT
);
CREATE INDEX IF NOT EXISTS rapport_retention_runs_school ON rapport_retention_runs (school, ran_at);
CREATE TABLE IF NOT EXISTS rapport_import_totals (
  outcome TEXT PRIMARY KEY,
  events BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS rapport_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`

const text = (row: Record<string, unknown>, column: string): string => {
  const value = row[column]
  return typeof value === "string" ? value : String(value)
}
const textOrNull = (row: Record<string, unknown>, column: string): string | null => {
  const value = row[column]
  return value === null || value === undefined ? null : String(value)
}

const toKey = (row: Record<string, unknown>): KeyRecord => ({
  publicId: text(row, "public_id"),
  school: text(row, "school"),
  name: text(row, "name"),
  scopes: ApiKeys.parseScopes(text(row, "scopes"), knownScopes).scopes,
  createdAt: text(row, "created_at"),
  revokedAt: textOrNull(row, "revoked_at")
})

/**
 * One retention run in the audit log: who ran it, with what policy, what it selected, and
 * how many events it removed (`null` while it runs, or when it was interrupted).
 *
 * @since 0.2.0
 * @category models
 */
export interface RetentionRun {
  readonly runId: string
  readonly ranAt: string
  readonly actor: string
  readonly dryRun: boolean
  /** the policy as stated (JSON) */
  readonly policy: unknown
  /** what was selected (JSON, retention/Retention.ts `Report`) */
  readonly report: unknown
  readonly removed: number | null
  readonly requestId: string | null
}

/**
 * @since 0.1.0
 * @category models
 */
export interface ControlStore {
  readonly createKey: (input: {
    readonly school: string
    readonly name: string
    readonly scopes: ReadonlyArray<Scope>
    readonly now: Date
  }) => Effect.Effect<{ readonly key: string; readonly record: KeyRecord }, ControlUnavailable>
  readonly listKeys: () => Effect.Effect<ReadonlyArray<KeyRecord>, ControlUnavailable>
  /** revokes the active key of that name; false when there is none */
  readonly revokeKey: (name: string, now: Date) => Effect.Effect<boolean, ControlUnavailable>
  /** the active key a presented key string stands for, if any (constant-time compare) */
  readonly verifyKey: (presented: string) => Effect.Effect<KeyRecord | undefined, ControlUnavailable>
  readonly putDirectory: (
    school: string,
    kind: "student" | "faculty",
    id: string,
    entry: { readonly displayName: string | null; readonly email: string | null },
    now: Date
  ) => Effect.Effect<{ readonly created: boolean }, ControlUnavailable>
  readonly getDirectory: (
    school: string,
    kind: "student" | "faculty",
    id: string
  ) => Effect.Effect<DirectoryEntry | undefined, ControlUnavailable>
  readonly audit: (school: string, entry: AuditEntry) => Effect.Effect<void, AuditUnavailable>
  /** newest first, at most `limit` entries plus any that share the last entry's instant */
  readonly listAudit: (
    school: string,
    options: { readonly studentId?: string | undefined; readonly limit: number; readonly before?: string | undefined }
  ) => Effect.Effect<ReadonlyArray<AuditEntry>, ControlUnavailable>
  /** a dashboard session for a key: returns the token (for the cookie) and the CSRF token */
  readonly createSession: (
    publicId: string,
    now: Date,
    ttlMs: number
  ) => Effect.Effect<{ readonly token: string; readonly csrf: string }, ControlUnavailable>
  /** the active key and CSRF token of a session token, if it is live */
  readonly session: (
    token: string,
    now: Date
  ) => Effect.Effect<{ readonly key: KeyRecord; readonly csrf: string } | undefined, ControlUnavailable>
  readonly endSession: (token: string) => Effect.Effect<void, ControlUnavailable>
  /** erasure: the student's directory entry goes; their id is blanked in the audit log */
  readonly eraseStudent: (school: string, studentId: string) => Effect.Effect<void, ControlUnavailable>
  /**
   * The key of the erasure registry's hashes when the operator gives none
   * (`RAPPORT_ERASURE_KEY`): made once, kept here, apart from the hashes it keys.
   */
  readonly erasureKey: () => Effect.Effect<string, ControlUnavailable>
  /** the secret read-your-writes tokens are sealed with (http/PositionToken.ts): made once, kept here */
  readonly positionKey: () => Effect.Effect<string, ControlUnavailable>
  /** records a retention run before it removes anything */
  readonly recordRetention: (
    school: string,
    run: Omit<RetentionRun, "removed">
  ) => Effect.Effect<void, ControlUnavailable>
  /** records how many events a run removed */
  readonly finishRetention: (runId: string, removed: number) => Effect.Effect<void, ControlUnavailable>
  /** a school's retention runs, newest first */
  readonly listRetention: (
    school: string,
    limit: number
  ) => Effect.Effect<ReadonlyArray<RetentionRun>, ControlUnavailable>
  /** adds what a committed `rapport import` batch did to the running totals */
  readonly addImported: (counts: ImportCounts) => Effect.Effect<void, ControlUnavailable>
  /** every `rapport import` so far, summed */
  readonly importedTotals: () => Effect.Effect<ImportCounts, ControlUnavailable>
  readonly database: SqlDatabase
}

/**
 * Events `rapport import` stored, found already stored, and rejected.
 *
 * @since 0.4.0
 * @category models
 */
export interface ImportCounts {
  readonly stored: number
  readonly duplicates: number
  readonly rejected: number
}

/** The operations as the SQL below writes them: promises that reject as `Sql` does. */
type Statements = {
  readonly [K in Exclude<keyof ControlStore, "database">]: (
    ...args: Parameters<ControlStore[K]>
  ) => Promise<Effect.Success<ReturnType<ControlStore[K]>>>
}

/**
 * Opens the control tables on a database, creating them and the pepper if missing. A
 * `pepper` given by the operator (`RAPPORT_KEY_PEPPER`) is used instead of the stored one.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = async (
  database: SqlDatabase,
  options: { readonly pepper?: string } = {}
): Promise<ControlStore> => {
  await database.exec(schemaSql)
  /** a random secret kept in the control tables, made by the first process that asks */
  const storedSecret = async (name: string): Promise<string> => {
    const candidate = ApiKeys.newPepper()
    await database.run("INSERT INTO rapport_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", [
      name,
      candidate
    ])
    const rows = await database.all("SELECT value FROM rapport_secrets WHERE name = ?", [name])
    return rows[0] === undefined ? candidate : text(rows[0], "value")
  }
  const keyPepper = options.pepper ?? (await storedSecret("key-pepper"))
  const tables: Statements = {
    createKey: async ({ school, name, scopes, now }) => {
      const generated = ApiKeys.generate()
      const createdAt = now.toISOString()
      await database.run(
        "INSERT INTO rapport_keys (public_id, school, name, scopes, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [generated.publicId, school, name, scopes.join(","), ApiKeys.hash(keyPepper, generated.key), createdAt]
      )
      return {
        key: generated.key,
        record: { publicId: generated.publicId, school, name, scopes, createdAt, revokedAt: null }
      }
    },
    listKeys: async () =>
      (await database.all("SELECT * FROM rapport_keys ORDER BY school, name, created_at")).map(toKey),
    revokeKey: async (name, now) => {
      const result = await database.run(
        "UPDATE rapport_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
        [now.toISOString(), name]
      )
      return result.changes > 0
    },
    verifyKey: async (presented) => {
      const parsed = ApiKeys.parse(presented)
      // Hash even when the shape is wrong, so that a malformed key costs the same time.
      const rows =
        parsed === undefined
          ? []
          : await database.all("SELECT * FROM rapport_keys WHERE public_id = ? AND revoked_at IS NULL", [
              parsed.publicId
            ])
      const row = rows[0]
      const ok = ApiKeys.matches(keyPepper, presented, row === undefined ? "00".repeat(32) : text(row, "hash"))
      return ok && row !== undefined ? toKey(row) : undefined
    },
    putDirectory: async (school, kind, id, entry, now) => {
      const existing = await database.all(
        "SELECT 1 AS found FROM rapport_directory WHERE school = ? AND kind = ? AND person_id = ?",
        [school, kind, id]
      )
      await database.run(
        `INSERT INTO rapport_directory (school, kind, person_id, display_name, email, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (school, kind, person_id) DO UPDATE SET display_name = excluded.display_name, email = excluded.email, updated_at = excluded.updated_at`,
        [school, kind, id, entry.displayName, entry.email, now.toISOString()]
      )
      return { created: existing.length === 0 }
    },
    getDirectory: async (school, kind, id) => {
      const rows = await database.all(
        "SELECT display_name, email, updated_at FROM rapport_directory WHERE school = ? AND kind = ? AND person_id = ?",
        [school, kind, id]
      )
      const row = rows[0]
      return row === undefined
        ? undefined
        : {
            displayName: textOrNull(row, "display_name"),
            email: textOrNull(row, "email"),
            updatedAt: text(row, "updated_at")
          }
    },
    audit: async (school, entry) => {
      await database.run(
        "INSERT INTO rapport_audit (viewed_at, school, key_name, student_id, as_of, request_id) VALUES (?, ?, ?, ?, ?, ?)",
        [entry.viewedAt, school, entry.keyName, entry.studentId, entry.asOf, entry.requestId]
      )
    },
    listAudit: async (school, { studentId, limit, before }) => {
      const where = ["school = ?"]
      const params: Array<string | number> = [school]
      if (studentId !== undefined) {
        where.push("student_id = ?")
        params.push(studentId)
      }
      if (before !== undefined) {
        where.push("viewed_at < ?")
        params.push(before)
      }
      // A page ends on a whole instant: every entry viewed at the last instant it reaches
      // is in it (so a page can exceed `limit` on ties), so that paging with
      // `before = last viewedAt` never skips an entry that shares that instant.
      const filter = where.join(" AND ")
      const rows = await database.all(
        `SELECT viewed_at, key_name, student_id, as_of, request_id FROM rapport_audit
         WHERE ${filter} AND viewed_at >= (
           SELECT COALESCE(MIN(viewed_at), '') FROM (
             SELECT viewed_at FROM rapport_audit WHERE ${filter} ORDER BY viewed_at DESC LIMIT ?
           ) AS page
         )
         ORDER BY viewed_at DESC, request_id`,
        [...params, ...params, limit]
      )
      return rows.map((row) => ({
        viewedAt: text(row, "viewed_at"),
        keyName: text(row, "key_name"),
        studentId: text(row, "student_id"),
        asOf: textOrNull(row, "as_of"),
        requestId: text(row, "request_id")
      }))
    },
    createSession: async (publicId, now, ttlMs) => {
      const token = randomBytes(32).toString("base64url")
      const csrf = randomBytes(24).toString("base64url")
      await database.run("DELETE FROM rapport_sessions WHERE expires_at < ?", [now.toISOString()])
      await database.run(
        "INSERT INTO rapport_sessions (token_hash, key_public_id, csrf, expires_at) VALUES (?, ?, ?, ?)",
        [ApiKeys.hash(keyPepper, token), publicId, csrf, new Date(now.getTime() + ttlMs).toISOString()]
      )
      return { token, csrf }
    },
    session: async (token, now) => {
      const rows = await database.all(
        `SELECT k.*, s.csrf FROM rapport_sessions s JOIN rapport_keys k ON k.public_id = s.key_public_id
         WHERE s.token_hash = ? AND s.expires_at > ? AND k.revoked_at IS NULL`,
        [ApiKeys.hash(keyPepper, token), now.toISOString()]
      )
      const row = rows[0]
      return row === undefined ? undefined : { key: toKey(row), csrf: text(row, "csrf") }
    },
    endSession: async (token) => {
      await database.run("DELETE FROM rapport_sessions WHERE token_hash = ?", [ApiKeys.hash(keyPepper, token)])
    },
    erasureKey: () => storedSecret("erasure-key"),
    positionKey: () => storedSecret("position-key"),
    recordRetention: async (school, run) => {
      await database.run(
        `INSERT INTO rapport_retention_runs (run_id, ran_at, school, actor, dry_run, policy, report, request_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          run.runId,
          run.ranAt,
          school,
          run.actor,
          run.dryRun ? 1 : 0,
          JSON.stringify(run.policy),
          JSON.stringify(run.report),
          run.requestId
        ]
      )
    },
    finishRetention: async (runId, removed) => {
      await database.run("UPDATE rapport_retention_runs SET removed = ? WHERE run_id = ?", [removed, runId])
    },
    listRetention: async (school, limit) =>
      (
        await database.all(
          "SELECT * FROM rapport_retention_runs WHERE school = ? ORDER BY ran_at DESC, run_id LIMIT ?",
          [school, limit]
        )
      ).map((row) => ({
        runId: text(row, "run_id"),
        ranAt: text(row, "ran_at"),
        actor: text(row, "actor"),
        dryRun: Number(row.dry_run) === 1,
        policy: JSON.parse(text(row, "policy")),
        report: JSON.parse(text(row, "report")),
        removed: row.removed === null || row.removed === undefined ? null : Number(row.removed),
        requestId: textOrNull(row, "request_id")
      })),
    addImported: async (counts) => {
      await database.transaction(async (tx) => {
        for (const [outcome, events] of Object.entries(counts)) {
          if (events === 0) continue
          await tx.run(
            `INSERT INTO rapport_import_totals (outcome, events) VALUES (?, ?)
             ON CONFLICT (outcome) DO UPDATE SET events = rapport_import_totals.events + excluded.events`,
            [outcome, events]
          )
        }
      })
    },
    importedTotals: async () => {
      const rows = await database.all("SELECT outcome, events FROM rapport_import_totals")
      const of = (outcome: string) => Number(rows.find((row) => row.outcome === outcome)?.events ?? 0)
      return { stored: of("stored"), duplicates: of("duplicates"), rejected: of("rejected") }
    },
    eraseStudent: async (school, studentId) => {
      await database.transaction(async (tx) => {
        await tx.run("DELETE FROM rapport_directory WHERE school = ? AND kind = 'student' AND person_id = ?", [
          school,
          studentId
        ])
        // The views stay on record (who looked, when); the erased id does not.
        await tx.run("UPDATE rapport_audit SET student_id = '(erased)' WHERE school = ? AND student_id = ?", [
          school,
          studentId
        ])
      })
    }
  }
  return {
    database,
    createKey: (input) => attempt("createKey", () => tables.createKey(input)),
    listKeys: () => attempt("listKeys", () => tables.listKeys()),
    revokeKey: (name, now) => attempt("revokeKey", () => tables.revokeKey(name, now)),
    verifyKey: (presented) => attempt("verifyKey", () => tables.verifyKey(presented)),
    putDirectory: (school, kind, id, entry, now) =>
      attempt("putDirectory", () => tables.putDirectory(school, kind, id, entry, now)),
    getDirectory: (school, kind, id) => attempt("getDirectory", () => tables.getDirectory(school, kind, id)),
    audit: (school, entry) =>
      attempt("audit", () => tables.audit(school, entry)).pipe(
        Effect.mapError((error) => new AuditUnavailable({ reason: error.reason, cause: error }))
      ),
    listAudit: (school, options) => attempt("listAudit", () => tables.listAudit(school, options)),
    createSession: (publicId, now, ttlMs) => attempt("createSession", () => tables.createSession(publicId, now, ttlMs)),
    session: (token, now) => attempt("session", () => tables.session(token, now)),
    endSession: (token) => attempt("endSession", () => tables.endSession(token)),
    eraseStudent: (school, studentId) => attempt("eraseStudent", () => tables.eraseStudent(school, studentId)),
    erasureKey: () => attempt("erasureKey", () => tables.erasureKey()),
    positionKey: () => attempt("positionKey", () => tables.positionKey()),
    recordRetention: (school, run) => attempt("recordRetention", () => tables.recordRetention(school, run)),
    finishRetention: (runId, removed) => attempt("finishRetention", () => tables.finishRetention(runId, removed)),
    listRetention: (school, limit) => attempt("listRetention", () => tables.listRetention(school, limit)),
    addImported: (counts) => attempt("addImported", () => tables.addImported(counts)),
    importedTotals: () => attempt("importedTotals", () => tables.importedTotals())
  }
}
