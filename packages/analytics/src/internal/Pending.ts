/**
 * The rows of one school waiting to be written, and what was last written of those the
 * projector compares before writing again. The one owner of that bookkeeping: the fold
 * marks through it (SchoolProjection.ts), the projector plans through it inside its write
 * transaction and settles through it once the transaction has committed; nothing else
 * can change it.
 *
 * - `mark*`: an event (or its retraction) changed these rows.
 * - `plan`: the rows to write now (Plan.ts), without changing anything marked, so that a
 *   write that fails loses nothing.
 * - `settle`: the plan was written; forget it and remember what was written.
 * - follow-ups are evaluated apart, in a transaction of their own: `followUpsDue`,
 *   `followUpsUnchanged`, `settleFollowUps`.
 *
 * This module must never touch SQL or the clock.
 *
 * @since 0.2.0
 */
import { type Calendar, type Event, State } from "@rapport/core"
import { addTo } from "./Multimap.js"
import * as Plan from "./Plan.js"

/**
 * @since 0.2.0
 * @category models
 */
export class Pending {
  private readonly students = new Set<string>()
  private readonly wholeStudents = new Set<string>()
  private readonly pairs = new Map<string, Set<string>>()
  private readonly months = new Map<string, Set<number>>()
  private readonly letters = new Map<string, Set<string>>()
  private readonly rotations = new Map<string, Set<string>>()
  private readonly faculty = new Set<string>()
  private readonly followUps = new Set<string>()
  private readonly erasures = new Set<string>()
  private readonly positions = new Map<string, Set<string>>()
  private readonly writtenSpecialties = new Map<string, string>()
  private readonly writtenFaculty = new Map<string, string>()
  private readonly writtenActive = new Map<string, boolean>()
  /** each student's follow-up and nudge rows as last written (JSON of their FollowUpRows) */
  private readonly writtenFollowUps = new Map<string, string>()
  private everything = false
  private readonly calendar: Calendar.Calendar

  /** `calendar`: the school's, to find the month an event counts in */
  constructor(calendar: Calendar.Calendar) {
    this.calendar = calendar
  }

  /**
   * Marks the rows an event of a student changes, whether it arrives or is retracted
   * (a retraction undoes what its target did, so it touches the same rows).
   *
   * @since 0.2.0
   */
  markEvent(event: Event.RapportEvent, studentId: string, facultyIds: ReadonlyArray<string>): void {
    this.students.add(studentId)
    this.followUps.add(studentId)
    switch (event.type) {
      case "StudentEnrolled":
      case "SpecialtyDeclared":
      case "StudentErasureRequested":
        this.wholeStudents.add(studentId)
        return
      case "StudentStatusChanged":
      case "NudgeSent":
      case "CourseStarted":
        return
    }
    for (const facultyId of facultyIds) addTo(this.pairs, studentId, facultyId)
    addTo(this.months, studentId, this.calendar.monthOf(Date.parse(event.occurredAt)))
    if (event.type.startsWith("Letter")) for (const facultyId of facultyIds) addTo(this.letters, studentId, facultyId)
    if (event.type === "RotationCompleted")
      for (const facultyId of facultyIds) addTo(this.rotations, studentId, facultyId)
  }

  /**
   * Marks a student's own row and follow-ups.
   *
   * @since 0.2.0
   */
  markStudent(studentId: string): void {
    this.students.add(studentId)
    this.followUps.add(studentId)
  }

  /**
   * Marks every row of a student.
   *
   * @since 0.2.0
   */
  markWholeStudent(studentId: string): void {
    this.wholeStudents.add(studentId)
  }

  /**
   * Marks a faculty member's row.
   *
   * @since 0.2.0
   */
  markFaculty(facultyId: string): void {
    this.faculty.add(facultyId)
  }

  /**
   * Marks every faculty row: those of `known`, and those written before (some may go).
   *
   * @since 0.2.0
   */
  markEveryFaculty(known: Iterable<string>): void {
    for (const facultyId of known) this.faculty.add(facultyId)
    for (const facultyId of this.writtenSpecialties.keys()) this.faculty.add(facultyId)
  }

  /**
   * Marks a student's erasure: their rows go and their stream is deleted after the write.
   *
   * @since 0.2.0
   */
  markErasure(studentId: string): void {
    this.erasures.add(studentId)
  }

  /**
   * The erasures marked and not yet written.
   *
   * @since 0.2.0
   */
  pendingErasures(): ReadonlyArray<string> {
    return [...this.erasures]
  }

  /**
   * Marks the positions a student's events naming `key` ("" for none) are at.
   *
   * @since 0.2.0
   */
  markPositions(studentId: string, key: string): void {
    addTo(this.positions, studentId, key)
  }

  /**
   * Forgets the positions marked of a student (an erasure forgets them all).
   *
   * @since 0.2.0
   */
  forgetPositions(studentId: string): void {
    this.positions.delete(studentId)
  }

  /**
   * Marks every row of the school for rewriting (another projector may have written
   * anything: what was written is no longer to be trusted).
   *
   * @since 0.2.0
   */
  markEverything(): void {
    this.everything = true
    this.writtenFollowUps.clear()
  }

  /**
   * Whether the next plan rewrites the whole school (it then needs the ids that have rows).
   *
   * @since 0.2.0
   */
  get rewritesEverything(): boolean {
    return this.everything
  }

  /**
   * Whether anything waits to be written (`followUps`: counting follow-ups).
   *
   * @since 0.2.0
   */
  hasChanges(followUps: boolean): boolean {
    return (
      this.everything ||
      this.students.size > 0 ||
      this.wholeStudents.size > 0 ||
      this.pairs.size > 0 ||
      this.faculty.size > 0 ||
      (followUps && this.followUps.size > 0) ||
      this.erasures.size > 0 ||
      this.positions.size > 0
    )
  }

  /**
   * The rows to write now (see Plan.ts); nothing marked changes until {@link Pending.settle}.
   *
   * @since 0.2.0
   */
  plan(
    school: string,
    source: Plan.Source,
    existing: { readonly students: ReadonlyArray<string>; readonly faculty: ReadonlyArray<string> } | undefined
  ): Plan.SchoolChanges {
    return Plan.plan(school, source, this.marked(), existing)
  }

  private marked(): Plan.Marked {
    return {
      everything: this.everything,
      students: this.students,
      wholeStudents: this.wholeStudents,
      pairs: this.pairs,
      months: this.months,
      letters: this.letters,
      rotations: this.rotations,
      faculty: this.faculty,
      erasures: this.erasures,
      positions: this.positions,
      writtenFaculty: this.writtenFaculty,
      writtenSpecialties: this.writtenSpecialties,
      writtenActive: this.writtenActive
    }
  }

  /**
   * After the transaction that wrote `changes` committed: forget the marks it wrote and
   * remember what it wrote. Nothing is folded between planning and settling (the
   * projector's loop is sequential), so the marks are exactly what was planned.
   *
   * @since 0.2.0
   */
  settle(changes: Plan.SchoolChanges): void {
    for (const [facultyId, written] of changes.specialties) {
      if (written !== undefined) this.writtenSpecialties.set(facultyId, written)
      else {
        this.writtenSpecialties.delete(facultyId)
        this.writtenFaculty.delete(facultyId)
      }
    }
    for (const [facultyId, json] of changes.facultyRows) this.writtenFaculty.set(facultyId, json)
    for (const [studentId, active] of changes.activeNow) this.writtenActive.set(studentId, active)
    // their follow-up rows went with their other rows
    for (const studentId of [...changes.removedStudents, ...changes.erasures]) this.writtenFollowUps.delete(studentId)
    for (const studentId of changes.followUpsDue) this.followUps.add(studentId)
    this.students.clear()
    this.wholeStudents.clear()
    this.pairs.clear()
    this.months.clear()
    this.letters.clear()
    this.rotations.clear()
    this.faculty.clear()
    this.erasures.clear()
    this.positions.clear()
    this.everything = false
  }

  /**
   * After a replay up to the checkpoint: the read models hold what it folded. The faculty
   * rows hold the specialties it computed, so that a later change of them re-dirties the
   * pairs as it would have without a restart; every student's follow-ups are due once
   * (they commit after the checkpoint: a projector that stopped between the two left some
   * stale).
   *
   * @since 0.2.0
   */
  assumeWritten(state: State.SchoolState): void {
    for (const [facultyId, faculty] of state.faculty) {
      this.writtenSpecialties.set(facultyId, JSON.stringify(State.facultySpecialties(faculty)))
    }
    for (const [studentId, student] of state.students) {
      this.writtenActive.set(studentId, State.isActiveStudent(student))
      this.followUps.add(studentId)
    }
  }

  /**
   * The students whose follow-ups are to be evaluated again.
   *
   * @since 0.2.0
   */
  followUpsDue(): ReadonlyArray<string> {
    return [...this.followUps]
  }

  /**
   * Whether a student's follow-up rows, as `json`, are those last written.
   *
   * @since 0.2.0
   */
  followUpsUnchanged(studentId: string, json: string): boolean {
    return this.writtenFollowUps.get(studentId) === json
  }

  /**
   * After the transaction that wrote follow-ups committed: `evaluated` are no longer due,
   * `written` (student → JSON of their rows) is what their rows now hold.
   *
   * @since 0.2.0
   */
  settleFollowUps(evaluated: Iterable<string>, written: ReadonlyMap<string, string>): void {
    for (const studentId of evaluated) this.followUps.delete(studentId)
    for (const [studentId, json] of written) this.writtenFollowUps.set(studentId, json)
  }
}
