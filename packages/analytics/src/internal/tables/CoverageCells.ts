/**
 * `rm_coverage`: events per source system per month, with the last of each.
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
  source TEXT NOT NULL,
  month TEXT NOT NULL,
  events INTEGER NOT NULL,
  last_occurred_ms BIGINT,
  last_received_ms BIGINT,
  PRIMARY KEY (school, source, month)
);
`
}

/**
 * @since 0.2.0
 * @category specs
 */
export const upsert: Upsert.Spec<CoverageCell> = {
  table: table.name,
  columns: ["school", "source", "month", "events", "last_occurred_ms", "last_received_ms"],
  key: ["school", "source", "month"],
  values: (school, cell) => [school, cell.source, cell.month, cell.events, cell.lastOccurredMs, cell.lastReceivedMs]
}
