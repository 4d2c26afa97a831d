/**
 * `rm_pairs`: one row per student and faculty member with scored contact or a lifecycle.
 *
 * @since 0.2.0
 */
import type { PairRow } from "../Rows.js"
import * as Upsert from "../Upsert.js"
import type { Table } from "../Table.js"

/**
 * @since 0.2.0
 * @category tables
 */
export const table: Table = {
  name: "rm_pairs",
  ofSchool: true,
  ofStudent: true,
  ddl: `
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
`
}

/**
 * @since 0.2.0
 * @category specs
 */
export const upsert: Upsert.Spec<PairRow> = {
  table: table.name,
  columns: [
    "school",
    "student_id",
    "faculty_id",
    "log_key",
    "touched",
    "months",
    "interactions",
    "last_contact_ms",
    "acquainted_until_ms",
    "developing_until_ms",
    "strong_until_ms",
    "advocate_until_ms",
    "mentoring_until_ms",
    "in_specialty",
    "student_active"
  ],
  key: ["school", "student_id", "faculty_id"],
  values: (school, pair) => [
    school,
    pair.studentId,
    pair.facultyId,
    pair.logKey,
    pair.touched,
    pair.months,
    pair.interactions,
    pair.lastContactMs,
    pair.untils.acquainted,
    pair.untils.developing,
    pair.untils.strong,
    pair.untils.advocate,
    pair.mentoringUntilMs,
    Upsert.bool(pair.inSpecialty),
    Upsert.bool(pair.studentActive)
  ]
}
