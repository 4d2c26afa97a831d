/**
 * `rm_rotations`: the specialties a faculty member supervised a student's rotation in, from when.
 *
 * @since 0.2.0
 */
import type { RotationRow } from "../Rows.js"
import type * as Upsert from "../Upsert.js"
import type { Table } from "../Table.js"

/**
 * @since 0.2.0
 * @category tables
 */
export const table: Table = {
  name: "rm_rotations",
  ofSchool: true,
  ofStudent: true,
  ddl: `
CREATE TABLE IF NOT EXISTS rm_rotations (
  school TEXT NOT NULL,
  student_id TEXT NOT NULL,
  faculty_id TEXT NOT NULL,
  specialty TEXT NOT NULL,
  first_ms BIGINT NOT NULL,
  PRIMARY KEY (school, student_id, faculty_id, specialty)
);
CREATE INDEX IF NOT EXISTS rm_rotations_faculty ON rm_rotations (school, faculty_id, first_ms);
`
}

/**
 * A rotation row with the student it is about.
 *
 * @since 0.2.0
 * @category models
 */
export interface StudentRotation {
  readonly studentId: string
  readonly rotation: RotationRow
}

/**
 * @since 0.2.0
 * @category specs
 */
export const upsert: Upsert.Spec<StudentRotation> = {
  table: table.name,
  columns: ["school", "student_id", "faculty_id", "specialty", "first_ms"],
  key: ["school", "student_id", "faculty_id", "specialty"],
  values: (school, { studentId, rotation }) => [
    school,
    studentId,
    rotation.facultyId,
    rotation.specialty,
    rotation.firstMs
  ]
}
