/**
 * Why a relationship scores what it scores, in terms a dean can check against the events:
 * the contributions that weigh most today and their points (every contribution's points
 * add up to the score), the dimensions never touched, when contact was last made and
 * what the next tier still needs, in one sentence.
 *
 * Support check-ins never appear here: an explanation is shown per student, and support
 * is counted only in aggregates.
 *
 * Pure: everything it needs comes in as arguments.
 *
 * @since 0.1.0
 */
import type { Contribution, Dimension, InteractionKind } from "./Contribution.js"
import { dimensionBits, dimensionsOf, scoredDimensions } from "./Contribution.js"
import type { EventType } from "./Event.js"
import type { ScoringContext } from "./State.js"
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
  /** Its weight as of the explanation's date: faded, and discounted when it repeats contact of its kind in its episode. */
  readonly fadedWeight: number
  /** Its part of the pair's strength, 0–1. */
  readonly share: number
  /** Its part of the score: the score × its share (the points of all contributions add up to the score). */
  readonly points: number
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
  /** The points of every other contribution, so that `topContributions` and this add up to the score. */
  readonly otherPoints: number
  /** How many contributions `otherPoints` stands for. */
  readonly otherContributions: number
  /** Scored dimensions never touched, in display order. */
  readonly missingDimensions: ReadonlyArray<Dimension>
  /** The instant of the last contact, if any. */
  readonly lastContactAt: string | undefined
  /** Calendar days (school time zone) from the last contact to the explanation's date; 0 at the earliest. */
  readonly daysSinceLastContact: number | undefined
  /** The next tier and what it still needs; absent at "advocate". */
  readonly nextTier: NextTier | undefined
  /** The score and the next tier in one sentence a dean can read. */
  readonly sentence: string
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
 * The largest contributions of a pair, from their effective weights
 * (Repetition.effectiveWeights), with their points of `score`; and the points left over.
 *
 * @since 0.1.0
 * @category operations
 */
export const topContributions = (
  weights: ReadonlyMap<Contribution, number>,
  score: number,
  size: number
): {
  readonly top: ReadonlyArray<ExplainedContribution>
  readonly otherPoints: number
  readonly otherContributions: number
} => {
  const ranked: Array<{ readonly faded: number; readonly c: Contribution }> = []
  let total = 0
  for (const [c, faded] of weights) {
    ranked.push({ faded, c })
    total += faded
  }
  ranked.sort(byContribution)
  const top = ranked.slice(0, size).map(({ c, faded }) => {
    const share = total > 0 ? Math.min(1, faded / total) : 0
    return {
      eventId: c.event.id,
      type: c.event.type,
      kind: c.kind,
      occurredAt: c.event.occurredAt,
      weight: c.weight,
      fadedWeight: faded,
      share,
      points: score * share,
      dimensions: dimensionsOf(c.dimensions)
    }
  })
  const listed = top.reduce((sum, c) => sum + c.points, 0)
  const otherContributions = ranked.length - top.length
  // Nothing left out: nothing else. Otherwise the rest, to a billionth of a point: the
  // rounding of a sum must not tell two pages apart (it depends on the order of additions).
  const otherPoints = otherContributions === 0 ? 0 : Math.round(Math.max(0, score - listed) * 1e9) / 1e9
  return { top, otherPoints, otherContributions }
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
  /** Each scored contribution's effective weight as of the explanation's date. */
  readonly weights: ReadonlyMap<Contribution, number>
  readonly touched: number
  readonly lastContactMs: number
  readonly features: Features
  readonly tier: Tier
  readonly score: number
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`

/**
 * What the next tier still needs, in words ("strong needs 1.3 more strength and contact
 * in 1 more week"); the empty string at advocate.
 *
 * @since 0.3.0
 * @category formatting
 */
export const needsSentence = (next: NextTier | undefined, missing: ReadonlyArray<Dimension>): string => {
  if (next === undefined) return ""
  const parts: Array<string> = []
  if (next.strengthNeeded !== undefined) parts.push(`${next.strengthNeeded.toFixed(1)} more strength (recent contact)`)
  if (next.breadthNeeded !== undefined) {
    const options = missing.filter((d) => d !== "support").join(", ")
    parts.push(`${plural(next.breadthNeeded, "more kind", "more kinds")} of contact (${options})`)
  }
  if (next.weeksNeeded !== undefined)
    parts.push(
      `contact in ${plural(next.weeksNeeded, "more week", "more weeks")}, a committed letter or an observed rotation`
    )
  return parts.length === 0 ? `${next.tier} needs nothing more` : `${next.tier} needs ${parts.join(" and ")}`
}

/**
 * Explains a pair as of `asOfMs`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const explain = (input: ExplanationInput, asOfMs: number, ctx: ScoringContext): Explanation => {
  const contacted = Number.isFinite(input.lastContactMs)
  const { top, otherPoints, otherContributions } = topContributions(
    input.weights,
    input.score,
    ctx.config.explanationSize
  )
  const missing = missingDimensions(input.touched)
  const next = nextTier(input.tier, input.features, ctx.config)
  const needs = needsSentence(next, missing)
  return {
    topContributions: top,
    otherPoints,
    otherContributions,
    missingDimensions: missing,
    lastContactAt: contacted ? new Date(input.lastContactMs).toISOString() : undefined,
    daysSinceLastContact: contacted ? Math.max(0, ctx.calendar.daysBetween(input.lastContactMs, asOfMs)) : undefined,
    nextTier: next,
    sentence: `Score ${input.score.toFixed(0)}, ${input.tier}${needs === "" ? " (the highest tier)" : `; ${needs}`}.`
  }
}
