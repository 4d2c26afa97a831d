/**
 * Statements as a hostile or careless sender writes them: a valid statement with one part
 * replaced by a wrong value (or removed), and JSON of any shape. Validation never throws
 * and reports every problem with a path; whatever it accepts, the rest of the pipeline
 * (the profile, normalisation, signatures, the forms of answers, query parameters) reads
 * without throwing.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { formatted, normalised } from "../../src/xapi/Format.js"
import { refsOf } from "../../src/xapi/Kept.js"
import * as Profile from "../../src/xapi/Profile.js"
import * as Query from "../../src/xapi/Query.js"
import { signature } from "../../src/xapi/Statement.js"
import { validate } from "../../src/xapi/Validate.js"
import { mutated } from "./fuzz-statements.js"

describe("statements, fuzzed", () => {
  it("validation never throws, and every problem has a path; what it accepts the pipeline reads", () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.jsonValue({ maxDepth: 4 })), (value) => {
        const issues = validate(value)
        for (const issue of issues) expect(Array.isArray(issue.path)).toBe(true)
        if (issues.length > 0 || value === null || typeof value !== "object" || Array.isArray(value)) return
        const statement = normalised(value as Record<string, unknown>)
        Profile.match(statement)
        Profile.withoutFreeText(statement)
        signature(statement)
        refsOf(statement)
        for (const format of ["exact", "ids", "canonical"] as const) formatted(statement, format, "en-GB, fr;q=0.5")
      }),
      { numRuns: 3000 }
    )
  })

  it("query parameters never throw", () => {
    const parameter = fc.constantFrom(...Query.parameters, "other")
    fc.assert(
      fc.property(
        fc.dictionary(
          parameter,
          fc.oneof(
            fc.string({ maxLength: 40 }),
            fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v))
          )
        ),
        (raw) => {
          Query.read(raw, { school: "x", keyId: "k" })
        }
      ),
      { numRuns: 2000 }
    )
  })
})
