/**
 * The five tiers of a relationship and the rule that assigns one: the highest tier whose
 * thresholds the pair meets in current (faded) strength AND in the two features that never
 * fade, breadth (scored dimensions ever touched) and sustained contact (distinct weeks
 * with contact — or a committed or submitted letter, or a rotation supervised with
 * feedback given, which meet every tier's sustained-contact requirement: a clerkship
 * attending known for weeks is the typical letter writer). Thresholds are nested (Config
 * validates it), so a pair meeting a tier meets every lower one, and more contact can
 * never lower a tier.
 *
 * Pure: no state, no clock.
 *
 * @since 0.1.0
 */
import type { ScoringConfig, TierThreshold } from "./Config.js"

/**
 * A relationship's tier. "advocate": knows the student well enough to write a strong
 * letter.
 *
 * @since 0.1.0
 * @category models
 */
export type Tier = "none" | "acquainted" | "developing" | "strong" | "advocate"

/**
 * The tiers from lowest to highest.
 *
 * @since 0.1.0
 * @category constants
 */
export const tiers: ReadonlyArray<Tier> = ["none", "acquainted", "developing", "strong", "advocate"]

/**
 * The tiers that have thresholds, lowest first.
 *
 * @since 0.1.0
 * @category constants
 */
export const rankedTiers: ReadonlyArray<Exclude<Tier, "none">> = ["acquainted", "developing", "strong", "advocate"]

/**
 * The position of a tier, 0 for "none" to 4 for "advocate".
 *
 * @since 0.1.0
 * @category operations
 */
export const rank = (tier: Tier): number => tiers.indexOf(tier)

/**
 * Whether `tier` is `minimum` or higher.
 *
 * @since 0.1.0
 * @category operations
 */
export const atLeast = (tier: Tier, minimum: Tier): boolean => rank(tier) >= rank(minimum)

/**
 * What a tier is decided on.
 *
 * @since 0.1.0
 * @category models
 */
export interface Features {
  /** Current strength of the scored contributions. */
  readonly strength: number
  /** Scored dimensions ever touched (0–4). */
  readonly breadth: number
  /** Distinct weeks with scored contact. */
  readonly weeks: number
  /** A committed or submitted letter, or a supervised rotation with feedback: meets every sustained-contact requirement. */
  readonly vouched: boolean
}

/**
 * Whether non-decaying features (breadth and sustained contact) qualify for a tier's
 * threshold; strength is the only part that fades.
 *
 * @since 0.3.0
 * @category predicates
 */
export const sustains = (f: Omit<Features, "strength">, t: TierThreshold): boolean =>
  f.breadth >= t.breadth && (f.vouched || f.weeks >= t.weeks)

const meets = (f: Features, t: TierThreshold): boolean => f.strength >= t.strength && sustains(f, t)

/**
 * The tier of a pair's features.
 *
 * @since 0.1.0
 * @category operations
 */
export const tierOf = (features: Features, config: Pick<ScoringConfig, "tiers">): Tier => {
  let tier: Tier = "none"
  for (const name of rankedTiers) {
    if (!meets(features, config.tiers[name])) break
    tier = name
  }
  return tier
}

/**
 * What a pair still lacks for the next tier: the gap in each feature that falls short
 * (absent when it is already met). `undefined` at "advocate".
 *
 * @since 0.1.0
 * @category models
 */
export interface NextTier {
  readonly tier: Exclude<Tier, "none">
  readonly strengthNeeded?: number
  readonly breadthNeeded?: number
  /** More distinct weeks with contact (absent when a letter or an observed rotation meets it). */
  readonly weeksNeeded?: number
}

/**
 * The next tier above `tier` and the gaps to it.
 *
 * @since 0.1.0
 * @category operations
 */
export const nextTier = (
  tier: Tier,
  features: Features,
  config: Pick<ScoringConfig, "tiers">
): NextTier | undefined => {
  const next = rankedTiers[rank(tier)]
  if (next === undefined) return undefined
  const t = config.tiers[next]
  return {
    tier: next,
    ...(features.strength < t.strength ? { strengthNeeded: t.strength - features.strength } : {}),
    ...(features.breadth < t.breadth ? { breadthNeeded: t.breadth - features.breadth } : {}),
    ...(!features.vouched && features.weeks < t.weeks ? { weeksNeeded: t.weeks - features.weeks } : {})
  }
}

/**
 * Counts per tier, every tier present.
 *
 * @since 0.1.0
 * @category models
 */
export type TierCounts = { readonly [T in Tier]: number }

/**
 * A writable tally of tiers.
 *
 * @since 0.1.0
 * @category models
 */
export type TierTally = { [T in Tier]: number }

/**
 * A zeroed tally of tiers.
 *
 * @since 0.1.0
 * @category constructors
 */
export const emptyCounts = (): TierTally => ({
  none: 0,
  acquainted: 0,
  developing: 0,
  strong: 0,
  advocate: 0
})
