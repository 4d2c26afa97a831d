/**
 * A relationship tier as a small labelled badge (colour is never the only cue: the word is
 * always there).
 *
 * @since 0.1.0
 */
import { tierDescription, tierLabel } from "../lib/Labels.js"

/**
 * @since 0.1.0
 * @category components
 */
export const TierBadge = ({ tier }: { readonly tier: string }) => (
  <span className={`tier tier-${tier}`} title={tierDescription(tier)}>
    {tierLabel(tier)}
  </span>
)
