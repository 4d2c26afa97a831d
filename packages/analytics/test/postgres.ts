/**
 * PostgreSQL for the `*.int.test.ts` files: a schema of their own per test file, dropped
 * afterwards. Without a reachable server the tests skip with a printed reason, except
 * under `CI=true`, where they fail: a CI run must never pass by skipping them.
 */
import { randomUUID } from "node:crypto"
import postgres from "postgres"
import { afterAll, it } from "vitest"
import * as Sql from "../src/Sql.js"

export const url = process.env.RAPPORT_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test"

const reachable = async (): Promise<string | undefined> => {
  const sql = postgres(url, { connect_timeout: 3, max: 1, onnotice: () => undefined })
  try {
    await sql`SELECT 1`
    return undefined
  } catch (error) {
    return `PostgreSQL at ${url} is unreachable (${error instanceof Error ? error.message : String(error)})`
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined)
  }
}

/** Why the PostgreSQL tests cannot run here, or `undefined` when they can. */
export const unavailable: string | undefined = await reachable()

if (unavailable !== undefined) {
  if (process.env.CI === "true") {
    it("PostgreSQL is reachable (required under CI=true)", () => {
      throw new Error(unavailable)
    })
  } else {
    console.log(`skipping PostgreSQL tests: ${unavailable}`)
  }
}

const schemas: Array<string> = []

/** A unique schema name for this run (lower case, as `Sql.openPostgres` requires). */
export const uniqueSchema = (prefix: string): string => {
  const name = `${prefix}_${randomUUID().replace(/-/g, "").slice(0, 12)}`
  schemas.push(name)
  return name
}

/** Opens a read-model database in a fresh schema, dropped when the file's tests end. */
export const openSchema = (prefix: string, max = 4): Promise<Sql.SqlDatabase> =>
  Sql.openPostgres(url, { schema: uniqueSchema(prefix), max })

afterAll(async () => {
  if (unavailable !== undefined || schemas.length === 0) return
  const sql = postgres(url, { max: 1, onnotice: () => undefined })
  for (const schema of schemas) await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  await sql.end({ timeout: 5 })
})
