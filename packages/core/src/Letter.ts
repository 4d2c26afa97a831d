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
