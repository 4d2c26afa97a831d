/**
 * What a projector remembers between batches, so that a batch costs the rows it changed
 * rather than every contribution behind them (see {@link Memo}). Rows built with or
 * without a memo are the same; this module must never hold anything a forgotten event
 * could leave stale.
 *
 * @since 0.1.0
 */
import { Letter, Pair, State } from "@rapport/core"
import type { Untils } from "./Rows.js"
import { untils } from "./Tiers.js"

type SchoolState = State.SchoolState
type PairState = State.PairState
type FacultyState = State.FacultyState

/**
 * What a projector remembers between batches so that a batch costs the rows it changed,
 * not every contribution behind them: each pair's letters and whether it has an open
 * mentor assignment (both scan the pair's contributions), and, within one flush, each
 * faculty member's specialties. The projector forgets a pair when an event that can
 * change these arrives for it (`Letter*`, `Mentor*`, a retraction of one of the
 * student's events); rows built with or without a memo are the same.
 *
 * @since 0.1.0
 * @category models
 */
export class Memo {
  private lettersOf = new WeakMap<PairState, ReadonlyArray<Letter.LetterState>>()
  private openOf = new WeakMap<PairState, boolean>()
  private specialtiesOf = new Map<string, ReadonlyArray<string>>()
  private untilsOf = new WeakMap<
    PairState,
    { readonly key: number; readonly touched: number; readonly sustained: string; readonly untils: Untils }
  >()

  /**
   * A pair's tier untils ({@link untils}), recomputed when the pair's key, dimensions or
   * sustained contact (weeks, letters, observed rotations) changed (all they depend on).
   *
   * @since 0.1.0
   */
  untils(pair: PairState, state: SchoolState): Untils {
    const known = this.untilsOf.get(pair)
    const sustained = `${pair.weeks.size}:${pair.vouched > 0 || (pair.rotations > 0 && pair.feedback > 0)}`
    if (
      known !== undefined &&
      known.key === pair.key &&
      known.touched === pair.touched &&
      known.sustained === sustained
    )
      return known.untils
    const computed = untils(pair, state)
    this.untilsOf.set(pair, { key: pair.key, touched: pair.touched, sustained, untils: computed })
    return computed
  }

  /**
   * The letters of a pair (`Letter.letters`).
   *
   * @since 0.1.0
   */
  letters(pair: PairState): ReadonlyArray<Letter.LetterState> {
    let letters = this.lettersOf.get(pair)
    if (letters === undefined) {
      letters = Letter.letters(pair)
      this.lettersOf.set(pair, letters)
    }
    return letters
  }

  /**
   * A faculty member's letter counts (`Letter.countLetters` over their pairs).
   *
   * @since 0.1.0
   */
  letterCounts(faculty: FacultyState): Letter.LetterCounts {
    let requested = 0
    let committed = 0
    let submitted = 0
    let declined = 0
    let pending = 0
    for (const pair of faculty.students.values()) {
      for (const l of this.letters(pair)) {
        if (l.requestedAtMs !== undefined) requested++
        if (l.committedAtMs !== undefined) committed++
        if (l.submittedAtMs !== undefined) submitted++
        if (l.declinedAtMs !== undefined) declined++
        if (l.stage === "requested" || l.stage === "committed") pending++
      }
    }
    return { requested, committed, submitted, declined, pending }
  }

  /**
   * Whether a pair has an open mentor assignment (`Pair.mentorAssignments`).
   *
   * @since 0.1.0
   */
  hasOpenAssignment(pair: PairState): boolean {
    let open = this.openOf.get(pair)
    if (open === undefined) {
      open = Pair.mentorAssignments(pair).some((assignment) => assignment.open)
      this.openOf.set(pair, open)
    }
    return open
  }

  /**
   * A faculty member's specialties (`State.facultySpecialties`), remembered until
   * {@link Memo.beginFlush}: rotations of any student change them.
   *
   * @since 0.1.0
   */
  facultySpecialties(state: SchoolState, facultyId: string): ReadonlyArray<string> {
    let specialties = this.specialtiesOf.get(facultyId)
    if (specialties === undefined) {
      specialties = State.facultySpecialties(state.faculty.get(facultyId))
      this.specialtiesOf.set(facultyId, specialties)
    }
    return specialties
  }

  /**
   * Forgets what was remembered about a pair.
   *
   * @since 0.1.0
   */
  forget(pair: PairState | undefined): void {
    if (pair === undefined) return
    this.lettersOf.delete(pair)
    this.openOf.delete(pair)
  }

  /**
   * Starts a flush: faculty specialties are computed afresh.
   *
   * @since 0.1.0
   */
  beginFlush(): void {
    this.specialtiesOf = new Map()
  }

  /**
   * Forgets everything.
   *
   * @since 0.1.0
   */
  clear(): void {
    this.lettersOf = new WeakMap()
    this.openOf = new WeakMap()
    this.specialtiesOf = new Map()
    this.untilsOf = new WeakMap()
  }
}
