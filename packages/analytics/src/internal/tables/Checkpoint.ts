/**
 * `rm_checkpoint`: the log position every event up to which is in the read models.
 *
 * @since 0.2.0
 */
import type { Table } from "../Table.js"

/**
 * @since 0.2.0
 * @category tables
 */
export const table: Table = {
  name: "rm_checkpoint",
  ofSchool: false,
  ofStudent: false,
  ddl: `
CREATE TABLE IF NOT EXISTS rm_checkpoint (name TEXT PRIMARY KEY, position BIGINT NOT NULL, updated_at TEXT NOT NULL);
`
}
