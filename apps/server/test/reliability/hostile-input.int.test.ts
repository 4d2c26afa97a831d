/**
 * Hostile input through a real `rapport serve` on PostgreSQL, on a database of its own
 * (the scenario: hostile-input.ts): NUL and lone surrogates, which PostgreSQL refuses,
 * answer the same 400s as on SQLite, never a 503.
 */
import { afterAll, beforeAll, describe, it } from "vitest"
import { hostileInput } from "./hostile-input.js"
import { ensureBuilt, killLeftovers, tempDir } from "./processes.js"
import { createDatabase, postgresGate } from "./stores.js"

const unavailable = await postgresGate()

describe.skipIf(unavailable !== undefined)("hostile input on PostgreSQL, through the server", () => {
  const dir = tempDir()
  beforeAll(ensureBuilt, 180_000)
  afterAll(() => {
    killLeftovers()
    dir.remove()
  })

  it("answers 400 naming the parameter or field, stores nothing refused, and reads a future date as now", async () => {
    const database = await createDatabase()
    try {
      await hostileInput(database.url, dir.path)
    } finally {
      await database.drop()
    }
  }, 180_000)
})
