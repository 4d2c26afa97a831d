import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Concentration from "../src/Concentration.js"

const counts = fc.array(fc.nat(50), { maxLength: 40 })

describe("Concentration", () => {
  it("computes the Gini coefficient", () => {
    expect(Concentration.gini([5, 5, 5, 5])).toBe(0)
    expect(Concentration.gini([0, 0, 0, 8])).toBeCloseTo(0.75, 12)
    expect(Concentration.gini([1, 2, 3, 4])).toBeCloseTo(0.25, 12)
    expect(Concentration.gini([])).toBe(0)
    fc.assert(
      fc.property(counts, (xs) => {
        const g = Concentration.gini(xs)
        expect(g).toBeGreaterThanOrEqual(-1e-12)
        expect(g).toBeLessThan(1)
        // The pairwise definition: Σ|xi − xj| / (2·n²·mean).
        const n = xs.length
        const total = xs.reduce((a, b) => a + b, 0)
        let pairwise = 0
        for (const a of xs) for (const b of xs) pairwise += Math.abs(a - b)
        expect(g).toBeCloseTo(total > 0 ? pairwise / (2 * n * total) : 0, 10)
      })
    )
  })

  it("takes the top tenth of faculty, at least one", () => {
    expect(Concentration.topShare([10, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0.1)).toEqual({
      members: 1,
      held: 10,
      total: 10,
      share: 1
    })
    expect(Concentration.topShare([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 0.1).members).toBe(2)
    expect(Concentration.topShare([3], 0.1).share).toBe(1)
    expect(Concentration.topShare([], 0.1)).toEqual({ members: 0, held: 0, total: 0, share: 0 })
  })

  it("finds medians and mid-rank percentiles", () => {
    expect(Concentration.median([4, 1, 3])).toBe(3)
    expect(Concentration.median([4, 1, 3, 2])).toBe(2.5)
    expect(Concentration.percentileRank(2, [1, 2, 3, 4])).toBe(37.5)
    expect(Concentration.percentileRank(5, [5, 5])).toBe(50)
    fc.assert(
      fc.property(counts, fc.nat(60), (xs, x) => {
        const p = Concentration.percentileRank(x, xs)
        expect(p).toBeGreaterThanOrEqual(0)
        expect(p).toBeLessThanOrEqual(100)
        expect(Concentration.percentileRank(x + 1, xs)).toBeGreaterThanOrEqual(p)
      })
    )
  })
})
