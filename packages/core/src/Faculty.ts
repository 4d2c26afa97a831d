/**
 * One faculty member's mentoring as of a date: active mentees by tier, letters, and their
 * load — active mentoring pairs — compared with their peers (every active faculty member
 * of the school). The load is there to spot overload and to share mentoring out, not to
 * rank anyone.
 *
 * Only active students count as mentees, and only faculty who have not left count as
 * peers. Read-only; `asOf` is an argument.
 *
 * @since 0.1.0
 */
import { median, percentileRank } from "./Concentration.js"
import type { LetterCounts } from "./Letter.js"
import { countLetters } from "./Letter.js"
import { dealtWith, isActiveMentoring, tier as pairTier } from "./Pair.js"
import type { FacultyState, SchoolState } from "./State.js"
import { facultySpecialties, isActiveStudent } from "./State.js"
import type { Instant } from "./Strength.js"
import type { TierCounts } from "./Tier.js"
import { atLeast, emptyCounts } from "./Tier.js"
import { asOfMsIn } from "./internal/asOf.js"

/**
 * A faculty member's mentoring counts at a date.
 *
 * @since 0.1.0
 * @category models
 */
export interface Load {
  readonly facultyId: string
  /** Active students they dealt with (Pair.dealtWith), by tier: each student once. */
  readonly mentees: TierCounts
  /** Active mentoring pairs (see Pair.isActiveMentoring) with active students. */
  readonly activeMentoringPairs: number
  /** Active students at developing or better. */
  readonly developingMentees: number
}

/**
 * A faculty member's load at `asOfMs`.
 *
 * @since 0.1.0
 * @category operations
 */
export const load = (faculty: FacultyState, asOfMs: number, state: SchoolState): Load => {
  const mentees = emptyCounts()
  let activeMentoringPairs = 0
  let developingMentees = 0
  for (const [studentId, pair] of faculty.students) {
    if (!isActiveStudent(state.students.get(studentId))) continue
    if (dealtWith(pair)) {
      const t = pairTier(pair, asOfMs, state)
      mentees[t]++
      if (atLeast(t, "developing")) developingMentees++
    }
    if (isActiveMentoring(pair, asOfMs, state)) activeMentoringPairs++
  }
  return { facultyId: faculty.facultyId, mentees, activeMentoringPairs, developingMentees }
}

/**
 * The loads of every active faculty member, by id.
 *
 * @since 0.1.0
 * @category operations
 */
export const loads = (state: SchoolState, asOfMs: number): ReadonlyMap<string, Load> => {
  const out = new Map<string, Load>()
  for (const f of state.faculty.values()) if (f.status === "active") out.set(f.facultyId, load(f, asOfMs, state))
  return out
}

/**
 * A load against the peers'.
 *
 * @since 0.1.0
 * @category models
 */
export interface PeerComparison {
  readonly activeMentoringPairs: number
  /** Active faculty compared with (this person included when active). */
  readonly peers: number
  readonly peerMedian: number
  /** activeMentoringPairs / peerMedian; undefined when the median is 0. */
  readonly ratioToMedian: number | undefined
  /** Mid-rank percentile among the peers, 0–100. */
  readonly percentile: number
}

/**
 * What a faculty member's page shows.
 *
 * @since 0.1.0
 * @category models
 */
export interface FacultySummary extends Load {
  readonly asOf: string
  readonly status: "active" | "left"
  readonly department: string | undefined
  readonly rank: string | undefined
  /** The specialties they count for in letter readiness (State.facultySpecialties). */
  readonly specialties: ReadonlyArray<string>
  readonly letters: LetterCounts
  readonly load: PeerComparison
}

const summaryOf = (
  faculty: FacultyState,
  asOfMs: number,
  state: SchoolState,
  all: ReadonlyMap<string, Load>,
  peerCounts: ReadonlyArray<number>,
  peerMedian: number
): FacultySummary => {
  const own = all.get(faculty.facultyId) ?? load(faculty, asOfMs, state)
  return {
    ...own,
    asOf: new Date(asOfMs).toISOString(),
    status: faculty.status,
    department: faculty.department,
    rank: faculty.rank,
    specialties: facultySpecialties(faculty),
    letters: countLetters(faculty.students.values()),
    load: {
      activeMentoringPairs: own.activeMentoringPairs,
      peers: peerCounts.length,
      peerMedian,
      ratioToMedian: peerMedian > 0 ? own.activeMentoringPairs / peerMedian : undefined,
      percentile: percentileRank(own.activeMentoringPairs, peerCounts)
    }
  }
}

/**
 * Summarises a faculty member as of `asOf`; `undefined` for one the state does not know.
 * Computing the peers' loads walks every pair of the school: for many pages at once, use
 * `summarizeAll`.
 *
 * @throws InvalidAsOf when `asOf` is neither an instant nor a calendar date (see `AsOf`).
 * @since 0.1.0
 * @category constructors
 */
export const summarize = (state: SchoolState, facultyId: string, asOf: Instant): FacultySummary | undefined => {
  const faculty = state.faculty.get(facultyId)
  if (faculty === undefined) return undefined
  const asOfMs = asOfMsIn(asOf, state.calendar)
  const all = loads(state, asOfMs)
  const counts = [...all.values()].map((l) => l.activeMentoringPairs)
  return summaryOf(faculty, asOfMs, state, all, counts, median(counts))
}

/**
 * Summarises every faculty member the state knows, sorted by id.
 *
 * @throws InvalidAsOf when `asOf` is neither an instant nor a calendar date (see `AsOf`).
 * @since 0.1.0
 * @category constructors
 */
export const summarizeAll = (state: SchoolState, asOf: Instant): ReadonlyArray<FacultySummary> => {
  const asOfMs = asOfMsIn(asOf, state.calendar)
  const all = loads(state, asOfMs)
  const counts = [...all.values()].map((l) => l.activeMentoringPairs)
  const mid = median(counts)
  return [...state.faculty.values()]
    .sort((a, b) => (a.facultyId < b.facultyId ? -1 : a.facultyId > b.facultyId ? 1 : 0))
    .map((f) => summaryOf(f, asOfMs, state, all, counts, mid))
}
