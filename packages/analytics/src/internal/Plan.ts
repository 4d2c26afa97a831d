/**
 * From a school's marked rows to the rows to write: which students, pairs, months,
 * letters, rotations, faculty, coverage cells and positions a flush rewrites, computed
 * from the folded state. A pure reading of what Pending.ts marked: the projector plans
 * inside its write transaction, writes the plan (Writer.ts) and, only once the
 * transaction has committed, hands the plan back to Pending to settle; a failed write
 * loses nothing, the next flush plans it again.
 *
 * This module must never write SQL, read the clock or change what is marked.
 *
 * @since 0.2.0
 */
import { type Letter, type SchoolFold, State } from "@rapport/core"
import * as Projection from "../Projection.js"
import type { Coverage } from "./Coverage.js"
import type { Memo } from "./Memo.js"
import { addTo } from "./Multimap.js"
import type * as Rows from "./Rows.js"

/**
 * What is marked for the next flush (Pending.ts owns it; this is its read-only view).
 *
 * @since 0.2.0
 * @category models
 */
export interface Marked {
  /** rewrite every row of the school (after a lost lease, or a reload) */
  readonly everything: boolean
  /** students whose own row changed */
  readonly students: ReadonlySet<string>
  /** students to rewrite whole (every pair and month) */
  readonly wholeStudents: ReadonlySet<string>
  /** per student, the faculty whose pair changed */
  readonly pairs: ReadonlyMap<string, ReadonlySet<string>>
  /** per student, the month keys whose counts changed */
  readonly months: ReadonlyMap<string, ReadonlySet<number>>
  /** per student, the faculty whose letters changed */
  readonly letters: ReadonlyMap<string, ReadonlySet<string>>
  /** per student, the faculty with a new rotation */
  readonly rotations: ReadonlyMap<string, ReadonlySet<string>>
  readonly faculty: ReadonlySet<string>
  readonly erasures: ReadonlySet<string>
  /** per student, the keys of their positions that changed */
  readonly positions: ReadonlyMap<string, ReadonlySet<string>>
  /** each faculty row as last written (JSON) */
  readonly writtenFaculty: ReadonlyMap<string, string>
  /** the specialties last written per faculty member (JSON) */
  readonly writtenSpecialties: ReadonlyMap<string, string>
  /** whether each student was active when their row was last written */
  readonly writtenActive: ReadonlyMap<string, boolean>
}

/**
 * What a plan reads besides the marks: one school's folded state and what the projector
 * keeps beside it.
 *
 * @since 0.2.0
 * @category models
 */
export interface Source {
  readonly fold: SchoolFold.SchoolFold
  readonly memo: Memo
  readonly coverage: Coverage
  /** per student, the log positions of their events by the faculty member each names */
  readonly positions: ReadonlyMap<string, ReadonlyMap<string, ReadonlyArray<number>>>
}

/**
 * A student rewritten whole: their row and every pair, month, letter and rotation.
 *
 * @since 0.1.0
 * @category models
 */
export interface WholeStudent {
  readonly student: Rows.StudentRow
  readonly pairs: ReadonlyArray<Rows.PairRow>
  readonly months: ReadonlyArray<Rows.MonthRow>
  readonly letters: ReadonlyArray<Letter.LetterState>
  readonly rotations: ReadonlyArray<Rows.RotationRow>
}

/**
 * Everything one flush writes for one school, and what settling it remembers.
 *
 * @since 0.1.0
 * @category models
 */
export interface SchoolChanges {
  readonly school: string
  /** students whose rows all go (gone from the state, or erased) */
  readonly removedStudents: ReadonlyArray<string>
  readonly wholeStudents: ReadonlyArray<WholeStudent>
  readonly students: ReadonlyArray<Rows.StudentRow>
  readonly pairs: ReadonlyArray<Rows.PairRow>
  /** pairs left without events by a retraction: their rows go */
  readonly removedPairs: ReadonlyArray<{ readonly studentId: string; readonly facultyId: string }>
  readonly months: ReadonlyArray<Rows.StudentMonth>
  readonly letters: ReadonlyArray<Rows.StudentLetters>
  readonly rotations: ReadonlyArray<Rows.StudentRotations>
  readonly faculty: ReadonlyArray<Rows.FacultyRow>
  readonly removedFaculty: ReadonlyArray<string>
  /** students whose erasure this flush records (their stream is deleted after the commit) */
  readonly erasures: ReadonlyArray<string>
  readonly coverage: ReadonlyArray<Rows.CoverageCell>
  readonly positions: ReadonlyArray<Rows.PositionRow>
  /** the specialties written per faculty member (JSON; `undefined`: the row was removed) */
  readonly specialties: ReadonlyArray<readonly [string, string | undefined]>
  /** the faculty rows written, as JSON: a row that would be written unchanged is skipped */
  readonly facultyRows: ReadonlyArray<readonly [string, string]>
  /** whether each student planned is active (see Marked.writtenActive) */
  readonly activeNow: ReadonlyArray<readonly [string, boolean]>
  /** students whose follow-ups are due for evaluation once this plan is written (a school rewritten whole: all) */
  readonly followUpsDue: ReadonlyArray<string>
}

/**
 * Plans the rows of one school's marked changes. `existing` lists the ids that have rows
 * now; it is read only when the school is to be rewritten whole (`everything`).
 * Follow-ups are not part of it: the projector evaluates them in a transaction of their
 * own (FollowUpSchedule.ts).
 *
 * @since 0.2.0
 * @category operations
 */
export const plan = (
  school: string,
  source: Source,
  marked: Marked,
  existing: { readonly students: ReadonlyArray<string>; readonly faculty: ReadonlyArray<string> } | undefined
): SchoolChanges => {
  const { fold, memo } = source
  const state = fold.state
  memo.beginFlush()
  const removedStudents: Array<string> = []
  const fullStudents = new Set(marked.wholeStudents)
  const dirtyFaculty = new Set(marked.faculty)
  const dirtyPairs = new Map<string, Set<string>>()
  for (const [studentId, facultyIds] of marked.pairs) dirtyPairs.set(studentId, new Set(facultyIds))
  const followUpsDue: Array<string> = []
  if (marked.everything) {
    // A lost lease: another projector may have written anything; rewrite the school.
    for (const id of existing?.students ?? []) if (!state.students.has(id)) removedStudents.push(id)
    for (const id of existing?.faculty ?? []) dirtyFaculty.add(id)
    for (const id of state.students.keys()) fullStudents.add(id)
    for (const id of state.faculty.keys()) dirtyFaculty.add(id)
    for (const id of state.students.keys()) followUpsDue.push(id)
  }
  // A student who became active or stopped being so moves the mentee counts (active_pairs)
  // of every faculty member they met, and the flag their pair rows carry.
  const activeNow: Array<readonly [string, boolean]> = []
  for (const studentId of [...marked.students, ...fullStudents]) {
    const student = state.students.get(studentId)
    const active = !fold.isErased(studentId) && State.isActiveStudent(student)
    const before = marked.writtenActive.get(studentId)
    if (before !== undefined && before !== active) {
      for (const facultyId of student?.pairs.keys() ?? []) dirtyFaculty.add(facultyId)
      fullStudents.add(studentId)
    }
    activeNow.push([studentId, active])
  }
  const faculty: Array<Rows.FacultyRow> = []
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
    if (marked.everything || marked.writtenFaculty.get(facultyId) !== json) {
      faculty.push(row)
      facultyRows.push([facultyId, json])
    }
    const written = JSON.stringify(row.specialties)
    const before = marked.writtenSpecialties.get(facultyId)
    if (before !== undefined && before !== written) {
      // "in specialty" of every pair of this faculty member may have changed
      for (const studentId of member.students.keys()) addTo(dirtyPairs, studentId, facultyId)
    }
    specialties.push([facultyId, written])
  }
  const wholeStudents: Array<WholeStudent> = []
  for (const studentId of fullStudents) {
    const student = state.students.get(studentId)
    if (student === undefined || fold.isErased(studentId)) {
      // gone (every event retracted) or erased: no rows remain
      if (!marked.erasures.has(studentId)) removedStudents.push(studentId)
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
  const students: Array<Rows.StudentRow> = []
  const pairs: Array<Rows.PairRow> = []
  const removedPairs: Array<{ readonly studentId: string; readonly facultyId: string }> = []
  const months: Array<Rows.StudentMonth> = []
  const letters: Array<Rows.StudentLetters> = []
  const rotations: Array<Rows.StudentRotations> = []
  const pairsOf = (studentId: string, facultyIds: Iterable<string>) => {
    const student = state.students.get(studentId)
    if (student === undefined) return
    for (const facultyId of facultyIds) {
      const pair = student.pairs.get(facultyId)
      if (pair !== undefined && Projection.hasRow(pair)) pairs.push(Projection.pairRow(pair, student, state, memo))
      else removedPairs.push({ studentId, facultyId })
    }
  }
  for (const studentId of marked.students) {
    if (fullStudents.has(studentId)) continue
    const student = state.students.get(studentId)
    if (student === undefined || fold.isErased(studentId)) continue
    const row = Projection.studentRow(student, state, memo)
    students.push(row)
    pairsOf(studentId, dirtyPairs.get(studentId) ?? [])
    for (const month of marked.months.get(studentId) ?? []) {
      months.push({ studentId, graduationYear: row.graduationYear, month: Projection.monthRow(student, month) })
    }
    for (const facultyId of marked.letters.get(studentId) ?? []) {
      const pair = student.pairs.get(facultyId)
      letters.push({ studentId, facultyId, letters: pair === undefined ? [] : memo.letters(pair) })
    }
    for (const facultyId of marked.rotations.get(studentId) ?? []) {
      const pair = student.pairs.get(facultyId)
      rotations.push({ studentId, facultyId, rotations: pair === undefined ? [] : Projection.pairRotations(pair) })
    }
  }
  // pairs dirtied by a faculty member's new specialty, for students with nothing else new
  for (const [studentId, facultyIds] of dirtyPairs) {
    if (marked.students.has(studentId) || fullStudents.has(studentId)) continue
    if (fold.isErased(studentId)) continue
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
    erasures: [...marked.erasures],
    coverage: source.coverage.pending(),
    positions: positionRows(source, marked),
    specialties,
    facultyRows,
    activeNow,
    followUpsDue
  }
}

const positionRows = (source: Source, marked: Marked): ReadonlyArray<Rows.PositionRow> => {
  const out: Array<Rows.PositionRow> = []
  const keysOf = (studentId: string): Iterable<string> =>
    marked.everything ? (source.positions.get(studentId)?.keys() ?? []) : (marked.positions.get(studentId) ?? [])
  const students = marked.everything ? source.positions.keys() : marked.positions.keys()
  for (const studentId of students) {
    if (marked.erasures.has(studentId)) continue
    const own = source.positions.get(studentId)
    for (const facultyId of keysOf(studentId)) {
      const list = own?.get(facultyId)
      if (list !== undefined) out.push({ studentId, facultyId, positions: JSON.stringify(list) })
    }
  }
  return out
}
