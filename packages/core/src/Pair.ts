/**
 * One student–faculty relationship read at a date: its strength, score, tier, dimensions
 * and explanation (`relationshipScore`), and the facts follow-up rules need about it:
 * mentor assignments, research roles and letters.
 *
 * Strength comes from the pair's log key in O(1) whenever every contribution is at or
 * before `asOf` (the usual case); otherwise each contribution is faded with its age
 * clamped at zero. Either way it is non-decreasing in contributions and non-increasing in
 * `asOf`.
 *
 * Read-only: it never changes a pair and never reads a clock.
 *
 * @since 0.1.0
 */
import type { Contribution, Dimension } from "./Contribution.js"
import { breadthOf, dimensionBits, isSupport } from "./Contribution.js"
import { effectiveStrength, effectiveWeights } from "./Repetition.js"
import { scoreOf } from "./Score.js"
import type { Explanation } from "./Explanation.js"
import { explain } from "./Explanation.js"
import type { PairState, ScoringContext } from "./State.js"
import type { Instant } from "./Strength.js"
import { fadedWeight, strengthOfKey } from "./Strength.js"
import type { Features, Tier } from "./Tier.js"
import { atLeast, tierOf } from "./Tier.js"
import { asOfMsIn } from "./internal/asOf.js"

/**
 * The strength at `asOfMs` of a pair's scored contributions, with diminishing returns
 * within each episode (Repetition.ts). `ratio` is the configuration's `repeatRatio`.
 *
 * @since 0.1.0
 * @category operations
 */
export const strength = (pair: PairState, asOfMs: number, lambda: number, ratio: number): number => {
  if (asOfMs >= pair.lastContactMs) return strengthOfKey(pair.key, asOfMs, lambda)
  return effectiveStrength(pair.contributions, asOfMs, lambda, ratio)
}

/**
 * The strength at `asOfMs` of a pair's support check-ins (for aggregates only).
 *
 * @since 0.1.0
 * @category operations
 */
export const supportStrength = (pair: PairState, asOfMs: number, lambda: number): number => {
  if (asOfMs >= pair.lastSupportMs) return strengthOfKey(pair.supportKey, asOfMs, lambda)
  let sum = 0
  for (const c of pair.contributions) if (isSupport(c)) sum += fadedWeight(c.weight, c.atMs, asOfMs, lambda)
  return sum
}

/**
 * The features a pair's tier is decided on.
 *
 * @since 0.1.0
 * @category operations
 */
export const features = (pair: PairState, asOfMs: number, ctx: ScoringContext): Features => ({
  strength: strength(pair, asOfMs, ctx.lambda, ctx.config.repeatRatio),
  ...sustained(pair)
})

/**
 * The features of a pair that never fade: breadth, distinct weeks with contact, and
 * whether a letter or an observed rotation vouches for sustained contact.
 *
 * @since 0.3.0
 * @category operations
 */
export const sustained = (pair: PairState): Omit<Features, "strength"> => ({
  breadth: breadthOf(pair.touched),
  weeks: pair.weeks.size,
  vouched: pair.vouched > 0 || (pair.rotations > 0 && pair.feedback > 0)
})

/**
 * The features of a pair from its scored contributions up to `atMs` only (the state as
 * it was at `atMs`, whatever arrived since): what follow-up rules ask of the past.
 *
 * @since 0.3.0
 * @category operations
 */
export const featuresUpTo = (pair: PairState, atMs: number, ctx: ScoringContext): Features => {
  if (atMs >= pair.lastContactMs) return features(pair, atMs, ctx)
  const upTo = (c: Contribution) => !isSupport(c) && c.atMs <= atMs
  let touched = 0
  let vouched = false
  let rotation = false
  let feedback = false
  const weeks = new Set<number>()
  for (const c of pair.contributions) {
    if (!upTo(c)) continue
    touched |= c.dimensions
    weeks.add(c.week)
    if (c.kind === "letterCommitted" || c.kind === "letterSubmitted") vouched = true
    else if (c.kind === "rotation") rotation = true
    else if (c.kind === "clinicalFeedback") feedback = true
  }
  return {
    strength: effectiveStrength(pair.contributions, atMs, ctx.lambda, ctx.config.repeatRatio, upTo),
    breadth: breadthOf(touched),
    weeks: weeks.size,
    vouched: vouched || (rotation && feedback)
  }
}

/**
 * A pair's tier at `asOfMs`.
 *
 * @since 0.1.0
 * @category operations
 */
export const tier = (pair: PairState, asOfMs: number, ctx: ScoringContext): Tier =>
  tierOf(features(pair, asOfMs, ctx), ctx.config)

/**
 * One scored dimension of a relationship.
 *
 * @since 0.1.0
 * @category models
 */
export interface DimensionScore {
  readonly touched: boolean
  /** Current strength of the contributions touching this dimension (each counts fully in every dimension it touches). */
  readonly strength: number
}

/**
 * A relationship as of a date: what the student's and the faculty member's pages show.
 *
 * @since 0.1.0
 * @category models
 */
export interface RelationshipScore {
  readonly studentId: string
  readonly facultyId: string
  readonly asOf: string
  /** 0–100, banded by tier (Score.bands): sorting by score sorts by tier. */
  readonly score: number
  readonly tier: Tier
  readonly strength: number
  /** The pair's log key (asOf-independent; see Strength.thresholdKey). */
  readonly key: number
  /** Scored dimensions ever touched. */
  readonly breadth: number
  /** Distinct weeks with contact. */
  readonly weeks: number
  /** A committed or submitted letter, or a rotation supervised with feedback: meets every tier's sustained-contact requirement. */
  readonly vouched: boolean
  /** Scored interactions in the pair's history. */
  readonly interactions: number
  /** The four scored dimensions (support is never shown per student). */
  readonly dimensions: { readonly [D in Exclude<Dimension, "support">]: DimensionScore }
  readonly explanation: Explanation
}

/**
 * The strength per scored dimension at `asOfMs`.
 *
 * @since 0.1.0
 * @category operations
 */
export const dimensionScores = (
  pair: PairState,
  asOfMs: number,
  ctx: ScoringContext,
  weights: ReadonlyMap<Contribution, number> = effectiveWeights(
    pair.contributions,
    asOfMs,
    ctx.lambda,
    ctx.config.repeatRatio
  )
): { readonly [D in Exclude<Dimension, "support">]: DimensionScore } => {
  const sums = [0, 0, 0, 0]
  for (const [c, faded] of weights) {
    for (let i = 0; i < 4; i++) if ((c.dimensions & (1 << i)) !== 0) sums[i] = (sums[i] ?? 0) + faded
  }
  const one = (d: Dimension, i: number): DimensionScore => ({
    touched: (pair.touched & dimensionBits[d]) !== 0,
    strength: sums[i] ?? 0
  })
  return {
    mentorship: one("mentorship", 0),
    research: one("research", 1),
    letters: one("letters", 2),
    clinical: one("clinical", 3)
  }
}

/**
 * Scores and explains a relationship as of `asOf`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const relationshipScore = (pair: PairState, asOf: Instant, ctx: ScoringContext): RelationshipScore => {
  const asOfMs = asOfMsIn(asOf, ctx.calendar)
  const f = features(pair, asOfMs, ctx)
  const t = tierOf(f, ctx.config)
  const score = scoreOf(t, f.strength, ctx.config)
  const weights = effectiveWeights(pair.contributions, asOfMs, ctx.lambda, ctx.config.repeatRatio)
  return {
    studentId: pair.studentId,
    facultyId: pair.facultyId,
    asOf: new Date(asOfMs).toISOString(),
    score,
    tier: t,
    strength: f.strength,
    key: pair.key,
    breadth: f.breadth,
    weeks: f.weeks,
    vouched: f.vouched,
    interactions: pair.interactions,
    dimensions: dimensionScores(pair, asOfMs, ctx, weights),
    explanation: explain(
      {
        weights,
        touched: pair.touched,
        lastContactMs: pair.lastContactMs,
        features: f,
        tier: t,
        score
      },
      asOfMs,
      ctx
    )
  }
}

/**
 * Whether a relationship is with someone the student dealt with one to one: any scored
 * contact but course rosters, mentor assignments (records, not contact) and lecture
 * engagement (a question in a lecture hall of a hundred is not knowing someone).
 *
 * @since 0.3.0
 * @category predicates
 */
export const dealtWith = (pair: PairState): boolean => {
  if (pair.interactions === 0) return false
  for (const c of pair.contributions) {
    if (!isSupport(c) && c.kind !== "courseCompleted" && c.kind !== "mentorAssigned" && c.kind !== "lectureEngagement")
      return true
  }
  return false
}

/** The latest of some dated events by (instant, id). */
const latest = <A extends { readonly atMs: number; readonly id: string }>(items: ReadonlyArray<A>): A | undefined => {
  let best: A | undefined
  for (const item of items) {
    if (best === undefined || item.atMs > best.atMs || (item.atMs === best.atMs && item.id > best.id)) best = item
  }
  return best
}

const dated = (c: Contribution) => ({ atMs: c.atMs, id: c.event.id })

/**
 * A mentor assignment of one program between the pair.
 *
 * @since 0.1.0
 * @category models
 */
export interface MentorAssignment {
  readonly program: string
  /** The latest MentorAssigned. */
  readonly assignedAtMs: number
  /** The latest MentorshipEnded, if any. */
  readonly endedAtMs: number | undefined
  /** Whether the latest of the two is the assignment. */
  readonly open: boolean
}

/**
 * The pair's mentor assignments, by program.
 *
 * @since 0.1.0
 * @category accessors
 */
export const mentorAssignments = (pair: PairState): ReadonlyArray<MentorAssignment> => {
  const byProgram = new Map<
    string,
    { starts: Array<{ atMs: number; id: string }>; ends: Array<{ atMs: number; id: string }> }
  >()
  const slot = (program: string) => {
    const existing = byProgram.get(program)
    if (existing !== undefined) return existing
    const created = { starts: [], ends: [] }
    byProgram.set(program, created)
    return created
  }
  for (const c of pair.contributions)
    if (c.event.type === "MentorAssigned") slot(c.event.data.program).starts.push(dated(c))
  for (const e of pair.lifecycle) {
    if (e.type === "MentorshipEnded") slot(e.data.program).ends.push({ atMs: Date.parse(e.occurredAt), id: e.id })
  }
  const out: Array<MentorAssignment> = []
  for (const [program, { starts, ends }] of [...byProgram].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const start = latest(starts)
    if (start === undefined) continue
    const end = latest(ends)
    const open = end === undefined || latest([start, end]) === start
    out.push({ program, assignedAtMs: start.atMs, endedAtMs: end?.atMs, open })
  }
  return out
}

/**
 * Whether the pair is an active mentoring pair at `asOfMs`: an open mentor assignment, or
 * a tier of at least `activeMentoring.minTier` with mentoring contact within
 * `activeMentoring.withinDays`. (Summaries also require an active student and a faculty
 * member who has not left.)
 *
 * @since 0.1.0
 * @category predicates
 */
export const isActiveMentoring = (pair: PairState, asOfMs: number, ctx: ScoringContext): boolean => {
  const { minTier, withinDays } = ctx.config.activeMentoring
  if (pair.lastMentoringMs >= asOfMs - withinDays * 86_400_000 && atLeast(tier(pair, asOfMs, ctx), minTier)) {
    return true
  }
  return mentorAssignments(pair).some((a) => a.open)
}

/**
 * A research role of the student on one of the faculty member's projects.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResearchRole {
  readonly projectId: string
  readonly role: string
  readonly startedAtMs: number
  readonly endedAtMs: number | undefined
  readonly open: boolean
}

/**
 * The pair's research roles, by project.
 *
 * @since 0.1.0
 * @category accessors
 */
export const researchRoles = (pair: PairState): ReadonlyArray<ResearchRole> => {
  const ends = new Map<string, Array<{ atMs: number; id: string }>>()
  for (const e of pair.lifecycle) {
    if (e.type !== "ResearchRoleEnded") continue
    const list = ends.get(e.data.projectId) ?? []
    list.push({ atMs: Date.parse(e.occurredAt), id: e.id })
    ends.set(e.data.projectId, list)
  }
  const starts = new Map<string, Array<{ atMs: number; id: string; role: string }>>()
  for (const c of pair.contributions) {
    if (c.event.type !== "ResearchRoleStarted") continue
    const list = starts.get(c.event.data.projectId) ?? []
    list.push({ ...dated(c), role: c.event.data.role })
    starts.set(c.event.data.projectId, list)
  }
  const out: Array<ResearchRole> = []
  for (const [projectId, list] of [...starts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const start = latest(list)
    if (start === undefined) continue
    const end = latest(ends.get(projectId) ?? [])
    const open = end === undefined || start.atMs > end.atMs || (start.atMs === end.atMs && start.id > end.id)
    out.push({ projectId, role: start.role, startedAtMs: start.atMs, endedAtMs: end?.atMs, open })
  }
  return out
}
