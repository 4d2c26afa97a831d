/**
 * `rm_student_months`: a student's additive counts per month (school time zone).
 *
 * @since 0.2.0
 */
import type { MonthRow, StudentMonth } from "../Rows.js"
import type * as Upsert from "../Upsert.js"
import type { Table } from "../Table.js"

/**
 * @since 0.2.0
 * @category tables
 */
export const table: Table = {
  name: "rm_student_months",
  ofSchool: true,
  ofStudent: true,
  ddl: `
CREATE TABLE IF NOT EXISTS rm_student_months (
  school TEXT NOT NULL,
  student_id TEXT NOT NULL,
  month TEXT NOT NULL,
  graduation_year INTEGER,
  interactions INTEGER NOT NULL,
  faculty_contacted INTEGER NOT NULL,
  support_check_ins INTEGER NOT NULL,
  PRIMARY KEY (school, student_id, month)
);
-- covering: the monthly trends sum these columns over every student
CREATE INDEX IF NOT EXISTS rm_student_months_month
  ON rm_student_months (school, month, graduation_year, interactions, faculty_contacted, support_check_ins);
`
}

/**
 * @since 0.2.0
 * @category specs
 */
export const upsert: Upsert.Spec<StudentMonth> = {
  table: table.name,
  columns: [
    "school",
    "student_id",
    "month",
    "graduation_year",
    "interactions",
    "faculty_contacted",
    "support_check_ins"
  ],
  key: ["school", "student_id", "month"],
  values: (school, { studentId, graduationYear, month }) => [
    school,
    studentId,
    month.month,
    graduationYear,
    month.interactions,
    month.facultyContacted,
    month.supportCheckIns
  ]
}

/**
 * Whether a month has nothing left in it (its row goes).
 *
 * @since 0.2.0
 * @category guards
 */
export const isEmpty = (month: MonthRow): boolean =>
  month.interactions === 0 && month.supportCheckIns === 0 && month.facultyContacted === 0
