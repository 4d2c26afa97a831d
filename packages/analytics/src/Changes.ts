/**
 * From a school's pending changes to the rows to write: which students, pairs, months,
 * letters, rotations, faculty, coverage cells and positions a flush rewrites, computed
 * from the folded state without touching SQL. The projector plans inside its write
 * transaction, writes the plan (Writer.writeChanges) and, only once the transaction has
 * committed, clears what it wrote from the school's pending changes ({@link settle}): a
 * failed write loses nothing, the next flush plans it again. Follow-ups are evaluated
 * here too ({@link followUpsFor}), and written by the projector in a transaction of their own.
 *
 * This module must never write SQL or read the clock (`asOf` is given).
 *
 * @since 0.1.0
 */
import { type FollowUp, RuleEngine, type Letter, Nudge, RuleContext, State } from "@rapport/core"
import * as Projection from "./Projection.js"
import { addTo, type SchoolProjection } from "./SchoolProjection.js"
import type { CoverageCell } from "./Writer.js"

/**
 * A student rewritten whole: their row and every pair, month, letter and rotation.
 *
 * @since 0.1.0
 * @category models
 */
export interface WholeStudent {
  readonly student: Projection.StudentRow
  readonly pairs: ReadonlyArray<Projection.PairRow>
  readonly months: ReadonlyArray<Projection.MonthRow>
  readonly letters: ReadonlyArray<Letter.LetterState>
  readonly rotations: ReadonlyArray<Projection.RotationRow>
}

/**
 * A student's follow-ups and nudge outcomes as of the flush.
 *
 * @since 0.1.0
 * @category models
 */
export interface StudentFollowUps {
  readonly studentId: string
  readonly followUps: ReadonlyArray<FollowUp.FollowUp>
  readonly nudges: ReadonlyArray<Nudge.Outcome>
}

/**
 * Everything one flush writes for one school.
 *
 * @since 0.1.0
 * @category models
 */
export interface SchoolChanges {
  readonly school: string
  /** students whose rows all go (gone from the state, or erased) */
  readonly removedStudents: ReadonlyArray<string>
  readonly wholeStudents: ReadonlyArray<WholeStudent>
  readonly students: ReadonlyArray<Projection.StudentRow>
  readonly pairs: ReadonlyArray<Projection.PairRow>
  /** pairs left without events by a retraction: their rows go */
  readonly removedPairs: ReadonlyArray<{ readonly studentId: string; readonly facultyId: string }>
  readonly months: ReadonlyArray<{
    readonly studentId: string
    readonly graduationYear: number | null
    readonly month: Projection.MonthRow
  }>
  readonly letters: ReadonlyArray<{
    readonly studentId: string
    readonly facultyId: string
    readonly letters: ReadonlyArray<Letter.LetterState>
  }>
  readonly rotations: ReadonlyArray<{
    readonly studentId: string
    readonly facultyId: string
    readonly rotations: ReadonlyArray<Projection.RotationRow>
  }>
  readonly faculty: ReadonlyArray<Projection.FacultyRow>
  readonly removedFaculty: ReadonlyArray<string>
  /** students whose erasure this flush records (their stream is deleted after the commit) */
  readonly erasures: ReadonlyArray<string>
  readonly coverage: ReadonlyArray<CoverageCell>
  /** where a student's events naming a faculty member ("" for none) are in the log, as a JSON array */
  readonly positions: ReadonlyArray<{
    readonly studentId: string
    readonly facultyId: string
    readonly positions: string
  }>
  /** the specialties written per faculty member (JSON; `undefined`: the row was removed) */
  readonly specialties: ReadonlyArray<readonly [string, string | undefined]>
  /** the faculty rows written, as JSON: a row that would be written unchanged is skipped */
  readonly facultyRows: ReadonlyArray<readonly [string, string]>
  /** whether each student planned is active (see SchoolProjection.writtenActive) */
  readonly activeNow: ReadonlyArray<readonly [string, boolean]>
}

/**
 * A student's follow-ups and nudge outcomes as of `asOf`.
 *
 * @since 0.1.0
 * @category operations
 */
export const followUpsOf = (
  projection: SchoolProjection,
  context: RuleContext.RuleContext,
  studentId: string,
  asOf: string
): StudentFollowUps => {
  const followUps = RuleEngine.evaluateStudent(
    projection.followUpRules,
    projection.rules.state,
    studentId,
    asOf,
    context
  )
  const own = projection.rules.state.students.get(studentId)
  const single: RuleEngine.State = {
    ...projection.rules.state,
    students: own === undefined ? new Map() : new Map([[studentId, own]])
  }
  return { studentId, followUps, nudges: Nudge.outcomes(single, asOf, context, { followUps }) }
}

/**
 * The follow-ups of some students (those the state still knows and did not erase).
 *
 * @since 0.1.0
 * @category operations
 */
export const followUpsFor = (
  projection: SchoolProjection,
  students: Iterable<string>,
  asOf: string
): ReadonlyArray<StudentFollowUps> => {
  const context = RuleContext.fromState(projection.fold.state, asOf)
  const out: Array<StudentFollowUps> = []
  for (const studentId of students) {
    if (!projection.fold.state.students.has(studentId) || projection.fold.isErased(studentId)) continue
    out.push(followUpsOf(projection, context, studentId, asOf))
  }
  return out
}

/**
 * Plans the rows of one school's pending changes. `existing` lists the ids that have
 * rows now; it is read only when the school is to be rewritten whole (`everything`).
 * Follow-ups are not part of it: the projector evaluates them in a transaction of their
 * own (Projector.ts).
 *
 * @since 0.1.0
 * @category operations
 */
export const plan = (
  school: string,
  projection: SchoolProjection,
  existing: { readonly students: ReadonlyArray<string>; readonly faculty: ReadonlyArray<string> } | undefined
): SchoolChanges => {
  const state = projection.fold.state
  const memo = projection.memo
  memo.beginFlush()
  const removedStudents: Array<string> = []
  const fullStudents = new Set(projection.fullStudents)
  const dirtyFaculty = new Set(projection.dirtyFaculty)
  const dirtyPairs = new Map<string, Set<string>>()
  for (const [studentId, facultyIds] of projection.dirtyPairs) dirtyPairs.set(studentId, new Set(facultyIds))
  if (projection.everything) {
    // A lost lease: another projector may have written anything; rewrite the school.
    for (const id of existing?.students ?? []) if (!state.students.has(id)) removedStudents.push(id)
    for (const id of existing?.faculty ?? []) dirtyFaculty.add(id)
    for (const id of state.students.keys()) fullStudents.add(id)
    for (const id of state.faculty.keys()) dirtyFaculty.add(id)
    for (const id of state.students.keys()) projection.dirtyFollowUps.add(id)
  }
  // A student who became active or stopped being so moves the mentee counts (active_pairs)
  // of every faculty member they met, and the flag their pair rows carry.
  const activeNow: Array<readonly [string, boolean]> = []
  for (const studentId of [...projection.dirtyStudents, ...fullStudents]) {
    const student = state.students.get(studentId)
    const active = !projection.fold.isErased(studentId) && State.isActiveStudent(student)
    const before = projection.writtenActive.get(studentId)
    if (before !== undefined && before !== active) {
      for (const facultyId of student?.pairs.keys() ?? []) dirtyFaculty.add(facultyId)
      fullStudents.add(studentId)
    }
    activeNow.push([studentId, active])
  }
  const faculty: Array<Projection.FacultyRow> = []
  const removedFaculty: Array<string> = []
  const specialties: Array<readonly [string, string | undefined]> = []
  const facultyRows: Array<readonly [string, string]> = []
  for (const facultyId of dirtyFaculty) {
    const member = state.faculty.get(facultyId)
    if (member === undefined) {
      removedFaculty.push(facultyId)
      specialties.push([facultyId, undefined])
      continue
    }
    const row = Projection.facultyRow(member, state, memo)
    // Most events name a faculty member whose row does not change (letters, specialties).
    const json = JSON.stringify(row)
    if (projection.everything || projection.writtenFaculty.get(facultyId) !== json) {
      faculty.push(row)
      facultyRows.push([facultyId, json])
    }
    const written = JSON.stringify(row.specialties)
    const before = projection.writtenSpecialties.get(facultyId)
    if (before !== undefined && before !== written) {
      // "in specialty" of every pair of this faculty member may have changed
      for (const studentId of member.students.keys()) addTo(dirtyPairs, studentId, facultyId)
    }
    specialties.push([facultyId, written])
  }
  const wholeStudents: Array<WholeStudent> = []
  for (const studentId of fullStudents) {
    const student = state.students.get(studentId)
    if (student === undefined || projection.fold.isErased(studentId)) {
      // gone (every event retracted) or erased: no rows remain
      if (!projection.erasures.has(studentId)) removedStudents.push(studentId)
      continue
    }
    const rows = Projection.studentRows(student, state, memo)
    wholeStudents.push({
      student: rows.student,
      pairs: rows.pairs,
      months: Projection.monthRows(student),
      letters: Projection.letterRows(student, memo),
      rotations: Projection.rotationRows(student)
    })
  }
  const students: Array<Projection.StudentRow> = []
  const pairs: Array<Projection.PairRow> = []
  const removedPairs: Array<{ readonly studentId: string; readonly facultyId: string }> = []
  const months: Array<SchoolChanges["months"][number]> = []
  const letters: Array<SchoolChanges["letters"][number]> = []
  const rotations: Array<SchoolChanges["rotations"][number]> = []
  const pairsOf = (studentId: string, facultyIds: Iterable<string>) => {
    const student = state.students.get(studentId)
    if (student === undefined) return
    for (const facultyId of facultyIds) {
      const pair = student.pairs.get(facultyId)
      if (pair !== undefined && Projection.hasRow(pair)) pairs.push(Projection.pairRow(pair, student, state, memo))
      else removedPairs.push({ studentId, facultyId })
    }
  }
  for (const studentId of projection.dirtyStudents) {
    if (fullStudents.has(studentId)) continue
    const student = state.students.get(studentId)
    if (student === undefined || projection.fold.isErased(studentId)) continue
    const row = Projection.studentRow(student, state, memo)
    students.push(row)
    pairsOf(studentId, dirtyPairs.get(studentId) ?? [])
    for (const month of projection.dirtyMonths.get(studentId) ?? []) {
      months.push({ studentId, graduationYear: row.graduationYear, month: Projection.monthRow(student, month) })
    }
    for (const facultyId of projection.dirtyLetters.get(studentId) ?? []) {
      const pair = student.pairs.get(facultyId)
      letters.push({ studentId, facultyId, letters: pair === undefined ? [] : memo.letters(pair) })
    }
    for (const facultyId of projection.dirtyRotations.get(studentId) ?? []) {
      const pair = student.pairs.get(facultyId)
      rotations.push({ studentId, facultyId, rotations: pair === undefined ? [] : Projection.pairRotations(pair) })
    }
  }
  // pairs dirtied by a faculty member's new specialty, for students with nothing else new
  for (const [studentId, facultyIds] of dirtyPairs) {
    if (projection.dirtyStudents.has(studentId) || fullStudents.has(studentId)) continue
    if (projection.fold.isErased(studentId)) continue
    pairsOf(studentId, facultyIds)
  }
  return {
    school,
    removedStudents,
    wholeStudents,
    students,
    pairs,
    removedPairs,
    months,
    letters,
    rotations,
    faculty,
    removedFaculty,
    erasures: [...projection.erasures],
    coverage: projection.coverage.pending(),
    positions: positionRows(projection),
    specialties,
    facultyRows,
    activeNow
  }
}

const positionRows = (projection: SchoolProjection): SchoolChanges["positions"] => {
  const out: Array<SchoolChanges["positions"][number]> = []
  const keysOf = (studentId: string): Iterable<string> =>
    projection.everything
      ? (projection.positions.get(studentId)?.keys() ?? [])
      : (projection.dirtyPositions.get(studentId) ?? [])
  const students = projection.everything ? projection.positions.keys() : projection.dirtyPositions.keys()
  for (const studentId of students) {
    if (projection.erasures.has(studentId)) continue
    const own = projection.positions.get(studentId)
    for (const facultyId of keysOf(studentId)) {
      const list = own?.get(facultyId)
      if (list !== undefined) out.push({ studentId, facultyId, positions: JSON.stringify(list) })
    }
  }
  return out
}

/**
 * After the transaction that wrote `changes` committed: forget the changes it wrote.
 * Nothing is folded between planning and settling (the projector's loop is sequential),
 * so the pending sets hold exactly what was planned.
 *
 * @since 0.1.0
 * @category operations
 */
export const settle = (projection: SchoolProjection, changes: SchoolChanges): void => {
  for (const [facultyId, written] of changes.specialties) {
    if (written !== undefined) projection.writtenSpecialties.set(facultyId, written)
    else {
      projection.writtenSpecialties.delete(facultyId)
      projection.writtenFaculty.delete(facultyId)
    }
  }
  for (const [facultyId, json] of changes.facultyRows) projection.writtenFaculty.set(facultyId, json)
  for (const [studentId, active] of changes.activeNow) projection.writtenActive.set(studentId, active)
  // their follow-up rows went with their other rows
  for (const studentId of [...changes.removedStudents, ...changes.erasures])
    projection.writtenFollowUps.delete(studentId)
  projection.dirtyStudents.clear()
  projection.fullStudents.clear()
  projection.dirtyPairs.clear()
  projection.dirtyMonths.clear()
  projection.dirtyLetters.clear()
  projection.dirtyRotations.clear()
  projection.dirtyFaculty.clear()
  projection.erasures.clear()
  projection.coverage.settle()
  projection.dirtyPositions.clear()
  projection.everything = false
}
