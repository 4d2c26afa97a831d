/**
 * complementary.test.ts with the read models on PostgreSQL (a schema of its own per school,
 * dropped afterwards): the plans read their groups with SQL of both dialects. Without a
 * reachable server the test skips with the reason printed, except under CI=true, where that
 * is a failure.
 */
import { Sql } from "@rapport/analytics"
import { randomBytes } from "node:crypto"
import fc from "fast-check"
import postgres from "postgres"
import { describe, expect, it } from "vitest"
import { checkSchool } from "./disclosure-audit.js"
import { postgresGate, sharedPostgres } from "./reliability/stores.js"
import { run, schoolArbitrary } from "./disclosure-school.js"

const reason = await postgresGate()

describe.runIf(reason === undefined)("complementary suppression on PostgreSQL, through the routes", () => {
  it("no difference of the views a key may read singles out fewer students than the threshold", async () => {
    let compared = 0
    await fc.assert(
      fc.asyncProperty(schoolArbitrary, async (spec) => {
        const schema = `rapport_disclosure_${randomBytes(4).toString("hex")}`
        const readModels = await Sql.openPostgres(sharedPostgres, { schema, max: 2 })
        try {
          compared += (await checkSchool(await run(spec, readModels, Sql.openSqlite(":memory:")), spec)).compared
        } finally {
          await readModels.close()
          const sql = postgres(sharedPostgres, { max: 1, onnotice: () => undefined })
          await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
          await sql.end()
        }
      }),
      { numRuns: 10 }
    )
    expect(compared).toBeGreaterThan(100)
  })
})
