/**
 * `rm_students`: one row per student (their status, counts and tier untils over their pairs).
 *
 * @since 0.2.0
 */
import type { StudentRow } from "../Rows.js"
import * as Upsert from "../Upsert.js"
import type { Table } from "../Table.js"

/**
 * @since 0.2.0
 * @category tables
 */
export const table: Table = {
  name: "rm_students",
  ofSchool: true,
  ofStudent: true,
  ddl: `
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
  isolated_from_ms DOUBLE PRECISION,
  letters_ready_from_ms DOUBLE PRECISION,
  new_until_ms DOUBLE PRECISION,
  clinical_from_ms DOUBLE PRECISION,
  applying_from_ms DOUBLE PRECISION,
  year_two_from_ms DOUBLE PRECISION,
  mentoring_lapses_ms DOUBLE PRECISION,
  PRIMARY KEY (school, student_id)
);
CREATE INDEX IF NOT EXISTS rm_students_active ON rm_students (school, active, developing_until_ms);
CREATE INDEX IF NOT EXISTS rm_students_strong ON rm_students (school, active, strong_until_ms);
CREATE INDEX IF NOT EXISTS rm_students_year ON rm_students (school, graduation_year, student_id);
CREATE INDEX IF NOT EXISTS rm_students_specialty ON rm_students (school, specialty, student_id);
CREATE INDEX IF NOT EXISTS rm_students_contact ON rm_students (school, last_contact_ms);
`
}

/**
 * @since 0.2.0
 * @category specs
 */
export const upsert: Upsert.Spec<StudentRow> = {
  table: table.name,
  columns: [
    "school",
    "student_id",
    "status",
    "active",
    "graduation_year",
    "program",
    "specialty",
    "interests",
    "interactions",
    "student_initiated",
    "last_contact_ms",
    "acquainted_until_ms",
    "developing_until_ms",
    "strong_until_ms",
    "advocate_until_ms",
    "isolated_from_ms",
    "letters_ready_from_ms",
    "new_until_ms",
    "clinical_from_ms",
    "applying_from_ms",
    "year_two_from_ms",
    "mentoring_lapses_ms"
  ],
  key: ["school", "student_id"],
  values: (school, student) => [
    school,
    student.studentId,
    student.status,
    Upsert.bool(student.active),
    student.graduationYear,
    student.program,
    student.specialty,
    JSON.stringify(student.interests),
    student.interactions,
    student.studentInitiated,
    student.lastContactMs,
    student.untils.acquainted,
    student.untils.developing,
    student.untils.strong,
    student.untils.advocate,
    student.isolatedFromMs,
    student.lettersReadyFromMs,
    student.newUntilMs,
    student.clinicalFromMs,
    student.applyingFromMs,
    student.yearTwoFromMs,
    student.mentoringLapsesMs
  ]
}
