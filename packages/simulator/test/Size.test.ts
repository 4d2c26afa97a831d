import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import * as Simulation from "../src/Simulation.js"
import * as Size from "../src/Size.js"

describe("Size", () => {
  it("resolves the presets", () => {
    expect(Result.getOrThrow(Size.resolve("tiny"))).toEqual({ students: 80, faculty: 120, years: 1 })
    expect(Result.getOrThrow(Size.resolve("large"))).toEqual({ students: 1000, faculty: 2000, years: 5 })
    expect(Result.getOrThrow(Size.resolve({ students: 5000, faculty: 9000, years: 8 }))).toEqual({
      students: 5000,
      faculty: 9000,
      years: 8
    })
  })

  it("names every problem of a bad size", () => {
    const unknown = Size.resolve("huge")
    expect(Result.isFailure(unknown) && unknown.failure.problems[0]).toContain('unknown size "huge"')
    const bad = Size.resolve({ students: 3, faculty: 10.5, years: 1, typo: true })
    expect(Result.isFailure(bad)).toBe(true)
    if (Result.isFailure(bad)) {
      expect(bad.failure._tag).toBe("InvalidSize")
      const text = bad.failure.problems.join("\n")
      expect(text).toContain("students")
      expect(text).toContain("faculty")
      expect(text).toContain("typo")
    }
  })

  it("refuses to generate a school of a bad size, with the typed error", () => {
    expect(() => Simulation.generate({ seed: 1, size: { students: 1, faculty: 1, years: 0 } }).next()).toThrow(
      /Invalid school size/
    )
    const badEnd = Simulation.describe({ seed: 1, size: "tiny", end: { month: 2, day: 30 } })
    expect(Result.isFailure(badEnd) && badEnd.failure.problems[0]).toContain("2026-02-30 is not a date")
    const early = Simulation.describe({ seed: 1, size: "tiny", endYear: 1900 })
    expect(Result.isFailure(early)).toBe(true)
    const described = Simulation.describe({ seed: 1, size: "mid" })
    expect(Result.isSuccess(described) && described.success.timeZone).toBe("America/New_York")
    expect(Result.isSuccess(described) && described.success.start).toBe("2023-07-01T04:00:00.000Z")
    expect(Result.isSuccess(described) && described.success.end).toBe("2026-09-15T04:00:00.000Z")
  })
})
