/**
 * docs/rules.md is checked against the code: one section per built-in rule, in order, whose
 * parameter table lists exactly the rule's parameters with their defaults; the settings
 * example validates; the error it quotes is the one a school gets.
 */
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import page from "../../../../docs/rules.md?raw"
import * as Rules from "../../src/rules/BuiltinRules.js"

const sections = new Map(
  page
    .split(/\n(?=## )/)
    .map((section) => [/^## `([a-z-]+)`/.exec(section)?.[1], section] as const)
    .filter((entry): entry is readonly [string, string] => entry[0] !== undefined)
)

const parameterTable = (section: string): Record<string, unknown> => {
  const rows = [...section.matchAll(/^\| `(\w+)` \| `([^`]+)` \|/gm)]
  return Object.fromEntries(rows.map((row) => [row[1] ?? "", JSON.parse(row[2] ?? "null")]))
}

describe("docs/rules.md", () => {
  it("has a section for every built-in rule, in order", () => {
    expect([...sections.keys()]).toEqual(Rules.all.map((rule) => rule.id))
  })

  for (const rule of Rules.all) {
    it(`documents every parameter of ${rule.id} with its default`, () => {
      expect(parameterTable(sections.get(rule.id) ?? "")).toEqual(rule.defaults)
    })
  }

  it("shows school settings that validate, and the error a typo gets", () => {
    const example = /```json\n([\s\S]*?)```/.exec(page)?.[1] ?? "null"
    const configured = Rules.configure(JSON.parse(example))
    expect(Result.isSuccess(configured)).toBe(true)
    const bad = Rules.configure({ "thank-you": { withinDays: 0 } })
    expect(Result.isFailure(bad) ? bad.failure.message : "").toBe(
      "thank-you.withinDays: Expected a whole number of days between 1 and 3650"
    )
    expect(page).toContain("`thank-you.withinDays: Expected a whole number of days between 1 and 3650`")
  })
})
