/**
 * Until when a pair holds each tier if no new contact comes: the arithmetic behind every
 * `*_until_ms` column. A leaf of the projection (Projection.ts builds rows with it, Memo.ts
 * remembers it), so that neither imports the other.
 *
 * @since 0.2.0
 */
import { Pair, type State, Strength, Tier } from "@rapport/core"
import type { Untils } from "./Rows.js"

/**
 * "Held for good": the until-value of a tier that no passage of time takes away (an
 * open mentor assignment; a threshold of zero strength).
 *
 * @since 0.1.0
 * @category constants
 */
export const forever = 8.64e15

/**
 * No tier held.
 *
 * @since 0.2.0
 * @category constants
 */
export const none: Untils = { acquainted: null, developing: null, strong: null, advocate: null }

/**
 * The instant until which a pair holds each tier if no new contact comes: strength falls
 * below the tier's threshold at `(key − ln threshold)·day/λ`; `null` when the pair's
 * non-decaying features (breadth, weeks, a letter or an observed rotation: Pair.sustained)
 * do not qualify for it at all.
 *
 * @since 0.1.0
 * @category operations
 */
export const untils = (pair: State.PairState, state: State.SchoolState): Untils => {
  // Only people the student dealt with hold a tier (lecture-only or roster-only pairs do not: Pair.dealtWith).
  if (pair.key === Strength.emptyKey || !Pair.dealtWith(pair)) return none
  const sustained = Pair.sustained(pair)
  const result: Record<keyof Untils, number | null> = { ...none }
  for (const tier of Tier.rankedTiers) {
    const threshold = state.config.tiers[tier]
    if (!Tier.sustains(sustained, threshold)) break
    result[tier] =
      threshold.strength <= 0
        ? forever
        : Math.min(forever, ((pair.key - Math.log(threshold.strength)) * Strength.msPerDay) / state.lambda)
  }
  return result
}
