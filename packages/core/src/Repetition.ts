/**
 * Diminishing returns for repeated contact: within one episode of one kind between a pair
 * (a course's lecture questions, a month's feedback cards, a month's meetings), the most
 * recent contribution counts fully, the one before it `repeatRatio` times, the one before
 * that `repeatRatio²` times, and so on. An episode of contributions of weight w can never
 * add more than w ÷ (1 − repeatRatio), so the volume of cards or questions a system sends
 * cannot make a relationship (docs/scoring.md, "Diminishing returns").
 *
 * Why this shape:
 * - it depends only on the set of contributions (ranked by log key, then event id), so
 *   any arrival order gives the same strength;
 * - adding a contribution never lowers strength at one instant: the ranked values with
 *   one more element dominate the old ones rank by rank, and the factors are positive;
 * - a contribution that is the most recent of its episode (the usual case) updates the
 *   episode's log key in O(1): `E' = x ⊕ (ln r + E)`.
 *
 * Pure arithmetic: no state, no clock.
 *
 * @since 0.3.0
 */
import type { Contribution } from "./Contribution.js"
import { isSupport } from "./Contribution.js"
import { addKeys, emptyKey, fadedWeight, sumKeys } from "./Strength.js"

/**
 * Whether contribution `a` ranks before `b` within an episode: a larger log key (a later
 * or heavier contribution), ties by the smaller event id.
 *
 * @since 0.3.0
 * @category ordering
 */
export const ranksBefore = (a: Contribution, b: Contribution): boolean =>
  a.key > b.key || (a.key === b.key && a.event.id < b.event.id)

const byRank = (a: Contribution, b: Contribution): number => (ranksBefore(a, b) ? -1 : ranksBefore(b, a) ? 1 : 0)

/**
 * The log key of an episode's contributions (any order), each discounted by its rank.
 *
 * @since 0.3.0
 * @category operations
 */
export const episodeKey = (contributions: ReadonlyArray<Contribution>, logRatio: number): number => {
  const ranked = [...contributions].sort(byRank)
  return sumKeys(ranked.map((c, i) => c.key + i * logRatio))
}

/**
 * The episode key after adding `c`, which ranks before every contribution already in the
 * episode (whose key is `key`): O(1).
 *
 * @since 0.3.0
 * @category operations
 */
export const prependKey = (key: number, c: Contribution, logRatio: number): number =>
  key === emptyKey ? c.key : addKeys(c.key, key + logRatio)

/**
 * `ln(e^total − e^before + e^after)`: a sum of episode keys after one episode changed from
 * `before` to `after` (with `after ≥ before`, so the result never falls below `total`).
 *
 * @since 0.3.0
 * @category operations
 */
export const replaceKey = (total: number, before: number, after: number): number => {
  if (before === emptyKey) return addKeys(total, after)
  if (total === emptyKey) return after
  const m = Math.max(total, after)
  const rest = Math.max(0, Math.exp(total - m) - Math.exp(before - m))
  return m + Math.log(rest + Math.exp(after - m))
}

/**
 * Every scored contribution's effective weight at `asOfMs`: faded (ages clamped at zero)
 * and discounted by its rank in its episode, ranked by faded weight at `asOfMs` (which is
 * the order of log keys whenever no contribution is after `asOfMs`). `include` picks the
 * contributions taken into account (by default every scored one).
 *
 * @since 0.3.0
 * @category operations
 */
export const effectiveWeights = (
  contributions: ReadonlyArray<Contribution>,
  asOfMs: number,
  lambda: number,
  ratio: number,
  include: (c: Contribution) => boolean = (c) => !isSupport(c)
): Map<Contribution, number> => {
  const episodes = new Map<string | number, Array<{ readonly c: Contribution; readonly faded: number }>>()
  const out = new Map<Contribution, number>()
  for (const c of contributions) {
    if (!include(c)) continue
    const faded = fadedWeight(c.weight, c.atMs, asOfMs, lambda)
    // One of a kind (a rotation, a letter, a paper): its own episode, never discounted.
    if (c.episode === undefined) {
      out.set(c, faded)
      continue
    }
    const list = episodes.get(c.episode) ?? []
    list.push({ c, faded })
    episodes.set(c.episode, list)
  }
  for (const list of episodes.values()) {
    list.sort((a, b) => b.faded - a.faded || byRank(a.c, b.c))
    let factor = 1
    for (const { c, faded } of list) {
      out.set(c, faded * factor)
      factor *= ratio
    }
  }
  return out
}

/**
 * The sum of `effectiveWeights`.
 *
 * @since 0.3.0
 * @category operations
 */
export const effectiveStrength = (
  contributions: ReadonlyArray<Contribution>,
  asOfMs: number,
  lambda: number,
  ratio: number,
  include?: (c: Contribution) => boolean
): number => {
  let sum = 0
  for (const v of effectiveWeights(contributions, asOfMs, lambda, ratio, include).values()) sum += v
  return sum
}
