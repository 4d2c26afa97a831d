/**
 * `rm_follow_ups`: each student's follow-ups as last evaluated.
 *
 * @since 0.2.0
 */
import type { FollowUpColumns } from "../Rows.js"
import type * as Upsert from "../Upsert.js"
import type { Table } from "../Table.js"

/**
 * @since 0.2.0
 * @category tables
 */
export const table: Table = {
  name: "rm_follow_ups",
  ofSchool: true,
  ofStudent: true,
  ddl: `
CREATE TABLE IF NOT EXISTS rm_follow_ups (
  school TEXT NOT NULL,
  follow_up_id TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  student_id TEXT NOT NULL,
  faculty_ids TEXT NOT NULL,
  due_on TEXT NOT NULL,
  done INTEGER NOT NULL,
  sentence TEXT NOT NULL,
  expires_on TEXT NOT NULL,
  priority INTEGER NOT NULL,
  PRIMARY KEY (school, follow_up_id)
);
-- covering: counts by rule and state, students counted once in index order; the open ones by due date
CREATE INDEX IF NOT EXISTS rm_follow_ups_by_rule ON rm_follow_ups (school, rule_id, student_id, done, due_on, expires_on);
CREATE INDEX IF NOT EXISTS rm_follow_ups_open ON rm_follow_ups (school, done, due_on, expires_on, priority, follow_up_id, student_id);
CREATE INDEX IF NOT EXISTS rm_follow_ups_student ON rm_follow_ups (school, student_id);
`
}

/**
 * A follow-up's columns with the student it is about.
 *
 * @since 0.2.0
 * @category models
 */
export interface StudentFollowUp {
  readonly studentId: string
  readonly columns: FollowUpColumns
}

/**
 * A follow-up id already there is kept (ids are the school's, made from what they are about).
 *
 * @since 0.2.0
 * @category specs
 */
export const upsert: Upsert.Spec<StudentFollowUp> = {
  table: table.name,
  columns: [
    "school",
    "follow_up_id",
    "rule_id",
    "student_id",
    "faculty_ids",
    "due_on",
    "done",
    "sentence",
    "expires_on",
    "priority"
  ],
  key: ["school", "follow_up_id"],
  onConflict: "ignore",
  values: (school, { studentId, columns: [id, ruleId, facultyIds, dueOn, done, sentence, expiresOn, priority] }) => [
    school,
    id,
    ruleId,
    studentId,
    facultyIds,
    dueOn,
    done,
    sentence,
    expiresOn,
    priority
  ]
}
