import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Config from "../src/Config.js"
import * as Contribution from "../src/Contribution.js"
import * as Strength from "../src/Strength.js"
import { interaction } from "./scoringFixtures.js"

const config = Config.defaultConfig
const lambda = Strength.decayRate(config)
const letterTypes = new Set(["LetterRequested", "LetterCommitted", "LetterSubmitted"])

describe("Contribution", () => {
  it("maps every interaction to its kind's weight and at least one dimension", () => {
    fc.assert(
      fc.property(interaction(), (event) => {
        if (!Contribution.isInteraction(event)) throw new Error(`not an interaction: ${event.type}`)
        const atMs = Date.parse(event.occurredAt)
        const c = Contribution.contributionOf(event, atMs, 0, 0, config, lambda)
        expect(c.kind).toBe(Contribution.kindOfType[event.type])
        expect(c.weight).toBeGreaterThan(0)
        expect(c.weight).toBeLessThanOrEqual(config.weights[c.kind] * 2 * config.studentInitiative)
        expect(c.dimensions).toBeGreaterThan(0)
        expect(c.key).toBeCloseTo(Math.log(c.weight) + (lambda * atMs) / Strength.msPerDay, 9)
        // Support check-ins touch support and nothing else; nothing else touches support.
        expect(c.dimensions === Contribution.dimensionBits.support).toBe(event.type === "SupportCheckInHeld")
        expect((c.dimensions & Contribution.dimensionBits.support) !== 0).toBe(event.type === "SupportCheckInHeld")
        expect((c.dimensions & Contribution.dimensionBits.letters) !== 0).toBe(letterTypes.has(event.type))
        // contributionOf spells episodes and discretion out per type (the fold's hot path):
        // the same as the one-place definitions.
        const month = 24_000 + (atMs % 600)
        const d = Contribution.contributionOf(event, atMs, 0, month, config, lambda)
        expect(d.episode).toBe(Contribution.episodeOf(event, month))
        expect(d.discretionary).toBe(Contribution.discretionaryKinds.has(d.kind))
        expect(Contribution.isDiscretionary(d)).toBe(d.discretionary)
      }),
      { numRuns: 300 }
    )
  })

  it("weighs meetings by the square root of their length, within floor and cap", () => {
    expect(Contribution.durationFactor(30, config)).toBe(1)
    expect(Contribution.durationFactor(120, config)).toBe(2)
    expect(Contribution.durationFactor(600, config)).toBe(2)
    expect(Contribution.durationFactor(1, config)).toBe(0.5)
    expect(Contribution.durationFactor(20, config)).toBeCloseTo(Math.sqrt(2 / 3), 12)
  })

  it("counts breadth over the four scored dimensions only", () => {
    expect(Contribution.breadthOf(0b11111)).toBe(4)
    expect(Contribution.breadthOf(Contribution.dimensionBits.support)).toBe(0)
    expect(Contribution.dimensionsOf(0b1010)).toEqual(["research", "clinical"])
  })
})
