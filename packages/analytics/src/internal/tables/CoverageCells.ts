/**
 * `rm_coverage`: events per source system and per rotation specialty, per month, with the
 * last of each.
 *
 * @since 0.2.0
 */
import type { CoverageCell } from "../Rows.js"
import type * as Upsert from "../Upsert.js"
import type { Table } from "../Table.js"

/**
 * @since 0.2.0
 * @category tables
 */
export const table: Table = {
  name: "rm_coverage",
  ofSchool: true,
  ofStudent: false,
  ddl: `
CREATE TABLE IF NOT EXISTS rm_coverage (
  school TEXT NOT NULL,
  dimension TEXT NOT NULL,
  name TEXT NOT NULL,
  month TEXT NOT NULL,
  events INTEGER NOT NULL,
  last_occurred_ms BIGINT,
  last_received_ms BIGINT,
  days_mask BIGINT NOT NULL,
  PRIMARY KEY (school, dimension, name, month)
);
`
}

/**
 * @since 0.2.0
 * @category specs
 */
export const upsert: Upsert.Spec<CoverageCell> = {
  table: table.name,
  columns: ["school", "dimension", "name", "month", "events", "last_occurred_ms", "last_received_ms", "days_mask"],
  key: ["school", "dimension", "name", "month"],
  values: (school, cell) => [
    school,
    cell.dimension,
    cell.name,
    cell.month,
    cell.events,
    cell.lastOccurredMs,
    cell.lastReceivedMs,
    cell.days
  ]
}
