/**
 * `rm_letters`: one row per letter of recommendation.
 *
 * @since 0.2.0
 */
import type { Letter } from "@rapport/core"
import type * as Upsert from "../Upsert.js"
import type { Table } from "../Table.js"

/**
 * @since 0.2.0
 * @category tables
 */
export const table: Table = {
  name: "rm_letters",
  ofSchool: true,
  ofStudent: true,
  ddl: `
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
`
}

/**
 * A letter with the student it is for.
 *
 * @since 0.2.0
 * @category models
 */
export interface StudentLetter {
  readonly studentId: string
  readonly letter: Letter.LetterState
}

/**
 * A letter's id is the school's: two pairs of a student could name the same one (the
 * last written wins, as one statement per letter would).
 *
 * @since 0.2.0
 * @category specs
 */
export const upsert: Upsert.Spec<StudentLetter> = {
  table: table.name,
  columns: [
    "school",
    "letter_id",
    "student_id",
    "faculty_id",
    "cycle",
    "specialty",
    "state",
    "requested_ms",
    "committed_ms",
    "submitted_ms"
  ],
  key: ["school", "letter_id"],
  keysMayRepeat: true,
  values: (school, { studentId, letter }) => [
    school,
    letter.letterId,
    studentId,
    letter.facultyId,
    letter.cycle ?? null,
    letter.specialty ?? null,
    letter.stage,
    letter.requestedAtMs ?? null,
    letter.committedAtMs ?? null,
    letter.submittedAtMs ?? null
  ]
}
