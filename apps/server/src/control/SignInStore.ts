/**
 * The control tables of sign-in with a school's identity provider: each school's
 * configuration, the people recorded at their first sign-in (and the faculty id they are
 * bound to), their dashboard sessions, the sign-ins under way (OpenID Connect state, nonce
 * and PKCE verifier; SAML request ids), and the assertion ids already used.
 *
 * Session and sign-in tokens are stored only as SHA-256 hashes (they are 256-bit random
 * values). Every operation fails with `ControlUnavailable` when the database cannot be
 * reached; anything else is a defect. A pending sign-in is taken once: two callbacks with
 * the same state can never both succeed.
 *
 * @since 0.3.0
 */
import type { Sql } from "@rapport/analytics"
import type * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { createHash, randomBytes } from "node:crypto"
import { attempt as attemptSql, type ControlUnavailable } from "./ControlError.js"

type SqlDatabase = Sql.SqlDatabase

/**
 * @since 0.3.0
 * @category models
 */
export interface Person {
  readonly personId: string
  readonly school: string
  readonly subject: string
  readonly displayName: string | null
  readonly email: string | null
  readonly facultyId: string | null
  /** "admin" or "employee-id claim" */
  readonly boundBy: string | null
  readonly scopes: ReadonlyArray<string>
  readonly firstSignIn: string
  readonly lastSignIn: string
}

/**
 * What the provider needs to end its own session at sign-out.
 *
 * @since 0.3.0
 * @category models
 */
export const ProviderLogout = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("oidc"), idToken: Schema.String }),
  Schema.Struct({
    kind: Schema.Literal("saml"),
    nameId: Schema.String,
    nameIdFormat: Schema.NullOr(Schema.String),
    sessionIndex: Schema.NullOr(Schema.String)
  })
])

/**
 * @since 0.3.0
 * @category models
 */
export type ProviderLogout = typeof ProviderLogout.Type

/** what this table wrote; anything else (a row from another version) is no provider logout */
const decodeLogout = (stored: string): ProviderLogout | null =>
  Result.getOrNull(Schema.decodeUnknownResult(Schema.fromJsonString(ProviderLogout))(stored))

/**
 * @since 0.3.0
 * @category models
 */
export interface PersonSession {
  readonly person: Person
  readonly scopes: ReadonlyArray<string>
  readonly csrf: string
  readonly logout: ProviderLogout | null
}

const schemaSql = `
CREATE TABLE IF NOT EXISTS rapport_sign_in (
  school TEXT PRIMARY KEY,
  config TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rapport_people (
  person_id TEXT PRIMARY KEY,
  school TEXT NOT NULL,
  subject TEXT NOT NULL,
  display_name TEXT,
  email TEXT,
  faculty_id TEXT,
  bound_by TEXT,
  scopes TEXT NOT NULL,
  first_sign_in TEXT NOT NULL,
  last_sign_in TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS rapport_people_subject ON rapport_people (school, subject);
CREATE TABLE IF NOT EXISTS rapport_person_sessions (
  token_hash TEXT PRIMARY KEY,
  person_id TEXT NOT NULL,
  scopes TEXT NOT NULL,
  csrf TEXT NOT NULL,
  logout TEXT,
  expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rapport_person_sessions_person ON rapport_person_sessions (person_id);
CREATE TABLE IF NOT EXISTS rapport_sign_in_pending (
  id_hash TEXT PRIMARY KEY,
  school TEXT NOT NULL,
  kind TEXT NOT NULL,
  secret TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rapport_sign_in_seen (
  id_hash TEXT PRIMARY KEY,
  expires_at TEXT NOT NULL
);
`

const parseJson = (stored: string): unknown => JSON.parse(stored)

const digest = (value: string): string => createHash("sha256").update(value).digest("hex")

const text = (row: Record<string, unknown>, column: string): string => String(row[column])
const textOrNull = (row: Record<string, unknown>, column: string): string | null => {
  const value = row[column]
  return value === null || value === undefined ? null : String(value)
}
const list = (value: string): ReadonlyArray<string> => value.split(",").filter((s) => s.length > 0)

const toPerson = (row: Record<string, unknown>): Person => ({
  personId: text(row, "person_id"),
  school: text(row, "school"),
  subject: text(row, "subject"),
  displayName: textOrNull(row, "display_name"),
  email: textOrNull(row, "email"),
  facultyId: textOrNull(row, "faculty_id"),
  boundBy: textOrNull(row, "bound_by"),
  scopes: list(text(row, "scopes")),
  firstSignIn: text(row, "first_sign_in"),
  lastSignIn: text(row, "last_sign_in")
})

/**
 * How a person is named in the audit log and on the dashboard: their name (or address),
 * then their Rapport person id, which no one else shares.
 *
 * @since 0.3.0
 * @category operations
 */
export const label = (person: Person): string =>
  `${person.displayName ?? person.email ?? person.subject} (person ${person.personId})`

type E<A> = Effect.Effect<A, ControlUnavailable>

/**
 * @since 0.3.0
 * @category models
 */
export interface SignInStore {
  readonly setConfig: (school: string, config: unknown, now: Date) => E<void>
  readonly removeConfig: (school: string) => E<boolean>
  /** the stored configuration (as stored JSON), by school */
  readonly configs: () => E<ReadonlyMap<string, unknown>>
  /** records a sign-in in progress under `id` (state or request id); taken at most once */
  readonly putPending: (id: string, school: string, kind: string, secret: string, expiresAt: Date) => E<void>
  readonly takePending: (
    id: string,
    now: Date
  ) => E<{ readonly school: string; readonly kind: string; readonly secret: string } | undefined>
  /** a sign-in in progress, left in place (SAML reads a request id twice before removing it) */
  readonly peekPending: (
    id: string,
    now: Date
  ) => E<{ readonly school: string; readonly kind: string; readonly secret: string } | undefined>
  readonly removePending: (id: string) => E<void>
  /** whether `id` (an assertion id) is new; false if it was seen before (a replay) */
  readonly firstUse: (id: string, expiresAt: Date) => E<boolean>
  /** records a sign-in: creates the person the first time, refreshes name, address and scopes */
  readonly recordSignIn: (input: {
    readonly school: string
    readonly subject: string
    readonly displayName: string | null
    readonly email: string | null
    readonly scopes: ReadonlyArray<string>
    readonly facultyIdFromClaim: string | undefined
    readonly now: Date
  }) => E<Person>
  readonly people: (school: string) => E<ReadonlyArray<Person>>
  readonly bindFaculty: (school: string, personId: string, facultyId: string | null) => E<Person | undefined>
  readonly createSession: (input: {
    readonly personId: string
    readonly scopes: ReadonlyArray<string>
    readonly logout: ProviderLogout | null
    readonly expiresAt: Date
    readonly now: Date
  }) => E<{ readonly token: string; readonly csrf: string }>
  readonly session: (token: string, now: Date) => E<PersonSession | undefined>
  readonly endSession: (token: string) => E<void>
  /** ends every session of a person of that school; the number ended, or undefined if no such person */
  readonly endSessionsOf: (school: string, personId: string) => E<number | undefined>
}

/**
 * The sign-in tables on the control database, created at first use if missing.
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = (database: SqlDatabase): SignInStore => {
  // Made on first use (so that opening an installation stays as it was), and again after a
  // failed attempt.
  let ready: Promise<void> | undefined
  const tables = (): Promise<void> => {
    const made =
      ready ??
      database.exec(schemaSql).catch((error: unknown) => {
        ready = undefined
        throw error
      })
    ready = made
    return made
  }
  const attempt = <A>(operation: string, run: () => Promise<A>) =>
    attemptSql(operation, async () => {
      await tables()
      return run()
    })
  const personById = async (personId: string): Promise<Person | undefined> => {
    const rows = await database.all("SELECT * FROM rapport_people WHERE person_id = ?", [personId])
    return rows[0] === undefined ? undefined : toPerson(rows[0])
  }
  return {
    setConfig: (school, config, now) =>
      attempt("setSignIn", async () => {
        await database.run(
          `INSERT INTO rapport_sign_in (school, config, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (school) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at`,
          [school, JSON.stringify(config), now.toISOString()]
        )
      }),
    removeConfig: (school) =>
      attempt("removeSignIn", async () => {
        const result = await database.run("DELETE FROM rapport_sign_in WHERE school = ?", [school])
        return result.changes > 0
      }),
    configs: () =>
      attempt("signInConfigs", async () => {
        const rows = await database.all("SELECT school, config FROM rapport_sign_in ORDER BY school")
        return new Map(rows.map((row) => [text(row, "school"), parseJson(text(row, "config"))]))
      }),
    putPending: (id, school, kind, secret, expiresAt) =>
      attempt("putPendingSignIn", async () => {
        await database.run("DELETE FROM rapport_sign_in_pending WHERE expires_at < ?", [new Date().toISOString()])
        await database.run(
          "INSERT INTO rapport_sign_in_pending (id_hash, school, kind, secret, expires_at) VALUES (?, ?, ?, ?, ?)",
          [digest(id), school, kind, secret, expiresAt.toISOString()]
        )
      }),
    takePending: (id, now) =>
      attempt("takePendingSignIn", async () => {
        // in a transaction: plain reads may go to a read-only connection
        const rows = await database.transaction((tx) =>
          tx.all("DELETE FROM rapport_sign_in_pending WHERE id_hash = ? RETURNING school, kind, secret, expires_at", [
            digest(id)
          ])
        )
        const row = rows[0]
        if (row === undefined || text(row, "expires_at") <= now.toISOString()) return undefined
        return { school: text(row, "school"), kind: text(row, "kind"), secret: text(row, "secret") }
      }),
    peekPending: (id, now) =>
      attempt("peekPendingSignIn", async () => {
        const rows = await database.all(
          "SELECT school, kind, secret FROM rapport_sign_in_pending WHERE id_hash = ? AND expires_at > ?",
          [digest(id), now.toISOString()]
        )
        const row = rows[0]
        return row === undefined
          ? undefined
          : { school: text(row, "school"), kind: text(row, "kind"), secret: text(row, "secret") }
      }),
    removePending: (id) =>
      attempt("removePendingSignIn", async () => {
        await database.run("DELETE FROM rapport_sign_in_pending WHERE id_hash = ?", [digest(id)])
      }),
    firstUse: (id, expiresAt) =>
      attempt("markAssertionSeen", async () => {
        await database.run("DELETE FROM rapport_sign_in_seen WHERE expires_at < ?", [new Date().toISOString()])
        const result = await database.run(
          "INSERT INTO rapport_sign_in_seen (id_hash, expires_at) VALUES (?, ?) ON CONFLICT (id_hash) DO NOTHING",
          [digest(id), expiresAt.toISOString()]
        )
        return result.changes > 0
      }),
    recordSignIn: (input) =>
      attempt("recordSignIn", async () => {
        const at = input.now.toISOString()
        const candidate = `p-${randomBytes(8).toString("hex")}`
        await database.run(
          `INSERT INTO rapport_people (person_id, school, subject, display_name, email, faculty_id, bound_by, scopes, first_sign_in, last_sign_in)
           VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)
           ON CONFLICT (school, subject) DO UPDATE SET display_name = excluded.display_name, email = excluded.email,
             scopes = excluded.scopes, last_sign_in = excluded.last_sign_in`,
          [candidate, input.school, input.subject, input.displayName, input.email, input.scopes.join(","), at, at]
        )
        if (input.facultyIdFromClaim !== undefined) {
          // The claim binds; an admin's binding is never overwritten by it.
          await database.run(
            `UPDATE rapport_people SET faculty_id = ?, bound_by = 'employee-id claim'
             WHERE school = ? AND subject = ? AND (bound_by IS NULL OR bound_by = 'employee-id claim')`,
            [input.facultyIdFromClaim, input.school, input.subject]
          )
        }
        const rows = await database.all("SELECT * FROM rapport_people WHERE school = ? AND subject = ?", [
          input.school,
          input.subject
        ])
        const row = rows[0]
        if (row === undefined) throw new Error("recordSignIn: the person just written is missing")
        return toPerson(row)
      }),
    people: (school) =>
      attempt("listPeople", async () =>
        (
          await database.all("SELECT * FROM rapport_people WHERE school = ? ORDER BY first_sign_in, person_id", [
            school
          ])
        ).map(toPerson)
      ),
    bindFaculty: (school, personId, facultyId) =>
      attempt("bindFaculty", async () => {
        const result = await database.run(
          "UPDATE rapport_people SET faculty_id = ?, bound_by = ? WHERE school = ? AND person_id = ?",
          [facultyId, facultyId === null ? null : "admin", school, personId]
        )
        return result.changes === 0 ? undefined : personById(personId)
      }),
    createSession: (input) =>
      attempt("createPersonSession", async () => {
        const token = randomBytes(32).toString("base64url")
        const csrf = randomBytes(24).toString("base64url")
        await database.run("DELETE FROM rapport_person_sessions WHERE expires_at < ?", [input.now.toISOString()])
        await database.run(
          "INSERT INTO rapport_person_sessions (token_hash, person_id, scopes, csrf, logout, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
          [
            digest(token),
            input.personId,
            input.scopes.join(","),
            csrf,
            input.logout === null ? null : JSON.stringify(input.logout),
            input.expiresAt.toISOString()
          ]
        )
        return { token, csrf }
      }),
    session: (token, now) =>
      attempt("personSession", async () => {
        const rows = await database.all(
          `SELECT s.scopes AS session_scopes, s.csrf, s.logout, p.* FROM rapport_person_sessions s
           JOIN rapport_people p ON p.person_id = s.person_id
           WHERE s.token_hash = ? AND s.expires_at > ?`,
          [digest(token), now.toISOString()]
        )
        const row = rows[0]
        if (row === undefined) return undefined
        const logout = textOrNull(row, "logout")
        return {
          person: toPerson(row),
          scopes: list(text(row, "session_scopes")),
          csrf: text(row, "csrf"),
          logout: logout === null ? null : decodeLogout(logout)
        }
      }),
    endSession: (token) =>
      attempt("endPersonSession", async () => {
        await database.run("DELETE FROM rapport_person_sessions WHERE token_hash = ?", [digest(token)])
      }),
    endSessionsOf: (school, personId) =>
      attempt("endSessionsOf", async () => {
        const person = await personById(personId)
        if (person === undefined || person.school !== school) return undefined
        const result = await database.run("DELETE FROM rapport_person_sessions WHERE person_id = ?", [personId])
        return result.changes
      })
  }
}
