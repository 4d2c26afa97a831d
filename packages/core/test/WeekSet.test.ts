import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { WeekSet } from "../src/internal/WeekSet.js"

describe("WeekSet", () => {
  it("holds exactly the weeks a Set would, in ascending order, whatever order they arrive in", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3000, max: 6000 }), { maxLength: 80 }), (weeks) => {
        const set = new WeekSet()
        for (const w of weeks) set.add(w)
        const expected = [...new Set(weeks)].sort((a, b) => a - b)
        expect(set.size).toBe(expected.length)
        expect([...set]).toEqual(expected)
        expect([...set.keys()]).toEqual(expected)
        expect([...set.entries()]).toEqual(expected.map((w) => [w, w]))
        for (const w of weeks) expect(set.has(w)).toBe(true)
        expect(set.has(6001)).toBe(false)
        const seen: Array<number> = []
        set.forEach((w) => {
          seen.push(w)
        })
        expect(seen).toEqual(expected)
        set.clear()
        expect(set.size).toBe(0)
        expect([...set]).toEqual([])
      }),
      { numRuns: 300 }
    )
  })
})
