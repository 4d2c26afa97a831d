/**
 * The laws of issue #16's scoring: diminishing returns within an episode, a score banded by
 * tier (sorting by score sorts by tier), points that add up to the score, tiers monotone in
 * their features, and the pair's incremental key equal to the effective strength of its
 * contributions in any arrival order.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Config from "../src/Config.js"
import type { RapportEvent } from "../src/Event.js"
import * as Pair from "../src/Pair.js"
import * as Repetition from "../src/Repetition.js"
import * as SchoolFold from "../src/SchoolFold.js"
import * as Score from "../src/Score.js"
import type { SchoolState } from "../src/State.js"
import * as Strength from "../src/Strength.js"
import * as Tier from "../src/Tier.js"
import { asOf, event, history, interaction, permutation } from "./scoringFixtures.js"

const config = Config.defaultConfig
const fold = (events: ReadonlyArray<RapportEvent>): SchoolState => SchoolFold.fromEvents(events, config)
const everyPair = (state: SchoolState) => [...state.students.values()].flatMap((s) => [...s.pairs.values()])
const lastInstant = (events: ReadonlyArray<RapportEvent>) => Math.max(0, ...events.map((e) => Date.parse(e.occurredAt)))

describe("diminishing returns", () => {
  it("caps an episode of cards at weight ÷ (1 − repeatRatio), however many", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (n) => {
        const at = "2026-03-10T12:00:00Z"
        const cards = Array.from({ length: n }, () =>
          event("ClinicalFeedbackGiven", at, {
            studentId: "s-1",
            facultyId: "f-1",
            setting: "clerkship",
            domains: ["clinical-skills"]
          })
        )
        const pair = fold(cards).students.get("s-1")?.pairs.get("f-1")
        if (pair === undefined) throw new Error("no pair")
        const strength = Pair.strength(pair, Date.parse(at), Strength.decayRate(config), config.repeatRatio)
        const w = config.weights.clinicalFeedback
        expect(strength).toBeCloseTo((w * (1 - config.repeatRatio ** n)) / (1 - config.repeatRatio), 9)
        expect(strength).toBeLessThan(w / (1 - config.repeatRatio) + 1e-9)
      }),
      { numRuns: 40 }
    )
  })

  it("keeps each pair's key equal to its contributions' effective strength, in any arrival order", () => {
    fc.assert(
      fc.property(
        history().chain((events) => permutation(events).map((shuffled) => [events, shuffled] as const)),
        ([events, shuffled]) => {
          const a = fold(events)
          const b = fold(shuffled)
          const at = lastInstant(events) + 1
          for (const pair of everyPair(a)) {
            const other = b.students.get(pair.studentId)?.pairs.get(pair.facultyId)
            expect(other).toBeDefined()
            if (other === undefined) continue
            if (pair.key === Strength.emptyKey) {
              expect(other.key).toBe(Strength.emptyKey)
              continue
            }
            expect(Math.abs(pair.key - other.key)).toBeLessThanOrEqual(1e-9)
            const direct = Repetition.effectiveStrength(pair.contributions, at, a.lambda, config.repeatRatio)
            expect(Pair.strength(pair, at, a.lambda, config.repeatRatio)).toBeCloseTo(direct, 9)
          }
        }
      ),
      { numRuns: 100 }
    )
  })
})

describe("the banded score", () => {
  it("puts every pair in its tier's band, so sorting by score sorts by tier", () => {
    fc.assert(
      fc.property(history(), asOf, (events, asOfMs) => {
        const state = fold(events)
        const scores = everyPair(state)
          .filter((p) => p.interactions > 0)
          .map((p) => Pair.relationshipScore(p, asOfMs, state))
        for (const r of scores) {
          const band = Score.bands[r.tier]
          expect(r.score).toBeGreaterThanOrEqual(r.strength > 0 ? band.from : 0)
          expect(r.score).toBeLessThanOrEqual(band.to)
          if (r.tier !== "advocate") expect(r.score).toBeLessThan(band.to)
        }
        const sorted = [...scores].sort((x, y) => y.score - x.score)
        for (let i = 1; i < sorted.length; i++) {
          const [before, after] = [sorted[i - 1], sorted[i]]
          if (before === undefined || after === undefined) continue
          expect(Tier.rank(after.tier)).toBeLessThanOrEqual(Tier.rank(before.tier))
        }
      }),
      { numRuns: 150 }
    )
  })

  it("explains a score with points that add up to it", () => {
    fc.assert(
      fc.property(history(), asOf, (events, asOfMs) => {
        const state = fold(events)
        for (const pair of everyPair(state)) {
          if (pair.interactions === 0) continue
          const r = Pair.relationshipScore(pair, asOfMs, state)
          const listed = r.explanation.topContributions.reduce((sum, c) => sum + c.points, 0)
          expect(listed + r.explanation.otherPoints).toBeCloseTo(r.score, 6)
          expect(r.explanation.sentence).toContain(r.tier)
        }
      }),
      { numRuns: 100 }
    )
  })

  it("never falls when events are added at one instant", () => {
    fc.assert(
      fc.property(history(), fc.array(interaction(), { minLength: 1, maxLength: 8 }), asOf, (events, extra, asOfMs) => {
        const before = fold(events)
        const after = fold([...events, ...extra])
        for (const pair of everyPair(before)) {
          if (pair.interactions === 0) continue
          const b = Pair.relationshipScore(pair, asOfMs, before)
          const other = after.students.get(pair.studentId)?.pairs.get(pair.facultyId)
          if (other === undefined) throw new Error("pair lost")
          const a = Pair.relationshipScore(other, asOfMs, after)
          expect(a.score).toBeGreaterThanOrEqual(b.score - 1e-9 * Math.max(1, b.score))
          expect(Tier.rank(a.tier)).toBeGreaterThanOrEqual(Tier.rank(b.tier))
        }
      }),
      { numRuns: 120 }
    )
  })
})

describe("tiers", () => {
  const features = fc.record({
    strength: fc.double({ min: 0, max: 50, noNaN: true }),
    breadth: fc.integer({ min: 0, max: 4 }),
    weeks: fc.integer({ min: 0, max: 30 }),
    vouched: fc.boolean()
  })
  it("are monotone in every feature", () => {
    fc.assert(
      fc.property(features, features, (a, b) => {
        const more = {
          strength: Math.max(a.strength, b.strength),
          breadth: Math.max(a.breadth, b.breadth),
          weeks: Math.max(a.weeks, b.weeks),
          vouched: a.vouched || b.vouched
        }
        expect(Tier.rank(Tier.tierOf(more, config))).toBeGreaterThanOrEqual(Tier.rank(Tier.tierOf(a, config)))
        expect(Tier.rank(Tier.tierOf(more, config))).toBeGreaterThanOrEqual(Tier.rank(Tier.tierOf(b, config)))
      }),
      { numRuns: 500 }
    )
  })

  it("let a committed letter or an observed rotation meet sustained contact, never breadth", () => {
    const vouched = { strength: 100, breadth: 1, weeks: 1, vouched: true }
    expect(Tier.tierOf(vouched, config)).toBe("developing")
    expect(Tier.tierOf({ ...vouched, breadth: 2 }, config)).toBe("advocate")
    expect(Tier.tierOf({ ...vouched, breadth: 2, vouched: false }, config)).toBe("acquainted")
  })
})
