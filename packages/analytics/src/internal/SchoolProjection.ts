/**
 * One school's in-memory projection: the core folds (scores, follow-up rules), the
 * coverage counts, where each student's events are in the log, and the rows waiting to be
 * written (Pending.ts, their one owner).
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
import { Pending } from "./Pending.js"
import type * as Plan from "./Plan.js"
import type * as SchoolSettings from "../SchoolSettings.js"

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
  /**
   * per student, the log positions of their events by the faculty member each names (""
   * for events naming none; support check-ins left out): a faculty member's page reads
   * just these events instead of every mentee's stream
   */
  private readonly positions = new Map<string, Map<string, Array<number>>>()
  /** the rows waiting to be written */
  private readonly pending: Pending

  constructor(settings: SchoolSettings.School) {
    this.followUpRules = settings.rules
    this.fold = SchoolFold.make(settings.scoring)
    this.rules = RuleEngine.make()
    this.coverage = new Coverage(this.fold.state.calendar)
    this.pending = new Pending(this.fold.state.calendar)
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
      this.pending.markErasure(event.data.studentId)
      for (const facultyId of erasedFrom) this.pending.markFaculty(facultyId)
      return
    }
    for (const facultyId of facultyIds) this.pending.markFaculty(facultyId)
    if (studentId !== undefined) this.pending.markEvent(event, studentId, facultyIds)
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
      this.pending.forgetPositions(studentId)
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
      if (track) this.pending.markPositions(studentId, key)
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
      this.pending.markEveryFaculty(state.faculty.keys())
      return
    }
    for (const facultyId of facultyBefore) this.pending.markFaculty(facultyId)
    // The rows its target touched: its pairs (a pair left without events loses its row),
    // month, letters or rotations. Rewriting the student whole instead cost a third of the
    // projector's writes on the large simulated school, where retractions are common.
    // A student the retraction leaves without events has no rows left: rewrite them whole
    // (their rows go), whatever their status was.
    if (retracted === undefined || !this.fold.state.students.has(owner)) this.pending.markWholeStudent(owner)
    else this.pending.markEvent(retracted, owner, facultyIdsOf(retracted))
    this.pending.markStudent(owner)
  }

  /**
   * Marks every row of the school for rewriting.
   *
   * @since 0.1.0
   */
  markEverything(): void {
    this.pending.markEverything()
  }

  /**
   * Whether anything waits to be written (`followUps`: counting follow-ups).
   *
   * @since 0.1.0
   */
  hasChanges(followUps: boolean): boolean {
    return this.pending.hasChanges(followUps) || this.coverage.isDirty
  }

  /**
   * Whether the next plan rewrites the whole school (it then needs the ids that have rows).
   *
   * @since 0.2.0
   */
  get rewritesEverything(): boolean {
    return this.pending.rewritesEverything
  }

  /**
   * The rows to write now (Plan.ts); nothing changes until {@link SchoolProjection.settle}.
   *
   * @since 0.2.0
   */
  plan(
    school: string,
    existing: { readonly students: ReadonlyArray<string>; readonly faculty: ReadonlyArray<string> } | undefined
  ): Plan.SchoolChanges {
    return this.pending.plan(
      school,
      { fold: this.fold, memo: this.memo, coverage: this.coverage, positions: this.positions },
      existing
    )
  }

  /**
   * After the transaction that wrote `changes` committed.
   *
   * @since 0.2.0
   */
  settle(changes: Plan.SchoolChanges): void {
    this.pending.settle(changes)
    this.coverage.settle()
  }

  /**
   * A school folded again from the store (Reload.ts) takes over the erasures `before`
   * folded and had not written yet (their streams must still be deleted), and is written whole.
   *
   * @since 0.2.0
   */
  replaces(before: SchoolProjection | undefined): void {
    for (const studentId of before?.pending.pendingErasures() ?? []) this.pending.markErasure(studentId)
    this.pending.markEverything()
  }

  /**
   * After a replay up to the checkpoint: the read models hold what it folded.
   *
   * @since 0.2.0
   */
  assumeWritten(): void {
    this.coverage.settle()
    this.pending.assumeWritten(this.fold.state)
  }

  /**
   * The students whose follow-ups are to be evaluated again.
   *
   * @since 0.2.0
   */
  followUpsDue(): ReadonlyArray<string> {
    return this.pending.followUpsDue()
  }

  /**
   * Whether a student's follow-up rows, as JSON, are those last written.
   *
   * @since 0.2.0
   */
  followUpsUnchanged(studentId: string, json: string): boolean {
    return this.pending.followUpsUnchanged(studentId, json)
  }

  /**
   * After the transaction that wrote follow-ups committed (see Pending.settleFollowUps).
   *
   * @since 0.2.0
   */
  settleFollowUps(evaluated: Iterable<string>, written: ReadonlyMap<string, string>): void {
    this.pending.settleFollowUps(evaluated, written)
  }
}
