/**
 * The arithmetic of fading contact: a relationship's strength is the sum of its
 * interactions' weights, each halved every `halfLifeDays`, and its score saturates
 * towards 100 as strength grows.
 *
 * Strength is kept in the log domain as a *log key*, `ln Σ wᵢ·e^{λ·tᵢ}` with λ = ln 2 / H
 * and tᵢ in days since 1970-01-01T00:00Z. The key never changes as time passes, so it can
 * be stored as a column: strength at `asOf` is `e^{key − λ·asOf}`, and "strength ≥ s at
 * time t" is the index range query `key ≥ ln s + λ·t` (`thresholdKey`). Keys are added with
 * log-sum-exp, so they never overflow however small the half-life or late the date.
 *
 * This module is arithmetic only: it must never read a clock (`asOf` is an argument) and
 * holds no state.
 *
 * @since 0.1.0
 */
import type { ScoringConfig } from "./Config.js"
import { toMs } from "./internal/asOf.js"

/**
 * Milliseconds in a day: the unit of `t` in log keys.
 *
 * @since 0.1.0
 * @category constants
 */
export const msPerDay = 86_400_000

/**
 * The log key of a relationship with no interaction (strength 0).
 *
 * @since 0.1.0
 * @category constants
 */
export const emptyKey = Number.NEGATIVE_INFINITY

/**
 * An instant given either as epoch milliseconds or as an ISO 8601 / RFC 3339 string.
 *
 * @since 0.1.0
 * @category models
 */
export type Instant = number | string

/**
 * Epoch milliseconds of an instant, read as every `asOf` is (see `AsOf`), except that a
 * calendar date is refused: these low-level functions know no time zone to find its
 * midnight in.
 *
 * @throws RangeError when the instant is not a finite number or an RFC 3339 instant with an
 * offset: a bug in the caller, who must pass a real `asOf`.
 * @since 0.1.0
 * @category constructors
 */
export const toEpochMs = (instant: Instant): number => {
  const ms = toMs(instant, () => Number.NaN)
  if (Number.isNaN(ms)) throw new RangeError(`Expected an instant, got ${String(instant)}`)
  return ms
}

/**
 * The decay rate λ = ln 2 / half-life, per day.
 *
 * @since 0.1.0
 * @category operations
 */
export const decayRate = (config: Pick<ScoringConfig, "halfLifeDays">): number => Math.LN2 / config.halfLifeDays

/**
 * `ln(e^a + e^b)` without overflow; either side may be `emptyKey`.
 *
 * @since 0.1.0
 * @category operations
 */
export const addKeys = (a: number, b: number): number => {
  if (a === emptyKey) return b
  if (b === emptyKey) return a
  return a >= b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b))
}

/**
 * The log key of one interaction of weight `weight` (> 0) at epoch ms `atMs`:
 * `ln weight + λ·t`. It does not depend on any `asOf`, so comparing two of them compares
 * the interactions' faded weights at every later date.
 *
 * @since 0.1.0
 * @category operations
 */
export const interactionKey = (weight: number, atMs: number, lambda: number): number =>
  Math.log(weight) + (lambda * atMs) / msPerDay

/**
 * The log key of many interaction keys at once (max-shifted, so exact to rounding and
 * independent of the order of `keys` up to rounding).
 *
 * @since 0.1.0
 * @category operations
 */
export const sumKeys = (keys: Iterable<number>): number => {
  let max = emptyKey
  const list: Array<number> = []
  for (const key of keys) {
    list.push(key)
    if (key > max) max = key
  }
  if (max === emptyKey) return emptyKey
  let sum = 0
  for (const key of list) sum += Math.exp(key - max)
  return max + Math.log(sum)
}

/**
 * Strength at `asOfMs` of a log key, assuming every interaction happened at or before
 * `asOfMs` (for later ones use `fadedWeight`, which clamps ages at zero).
 *
 * @since 0.1.0
 * @category operations
 */
export const strengthOfKey = (key: number, asOfMs: number, lambda: number): number =>
  key === emptyKey ? 0 : Math.exp(key - (lambda * asOfMs) / msPerDay)

/**
 * One interaction's weight at `asOfMs`: halved every half-life, with its age clamped at
 * zero (an interaction dated after `asOf` counts as of `asOf`, never more).
 *
 * @since 0.1.0
 * @category operations
 */
export const fadedWeight = (weight: number, atMs: number, asOfMs: number, lambda: number): number =>
  asOfMs <= atMs ? weight : weight * Math.exp((-lambda * (asOfMs - atMs)) / msPerDay)

/**
 * The score 0–100 of a strength: `100·(1 − e^(−strength/saturation))`. It rises steeply
 * for the first interactions and flattens as the relationship matures, so that a hundred
 * lecture questions never outrank a mentor of years.
 *
 * @since 0.1.0
 * @category operations
 */
export const scoreOf = (strength: number, saturation: number): number =>
  strength > 0 ? Math.min(100, -100 * Math.expm1(-strength / saturation)) : 0

/**
 * The strength at which the score reaches `score` (0 ≤ score < 100).
 *
 * @since 0.1.0
 * @category operations
 */
export const strengthForScore = (score: number, saturation: number): number =>
  score <= 0 ? 0 : -saturation * Math.log1p(-Math.min(score, 100) / 100)

/**
 * The smallest log key whose strength at `asOf` is at least `strength`: stored keys,
 * compared with it, answer "which relationships are at least this strong now" as an
 * index range query (`log_key >= thresholdKey(...)`).
 *
 * @since 0.1.0
 * @category operations
 */
export const thresholdKey = (strength: number, asOf: Instant, config: Pick<ScoringConfig, "halfLifeDays">): number =>
  strength <= 0 ? emptyKey : Math.log(strength) + (decayRate(config) * toEpochMs(asOf)) / msPerDay

/**
 * The strength at `asOf` of a stored log key (the read-model counterpart of
 * `thresholdKey`).
 *
 * @since 0.1.0
 * @category operations
 */
export const strengthAt = (key: number, asOf: Instant, config: Pick<ScoringConfig, "halfLifeDays">): number =>
  strengthOfKey(key, toEpochMs(asOf), decayRate(config))
