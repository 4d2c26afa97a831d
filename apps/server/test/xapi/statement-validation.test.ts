/**
 * Statement validation, rule by rule, where ADL's suite found the first version wanting
 * (named by the suite's sections), and the durations the profile reads.
 */
import { describe, expect, it } from "vitest"
import { durationMinutes } from "../../src/xapi/Statement.js"
import { validate } from "../../src/xapi/Validate.js"

const base = {
  actor: { mbox: "mailto:a@example.edu" },
  verb: { id: "http://adlnet.gov/expapi/verbs/completed" },
  object: { id: "https://lms.example.edu/a" }
}
const paths = (statement: unknown) => validate(statement).map((issue) => issue.path.join("."))

describe("Statement.validate", () => {
  it("4.2.2.5: contextAgents and contextGroups with their 2.0 object types", () => {
    const context = {
      contextAgents: [
        { objectType: "contextAgent", agent: { mbox: "mailto:p@example.edu" }, relevantTypes: ["https://x.example/t"] }
      ],
      contextGroups: [{ objectType: "contextGroup", group: { objectType: "Group", mbox: "mailto:team@example.edu" } }]
    }
    expect(paths({ ...base, context })).toEqual([])
    expect(paths({ ...base, context: { contextAgents: [{ objectType: "ContextAgent", agent: base.actor }] } })).toEqual(
      ["context.contextAgents.0.objectType"]
    )
  })

  it("4.2.4.2: an authority Group is anonymous, of exactly two Agents", () => {
    const two = { objectType: "Group", member: [{ mbox: "mailto:app@example.edu" }, { mbox: "mailto:u@example.edu" }] }
    expect(paths({ ...base, authority: two })).toEqual([])
    expect(paths({ ...base, authority: { ...two, member: two.member.slice(0, 1) } })).toEqual(["authority.member"])
    expect(paths({ ...base, authority: { ...two, mbox: "mailto:g@example.edu" } })).toContain("authority")
  })

  it("4.2.2.3: correctResponsesPattern only with an interactionType", () => {
    const object = { id: "https://lms.example.edu/q", definition: { correctResponsesPattern: ["true"] } }
    expect(paths({ ...base, object })).toEqual(["object.definition.correctResponsesPattern"])
    expect(
      paths({ ...base, object: { ...object, definition: { ...object.definition, interactionType: "true-false" } } })
    ).toEqual([])
  })

  it("4.6: durations in ISO 8601, weeks alone", () => {
    expect(paths({ ...base, result: { duration: "P4W" } })).toEqual([])
    expect(paths({ ...base, result: { duration: "P4W1D" } })).toEqual(["result.duration"])
    expect(paths({ ...base, result: { duration: "PT" } })).toEqual(["result.duration"])
    expect(durationMinutes("PT1H30M")).toBe(90)
    expect(durationMinutes("PT20M30S")).toBe(20.5)
    expect(durationMinutes("P1W")).toBe(7 * 24 * 60)
    expect(durationMinutes("P1M")).toBeUndefined()
  })
})

describe("Statement.signature", () => {
  it("4.2.7: durations compare to the hundredth of a second; timestamps as instants; the id in any case", async () => {
    const { signature } = await import("../../src/xapi/Statement.js")
    const statement = { ...base, id: "AAAAAAAA-0000-4000-8000-000000000000", timestamp: "2026-10-01T15:30:00Z" }
    const same = {
      ...base,
      id: "aaaaaaaa-0000-4000-8000-000000000000",
      timestamp: "2026-10-01T10:30:00-05:00",
      stored: "2026-10-02T00:00:00Z"
    }
    expect(signature(same)).toBe(signature(statement))
    expect(signature({ ...statement, result: { duration: "PT0.1237S" } })).toBe(
      signature({ ...statement, result: { duration: "PT0.12S" } })
    )
    expect(signature({ ...statement, result: { duration: "PT0.13S" } })).not.toBe(
      signature({ ...statement, result: { duration: "PT0.12S" } })
    )
  })
})
