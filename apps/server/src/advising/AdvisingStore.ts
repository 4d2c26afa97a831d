/**
 * The advising tables beside the control tables (never dropped by a rebuild): which key
 * acts for which faculty id, each school's advising settings (the program → role mapping,
 * who is student affairs, the default capacity), each faculty member's advising profile
 * (committees — the directory attribute LCME 11.1 needs — and capacity), and the advising
 * audit log (every action and every read of notes, under the actor's name).
 *
 * Notes, concerns and cases are never kept here: they live in the student's stream (see
 * `@rapport/core` Advising). The audit log names a student; an erasure blanks it.
 *
 * @since 0.4.0
 */
import type { Sql } from "@rapport/analytics"
import { Advising } from "@rapport/core"
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { attempt as attemptControl, type ControlUnavailable } from "../control/ControlError.js"

/**
 * A school's advising settings.
 *
 * @since 0.4.0
 * @category schemas
 */
export const Settings = Schema.Struct({
  /** `MentorAssigned.program` → advising role */
  programRoles: Schema.Record(Schema.String, Schema.Literals(Advising.Roles.roles)),
  /** the faculty (or staff) ids of student affairs: the only owners of wellbeing and health concerns */
  studentAffairs: Schema.Array(Schema.String),
  /** advisees per advisor and role when their profile says nothing */
  defaultCapacity: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 1000 }))
}).annotate({ identifier: "AdvisingSettings" })

/**
 * @since 0.4.0
 * @category models
 */
export type Settings = typeof Settings.Type

/**
 * The settings of a school that set none.
 *
 * @since 0.4.0
 * @category constants
 */
export const defaultSettings: Settings = {
  programRoles: Advising.Roles.defaultProgramRoles,
  studentAffairs: [],
  defaultCapacity: 12
}

/**
 * A faculty member's advising profile.
 *
 * @since 0.4.0
 * @category schemas
 */
export const Profile = Schema.Struct({
  /** committees sat on: "grading", "promotions", or others the school names */
  committees: Schema.Array(Schema.String.check(Schema.isPattern(/^[a-z][a-z0-9-]{0,39}$/u))),
  /** advisees per role; absent: the school's default */
  capacity: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 1000 }))),
  /** specialties practised, beside the department */
  specialties: Schema.optionalKey(Schema.Array(Schema.String))
}).annotate({ identifier: "AdvisingProfile" })

/**
 * @since 0.4.0
 * @category models
 */
export type Profile = typeof Profile.Type

/**
 * One line of the advising audit log.
 *
 * @since 0.4.0
 * @category models
 */
export interface AuditLine {
  readonly at: string
  readonly actor: string
  readonly facultyId: string | null
  readonly action: string
  readonly studentId: string
  readonly subject: string | null
  readonly requestId: string
}

const ddl = `
CREATE TABLE IF NOT EXISTS rapport_advising_keys (
  school TEXT NOT NULL,
  key_public_id TEXT NOT NULL,
  faculty_id TEXT NOT NULL,
  PRIMARY KEY (school, key_public_id)
);
CREATE TABLE IF NOT EXISTS rapport_advising_settings (
  school TEXT PRIMARY KEY,
  settings TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rapport_advising_profiles (
  school TEXT NOT NULL,
  faculty_id TEXT NOT NULL,
  profile TEXT NOT NULL,
  PRIMARY KEY (school, faculty_id)
);
CREATE TABLE IF NOT EXISTS rapport_advising_audit (
  at TEXT NOT NULL,
  school TEXT NOT NULL,
  actor TEXT NOT NULL,
  faculty_id TEXT,
  action TEXT NOT NULL,
  student_id TEXT NOT NULL,
  subject TEXT,
  request_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rapport_advising_audit_school ON rapport_advising_audit (school, at);
`

/**
 * @since 0.4.0
 * @category models
 */
export interface AdvisingStore {
  readonly bindKey: (
    school: string,
    keyPublicId: string,
    facultyId: string | null
  ) => Effect.Effect<void, ControlUnavailable>
  /** the faculty id a key acts for, or a signed-in person's (`person-<id>` principals) */
  readonly facultyOf: (school: string, keyPublicId: string) => Effect.Effect<string | undefined, ControlUnavailable>
  readonly settings: (school: string) => Effect.Effect<Settings, ControlUnavailable>
  readonly putSettings: (school: string, settings: Settings) => Effect.Effect<void, ControlUnavailable>
  readonly profiles: (school: string) => Effect.Effect<ReadonlyMap<string, Profile>, ControlUnavailable>
  readonly putProfile: (school: string, facultyId: string, profile: Profile) => Effect.Effect<void, ControlUnavailable>
  readonly audit: (school: string, line: AuditLine) => Effect.Effect<void, ControlUnavailable>
  readonly auditOf: (school: string, studentId?: string) => Effect.Effect<ReadonlyArray<AuditLine>, ControlUnavailable>
  /** erasure: the student's id is blanked in the advising audit log */
  readonly eraseStudent: (school: string, studentId: string) => Effect.Effect<void, ControlUnavailable>
}

const parse = <A>(schema: Schema.Codec<A, unknown>, text: string, fallback: A): A => {
  try {
    const decoded = Schema.decodeUnknownOption(schema)(JSON.parse(text))
    return decoded._tag === "Some" ? decoded.value : fallback
  } catch {
    return fallback
  }
}

const str = (value: unknown): string => (typeof value === "string" ? value : String(value))

/**
 * Opens the advising tables on the control database, creating them if missing.
 *
 * @since 0.4.0
 * @category constructors
 */
export const make = (db: Sql.SqlDatabase): AdvisingStore => {
  // created on first use, so that the server is assembled without waiting for it
  let ready: Promise<void> | undefined
  const tables = (): Promise<void> => {
    ready ??= db.exec(ddl).catch((error: unknown) => {
      ready = undefined
      throw error
    })
    return ready
  }
  const attempt = <A>(operation: string, run: () => Promise<A>): Effect.Effect<A, ControlUnavailable> =>
    attemptControl(operation, async () => {
      await tables()
      return run()
    })
  return {
    bindKey: (school, keyPublicId, facultyId) =>
      attempt("advising bind key", async () => {
        await db.run("DELETE FROM rapport_advising_keys WHERE school = ? AND key_public_id = ?", [school, keyPublicId])
        if (facultyId !== null)
          await db.run("INSERT INTO rapport_advising_keys (school, key_public_id, faculty_id) VALUES (?, ?, ?)", [
            school,
            keyPublicId,
            facultyId
          ])
      }),
    facultyOf: (school, keyPublicId) =>
      attempt("advising faculty of key", async () => {
        const rows = keyPublicId.startsWith("person-")
          ? await db.all("SELECT faculty_id FROM rapport_people WHERE school = ? AND person_id = ?", [
              school,
              keyPublicId.slice("person-".length)
            ])
          : await db.all("SELECT faculty_id FROM rapport_advising_keys WHERE school = ? AND key_public_id = ?", [
              school,
              keyPublicId
            ])
        const value = rows[0]?.faculty_id
        return typeof value === "string" ? value : undefined
      }),
    settings: (school) =>
      attempt("advising settings", async () => {
        const rows = await db.all("SELECT settings FROM rapport_advising_settings WHERE school = ?", [school])
        return rows[0] === undefined ? defaultSettings : parse(Settings, str(rows[0].settings), defaultSettings)
      }),
    putSettings: (school, settings) =>
      attempt("advising put settings", async () => {
        await db.run(
          "INSERT INTO rapport_advising_settings (school, settings) VALUES (?, ?) ON CONFLICT (school) DO UPDATE SET settings = excluded.settings",
          [school, JSON.stringify(settings)]
        )
      }),
    profiles: (school) =>
      attempt("advising profiles", async () => {
        const rows = await db.all("SELECT faculty_id, profile FROM rapport_advising_profiles WHERE school = ?", [
          school
        ])
        return new Map(rows.map((row) => [str(row.faculty_id), parse(Profile, str(row.profile), { committees: [] })]))
      }),
    putProfile: (school, facultyId, profile) =>
      attempt("advising put profile", async () => {
        await db.run(
          "INSERT INTO rapport_advising_profiles (school, faculty_id, profile) VALUES (?, ?, ?) ON CONFLICT (school, faculty_id) DO UPDATE SET profile = excluded.profile",
          [school, facultyId, JSON.stringify(profile)]
        )
      }),
    audit: (school, line) =>
      attempt("advising audit", async () => {
        await db.run(
          "INSERT INTO rapport_advising_audit (at, school, actor, faculty_id, action, student_id, subject, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          [line.at, school, line.actor, line.facultyId, line.action, line.studentId, line.subject, line.requestId]
        )
      }),
    auditOf: (school, studentId) =>
      attempt("advising audit read", async () => {
        const rows =
          studentId === undefined
            ? await db.all("SELECT * FROM rapport_advising_audit WHERE school = ? ORDER BY at DESC LIMIT 1000", [
                school
              ])
            : await db.all(
                "SELECT * FROM rapport_advising_audit WHERE school = ? AND student_id = ? ORDER BY at DESC LIMIT 1000",
                [school, studentId]
              )
        return rows.map((row) => ({
          at: str(row.at),
          actor: str(row.actor),
          facultyId: row.faculty_id === null ? null : str(row.faculty_id),
          action: str(row.action),
          studentId: str(row.student_id),
          subject: row.subject === null ? null : str(row.subject),
          requestId: str(row.request_id)
        }))
      }),
    eraseStudent: (school, studentId) =>
      attempt("advising erase", async () => {
        await db.run(
          "UPDATE rapport_advising_audit SET student_id = '', subject = NULL WHERE school = ? AND student_id = ?",
          [school, studentId]
        )
      })
  }
}
