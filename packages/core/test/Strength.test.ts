import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Strength from "../src/Strength.js"

const day = Strength.msPerDay
const weights = fc.array(
  fc.record({ w: fc.double({ min: 0.01, max: 100, noNaN: true }), at: fc.integer({ min: 0, max: 60_000 * day }) }),
  { minLength: 1, maxLength: 30 }
)

describe("Strength", () => {
  it("adds keys like the sum of faded weights, without overflow, whatever the half-life", () => {
    fc.assert(
      fc.property(weights, fc.constantFrom(1, 7, 180, 3650), (items, halfLife) => {
        const lambda = Strength.decayRate({ halfLifeDays: halfLife })
        let key = Strength.emptyKey
        for (const { w, at } of items) key = Strength.addKeys(key, Strength.interactionKey(w, at, lambda))
        const asOf = Math.max(...items.map((i) => i.at))
        const direct = items.reduce((sum, { w, at }) => sum + Strength.fadedWeight(w, at, asOf, lambda), 0)
        expect(Number.isFinite(key)).toBe(true)
        expect(Math.abs(Strength.strengthOfKey(key, asOf, lambda) - direct)).toBeLessThanOrEqual(direct * 1e-9)
        const again = Strength.sumKeys(items.map(({ w, at }) => Strength.interactionKey(w, at, lambda)))
        expect(Math.abs(again - key)).toBeLessThanOrEqual(1e-9)
      })
    )
  })

  it("keeps scores within 0..100 and rising with strength", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e12, noNaN: true }),
        fc.double({ min: 0, max: 1e3, noNaN: true }),
        (s, extra) => {
          const a = Strength.scoreOf(s, 10)
          const b = Strength.scoreOf(s + extra, 10)
          expect(a).toBeGreaterThanOrEqual(0)
          expect(b).toBeLessThanOrEqual(100)
          expect(b).toBeGreaterThanOrEqual(a)
        }
      )
    )
    expect(Strength.scoreOf(0, 10)).toBe(0)
    expect(Strength.scoreOf(10, 10)).toBeCloseTo(63.2120558829, 9)
    expect(Strength.strengthForScore(Strength.scoreOf(4.2, 10), 10)).toBeCloseTo(4.2, 9)
  })

  it("turns a strength threshold into a key range that agrees with strengthAt", () => {
    fc.assert(
      fc.property(weights, fc.double({ min: 0.01, max: 50, noNaN: true }), (items, threshold) => {
        const config = { halfLifeDays: 180 }
        const lambda = Strength.decayRate(config)
        const key = Strength.sumKeys(items.map(({ w, at }) => Strength.interactionKey(w, at, lambda)))
        const asOf = Math.max(...items.map((i) => i.at)) + 30 * day
        const s = Strength.strengthAt(key, asOf, config)
        const bound = Strength.thresholdKey(threshold, new Date(asOf).toISOString(), config)
        if (Math.abs(s - threshold) > threshold * 1e-9) expect(key >= bound).toBe(s >= threshold)
      })
    )
  })

  it("refuses an asOf that is not an instant", () => {
    expect(() => Strength.toEpochMs("yesterday")).toThrow(RangeError)
    expect(Strength.toEpochMs("2026-01-01T00:00:00+01:00")).toBe(Date.UTC(2025, 11, 31, 23))
  })
})
