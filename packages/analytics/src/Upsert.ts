/**
 * Multi-row upserts of the read models the projector rewrites most (students, pairs,
 * months): one `INSERT … VALUES (…), (…) … ON CONFLICT … DO UPDATE` per chunk of rows
 * instead of one statement per row. A batch of the large simulated school rewrites tens
 * of thousands of pair rows; per-row statements spent more time crossing from JavaScript
 * into SQLite than SQLite spent writing. The SQL is the same on SQLite and PostgreSQL.
 *
 * A chunk must never hold the same key twice (PostgreSQL refuses to update a row twice in
 * one statement); callers pass rows with distinct keys.
 *
 * @since 0.1.0
 */
import type { MonthRow, PairRow, StudentRow } from "./Projection.js"
import type { SqlExecutor, SqlValue } from "./Sql.js"

/**
 * What a multi-row upsert needs to know of a table.
 *
 * @since 0.1.0
 * @category models
 */
export interface Spec<R> {
  readonly table: string
  readonly columns: ReadonlyArray<string>
  readonly key: ReadonlyArray<string>
  readonly values: (school: string, row: R) => ReadonlyArray<SqlValue>
}

const bool = (value: boolean): number => (value ? 1 : 0)

/** rows per statement: 64 × 15 columns stays far below both databases' parameter limits */
const chunk = 64

const texts = new WeakMap<Spec<never>, Map<number, string>>()

const textOf = <R>(spec: Spec<R>, rows: number): string => {
  let bySize = texts.get(spec)
  if (bySize === undefined) {
    bySize = new Map()
    texts.set(spec, bySize)
  }
  let text = bySize.get(rows)
  if (text === undefined) {
    const tuple = `(${spec.columns.map(() => "?").join(", ")})`
    const updates = spec.columns
      .filter((column) => !spec.key.includes(column))
      .map((column) => `${column} = excluded.${column}`)
      .join(", ")
    text = `INSERT INTO ${spec.table} (${spec.columns.join(", ")}) VALUES ${Array.from({ length: rows }, () => tuple).join(", ")}
      ON CONFLICT (${spec.key.join(", ")}) DO UPDATE SET ${updates}`
    bySize.set(rows, text)
  }
  return text
}

/**
 * Upserts `rows` of one school, a chunk per statement.
 *
 * @since 0.1.0
 * @category operations
 */
export const many = async <R>(
  tx: SqlExecutor,
  spec: Spec<R>,
  school: string,
  rows: ReadonlyArray<R>
): Promise<void> => {
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk)
    const params: Array<SqlValue> = []
    for (const row of part) for (const value of spec.values(school, row)) params.push(value)
    await tx.run(textOf(spec, part.length), params)
  }
}

/**
 * @since 0.1.0
 * @category specs
 */
export const students: Spec<StudentRow> = {
  table: "rm_students",
  columns: [
    "school",
    "student_id",
    "status",
    "active",
    "graduation_year",
    "program",
    "specialty",
    "interests",
    "interactions",
    "student_initiated",
    "last_contact_ms",
    "acquainted_until_ms",
    "developing_until_ms",
    "strong_until_ms",
    "advocate_until_ms"
  ],
  key: ["school", "student_id"],
  values: (school, student) => [
    school,
    student.studentId,
    student.status,
    bool(student.active),
    student.graduationYear,
    student.program,
    student.specialty,
    JSON.stringify(student.interests),
    student.interactions,
    student.studentInitiated,
    student.lastContactMs,
    student.untils.acquainted,
    student.untils.developing,
    student.untils.strong,
    student.untils.advocate
  ]
}

/**
 * @since 0.1.0
 * @category specs
 */
export const pairs: Spec<PairRow> = {
  table: "rm_pairs",
  columns: [
    "school",
    "student_id",
    "faculty_id",
    "log_key",
    "touched",
    "months",
    "interactions",
    "last_contact_ms",
    "acquainted_until_ms",
    "developing_until_ms",
    "strong_until_ms",
    "advocate_until_ms",
    "mentoring_until_ms",
    "in_specialty",
    "student_active"
  ],
  key: ["school", "student_id", "faculty_id"],
  values: (school, pair) => [
    school,
    pair.studentId,
    pair.facultyId,
    pair.logKey,
    pair.touched,
    pair.months,
    pair.interactions,
    pair.lastContactMs,
    pair.untils.acquainted,
    pair.untils.developing,
    pair.untils.strong,
    pair.untils.advocate,
    pair.mentoringUntilMs,
    bool(pair.inSpecialty),
    bool(pair.studentActive)
  ]
}

/**
 * A month of a student with the graduation year its row carries.
 *
 * @since 0.1.0
 * @category models
 */
export interface StudentMonth {
  readonly studentId: string
  readonly graduationYear: number | null
  readonly month: MonthRow
}

/**
 * @since 0.1.0
 * @category specs
 */
export const months: Spec<StudentMonth> = {
  table: "rm_student_months",
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
 * @since 0.1.0
 * @category guards
 */
export const isEmptyMonth = (month: MonthRow): boolean =>
  month.interactions === 0 && month.supportCheckIns === 0 && month.facultyContacted === 0

/**
 * @since 0.1.0
 * @category specs
 */
export const positions: Spec<{ readonly studentId: string; readonly facultyId: string; readonly positions: string }> = {
  table: "rm_positions",
  columns: ["school", "student_id", "faculty_id", "positions"],
  key: ["school", "student_id", "faculty_id"],
  values: (school, row) => [school, row.studentId, row.facultyId, row.positions]
}
