/**
 * Writes projection rows inside the projector's transaction. Each student is rewritten
 * whole (delete, then insert), so replaying a batch after a crash writes the same rows:
 * the checkpoint in the same transaction makes every event count exactly once in effect.
 *
 * @since 0.1.0
 */
import type { FollowUp, Letter, Nudge } from "@rapport/core"
import type { SchoolChanges } from "./Changes.js"
import type { FacultyRow, MonthRow, PairRow, RotationRow, StudentRow } from "./Projection.js"
import type { SqlExecutor } from "./Sql.js"
import * as Upsert from "./Upsert.js"

const bool = (value: boolean): number => (value ? 1 : 0)

/**
 * Upserts a student's own row.
 *
 * @since 0.1.0
 * @category operations
 */
export const upsertStudent = (tx: SqlExecutor, school: string, student: StudentRow): Promise<void> =>
  Upsert.many(tx, Upsert.students, school, [student])

/**
 * Upserts one pair.
 *
 * @since 0.1.0
 * @category operations
 */
export const upsertPair = (tx: SqlExecutor, school: string, pair: PairRow): Promise<void> =>
  Upsert.many(tx, Upsert.pairs, school, [pair])

/**
 * Upserts months of students (deletes those with nothing left in them).
 *
 * @since 0.1.0
 * @category operations
 */
export const upsertMonths = async (
  tx: SqlExecutor,
  school: string,
  months: ReadonlyArray<Upsert.StudentMonth>
): Promise<void> => {
  const kept: Array<Upsert.StudentMonth> = []
  for (const row of months) {
    if (!Upsert.isEmptyMonth(row.month)) kept.push(row)
    else
      await tx.run("DELETE FROM rm_student_months WHERE school = ? AND student_id = ? AND month = ?", [
        school,
        row.studentId,
        row.month.month
      ])
  }
  await Upsert.many(tx, Upsert.months, school, kept)
}

/**
 * Upserts one month of a student (deletes it when nothing is left in it).
 *
 * @since 0.1.0
 * @category operations
 */
export const upsertMonth = (
  tx: SqlExecutor,
  school: string,
  studentId: string,
  graduationYear: number | null,
  month: MonthRow
): Promise<void> => upsertMonths(tx, school, [{ studentId, graduationYear, month }])

/**
 * Replaces the letters of a student (with one faculty member, or all of them).
 *
 * @since 0.1.0
 * @category operations
 */
export const replaceLetters = async (
  tx: SqlExecutor,
  school: string,
  studentId: string,
  facultyId: string | undefined,
  letters: ReadonlyArray<Letter.LetterState>
): Promise<void> => {
  if (facultyId === undefined) {
    await tx.run("DELETE FROM rm_letters WHERE school = ? AND student_id = ?", [school, studentId])
  } else {
    await tx.run("DELETE FROM rm_letters WHERE school = ? AND student_id = ? AND faculty_id = ?", [
      school,
      studentId,
      facultyId
    ])
  }
  for (const letter of letters) {
    await tx.run(
      `INSERT INTO rm_letters (school, letter_id, student_id, faculty_id, cycle, specialty, state, requested_ms, committed_ms, submitted_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (school, letter_id) DO UPDATE SET student_id = excluded.student_id, faculty_id = excluded.faculty_id,
         cycle = excluded.cycle, specialty = excluded.specialty, state = excluded.state, requested_ms = excluded.requested_ms,
         committed_ms = excluded.committed_ms, submitted_ms = excluded.submitted_ms`,
      [
        school,
        letter.letterId,
        studentId,
        letter.facultyId,
        letter.cycle ?? null,
        letter.specialty ?? null,
        letter.stage,
        letter.requestedAtMs ?? null,
        letter.committedAtMs ?? null,
        letter.submittedAtMs ?? null
      ]
    )
  }
}

/**
 * Rewrites one student whole: their row, pairs, months and letters (after a retraction,
 * or when a rebuild writes everyone).
 *
 * @since 0.1.0
 * @category operations
 */
export const writeStudent = async (
  tx: SqlExecutor,
  school: string,
  student: StudentRow,
  pairs: ReadonlyArray<PairRow>,
  months: ReadonlyArray<MonthRow>,
  letters: ReadonlyArray<Letter.LetterState>,
  rotations: ReadonlyArray<RotationRow>
): Promise<void> => {
  const id = student.studentId
  await upsertStudent(tx, school, student)
  await tx.run("DELETE FROM rm_pairs WHERE school = ? AND student_id = ?", [school, id])
  await Upsert.many(tx, Upsert.pairs, school, pairs)
  await tx.run("DELETE FROM rm_student_months WHERE school = ? AND student_id = ?", [school, id])
  await upsertMonths(
    tx,
    school,
    months.map((month) => ({ studentId: id, graduationYear: student.graduationYear, month }))
  )
  await replaceLetters(tx, school, id, undefined, letters)
  await replaceRotations(tx, school, id, undefined, rotations)
}

/**
 * Replaces the rotation rows of a student (with one faculty member, or all of them).
 *
 * @since 0.1.0
 * @category operations
 */
export const replaceRotations = async (
  tx: SqlExecutor,
  school: string,
  studentId: string,
  facultyId: string | undefined,
  rotations: ReadonlyArray<RotationRow>
): Promise<void> => {
  if (facultyId === undefined) {
    await tx.run("DELETE FROM rm_rotations WHERE school = ? AND student_id = ?", [school, studentId])
  } else {
    await tx.run("DELETE FROM rm_rotations WHERE school = ? AND student_id = ? AND faculty_id = ?", [
      school,
      studentId,
      facultyId
    ])
  }
  for (const rotation of rotations) {
    await tx.run(
      "INSERT INTO rm_rotations (school, student_id, faculty_id, specialty, first_ms) VALUES (?, ?, ?, ?, ?)",
      [school, studentId, rotation.facultyId, rotation.specialty, rotation.firstMs]
    )
  }
}

/**
 * Removes every row about a student (erasure).
 *
 * @since 0.1.0
 * @category operations
 */
export const eraseStudent = async (tx: SqlExecutor, school: string, studentId: string): Promise<void> => {
  for (const table of [
    "rm_students",
    "rm_pairs",
    "rm_student_months",
    "rm_letters",
    "rm_rotations",
    "rm_follow_ups",
    "rm_nudges"
  ]) {
    await tx.run(`DELETE FROM ${table} WHERE school = ? AND student_id = ?`, [school, studentId])
  }
}

/**
 * Removes a faculty member the school no longer knows (their only events were retracted,
 * or they were known only through an erased student).
 *
 * @since 0.1.0
 * @category operations
 */
export const deleteFaculty = async (tx: SqlExecutor, school: string, facultyId: string): Promise<void> => {
  await tx.run("DELETE FROM rm_faculty WHERE school = ? AND faculty_id = ?", [school, facultyId])
}

/**
 * @since 0.1.0
 * @category operations
 */
export const writeFaculty = async (tx: SqlExecutor, school: string, row: FacultyRow): Promise<void> => {
  await tx.run(
    `INSERT INTO rm_faculty (school, faculty_id, status, department, rank, specialties, letters_requested, letters_committed,
       letters_submitted, letters_declined, active_pairs)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (school, faculty_id) DO UPDATE SET status = excluded.status, department = excluded.department,
       rank = excluded.rank, specialties = excluded.specialties, letters_requested = excluded.letters_requested,
       letters_committed = excluded.letters_committed, letters_submitted = excluded.letters_submitted,
       letters_declined = excluded.letters_declined, active_pairs = excluded.active_pairs`,
    [
      school,
      row.facultyId,
      row.status,
      row.department,
      row.rank,
      JSON.stringify(row.specialties),
      row.letters.requested,
      row.letters.committed,
      row.letters.submitted,
      row.letters.declined,
      row.activePairs
    ]
  )
}

/**
 * @since 0.1.0
 * @category models
 */
export interface CoverageCell {
  readonly source: string
  readonly month: string
  readonly events: number
  readonly lastOccurredMs: number | null
  readonly lastReceivedMs: number | null
}

/**
 * @since 0.1.0
 * @category operations
 */
export const writeCoverage = async (tx: SqlExecutor, school: string, cell: CoverageCell): Promise<void> => {
  if (cell.events === 0) {
    await tx.run("DELETE FROM rm_coverage WHERE school = ? AND source = ? AND month = ?", [
      school,
      cell.source,
      cell.month
    ])
    return
  }
  await tx.run(
    `INSERT INTO rm_coverage (school, source, month, events, last_occurred_ms, last_received_ms) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (school, source, month) DO UPDATE SET events = excluded.events, last_occurred_ms = excluded.last_occurred_ms,
       last_received_ms = excluded.last_received_ms`,
    [school, cell.source, cell.month, cell.events, cell.lastOccurredMs, cell.lastReceivedMs]
  )
}

/**
 * The column values a student's follow-up and nudge rows hold (without school and student):
 * what `writeFollowUpRows` writes, and, as JSON, how the projector tells an evaluation that
 * would write the same rows (most, from one evaluation to the next) from one that would not.
 *
 * @since 0.1.0
 * @category operations
 */
export const followUpRows = (
  followUps: ReadonlyArray<FollowUp.FollowUp>,
  nudges: ReadonlyArray<Nudge.Outcome>
): {
  readonly followUps: ReadonlyArray<readonly [string, string, string, string, number, string]>
  readonly nudges: ReadonlyArray<readonly [string, string, number, number | null, number | null]>
} => ({
  followUps: followUps.map(
    (f) => [f.id, f.ruleId, JSON.stringify(f.facultyIds), f.dueOn, bool(f.state === "done"), f.sentence] as const
  ),
  nudges: nudges.map((n) => {
    const followed = n.followedByContact && n.contactAt !== undefined
    return [
      n.nudgeId,
      n.ruleId,
      Date.parse(n.sentAt),
      followed ? Date.parse(n.contactAt ?? "") : null,
      // calendar days in the school's time zone, as core counts them (not elapsed hours)
      followed ? (n.daysToContact ?? null) : null
    ] as const
  })
})

/**
 * Replaces a student's follow-up and nudge rows with `rows` (see {@link followUpRows}).
 *
 * @since 0.1.0
 * @category operations
 */
export const writeFollowUpRows = async (
  tx: SqlExecutor,
  school: string,
  studentId: string,
  rows: ReturnType<typeof followUpRows>
): Promise<void> => {
  await tx.run("DELETE FROM rm_follow_ups WHERE school = ? AND student_id = ?", [school, studentId])
  for (const [id, ruleId, facultyIds, dueOn, done, sentence] of rows.followUps) {
    await tx.run(
      `INSERT INTO rm_follow_ups (school, follow_up_id, rule_id, student_id, faculty_ids, due_on, done, sentence)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (school, follow_up_id) DO NOTHING`,
      [school, id, ruleId, studentId, facultyIds, dueOn, done, sentence]
    )
  }
  await tx.run("DELETE FROM rm_nudges WHERE school = ? AND student_id = ?", [school, studentId])
  for (const [nudgeId, ruleId, sentMs, contactMs, daysToContact] of rows.nudges) {
    await tx.run(
      `INSERT INTO rm_nudges (school, event_id, student_id, rule_id, sent_ms, contact_ms, days_to_contact)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (school, event_id) DO NOTHING`,
      [school, nudgeId, studentId, ruleId, sentMs, contactMs, daysToContact]
    )
  }
}

/**
 * Writes one flush's planned rows of a school (see Changes.ts), in the order that keeps
 * them consistent: removals, faculty, students rewritten whole, changed rows, erasures,
 * coverage, follow-ups.
 *
 * @since 0.1.0
 * @category operations
 */
export const writeChanges = async (tx: SqlExecutor, changes: SchoolChanges): Promise<void> => {
  const school = changes.school
  for (const studentId of changes.removedStudents) await eraseStudent(tx, school, studentId)
  for (const facultyId of changes.removedFaculty) await deleteFaculty(tx, school, facultyId)
  for (const row of changes.faculty) await writeFaculty(tx, school, row)
  for (const whole of changes.wholeStudents) {
    await writeStudent(tx, school, whole.student, whole.pairs, whole.months, whole.letters, whole.rotations)
  }
  await Upsert.many(tx, Upsert.students, school, changes.students)
  await Upsert.many(tx, Upsert.pairs, school, changes.pairs)
  for (const { studentId, facultyId } of changes.removedPairs) {
    await tx.run("DELETE FROM rm_pairs WHERE school = ? AND student_id = ? AND faculty_id = ?", [
      school,
      studentId,
      facultyId
    ])
  }
  await upsertMonths(tx, school, changes.months)
  for (const { studentId, facultyId, letters } of changes.letters) {
    await replaceLetters(tx, school, studentId, facultyId, letters)
  }
  for (const { studentId, facultyId, rotations } of changes.rotations) {
    await replaceRotations(tx, school, studentId, facultyId, rotations)
  }
  await Upsert.many(tx, Upsert.positions, school, changes.positions)
  for (const studentId of changes.erasures) {
    await eraseStudent(tx, school, studentId)
    // kept when a student's events are all retracted (they are still in the log), gone on erasure
    await tx.run("DELETE FROM rm_positions WHERE school = ? AND student_id = ?", [school, studentId])
    await tx.run("INSERT INTO rm_pending_erasures (school, student_id) VALUES (?, ?) ON CONFLICT DO NOTHING", [
      school,
      studentId
    ])
  }
  for (const cell of changes.coverage) await writeCoverage(tx, school, cell)
}
