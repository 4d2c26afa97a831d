/**
 * `rm_nudges`: each nudge sent and whether contact followed.
 *
 * @since 0.2.0
 */
import type { NudgeColumns } from "../Rows.js"
import type * as Upsert from "../Upsert.js"
import type { Table } from "../Table.js"

/**
 * @since 0.2.0
 * @category tables
 */
export const table: Table = {
  name: "rm_nudges",
  ofSchool: true,
  ofStudent: true,
  ddl: `
CREATE TABLE IF NOT EXISTS rm_nudges (
  school TEXT NOT NULL,
  event_id TEXT NOT NULL,
  student_id TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  sent_ms BIGINT NOT NULL,
  contact_ms BIGINT,
  days_to_contact INTEGER,
  PRIMARY KEY (school, event_id)
);
-- covering: nudge outcomes by rule
CREATE INDEX IF NOT EXISTS rm_nudges_rule ON rm_nudges (school, rule_id, student_id, contact_ms, sent_ms, days_to_contact);
CREATE INDEX IF NOT EXISTS rm_nudges_student ON rm_nudges (school, student_id);
`
}

/**
 * A nudge outcome's columns with the student it is about.
 *
 * @since 0.2.0
 * @category models
 */
export interface StudentNudge {
  readonly studentId: string
  readonly columns: NudgeColumns
}

/**
 * A nudge already there (its event id) is kept.
 *
 * @since 0.2.0
 * @category specs
 */
export const upsert: Upsert.Spec<StudentNudge> = {
  table: table.name,
  columns: ["school", "event_id", "student_id", "rule_id", "sent_ms", "contact_ms", "days_to_contact"],
  key: ["school", "event_id"],
  onConflict: "ignore",
  values: (school, { studentId, columns: [nudgeId, ruleId, sentMs, contactMs, daysToContact] }) => [
    school,
    nudgeId,
    studentId,
    ruleId,
    sentMs,
    contactMs,
    daysToContact
  ]
}
