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
 * Rebuild drops exactly these tables; the server's control tables are elsewhere.
 *
 * @since 0.1.0
 */
import * as Sql from "./Sql.js"
import type { SqlDatabase, SqlExecutor } from "./Sql.js"

/**
 * The read-model schema version; a mismatch makes the projector rebuild.
 *
 * @since 0.1.0
 * @category constants
 */
export const version = 6

/**
 * The tables, in creation order.
 *
 * @since 0.1.0
 * @category constants
 */
export const tables = [
  "rm_meta",
  "rm_checkpoint",
  "rm_students",
  "rm_pairs",
  "rm_faculty",
  "rm_student_months",
  "rm_letters",
  "rm_follow_ups",
  "rm_nudges",
  "rm_coverage",
  "rm_rotations",
  "rm_positions",
  "rm_pending_erasures"
] as const

const ddl = `
CREATE TABLE IF NOT EXISTS rm_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rm_checkpoint (name TEXT PRIMARY KEY, position BIGINT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rm_students (
  school TEXT NOT NULL,
  student_id TEXT NOT NULL,
  status TEXT NOT NULL,
  active INTEGER NOT NULL,
  graduation_year INTEGER,
  program TEXT,
  specialty TEXT,
  interests TEXT NOT NULL,
  interactions INTEGER NOT NULL,
  student_initiated INTEGER NOT NULL,
  last_contact_ms BIGINT,
  acquainted_until_ms DOUBLE PRECISION,
  developing_until_ms DOUBLE PRECISION,
  strong_until_ms DOUBLE PRECISION,
  advocate_until_ms DOUBLE PRECISION,
  PRIMARY KEY (school, student_id)
);
CREATE INDEX IF NOT EXISTS rm_students_active ON rm_students (school, active, developing_until_ms);
CREATE INDEX IF NOT EXISTS rm_students_strong ON rm_students (school, active, strong_until_ms);
CREATE INDEX IF NOT EXISTS rm_students_year ON rm_students (school, graduation_year, student_id);
CREATE INDEX IF NOT EXISTS rm_students_specialty ON rm_students (school, specialty, student_id);
CREATE INDEX IF NOT EXISTS rm_students_contact ON rm_students (school, last_contact_ms);
CREATE TABLE IF NOT EXISTS rm_pairs (
  school TEXT NOT NULL,
  student_id TEXT NOT NULL,
  faculty_id TEXT NOT NULL,
  log_key DOUBLE PRECISION,
  touched INTEGER NOT NULL,
  months INTEGER NOT NULL,
  interactions INTEGER NOT NULL,
  last_contact_ms BIGINT,
  acquainted_until_ms DOUBLE PRECISION,
  developing_until_ms DOUBLE PRECISION,
  strong_until_ms DOUBLE PRECISION,
  advocate_until_ms DOUBLE PRECISION,
  mentoring_until_ms DOUBLE PRECISION,
  in_specialty INTEGER NOT NULL,
  student_active INTEGER NOT NULL,
  PRIMARY KEY (school, student_id, faculty_id)
);
CREATE INDEX IF NOT EXISTS rm_pairs_faculty ON rm_pairs (school, faculty_id);
-- covering: mentoring pairs of active students now, by faculty member (the faculty view's loads)
CREATE INDEX IF NOT EXISTS rm_pairs_mentors ON rm_pairs (school, mentoring_until_ms, student_active, faculty_id);
CREATE INDEX IF NOT EXISTS rm_pairs_advocate ON rm_pairs (school, advocate_until_ms);
-- the faculty view's mentee counts, in one pass over each faculty member's pairs of active students
CREATE INDEX IF NOT EXISTS rm_pairs_mentees ON rm_pairs
  (school, student_active, faculty_id, acquainted_until_ms, developing_until_ms, strong_until_ms, advocate_until_ms,
   mentoring_until_ms);
CREATE TABLE IF NOT EXISTS rm_faculty (
  school TEXT NOT NULL,
  faculty_id TEXT NOT NULL,
  status TEXT NOT NULL,
  department TEXT,
  rank TEXT,
  specialties TEXT NOT NULL,
  letters_requested INTEGER NOT NULL,
  letters_committed INTEGER NOT NULL,
  letters_submitted INTEGER NOT NULL,
  letters_declined INTEGER NOT NULL,
  active_pairs INTEGER NOT NULL,
  PRIMARY KEY (school, faculty_id)
);
CREATE INDEX IF NOT EXISTS rm_faculty_department ON rm_faculty (school, department, faculty_id);
CREATE TABLE IF NOT EXISTS rm_student_months (
  school TEXT NOT NULL,
  student_id TEXT NOT NULL,
  month TEXT NOT NULL,
  graduation_year INTEGER,
  interactions INTEGER NOT NULL,
  faculty_contacted INTEGER NOT NULL,
  support_check_ins INTEGER NOT NULL,
  PRIMARY KEY (school, student_id, month)
);
-- covering: the monthly trends sum these columns over every student
CREATE INDEX IF NOT EXISTS rm_student_months_month
  ON rm_student_months (school, month, graduation_year, interactions, faculty_contacted, support_check_ins);
CREATE TABLE IF NOT EXISTS rm_letters (
  school TEXT NOT NULL,
  letter_id TEXT NOT NULL,
  student_id TEXT NOT NULL,
  faculty_id TEXT NOT NULL,
  cycle INTEGER,
  specialty TEXT,
  state TEXT NOT NULL,
  requested_ms BIGINT,
  committed_ms BIGINT,
  submitted_ms BIGINT,
  PRIMARY KEY (school, letter_id)
);
CREATE INDEX IF NOT EXISTS rm_letters_student ON rm_letters (school, student_id);
CREATE INDEX IF NOT EXISTS rm_letters_cycle ON rm_letters (school, cycle, specialty);
CREATE TABLE IF NOT EXISTS rm_follow_ups (
  school TEXT NOT NULL,
  follow_up_id TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  student_id TEXT NOT NULL,
  faculty_ids TEXT NOT NULL,
  due_on TEXT NOT NULL,
  done INTEGER NOT NULL,
  sentence TEXT NOT NULL,
  PRIMARY KEY (school, follow_up_id)
);
-- covering: counts by rule and state, students counted once in index order; the open ones by due date
CREATE INDEX IF NOT EXISTS rm_follow_ups_by_rule ON rm_follow_ups (school, rule_id, student_id, done, due_on);
CREATE INDEX IF NOT EXISTS rm_follow_ups_open ON rm_follow_ups (school, done, due_on, follow_up_id, student_id);
CREATE INDEX IF NOT EXISTS rm_follow_ups_student ON rm_follow_ups (school, student_id);
CREATE TABLE IF NOT EXISTS rm_nudges (
  school TEXT NOT NULL,
  event_id TEXT NOT NULL,
  student_id TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  sent_ms BIGINT NOT NULL,
  contact_ms BIGINT,
  days_to_contact INTEGER,
  PRIMARY KEY (school, event_id)
);
-- covering: nudge outcomes by rule
CREATE INDEX IF NOT EXISTS rm_nudges_rule ON rm_nudges (school, rule_id, student_id, contact_ms, sent_ms, days_to_contact);
CREATE INDEX IF NOT EXISTS rm_nudges_student ON rm_nudges (school, student_id);
CREATE TABLE IF NOT EXISTS rm_coverage (
  school TEXT NOT NULL,
  source TEXT NOT NULL,
  month TEXT NOT NULL,
  events INTEGER NOT NULL,
  last_occurred_ms BIGINT,
  last_received_ms BIGINT,
  PRIMARY KEY (school, source, month)
);
CREATE TABLE IF NOT EXISTS rm_rotations (
  school TEXT NOT NULL,
  student_id TEXT NOT NULL,
  faculty_id TEXT NOT NULL,
  specialty TEXT NOT NULL,
  first_ms BIGINT NOT NULL,
  PRIMARY KEY (school, student_id, faculty_id, specialty)
);
CREATE INDEX IF NOT EXISTS rm_rotations_faculty ON rm_rotations (school, faculty_id, first_ms);
-- where each student's events are in the log, by the faculty member they name ('' for none):
-- a faculty member's page reads these events, not every mentee's stream
CREATE TABLE IF NOT EXISTS rm_positions (
  school TEXT NOT NULL,
  student_id TEXT NOT NULL,
  faculty_id TEXT NOT NULL,
  positions TEXT NOT NULL,
  PRIMARY KEY (school, student_id, faculty_id)
);
CREATE TABLE IF NOT EXISTS rm_pending_erasures (school TEXT NOT NULL, student_id TEXT NOT NULL, PRIMARY KEY (school, student_id));
`

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
