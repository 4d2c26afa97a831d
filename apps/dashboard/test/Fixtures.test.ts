import { Views } from "@rapport/analytics"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import * as School from "./fixtures/School.js"

// The fixtures behind the dev mock must be exactly the server's shapes: decoded with the
// analytics Schemas, excess keys rejected.
const options = { errors: "all", onExcessProperty: "error" } as const

const now = new Date("2026-11-25T12:00:00Z")

describe.each([
  ["a mid-sized school", 400],
  ["an empty school", 0]
])("fixtures of %s", (_, size) => {
  const school = School.make("demo-school", size, now)

  it("decode with the analytics Schemas", () => {
    const checks = [
      ["overview", Result.isSuccess(Schema.decodeUnknownResult(Views.Overview)(School.overview(school, 0), options))],
      ["trends", Result.isSuccess(Schema.decodeUnknownResult(Views.Trends)(School.trends(school, 0), options))],
      ["letters", Result.isSuccess(Schema.decodeUnknownResult(Views.Letters)(School.letters(school, 0), options))],
      ["coverage", Result.isSuccess(Schema.decodeUnknownResult(Views.Coverage)(School.coverage(school, 0), options))]
    ] as const
    for (const [name, ok] of checks) expect(ok, name).toBe(true)
  })

  it("give student pages that decode, and none for an unknown id", () => {
    const first = school.students[0]
    if (first !== undefined) {
      const page = School.studentPage(school, first.studentId, now, 0)
      expect(Result.isSuccess(Schema.decodeUnknownResult(Views.StudentPage)(page, options))).toBe(true)
    }
    expect(School.studentPage(school, "nobody", now, 0)).toBeUndefined()
  })
})

describe("fixture school", () => {
  it("is the same on every run", () => {
    expect(School.make("demo-school", 50, now)).toEqual(School.make("demo-school", 50, now))
  })

  it("leaves out events after the as-of date on a student's page", () => {
    const school = School.make("demo-school", 100, now)
    const busy = school.students.find((s) => s.highestTier === "advocate")
    if (busy === undefined) throw new Error("fixture has no advocate")
    const today = School.studentPage(school, busy.studentId, now, 0)
    const earlier = School.studentPage(school, busy.studentId, new Date("2026-01-01T00:00:00Z"), 0)
    expect(earlier?.timeline.length ?? 0).toBeLessThan(today?.timeline.length ?? 0)
    expect(earlier?.timeline.every((e) => e.occurredAt <= "2026-01-01T00:00:00Z")).toBe(true)
  })
})
