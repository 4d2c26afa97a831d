/**
 * Complementary suppression through the whole server: for random small schools, every
 * difference an `aggregates:read` key can form from the views it may request, with every
 * filter value, leaves 0 students or at least the threshold (support check-ins: for deans
 * too); and what it is shown is the dean's figures, with the small groups summed in "Other".
 * The audit (disclosure-audit.ts) computes every difference from the groups shown, rather
 * than listing the ones we thought of.
 */
import { Sql } from "@rapport/analytics"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { audit, disagreements, observe, truthOf } from "./disclosure-audit.js"
import { run, schoolArbitrary } from "./disclosure-school.js"

describe("complementary suppression, through the routes", () => {
  it("no difference of the views a key may read singles out fewer students than the threshold", async () => {
    let classes = 0
    let compared = 0
    await fc.assert(
      fc.asyncProperty(schoolArbitrary, async (spec) => {
        const running = await run(spec, Sql.openSqlite(":memory:"), Sql.openSqlite(":memory:"))
        const truth = await truthOf(running, spec)
        const aggregate = audit(await observe(running, running.keys.aggregates, truth), truth, spec.threshold)
        expect(aggregate.violations).toEqual([])
        // sensitive for every reader: a dean's check-ins by class are planned the same way
        const dean = audit(await observe(running, running.keys.dean, truth), truth, spec.threshold)
        expect(dean.violations.filter((v) => v.startsWith("checkins:"))).toEqual([])
        // hiding is all it does: every number shown is the dean's, "Other" the sum of what it lists
        const agreement = await disagreements(running, truth)
        expect(agreement.mismatches).toEqual([])
        classes += aggregate.classes
        compared += agreement.compared
      }),
      { numRuns: 50 }
    )
    expect(classes).toBeGreaterThan(100)
    expect(compared).toBeGreaterThan(1000)
  })
})
