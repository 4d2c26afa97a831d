/**
 * `rm_pending_erasures`: erasures written to the read models whose streams are still to delete.
 *
 * @since 0.2.0
 */
import type * as Upsert from "../Upsert.js"
import type { Table } from "../Table.js"

/**
 * @since 0.2.0
 * @category tables
 */
export const table: Table = {
  name: "rm_pending_erasures",
  ofSchool: false,
  ofStudent: false,
  ddl: `
CREATE TABLE IF NOT EXISTS rm_pending_erasures (school TEXT NOT NULL, student_id TEXT NOT NULL, PRIMARY KEY (school, student_id));
`
}

/**
 * @since 0.2.0
 * @category specs
 */
export const upsert: Upsert.Spec<string> = {
  table: table.name,
  columns: ["school", "student_id"],
  key: ["school", "student_id"],
  onConflict: "ignore",
  values: (school, studentId) => [school, studentId]
}
