/**
 * One reading of `asOf` everywhere (issue #21): an instant with an offset, or a calendar
 * date meaning midnight in the school's zone; anything else is InvalidAsOf, from every
 * function that takes an asOf, and a failed Result from AsOf.parse.
 */
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as AsOf from "../src/AsOf.js"
import * as Config from "../src/Config.js"
import * as Faculty from "../src/Faculty.js"
import * as Nudge from "../src/Nudge.js"
import * as School from "../src/School.js"
import * as SchoolFold from "../src/SchoolFold.js"
import * as Student from "../src/Student.js"
import * as BuiltinRules from "../src/rules/BuiltinRules.js"
import * as RuleContext from "../src/rules/Context.js"
import * as RuleEngine from "../src/rules/RuleEngine.js"
import { asOf, schoolEvents } from "./summaryScenario.js"

const config = Result.getOrThrow(Config.makeConfig({ timeZone: "America/New_York" }))
const state = SchoolFold.fromEvents(schoolEvents, config)
const midnight = "2026-10-05T04:00:00.000Z" // 2026-10-05 00:00 in New York (EDT)

describe("AsOf.parse", () => {
  it("reads instants, calendar dates (midnight in the zone) and epoch ms", () => {
    expect(AsOf.parse("2026-10-05T12:00:00-04:00", "America/New_York")).toEqual(
      Result.succeed("2026-10-05T16:00:00.000Z")
    )
    expect(AsOf.parse("2026-10-05", "America/New_York")).toEqual(Result.succeed(midnight))
    expect(AsOf.parse("2026-10-05", "UTC")).toEqual(Result.succeed("2026-10-05T00:00:00.000Z"))
    expect(AsOf.parse(Date.parse(midnight), "UTC")).toEqual(Result.succeed(midnight))
  })

  it("refuses what is neither", () => {
    for (const bad of ["2026-10-05T12:00:00", "2026-02-30", "October 5, 2026", "", "now", Number.NaN, null]) {
      const parsed = AsOf.parse(bad, "America/New_York")
      expect(Result.isFailure(parsed) && parsed.failure._tag === "InvalidAsOf").toBe(true)
    }
  })
})

describe("every function that takes an asOf", () => {
  it("reads a calendar date as midnight in the school's zone", () => {
    const byDate = Student.summarize(state, "s-a", "2026-10-05")
    const byInstant = Student.summarize(state, "s-a", midnight)
    expect(byDate?.asOf).toBe(midnight)
    expect(byDate).toEqual(byInstant)
    expect(School.summarize(state, "2026-10-05")).toEqual(School.summarize(state, midnight))
    expect(Faculty.summarizeAll(state, "2026-10-05")).toEqual(Faculty.summarizeAll(state, midnight))
    const context = RuleContext.fromEvents(schoolEvents, "2026-10-05", config)
    expect(context.asOf).toBe(midnight)
    expect(RuleContext.fromState(state, "2026-10-05").asOf).toBe(midnight)
    expect(RuleEngine.evaluate(BuiltinRules.all, schoolEvents, "2026-10-05", context)).toEqual(
      RuleEngine.evaluate(BuiltinRules.all, schoolEvents, midnight, context)
    )
    expect(Nudge.outcomes(schoolEvents, "2026-10-05", context)).toEqual(Nudge.outcomes(schoolEvents, midnight, context))
  })

  it("throws InvalidAsOf for anything else, the same everywhere", () => {
    const context = RuleContext.fromEvents(schoolEvents, asOf, config)
    const calls: Array<() => unknown> = [
      () => Student.summarize(state, "s-a", "2026-10-05T12:00:00"),
      () => School.summarize(state, "soon"),
      () => Faculty.summarizeAll(state, "2026-02-30"),
      () => RuleContext.fromEvents(schoolEvents, "soon", config),
      () => RuleContext.fromState(state, "soon"),
      () => RuleEngine.evaluate(BuiltinRules.all, schoolEvents, "soon", context),
      () => Nudge.outcomes(schoolEvents, "soon", context)
    ]
    for (const call of calls) expect(call).toThrow(AsOf.InvalidAsOf)
  })
})
