/**
 * Restoring a backup taken before an erasure, on PostgreSQL: `pg_dump` of the three
 * schemas docs/operations.md names, the erasure, then its restore (drop those schemas,
 * `pg_restore`; the schema `rapport_erasures` stays). The checks: erasure-restore.ts.
 */
import { execFileSync } from "node:child_process"
import { join } from "node:path"
import postgres from "postgres"
import { afterAll, beforeAll, describe, it } from "vitest"
import { postgresSchemas } from "../../src/Installation.js"
import { checkRestoreErasesAgain } from "./erasure-restore.js"
import { ensureBuilt, killLeftovers, tempDir } from "./processes.js"
import { createDatabase, postgresGate } from "./stores.js"

const unavailable = await postgresGate()

const hasTool = (tool: string): boolean => {
  try {
    execFileSync(tool, ["--version"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
}
// The documented procedure needs PostgreSQL's client tools; CI must have them.
const tools = hasTool("pg_dump") && hasTool("pg_restore")
if (!tools && process.env.CI === "true") throw new Error("pg_dump and pg_restore are required under CI=true")
if (!tools) console.log("skipping the PostgreSQL restore test: pg_dump or pg_restore is not installed")

describe.skipIf(unavailable !== undefined || !tools)(
  "restoring a backup taken before an erasure, on PostgreSQL",
  () => {
    const dir = tempDir()
    beforeAll(ensureBuilt, 180_000)
    afterAll(() => {
      killLeftovers()
      dir.remove()
    })

    it("erases the student again before the server answers, and the read models equal a rebuild", async () => {
      const database = await createDatabase()
      const dump = join(dir.path, "before-erasure.dump")
      const schemas = [postgresSchemas.events, postgresSchemas.readModels, postgresSchemas.control]
      try {
        await checkRestoreErasesAgain(database.url, dir.path, {
          backup: async () => {
            execFileSync("pg_dump", ["-Fc", ...schemas.flatMap((s) => ["-n", s]), "-f", dump, database.url])
          },
          restore: async () => {
            const sql = postgres(database.url, { max: 1, onnotice: () => undefined })
            try {
              await sql.unsafe(`DROP SCHEMA ${schemas.join(", ")} CASCADE`)
            } finally {
              await sql.end({ timeout: 5 })
            }
            execFileSync("pg_restore", ["-d", database.url, dump])
          }
        })
      } finally {
        await database.drop()
      }
    }, 300_000)
  }
)
