import { describe, expect, it } from "vitest"
import * as fc from "fast-check"
import * as Random from "../src/Random.js"

describe("Random", () => {
  it("gives the same sequence for the same seed, and another for another seed", () => {
    const draw = (seed: Random.Seed) => {
      const rng = Random.make(seed)
      return Array.from({ length: 8 }, () => rng.uint32())
    }
    expect(draw(1)).toEqual(draw(1))
    expect(draw("school")).toEqual(draw("school"))
    expect(draw(1)).not.toEqual(draw(2))
    expect(draw(1)).not.toEqual(draw("1.5"))
  })

  it("stays within the ranges it promises", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        (seed, min, span) => {
          const rng = Random.make(seed)
          for (let i = 0; i < 20; i++) {
            const f = rng.float()
            expect(f).toBeGreaterThanOrEqual(0)
            expect(f).toBeLessThan(1)
            const n = rng.int(min, min + span)
            expect(n).toBeGreaterThanOrEqual(min)
            expect(n).toBeLessThan(min + span)
            expect(Number.isInteger(n)).toBe(true)
            expect(rng.poisson(2.5)).toBeGreaterThanOrEqual(0)
          }
        }
      )
    )
  })

  it("derives streams that do not move when the parent draws more", () => {
    const a = Random.make(7)
    const b = Random.make(7)
    b.uint32()
    b.uint32()
    expect(a.fork("delivery").uint32()).toBe(b.fork("delivery").uint32())
    expect(a.fork("delivery").uint32()).not.toBe(a.fork("school").uint32())
  })

  it("samples without repetition and picks by weight", () => {
    const rng = Random.make(3)
    const sample = rng.sample([1, 2, 3, 4, 5, 6], 4)
    expect(new Set(sample).size).toBe(4)
    expect(rng.weightedIndex([0, 0, 5])).toBe(2)
    expect(rng.weightedIndex([0, 0])).toBe(-1)
    const counts = [0, 0]
    for (let i = 0; i < 4000; i++) {
      const chosen = rng.weightedIndex([1, 3])
      counts[chosen] = (counts[chosen] ?? 0) + 1
    }
    expect((counts[1] ?? 0) / 4000).toBeGreaterThan(0.7)
    expect((counts[1] ?? 0) / 4000).toBeLessThan(0.8)
  })

  it("inverts the normal distribution function", () => {
    expect(Random.normalQuantile(0.5)).toBeCloseTo(0, 9)
    expect(Random.normalQuantile(0.975)).toBeCloseTo(1.959964, 5)
    expect(Random.normalQuantile(0.001)).toBeCloseTo(-3.090232, 5)
    fc.assert(
      fc.property(fc.double({ min: 0.0001, max: 0.9998, noNaN: true }), (p) => {
        expect(Random.normalQuantile(p)).toBeLessThan(Random.normalQuantile(p + 0.0001))
      })
    )
  })
})
