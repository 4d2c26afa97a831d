/**
 * Letters of recommendation as the folded state knows them: each letter id between a
 * student and a faculty member, with when it was requested, committed, submitted or
 * declined, and tallies of letters per stage for faculty pages.
 *
 * Requests, commitments and submissions are contributions (they score, in the letters
 * dimension); declines carry no points and live in the pair's lifecycle. Each instant is
 * the earliest event of its kind for the letter, so the answer does not depend on the
 * order events arrived in.
 *
 * Read-only and pure.
 *
 * @since 0.1.0
 */
import type { PairState } from "./State.js"

/**
 * How far a letter got: submitted, else declined, else committed, else requested.
 *
 * @since 0.1.0
 * @category models
 */
export type LetterStage = "requested" | "committed" | "submitted" | "declined"

/**
 * One letter.
 *
 * @since 0.1.0
 * @category models
 */
export interface LetterState {
  readonly letterId: string
  readonly studentId: string
  readonly facultyId: string
  /** From LetterRequested: the Match year of the application season. */
  readonly cycle: number | undefined
  readonly specialty: string | undefined
  readonly requestedAtMs: number | undefined
  readonly committedAtMs: number | undefined
  readonly submittedAtMs: number | undefined
  readonly declinedAtMs: number | undefined
  readonly stage: LetterStage
}

interface Draft {
  cycle: number | undefined
  specialty: string | undefined
  requestedAtMs: number | undefined
  committedAtMs: number | undefined
  submittedAtMs: number | undefined
  declinedAtMs: number | undefined
  requestId: string
}

const earliest = (current: number | undefined, atMs: number): number =>
  current === undefined || atMs < current ? atMs : current

/**
 * The letters between a pair, by letter id.
 *
 * @since 0.1.0
 * @category accessors
 */
export const letters = (pair: PairState): ReadonlyArray<LetterState> => {
  const drafts = new Map<string, Draft>()
  const draft = (letterId: string): Draft => {
    let d = drafts.get(letterId)
    if (d === undefined) {
      d = {
        cycle: undefined,
        specialty: undefined,
        requestedAtMs: undefined,
        committedAtMs: undefined,
        submittedAtMs: undefined,
        declinedAtMs: undefined,
        requestId: ""
      }
      drafts.set(letterId, d)
    }
    return d
  }
  for (const c of pair.contributions) {
    const e = c.event
    if (e.type === "LetterRequested") {
      const d = draft(e.data.letterId)
      // The earliest request names the cycle and specialty (ties: the smaller event id).
      if (
        d.requestedAtMs === undefined ||
        c.atMs < d.requestedAtMs ||
        (c.atMs === d.requestedAtMs && e.id < d.requestId)
      ) {
        d.cycle = e.data.cycle
        d.specialty = e.data.specialty
        d.requestId = e.id
      }
      d.requestedAtMs = earliest(d.requestedAtMs, c.atMs)
    } else if (e.type === "LetterCommitted") {
      const d = draft(e.data.letterId)
      d.committedAtMs = earliest(d.committedAtMs, c.atMs)
    } else if (e.type === "LetterSubmitted") {
      const d = draft(e.data.letterId)
      d.submittedAtMs = earliest(d.submittedAtMs, c.atMs)
    }
  }
  for (const e of pair.lifecycle) {
    if (e.type !== "LetterDeclined") continue
    const d = draft(e.data.letterId)
    d.declinedAtMs = earliest(d.declinedAtMs, Date.parse(e.occurredAt))
  }
  return [...drafts]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([letterId, d]) => ({
      letterId,
      studentId: pair.studentId,
      facultyId: pair.facultyId,
      cycle: d.cycle,
      specialty: d.specialty,
      requestedAtMs: d.requestedAtMs,
      committedAtMs: d.committedAtMs,
      submittedAtMs: d.submittedAtMs,
      declinedAtMs: d.declinedAtMs,
      stage:
        d.submittedAtMs !== undefined
          ? "submitted"
          : d.declinedAtMs !== undefined
            ? "declined"
            : d.committedAtMs !== undefined
              ? "committed"
              : "requested"
    }))
}

/**
 * How many letters reached each event (a submitted letter counts as requested,
 * committed and submitted if all three were recorded).
 *
 * @since 0.1.0
 * @category models
 */
export interface LetterCounts {
  readonly requested: number
  readonly committed: number
  readonly submitted: number
  readonly declined: number
  /** Requested or committed, neither submitted nor declined. */
  readonly pending: number
}

/**
 * Tallies letters over some pairs.
 *
 * @since 0.1.0
 * @category operations
 */
export const countLetters = (pairs: Iterable<PairState>): LetterCounts => {
  let requested = 0
  let committed = 0
  let submitted = 0
  let declined = 0
  let pending = 0
  for (const pair of pairs) {
    for (const l of letters(pair)) {
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
 * How ready a student is for residency applications, as of a date: by the letters
 * committed or submitted (each writer once, a declined letter not at all), or by
 * advocates (faculty at the advocate tier), whichever is higher. A letter counts in the
 * specialty when it was asked for one of the student's specialties (the application it
 * supports: a fact of the student's own record, which no other student's events change);
 * an advocate when they count for one. `ready` when either side has
 * `advocatesNeeded` people, `inSpecialtyNeeded` of them in the specialty.
 *
 * @since 0.3.0
 * @category models
 */
export interface Readiness {
  /** Faculty with a letter committed or submitted (as of the date), sorted. */
  readonly writers: ReadonlyArray<string>
  /** Of those, the ones in the specialty. */
  readonly writersInSpecialty: number
  /** Advocates (as of the date). */
  readonly advocates: number
  readonly advocatesInSpecialty: number
  /** The higher side: "letters" when writers are at least as many (or only they are ready), else "advocates". */
  readonly basis: "letters" | "advocates"
  /** The count and in-specialty count of the higher side. */
  readonly count: number
  readonly inSpecialty: number
  readonly needed: number
  readonly inSpecialtyNeeded: number
  readonly ready: boolean
}

/**
 * A student's readiness (see `Readiness`) from their letters, their advocates and their
 * specialties. Letters after `asOfMs` are not counted.
 *
 * @since 0.3.0
 * @category operations
 */
export const readiness = (input: {
  readonly letters: ReadonlyArray<LetterState>
  readonly advocates: { readonly inSpecialty: number; readonly total: number }
  readonly specialties: ReadonlyArray<string>
  readonly asOfMs: number
  readonly needed: number
  readonly inSpecialtyNeeded: number
}): Readiness => {
  const writers = new Map<string, boolean>()
  for (const l of input.letters) {
    const at = Math.min(l.committedAtMs ?? Number.POSITIVE_INFINITY, l.submittedAtMs ?? Number.POSITIVE_INFINITY)
    if (at > input.asOfMs) continue
    const declined = l.declinedAtMs !== undefined && l.declinedAtMs <= input.asOfMs && l.submittedAtMs === undefined
    if (declined) continue
    const inSpecialty = l.specialty !== undefined && input.specialties.includes(l.specialty)
    writers.set(l.facultyId, (writers.get(l.facultyId) ?? false) || inSpecialty)
  }
  let writersInSpecialty = 0
  for (const inSpecialty of writers.values()) if (inSpecialty) writersInSpecialty++
  const ok = (count: number, inSpecialty: number) => count >= input.needed && inSpecialty >= input.inSpecialtyNeeded
  const lettersReady = ok(writers.size, writersInSpecialty)
  const advocatesReady = ok(input.advocates.total, input.advocates.inSpecialty)
  const byLetters = lettersReady || (!advocatesReady && writers.size >= input.advocates.total)
  return {
    writers: [...writers.keys()].sort(),
    writersInSpecialty,
    advocates: input.advocates.total,
    advocatesInSpecialty: input.advocates.inSpecialty,
    basis: byLetters ? "letters" : "advocates",
    count: byLetters ? writers.size : input.advocates.total,
    inSpecialty: byLetters ? writersInSpecialty : input.advocates.inSpecialty,
    needed: input.needed,
    inSpecialtyNeeded: input.inSpecialtyNeeded,
    ready: lettersReady || advocatesReady
  }
}

/**
 * Readiness in words, correct for every count: "3 of 3 letters committed or submitted,
 * 2 in Pediatrics: ready" or "1 advocate of the 3 needed (0 of 2 in Surgery)".
 *
 * @since 0.3.0
 * @category formatting
 */
export const readinessSentence = (r: Readiness, where: string): string => {
  const what = r.basis === "letters" ? ["letter writer", "letter writers"] : ["advocate", "advocates"]
  const noun = r.count === 1 ? what[0] : what[1]
  const specialty = r.inSpecialtyNeeded > 0 ? ` (${r.inSpecialty} in ${where}, ${r.inSpecialtyNeeded} needed)` : ""
  return r.ready
    ? `${r.count} ${noun}${r.inSpecialtyNeeded > 0 ? `, ${r.inSpecialty} in ${where}` : ""}: ready`
    : `${r.count} ${noun} of the ${r.needed} needed${specialty}`
}
