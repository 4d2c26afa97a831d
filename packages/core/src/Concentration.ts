/**
 * How evenly mentoring is spread across faculty: the share of pairs held by the busiest
 * faculty, the Gini coefficient, and where one person's load sits among their peers.
 * These are the measures behind "mentoring concentration" and "load compared with peers".
 *
 * Plain arithmetic over arrays of non-negative counts; every function is pure and does
 * not reorder its input.
 *
 * @since 0.1.0
 */

const ascending = (values: ReadonlyArray<number>): Array<number> => [...values].sort((a, b) => a - b)

/**
 * The median (the mean of the two middle values for an even count); 0 for no values.
 *
 * @since 0.1.0
 * @category operations
 */
export const median = (values: ReadonlyArray<number>): number => {
  if (values.length === 0) return 0
  const s = ascending(values)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2
}

/**
 * The mid-rank percentile of `value` among `values`, 0–100: the share of values below it
 * plus half the share equal to it. A load equal to everyone else's sits at 50.
 *
 * @since 0.1.0
 * @category operations
 */
export const percentileRank = (value: number, values: ReadonlyArray<number>): number => {
  if (values.length === 0) return 50
  let below = 0
  let equal = 0
  for (const v of values) {
    if (v < value) below++
    else if (v === value) equal++
  }
  return (100 * (below + equal / 2)) / values.length
}

/**
 * The Gini coefficient of non-negative values: 0 when everyone holds the same, towards 1
 * when one holds everything. 0 for no values or a zero total.
 *
 * `G = Σᵢ (2i − n − 1)·xᵢ / (n·Σx)` over values sorted ascending, i from 1.
 *
 * @since 0.1.0
 * @category operations
 */
export const gini = (values: ReadonlyArray<number>): number => {
  const n = values.length
  if (n === 0) return 0
  const s = ascending(values)
  let total = 0
  let weighted = 0
  for (let i = 0; i < n; i++) {
    const x = s[i] ?? 0
    total += x
    weighted += (2 * (i + 1) - n - 1) * x
  }
  return total > 0 ? weighted / (n * total) : 0
}

/**
 * The share held by the top of a population.
 *
 * @since 0.1.0
 * @category models
 */
export interface TopShare {
  /** How many members make up the top: ⌈share·n⌉ (at least 1 when there is anyone). */
  readonly members: number
  /** What they hold together. */
  readonly held: number
  /** What everyone holds. */
  readonly total: number
  /** held / total; 0 when the total is 0. */
  readonly share: number
}

/**
 * The part of the total held by the largest `share` of the values (e.g. 0.1: the top 10%
 * of faculty by number of active mentoring pairs).
 *
 * @since 0.1.0
 * @category operations
 */
export const topShare = (values: ReadonlyArray<number>, share: number): TopShare => {
  const n = values.length
  const members = n === 0 ? 0 : Math.min(n, Math.max(1, Math.ceil(share * n - 1e-9)))
  const s = ascending(values)
  let total = 0
  for (const v of s) total += v
  let held = 0
  for (let i = n - members; i < n; i++) held += s[i] ?? 0
  return { members, held, total, share: total > 0 ? held / total : 0 }
}

/**
 * Concentration of a population's counts: the top share and the Gini coefficient.
 *
 * @since 0.1.0
 * @category models
 */
export interface Concentration {
  /** Active mentoring pairs held by the top `topFacultyShare` of active faculty. */
  readonly top: TopShare
  /** Gini over faculty with at least one developing-or-better active mentee, of their mentee counts. */
  readonly gini: number
  /** How many faculty the Gini coefficient is over. */
  readonly giniFaculty: number
}

/**
 * Concentration from each faculty member's count of active mentoring pairs (every active
 * faculty member, zeros included) and count of developing-or-better mentees.
 *
 * @since 0.1.0
 * @category constructors
 */
export const concentration = (
  mentoringPairs: ReadonlyArray<number>,
  developingMentees: ReadonlyArray<number>,
  share: number
): Concentration => {
  const withMentees = developingMentees.filter((n) => n > 0)
  return { top: topShare(mentoringPairs, share), gini: gini(withMentees), giniFaculty: withMentees.length }
}
