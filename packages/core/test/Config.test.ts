import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Config from "../src/Config.js"

const problemsOf = (input: unknown) => {
  const result = Config.fromUnknown(input)
  return Result.isFailure(result) ? result.failure.problems : []
}

describe("Config", () => {
  it("accepts the defaults as they are", () => {
    const result = Config.makeConfig()
    expect(Result.isSuccess(result) && result.success).toEqual(Config.defaultConfig)
  })

  it("fills every part a school leaves out with its default", () => {
    const result = Config.makeConfig({ timeZone: "America/Chicago", weights: { publication: 8 }, tiers: {} })
    expect(Result.isSuccess(result)).toBe(true)
    if (!Result.isSuccess(result)) return
    expect(result.success.timeZone).toBe("America/Chicago")
    expect(result.success.weights.publication).toBe(8)
    expect(result.success.weights.rotation).toBe(Config.defaultConfig.weights.rotation)
    expect(result.success.tiers).toEqual(Config.defaultConfig.tiers)
  })

  it("reports every problem with its path", () => {
    const problems = problemsOf({
      timeZone: "Mars/Olympus_Mons",
      halfLifeDays: 0.5,
      weights: { officeHours: 0, lectureQuestion: 1 },
      letters: { advocatesNeeded: 2, inSpecialtyNeeded: 3 }
    })
    const paths = problems.map((p) => p.path.join("."))
    expect(paths).toEqual(
      expect.arrayContaining(["timeZone", "halfLifeDays", "weights.officeHours", "weights.lectureQuestion"])
    )
    expect(problems.find((p) => p.path.join(".") === "timeZone")?.message).toMatch(/IANA time zone/)
  })

  it("requires nested tiers: a higher tier never asks for less", () => {
    const problems = problemsOf({ tiers: { strong: { strength: 2, breadth: 2, weeks: 3 } } })
    expect(problems.map((p) => p.path.join("."))).toEqual(["tiers.strong.strength"])
  })

  it("rejects in-specialty needs above the advocates needed", () => {
    const problems = problemsOf({ letters: { advocatesNeeded: 2, inSpecialtyNeeded: 3 } })
    expect(problems.map((p) => p.path.join("."))).toEqual(["letters.inSpecialtyNeeded"])
  })

  it("names the problems in its message", () => {
    const result = Config.makeConfig({ saturation: -1 })
    expect(Result.isFailure(result) && result.failure.message).toMatch(/^saturation: /)
    expect(Result.isFailure(result) && result.failure._tag).toBe("InvalidScoringConfig")
  })

  it("knows time zones through Intl and nothing else", () => {
    expect(Config.isTimeZone("Europe/Paris")).toBe(true)
    expect(Config.isTimeZone("UTC")).toBe(true)
    expect(Config.isTimeZone("Europe/Atlantis")).toBe(false)
    expect(Config.isTimeZone("")).toBe(false)
  })
})
