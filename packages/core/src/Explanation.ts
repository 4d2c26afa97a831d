/**
 * Why a relationship scores what it scores, in terms a dean can check against the events:
 * the contributions that weigh most today, the dimensions never touched, when contact was
 * last made and what the next tier still needs.
 *
 * Support check-ins never appear here: an explanation is shown per student, and support
 * is counted only in aggregates.
 *
 * Pure: everything it needs comes in as arguments.
 *
 * @since 0.1.0
 */
import type { Contribution, Dimension, InteractionKind } from "./Contribution.js"
import { dimensionBits, dimensionsOf, isSupport, scoredDimensions } from "./Contribution.js"
import type { EventType } from "./Event.js"
import type { ScoringContext } from "./State.js"
import { fadedWeight } from "./Strength.js"
import type { Features, NextTier, Tier } from "./Tier.js"
import { nextTier } from "./Tier.js"

/**
 * One contribution as an explanation lists it.
 *
 * @since 0.1.0
 * @category models
 */
export interface ExplainedContribution {
  readonly eventId: string
  readonly type: EventType
  readonly kind: InteractionKind
  readonly occurredAt: string
  /** Its weight on the day (base × duration × initiative). */
  readonly weight: number
  /** Its weight as of the explanation's date. */
  readonly fadedWeight: number
  /** Its part of the pair's strength, 0–1. */
  readonly share: number
  readonly dimensions: ReadonlyArray<Dimension>
}

/**
 * The explanation of a relationship score.
 *
 * @since 0.1.0
 * @category models
 */
export interface Explanation {
  /** The largest contributions today, largest first; ties by occurredAt, then event id. */
  readonly topContributions: ReadonlyArray<ExplainedContribution>
  /** Scored dimensions never touched, in display order. */
  readonly missingDimensions: ReadonlyArray<Dimension>
  /** The instant of the last contact, if any. */
  readonly lastContactAt: string | undefined
  /** Calendar days (school time zone) from the last contact to the explanation's date; 0 at the earliest. */
  readonly daysSinceLastContact: number | undefined
  /** The next tier and what it still needs; absent at "advocate". */
  readonly nextTier: NextTier | undefined
}

/**
 * The order of an explanation: larger faded weight first, then earlier, then smaller id.
 *
 * @since 0.1.0
 * @category ordering
 */
export const byContribution = (
  a: { readonly faded: number; readonly c: Contribution },
  b: { readonly faded: number; readonly c: Contribution }
): number => {
  if (a.faded !== b.faded) return b.faded - a.faded
  if (a.c.atMs !== b.c.atMs) return a.c.atMs - b.c.atMs
  return a.c.event.id < b.c.event.id ? -1 : a.c.event.id > b.c.event.id ? 1 : 0
}

/**
 * The largest scored contributions of a pair as of `asOfMs`.
 *
 * @since 0.1.0
 * @category operations
 */
export const topContributions = (
  contributions: ReadonlyArray<Contribution>,
  asOfMs: number,
  strength: number,
  size: number,
  lambda: number
): ReadonlyArray<ExplainedContribution> => {
  const ranked: Array<{ readonly faded: number; readonly c: Contribution }> = []
  for (const c of contributions) {
    if (!isSupport(c)) ranked.push({ faded: fadedWeight(c.weight, c.atMs, asOfMs, lambda), c })
  }
  ranked.sort(byContribution)
  return ranked.slice(0, size).map(({ c, faded }) => ({
    eventId: c.event.id,
    type: c.event.type,
    kind: c.kind,
    occurredAt: c.event.occurredAt,
    weight: c.weight,
    fadedWeight: faded,
    share: strength > 0 ? Math.min(1, faded / strength) : 0,
    dimensions: dimensionsOf(c.dimensions)
  }))
}

/**
 * The scored dimensions missing from a mask of touched dimensions.
 *
 * @since 0.1.0
 * @category operations
 */
export const missingDimensions = (touched: number): ReadonlyArray<Dimension> =>
  scoredDimensions.filter((d) => (touched & dimensionBits[d]) === 0)

/**
 * Everything an explanation needs about one pair.
 *
 * @since 0.1.0
 * @category models
 */
export interface ExplanationInput {
  readonly contributions: ReadonlyArray<Contribution>
  readonly touched: number
  readonly lastContactMs: number
  readonly features: Features
  readonly tier: Tier
}

/**
 * Explains a pair as of `asOfMs`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const explain = (input: ExplanationInput, asOfMs: number, ctx: ScoringContext): Explanation => {
  const contacted = Number.isFinite(input.lastContactMs)
  return {
    topContributions: topContributions(
      input.contributions,
      asOfMs,
      input.features.strength,
      ctx.config.explanationSize,
      ctx.lambda
    ),
    missingDimensions: missingDimensions(input.touched),
    lastContactAt: contacted ? new Date(input.lastContactMs).toISOString() : undefined,
    daysSinceLastContact: contacted ? Math.max(0, ctx.calendar.daysBetween(input.lastContactMs, asOfMs)) : undefined,
    nextTier: nextTier(input.tier, input.features, ctx.config)
  }
}
