/**
 * Retention on PostgreSQL, through a real `rapport serve` and `rapport retention` on a
 * database of its own (the checks: retention-scenario.ts).
 */
import { afterAll, beforeAll, describe, it } from "vitest"
import { ensureBuilt, killLeftovers, tempDir } from "./processes.js"
import { checkRetention } from "./retention-scenario.js"
import { createDatabase, postgresGate } from "./stores.js"

const unavailable = await postgresGate()

describe.skipIf(unavailable !== undefined)("retention on PostgreSQL, through the server and the command line", () => {
  const dir = tempDir()
  beforeAll(ensureBuilt, 180_000)
  afterAll(() => {
    killLeftovers()
    dir.remove()
  })

  it("a dry run reports exactly what the run removes; the run removes it for good, audited, and the read models equal a rebuild", async () => {
    const database = await createDatabase()
    try {
      await checkRetention(database.url, dir.path)
    } finally {
      await database.drop()
    }
  }, 300_000)
})
