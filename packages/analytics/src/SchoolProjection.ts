/**
 * One school's in-memory projection: the core folds (scores, follow-up rules), the
 * coverage counts, and what changed since the last write (the rows a flush must write).
 *
 * `apply` is the projector's hot loop: plain TypeScript over plain data, O(1) per event
 * apart from retractions (a look-up among the school's students) and erasures. A
 * retraction marks only the rows of the student (or the faculty) its target was about,
 * so that a correction costs one student's rows, not the school's.
 *
 * This module must never touch SQL or the clock.
 *
 * @since 0.1.0
 */
import { type Event, RuleEngine, type Rule, SchoolFold } from "@rapport/core"
import { Coverage } from "./Coverage.js"
import { Memo } from "./Memo.js"
import type * as SchoolSettings from "./SchoolSettings.js"

/**
 * Adds `value` to the set kept under `key`.
 *
 * @since 0.1.0
 * @category operations
 */
export const addTo = <K, V>(map: Map<K, Set<V>>, key: K, value: V): void => {
  let set = map.get(key)
  if (set === undefined) {
    set = new Set()
    map.set(key, set)
  }
  set.add(value)
}

const none: ReadonlyArray<string> = []

const facultyIdsOf = (event: Event.RapportEvent): ReadonlyArray<string> => {
  const data = event.data
  if ("facultyIds" in data) return data.facultyIds
  if ("facultyId" in data) return [data.facultyId]
  return none
}

/**
 * @since 0.1.0
 * @category models
 */
export class SchoolProjection {
  readonly fold: SchoolFold.SchoolFold
  readonly rules: RuleEngine.Accumulator
  /** the follow-up rules the school runs, with its parameters (SchoolSettings) */
  readonly followUpRules: ReadonlyArray<Rule.Rule>
  readonly coverage: Coverage
  /** letters and mentor assignments per pair, kept until an event changes them */
  readonly memo = new Memo()
  /** students whose own row changed */
  readonly dirtyStudents = new Set<string>()
  /** students to rewrite whole (enrolment, specialty, a change of status: every pair and month) */
  readonly fullStudents = new Set<string>()
  /** per student, the faculty whose pair changed */
  readonly dirtyPairs = new Map<string, Set<string>>()
  /** per student, the month keys whose counts changed */
  readonly dirtyMonths = new Map<string, Set<number>>()
  /** per student, the faculty whose letters changed */
  readonly dirtyLetters = new Map<string, Set<string>>()
  /** per student, the faculty with a new rotation */
  readonly dirtyRotations = new Map<string, Set<string>>()
  readonly dirtyFaculty = new Set<string>()
  readonly dirtyFollowUps = new Set<string>()
  readonly erasures = new Set<string>()
  /** the specialties last written per faculty member (JSON), to re-dirty pairs when they change */
  readonly writtenSpecialties = new Map<string, string>()
  /** each faculty row as last written (JSON), so that an unchanged row is not written again */
  readonly writtenFaculty = new Map<string, string>()
  /** whether each student was active when their row was last written: a change moves every faculty row they count in */
  readonly writtenActive = new Map<string, boolean>()
  /**
   * per student, the log positions of their events by the faculty member each names (""
   * for events naming none; support check-ins left out): a faculty member's page reads
   * just these events instead of every mentee's stream
   */
  readonly positions = new Map<string, Map<string, Array<number>>>()
  /** per student, the keys of `positions` that changed */
  readonly dirtyPositions = new Map<string, Set<string>>()
  /**
   * each student's follow-up and nudge rows as last written (JSON of Writer.followUpRows):
   * an evaluation that would write the same rows writes nothing
   */
  readonly writtenFollowUps = new Map<string, string>()
  /** rewrite every row of the school (after a lost lease) */
  everything = false

  constructor(settings: SchoolSettings.School) {
    this.followUpRules = settings.rules
    this.fold = SchoolFold.make(settings.scoring)
    this.rules = RuleEngine.make()
    this.coverage = new Coverage(this.fold.state.calendar)
  }

  /**
   * Folds one event; with `track`, records the rows it changes (a replay up to the
   * checkpoint folds without tracking: the read models already hold those rows).
   *
   * @since 0.1.0
   */
  apply(event: Event.RapportEvent, recordedAtMs: number, track: boolean, position: number): void {
    if (event.type === "EventRetracted") {
      this.retract(event, recordedAtMs, track)
      return
    }
    const state = this.fold.state
    const studentId = RuleEngine.studentIdOf(event)
    // An erasure changes the faculty the student met (letters, specialties; some vanish).
    const erasedFrom =
      event.type === "StudentErasureRequested"
        ? [...(state.students.get(event.data.studentId)?.pairs.keys() ?? [])]
        : []
    this.fold.apply(event)
    this.rules.apply(event)
    this.coverage.add(event, recordedAtMs, studentId)
    // Replayed or new, an erased student's events leave the coverage counts (as the fold drops them).
    if (event.type === "StudentErasureRequested") this.coverage.erase(event.data.studentId)
    const facultyIds = facultyIdsOf(event)
    if (studentId !== undefined) this.recordPosition(event, studentId, facultyIds, position, track)
    if (studentId !== undefined && (event.type.startsWith("Letter") || event.type.startsWith("Mentor"))) {
      const student = state.students.get(studentId)
      for (const facultyId of facultyIds) this.memo.forget(student?.pairs.get(facultyId))
    }
    if (!track) return
    if (event.type === "StudentErasureRequested") {
      this.erasures.add(event.data.studentId)
      for (const facultyId of erasedFrom) this.dirtyFaculty.add(facultyId)
      return
    }
    for (const facultyId of facultyIds) this.dirtyFaculty.add(facultyId)
    if (studentId !== undefined) this.markChanged(event, studentId, facultyIds)
  }

  /**
   * Records the rows an event of a student changes, whether it arrives or is retracted:
   * a retraction undoes what its target did, so it touches the same rows.
   */
  private markChanged(event: Event.RapportEvent, studentId: string, facultyIds: ReadonlyArray<string>): void {
    this.dirtyStudents.add(studentId)
    this.dirtyFollowUps.add(studentId)
    switch (event.type) {
      case "StudentEnrolled":
      case "SpecialtyDeclared":
      case "StudentErasureRequested":
        this.fullStudents.add(studentId)
        return
      case "StudentStatusChanged":
      case "NudgeSent":
      case "CourseStarted":
        return
    }
    for (const facultyId of facultyIds) addTo(this.dirtyPairs, studentId, facultyId)
    addTo(this.dirtyMonths, studentId, this.fold.state.calendar.monthOf(Date.parse(event.occurredAt)))
    if (event.type.startsWith("Letter"))
      for (const facultyId of facultyIds) addTo(this.dirtyLetters, studentId, facultyId)
    if (event.type === "RotationCompleted")
      for (const facultyId of facultyIds) addTo(this.dirtyRotations, studentId, facultyId)
  }

  /** Keeps where a student's event is in the log (an erasure forgets them all). */
  private recordPosition(
    event: Event.RapportEvent,
    studentId: string,
    facultyIds: ReadonlyArray<string>,
    position: number,
    track: boolean
  ): void {
    if (event.type === "StudentErasureRequested") {
      this.positions.delete(studentId)
      this.dirtyPositions.delete(studentId)
      return
    }
    if (event.type === "SupportCheckInHeld") return
    let own = this.positions.get(studentId)
    if (own === undefined) {
      own = new Map()
      this.positions.set(studentId, own)
    }
    for (const key of facultyIds.length === 0 ? [""] : facultyIds) {
      const list = own.get(key)
      if (list === undefined) own.set(key, [position])
      else list.push(position)
      if (track) addTo(this.dirtyPositions, studentId, key)
    }
  }

  /**
   * A retraction. The follow-up accumulator holds every student's events by id, so the
   * student the target was about, and the target itself, are found without an index of
   * our own; the rows the target touched are rewritten (a pair or month left empty loses
   * its row), and every faculty row of the student's faculty is compared. A target about
   * no student (a faculty fact) or not seen yet dirties every faculty row: rare, and cheap
   * next to rewriting the school.
   */
  private retract(event: Event.EventOf<"EventRetracted">, recordedAtMs: number, track: boolean): void {
    const target = event.data.eventId.toLowerCase()
    let owner: string | undefined
    let retracted: Event.RapportEvent | undefined
    for (const [studentId, events] of this.rules.state.students) {
      retracted = events.get(target)
      if (retracted !== undefined) {
        owner = studentId
        break
      }
    }
    const state = this.fold.state
    const before = owner === undefined ? undefined : state.students.get(owner)
    const facultyBefore = before === undefined ? [] : [...before.pairs.keys()]
    for (const pair of before?.pairs.values() ?? []) this.memo.forget(pair)
    this.fold.apply(event)
    this.rules.apply(event)
    this.coverage.add(event, recordedAtMs, undefined)
    if (!track) return
    if (owner === undefined) {
      for (const facultyId of state.faculty.keys()) this.dirtyFaculty.add(facultyId)
      for (const facultyId of this.writtenSpecialties.keys()) this.dirtyFaculty.add(facultyId)
      return
    }
    for (const facultyId of facultyBefore) this.dirtyFaculty.add(facultyId)
    // The rows its target touched: its pairs (a pair left without events loses its row),
    // month, letters or rotations. Rewriting the student whole instead cost a third of the
    // projector's writes on the large simulated school, where retractions are common.
    // A student the retraction leaves without events has no rows left: rewrite them whole
    // (their rows go), whatever their status was.
    if (retracted === undefined || !this.fold.state.students.has(owner)) this.fullStudents.add(owner)
    else this.markChanged(retracted, owner, facultyIdsOf(retracted))
    this.dirtyStudents.add(owner)
    this.dirtyFollowUps.add(owner)
  }

  /**
   * Marks every row of the school for rewriting.
   *
   * @since 0.1.0
   */
  markEverything(): void {
    this.everything = true
    this.writtenFollowUps.clear()
  }

  /**
   * Whether anything waits to be written (`followUps`: counting follow-ups).
   *
   * @since 0.1.0
   */
  hasChanges(followUps: boolean): boolean {
    return (
      this.everything ||
      this.dirtyStudents.size > 0 ||
      this.fullStudents.size > 0 ||
      this.dirtyPairs.size > 0 ||
      this.dirtyFaculty.size > 0 ||
      (followUps && this.dirtyFollowUps.size > 0) ||
      this.erasures.size > 0 ||
      this.dirtyPositions.size > 0 ||
      this.coverage.isDirty
    )
  }
}
