/**
 * The 0–100 score of a relationship, banded by tier so that the score and the tier tell
 * one story: each tier owns a band of scores (none below 1, acquainted 1–24, developing
 * 25–49, strong 50–74, advocate 75–100), and a pair's place within its band comes from
 * its current strength above the tier's threshold, saturating towards the top of the band.
 * Sorting a student's relationships by score therefore sorts them by tier, and adjacent
 * tiers never overlap (docs/scoring.md, "The score").
 *
 * Laws: the score is non-decreasing in strength and in tier, so adding an interaction
 * never lowers it at one instant (strength and tier never fall); it stays below 100.
 *
 * Pure arithmetic: no state, no clock.
 *
 * @since 0.3.0
 */
import type { ScoringConfig } from "./Config.js"
import type { Tier } from "./Tier.js"
import { rank, rankedTiers } from "./Tier.js"

/**
 * The band of scores each tier owns: `[from, to)` (advocate: up to 100).
 *
 * @since 0.3.0
 * @category constants
 */
export const bands: { readonly [T in Tier]: { readonly from: number; readonly to: number } } = {
  none: { from: 0, to: 1 },
  acquainted: { from: 1, to: 25 },
  developing: { from: 25, to: 50 },
  strong: { from: 50, to: 75 },
  advocate: { from: 75, to: 100 }
}

/**
 * The strength where a tier's band starts and the strength span over which a pair moves
 * 63% of the way through it: the distance to the next tier's threshold, or `saturation`
 * above the advocate threshold.
 *
 * @since 0.3.0
 * @category operations
 */
export const bandScale = (
  tier: Tier,
  config: Pick<ScoringConfig, "tiers" | "saturation">
): { readonly base: number; readonly span: number } => {
  const base = tier === "none" ? 0 : config.tiers[tier].strength
  const next = rankedTiers[rank(tier)]
  const span = next === undefined ? config.saturation : Math.max(1e-9, config.tiers[next].strength - base)
  return { base, span }
}

/**
 * The score of a pair at tier `tier` with current strength `strength`.
 *
 * @since 0.3.0
 * @category operations
 */
export const scoreOf = (tier: Tier, strength: number, config: Pick<ScoringConfig, "tiers" | "saturation">): number => {
  if (!(strength > 0)) return 0
  const band = bands[tier]
  const { base, span } = bandScale(tier, config)
  const position = -Math.expm1(-Math.max(0, strength - base) / span)
  return Math.min(band.to, band.from + (band.to - band.from) * position)
}
