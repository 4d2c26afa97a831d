import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import * as Rule from "../../src/Rule.js"
import * as Rules from "../../src/rules/BuiltinRules.js"

describe("built-in rules", () => {
  it("are the seven of the design and outreach, each with valid documented defaults in force", () => {
    expect(Rules.all.map((rule) => rule.id)).toEqual([
      "thank-you",
      "stay-in-touch",
      "mentor-cadence",
      "letter-readiness",
      "letter-pipeline",
      "early-office-hours",
      "research-follow-through",
      "outreach"
    ])
    for (const rule of Rules.all) {
      expect(rule.params).toEqual(rule.defaults)
      expect(Result.isSuccess(Schema.decodeUnknownResult(rule.parameters)(rule.defaults))).toBe(true)
      expect(rule.description.length).toBeGreaterThan(10)
    }
  })

  it("take a school's settings: changed parameters, rules switched off", () => {
    const rules = Result.getOrThrow(Rules.configure({ "thank-you": { withinDays: 10 }, "early-office-hours": false }))
    expect(rules.map((rule) => rule.id)).not.toContain("early-office-hours")
    expect(rules.find((rule) => rule.id === "thank-you")?.params).toEqual({
      ...Rules.thankYou.defaults,
      withinDays: 10
    })
    expect(Result.getOrThrow(Rules.configure(undefined))).toBe(Rules.all)
  })

  it("give each rule a priority and an expiry a school can tune, letters first", () => {
    const order = [...Rules.all].sort((a, b) => a.priority - b.priority).map((rule) => rule.id)
    expect(order).toEqual([
      "letter-pipeline",
      "letter-readiness",
      "outreach",
      "mentor-cadence",
      "research-follow-through",
      "stay-in-touch",
      "early-office-hours",
      "thank-you"
    ])
    for (const rule of Rules.all) expect(rule.expiresAfterDays).toBeLessThanOrEqual(60)
    const tuned = Result.getOrThrow(Rules.configure({ "thank-you": { priority: 1, expiresAfterDays: 5 } }))
    const thankYou = tuned.find((rule) => rule.id === "thank-you")
    expect([thankYou?.priority, thankYou?.expiresAfterDays]).toEqual([1, 5])
    const bad = Rules.configure({ "thank-you": { priority: 0 } })
    expect(Result.isFailure(bad) ? bad.failure.message : "").toBe(
      "thank-you.priority: Expected a whole number from 1 (most important) to 99"
    )
  })

  it("report every problem in a school's settings, with its path", () => {
    const result = Rules.configure({
      "thank-you": { withinDays: -1 },
      "stay-in-touch": { noticeDays: 200 },
      "thank-yuo": {}
    })
    expect(Result.isFailure(result)).toBe(true)
    if (Result.isFailure(result)) {
      expect(result.failure.problems.map((p) => p.path.join("."))).toEqual([
        "thank-yuo",
        "thank-you.withinDays",
        "stay-in-touch.noticeDays"
      ])
      expect(result.failure.message).toContain("thank-you.withinDays")
    }
    expect(Result.isFailure(Rules.configure([]))).toBe(true)
  })
})

describe("Rule.make", () => {
  it("refuses a parameter Schema from another copy of effect instead of decoding it wrongly", () => {
    // What a Schema built by a second copy of effect looks like to this one: its AST nodes
    // are not instances of this copy's classes. (Decoded here, a number came out as Symbol().)
    const struct = Schema.Struct({ withinDays: Schema.Int })
    const foreign = { ...struct, ast: { ...struct.ast } } as typeof struct
    expect(() =>
      Rule.make({
        id: "foreign",
        description: "A rule whose Schema comes from another effect.",
        events: ["FollowUpSent"],
        parameters: foreign,
        defaults: { withinDays: 14 },
        evaluate: () => []
      })
    ).toThrow(/another copy of effect/)
  })
})
