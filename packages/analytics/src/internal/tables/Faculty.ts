/**
 * `rm_faculty`: one row per faculty member (letters, specialties, active pairs).
 *
 * @since 0.2.0
 */
import type { FacultyRow } from "../Rows.js"
import type * as Upsert from "../Upsert.js"
import type { Table } from "../Table.js"

/**
 * @since 0.2.0
 * @category tables
 */
export const table: Table = {
  name: "rm_faculty",
  ofSchool: true,
  ofStudent: false,
  ddl: `
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
`
}

/**
 * @since 0.2.0
 * @category specs
 */
export const upsert: Upsert.Spec<FacultyRow> = {
  table: table.name,
  columns: [
    "school",
    "faculty_id",
    "status",
    "department",
    "rank",
    "specialties",
    "letters_requested",
    "letters_committed",
    "letters_submitted",
    "letters_declined",
    "active_pairs"
  ],
  key: ["school", "faculty_id"],
  values: (school, row) => [
    school,
    row.facultyId,
    row.status,
    row.department,
    row.rank,
    JSON.stringify(row.specialties),
    row.letters.requested,
    row.letters.committed,
    row.letters.submitted,
    row.letters.declined,
    row.activePairs
  ]
}
