/**
 * Small-cell suppression, in one place for every view and export. For `aggregates:read`
 * keys a group smaller than the threshold (counted in the filtered population) shows no
 * numbers; sensitive measures (support check-ins) are suppressed the same way for
 * everyone. Groups that a table's plan rolls into "Other" (Complementary.ts, planned in
 * Disclosure.ts) are hidden too, so that no small group comes back by subtraction. A hidden
 * cell says why, so the dashboard can tell the reader.
 *
 * @since 0.1.0
 */
import type * as Complementary from "./Complementary.js"
import type { Cell, Suppressed } from "./Views.js"

/**
 * Who is reading: individual drill-down (`dashboards:read`) or aggregates only.
 *
 * @since 0.1.0
 * @category models
 */
export type Audience = "individual" | "aggregate"

/**
 * @since 0.1.0
 * @category models
 */
export interface Policy {
  readonly audience: Audience
  readonly threshold: number
}

/**
 * Whether a group of `population` people is too small to show to this reader.
 *
 * @since 0.1.0
 * @category operations
 */
export const hides = (policy: Policy, population: number): boolean =>
  policy.audience === "aggregate" && population < policy.threshold

/**
 * A count or share of a group of `population` people.
 *
 * @since 0.1.0
 * @category operations
 */
export const cell = (policy: Policy, value: number, population: number): Cell =>
  hides(policy, population) ? { suppressed: true, reason: "small-group", threshold: policy.threshold } : value

/**
 * A sensitive measure: suppressed below the threshold for every audience.
 *
 * @since 0.1.0
 * @category operations
 */
export const sensitive = (policy: Policy, value: number, population: number): Cell =>
  population < policy.threshold ? { suppressed: true, reason: "sensitive", threshold: policy.threshold } : value

/**
 * A hidden cell, saying why.
 *
 * @since 0.2.0
 * @category constructors
 */
export const hidden = (policy: Policy, reason: Suppressed["reason"]): Suppressed => ({
  suppressed: true,
  reason,
  threshold: policy.threshold
})

/**
 * A count or share of a group that a plan may have rolled into "Other" (`because`): hidden
 * with the plan's reason when rolled, otherwise as {@link cell}.
 *
 * @since 0.2.0
 * @category operations
 */
export const planned = (
  policy: Policy,
  value: number,
  population: number,
  because: Complementary.HiddenBecause | undefined
): Cell => (because === undefined ? cell(policy, value, population) : hidden(policy, because))

/**
 * A share of a population (0–1), suppressed with it.
 *
 * @since 0.1.0
 * @category operations
 */
export const share = (policy: Policy, part: number, population: number): Cell =>
  population === 0 ? 0 : cell(policy, part / population, population)

/**
 * The threshold reported in a view's metadata (0 when nothing could be suppressed).
 *
 * @since 0.1.0
 * @category operations
 */
export const reported = (policy: Policy): number => (policy.audience === "aggregate" ? policy.threshold : 0)
