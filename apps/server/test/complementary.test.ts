/**
 * Complementary suppression through the whole server: for random small schools, every
 * difference an `aggregates:read` key can form from the views it may request, with every
 * filter value, leaves 0 students or at least the threshold (support check-ins: for deans
 * too); and what it is shown is the dean's figures, with the small groups summed in "Other".
 * The audit (disclosure-audit.ts) computes every difference from the groups shown, rather
 * than listing the ones we thought of. On PostgreSQL: complementary.int.test.ts.
 */
import { Sql } from "@rapport/analytics"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { checkSchool } from "./disclosure-audit.js"
import { run, schoolArbitrary } from "./disclosure-school.js"

describe("complementary suppression, through the routes", () => {
  it("no difference of the views a key may read singles out fewer students than the threshold", async () => {
    let classes = 0
    let compared = 0
    await fc.assert(
      fc.asyncProperty(schoolArbitrary, async (spec) => {
        const checked = await checkSchool(await run(spec, Sql.openSqlite(":memory:"), Sql.openSqlite(":memory:")), spec)
        classes += checked.classes
        compared += checked.compared
      }),
      { numRuns: 50 }
    )
    expect(classes).toBeGreaterThan(100)
    expect(compared).toBeGreaterThan(1000)
  })
})
