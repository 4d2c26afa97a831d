/**
 * Writes a school's planned rows (Plan.ts) inside the projector's transaction, every
 * table through its `Upsert.Spec` (tables/). Rows are rewritten whole (delete, then
 * upsert), so replaying a batch after a crash writes the same rows: the checkpoint in the
 * same transaction makes every event count exactly once in effect.
 *
 * @since 0.1.0
 */
import type { SchoolChanges } from "./Plan.js"
import type * as Rows from "./Rows.js"
import type { SqlExecutor } from "./SqlTypes.js"
import * as Tables from "./Tables.js"
import * as CoverageCells from "./tables/CoverageCells.js"
import * as Faculty from "./tables/Faculty.js"
import * as FollowUps from "./tables/FollowUps.js"
import * as Letters from "./tables/Letters.js"
import * as Nudges from "./tables/Nudges.js"
import * as Pairs from "./tables/Pairs.js"
import * as PendingErasures from "./tables/PendingErasures.js"
import * as Positions from "./tables/Positions.js"
import * as Rotations from "./tables/Rotations.js"
import * as StudentMonths from "./tables/StudentMonths.js"
import * as Students from "./tables/Students.js"
import * as Upsert from "./Upsert.js"

/**
 * The students and faculty members a school's rows hold now: what a rewrite of all its
 * rows must account for (Plan.plan's `existing`).
 *
 * @since 0.2.0
 * @category operations
 */
export const existingIds = async (tx: SqlExecutor, school: string) => ({
  students: (await tx.all(`SELECT student_id FROM ${Students.table.name} WHERE school = ?`, [school])).map((row) =>
    String(row.student_id)
  ),
  faculty: (await tx.all(`SELECT faculty_id FROM ${Faculty.table.name} WHERE school = ?`, [school])).map((row) =>
    String(row.faculty_id)
  )
})

/** Deletes a student's rows of `table` (with one faculty member: `facultyId`). */
const deleteOfStudent = (
  tx: SqlExecutor,
  table: string,
  school: string,
  studentId: string,
  facultyId?: string
): Promise<unknown> =>
  facultyId === undefined
    ? tx.run(`DELETE FROM ${table} WHERE school = ? AND student_id = ?`, [school, studentId])
    : tx.run(`DELETE FROM ${table} WHERE school = ? AND student_id = ? AND faculty_id = ?`, [
        school,
        studentId,
        facultyId
      ])

/** Upserts months of students, deleting those with nothing left in them. */
const writeMonths = async (tx: SqlExecutor, school: string, months: ReadonlyArray<Rows.StudentMonth>) => {
  const kept: Array<Rows.StudentMonth> = []
  for (const row of months) {
    if (!StudentMonths.isEmpty(row.month)) kept.push(row)
    else
      await tx.run("DELETE FROM rm_student_months WHERE school = ? AND student_id = ? AND month = ?", [
        school,
        row.studentId,
        row.month.month
      ])
  }
  await Upsert.many(tx, StudentMonths.upsert, school, kept)
}

/** Replaces the letters of a student (with one faculty member, or all of them). */
const replaceLetters = async (tx: SqlExecutor, school: string, own: Rows.StudentLetters) => {
  await deleteOfStudent(tx, Letters.table.name, school, own.studentId, own.facultyId)
  const rows = own.letters.map((letter) => ({ studentId: own.studentId, letter }))
  await Upsert.many(tx, Letters.upsert, school, rows)
}

/** Replaces the rotation rows of a student (with one faculty member, or all of them). */
const replaceRotations = async (tx: SqlExecutor, school: string, own: Rows.StudentRotations) => {
  await deleteOfStudent(tx, Rotations.table.name, school, own.studentId, own.facultyId)
  const rows = own.rotations.map((rotation) => ({ studentId: own.studentId, rotation }))
  await Upsert.many(tx, Rotations.upsert, school, rows)
}

/** Removes every row about a student (all their events retracted, or erased). */
const eraseStudent = async (tx: SqlExecutor, school: string, studentId: string): Promise<void> => {
  for (const table of Tables.ofStudent) await deleteOfStudent(tx, table.name, school, studentId)
}

/** Writes cells of data coverage; a cell with no events left loses its row. */
const writeCoverage = async (tx: SqlExecutor, school: string, cells: ReadonlyArray<Rows.CoverageCell>) => {
  const kept: Array<Rows.CoverageCell> = []
  for (const cell of cells) {
    if (cell.events > 0) kept.push(cell)
    else
      await tx.run("DELETE FROM rm_coverage WHERE school = ? AND dimension = ? AND name = ? AND month = ?", [
        school,
        cell.dimension,
        cell.name,
        cell.month
      ])
  }
  await Upsert.many(tx, CoverageCells.upsert, school, kept)
}

/**
 * Writes one flush's planned rows of a school, in the order that keeps them consistent:
 * removals, faculty, students rewritten whole, changed rows, erasures, coverage.
 *
 * @since 0.1.0
 * @category operations
 */
export const writeChanges = async (tx: SqlExecutor, changes: SchoolChanges): Promise<void> => {
  const school = changes.school
  for (const studentId of changes.removedStudents) await eraseStudent(tx, school, studentId)
  for (const facultyId of changes.removedFaculty) {
    await tx.run("DELETE FROM rm_faculty WHERE school = ? AND faculty_id = ?", [school, facultyId])
  }
  await Upsert.many(tx, Faculty.upsert, school, changes.faculty)
  for (const whole of changes.wholeStudents) {
    const studentId = whole.student.studentId
    await Upsert.many(tx, Students.upsert, school, [whole.student])
    await deleteOfStudent(tx, Pairs.table.name, school, studentId)
    await Upsert.many(tx, Pairs.upsert, school, whole.pairs)
    await deleteOfStudent(tx, StudentMonths.table.name, school, studentId)
    const graduationYear = whole.student.graduationYear
    await writeMonths(
      tx,
      school,
      whole.months.map((month) => ({ studentId, graduationYear, month }))
    )
    await replaceLetters(tx, school, { studentId, facultyId: undefined, letters: whole.letters })
    await replaceRotations(tx, school, { studentId, facultyId: undefined, rotations: whole.rotations })
  }
  await Upsert.many(tx, Students.upsert, school, changes.students)
  await Upsert.many(tx, Pairs.upsert, school, changes.pairs)
  for (const { studentId, facultyId } of changes.removedPairs) {
    await deleteOfStudent(tx, Pairs.table.name, school, studentId, facultyId)
  }
  await writeMonths(tx, school, changes.months)
  for (const own of changes.letters) await replaceLetters(tx, school, own)
  for (const own of changes.rotations) await replaceRotations(tx, school, own)
  await Upsert.many(tx, Positions.upsert, school, changes.positions)
  for (const studentId of changes.erasures) {
    await eraseStudent(tx, school, studentId)
    // kept when a student's events are all retracted (they are still in the log), gone on erasure
    await deleteOfStudent(tx, Positions.table.name, school, studentId)
  }
  await Upsert.many(tx, PendingErasures.upsert, school, changes.erasures)
  await writeCoverage(tx, school, changes.coverage)
}

/**
 * Replaces a student's follow-up and nudge rows with `own.rows`.
 *
 * @since 0.1.0
 * @category operations
 */
export const writeFollowUpRows = async (tx: SqlExecutor, school: string, own: Rows.StudentFollowUpRows) => {
  const { studentId, rows } = own
  await deleteOfStudent(tx, FollowUps.table.name, school, studentId)
  const followUps = rows.followUps.map((columns) => ({ studentId, columns }))
  await Upsert.many(tx, FollowUps.upsert, school, followUps)
  await deleteOfStudent(tx, Nudges.table.name, school, studentId)
  await Upsert.many(
    tx,
    Nudges.upsert,
    school,
    rows.nudges.map((columns) => ({ studentId, columns }))
  )
}
