import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Complementary from "../src/Complementary.js"

const groupsArbitrary = fc
  .uniqueArray(fc.record({ key: fc.integer({ min: 0, max: 30 }), population: fc.integer({ min: 1, max: 40 }) }), {
    selector: (g) => g.key,
    maxLength: 10
  })
  .map((groups) => groups.sort((a, b) => a.key - b.key))

/** a law over any table: its groups, the people no group lists, and the threshold */
const everyPlan = (
  law: (
    groups: ReadonlyArray<Complementary.Group<number>>,
    unlisted: number,
    threshold: number,
    plan: Complementary.Plan<number>
  ) => void
) =>
  fc.assert(
    fc.property(
      groupsArbitrary,
      fc.integer({ min: 0, max: 12 }),
      fc.integer({ min: 1, max: 15 }),
      (groups, unlisted, threshold) =>
        law(groups, unlisted, threshold, Complementary.plan(groups, { threshold, unlisted }))
    )
  )

const sum = (groups: ReadonlyArray<Complementary.Group<number>>, keys: ReadonlyArray<number>) =>
  groups.filter((g) => keys.includes(g.key)).reduce((n, g) => n + g.population, 0)

describe("Complementary.plan", () => {
  it("shows no group under the threshold and leaves Other empty or at least the threshold (while the total is)", () => {
    everyPlan((groups, unlisted, threshold, plan) => {
      const population = new Map(groups.map((g) => [g.key, g.population]))
      for (const key of plan.shown) expect(population.get(key)).toBeGreaterThanOrEqual(threshold)
      expect(plan.otherPopulation).toBe(sum(groups, Complementary.rolledKeys(plan)) + unlisted)
      const total = sum(groups, plan.shown) + plan.otherPopulation
      if (total >= threshold) expect(plan.otherPopulation === 0 || plan.otherPopulation >= threshold).toBe(true)
      expect(plan.otherShown).toBe(plan.otherPopulation === 0 || plan.otherPopulation >= threshold)
      // every group is either shown or rolled, once, in the order given
      const keys = [...plan.shown, ...Complementary.rolledKeys(plan)].sort((a, b) => a - b)
      expect(keys).toEqual(groups.map((g) => g.key))
    })
  })

  it("hides no more than it must: a group of at least the threshold rolls only as the smallest shown, and only while Other is small", () => {
    everyPlan((groups, _unlisted, threshold, plan) => {
      const population = new Map(groups.map((g) => [g.key, g.population]))
      const size = (key: number) => population.get(key) ?? 0
      for (const [key, because] of plan.rolled)
        expect(because).toBe(size(key) < threshold ? "small-group" : "complementary")
      const complementary = plan.rolled.filter(([, because]) => because === "complementary").map(([key]) => key)
      // smallest first: no shown group is smaller than one rolled to protect another
      for (const key of complementary)
        for (const shown of plan.shown) expect(size(shown)).toBeGreaterThanOrEqual(size(key))
      // and only while needed: without the last (largest) of them, Other would hold between 1
      // and threshold − 1 people
      const largest = [...complementary].sort((a, b) => size(b) - size(a))[0]
      if (largest !== undefined) {
        const without = plan.otherPopulation - size(largest)
        expect(without > 0 && without < threshold).toBe(true)
      }
    })
  })

  it("counts people once when groups overlap (a student with follow-ups of two rules)", () => {
    const students: Record<string, ReadonlyArray<string>> = {
      a: ["s1", "s2", "s3"],
      b: ["s1", "s2", "s3", "s4"],
      c: Array.from({ length: 12 }, (_, i) => `s${i}`)
    }
    const groups = Object.entries(students).map(([key, list]) => ({ key, population: list.length }))
    const populationOf = (keys: ReadonlyArray<string>) => new Set(keys.flatMap((k) => students[k] ?? [])).size
    // a and b are small; together they are 4 students (not 7): c, the smallest shown, joins them
    const plan = Complementary.plan(groups, { threshold: 5, populationOf })
    expect(plan.shown).toEqual([])
    expect(plan.rolled).toEqual([
      ["a", "small-group"],
      ["b", "small-group"],
      ["c", "complementary"]
    ])
    expect(plan.otherPopulation).toBe(12)
    // summed as if disjoint, a and b would have looked like 7 and left c shown
    expect(Complementary.plan(groups, { threshold: 5 }).shown).toEqual(["c"])
  })

  it("leaves a total under the threshold wholly hidden, and shows everything to readers who may see it", () => {
    const groups = [
      { key: "x", population: 3 },
      { key: "y", population: 4 }
    ]
    const plan = Complementary.plan(groups, { threshold: 10 })
    expect(plan.shown).toEqual([])
    expect(plan.otherShown).toBe(false)
    const all = Complementary.showAll(groups, 2)
    expect(all.shown).toEqual(["x", "y"])
    expect(Complementary.hasOther(all)).toBe(true)
    expect(Complementary.hasOther(Complementary.showAll(groups))).toBe(false)
  })
})
