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
import { run, schoolArbitrary } from "./disclosure-school.js"

const url = process.env.RAPPORT_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test"

const reachable = async (): Promise<string | undefined> => {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => undefined })
  try {
    await sql`SELECT 1`
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined)
  }
}

const reason = await reachable()
if (reason !== undefined) {
  const sentence = `PostgreSQL at ${url} is unreachable (${reason})`
  if (process.env.CI === "true") {
    it("PostgreSQL is reachable (required under CI=true)", () => {
      throw new Error(sentence)
    })
  } else {
    console.log(`skipping the PostgreSQL complementary-suppression test: ${sentence}`)
  }
}

describe.runIf(reason === undefined)("complementary suppression on PostgreSQL, through the routes", () => {
  it("no difference of the views a key may read singles out fewer students than the threshold", async () => {
    let compared = 0
    await fc.assert(
      fc.asyncProperty(schoolArbitrary, async (spec) => {
        const schema = `rapport_disclosure_${randomBytes(4).toString("hex")}`
        const readModels = await Sql.openPostgres(url, { schema, max: 2 })
        try {
          compared += (await checkSchool(await run(spec, readModels, Sql.openSqlite(":memory:")), spec)).compared
        } finally {
          await readModels.close()
          const sql = postgres(url, { max: 1, onnotice: () => undefined })
          await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
          await sql.end()
        }
      }),
      { numRuns: 10 }
    )
    expect(compared).toBeGreaterThan(100)
  })
})
