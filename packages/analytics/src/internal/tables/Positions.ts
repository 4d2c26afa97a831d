/**
 * `rm_positions`: where each student's events are in the log, by the faculty member they name.
 *
 * @since 0.2.0
 */
import type { PositionRow } from "../Rows.js"
import type * as Upsert from "../Upsert.js"
import type { Table } from "../Table.js"

/**
 * @since 0.2.0
 * @category tables
 */
export const table: Table = {
  name: "rm_positions",
  ofSchool: true,
  ofStudent: false,
  ddl: `
-- where each student's events are in the log, by the faculty member they name ('' for none):
-- a faculty member's page reads these events, not every mentee's stream
CREATE TABLE IF NOT EXISTS rm_positions (
  school TEXT NOT NULL,
  student_id TEXT NOT NULL,
  faculty_id TEXT NOT NULL,
  positions TEXT NOT NULL,
  PRIMARY KEY (school, student_id, faculty_id)
);
`
}

/**
 * @since 0.2.0
 * @category specs
 */
export const upsert: Upsert.Spec<PositionRow> = {
  table: table.name,
  columns: ["school", "student_id", "faculty_id", "positions"],
  key: ["school", "student_id", "faculty_id"],
  values: (school, row) => [school, row.studentId, row.facultyId, row.positions]
}
