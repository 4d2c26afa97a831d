/**
 * Erasure is final on PostgreSQL, through a real `rapport serve` and `rapport import` on a
 * database of its own (the checks: erasure-final.ts).
 */
import { afterAll, beforeAll, describe, it } from "vitest"
import { checkErasureIsFinal } from "./erasure-final.js"
import { ensureBuilt, killLeftovers, tempDir } from "./processes.js"
import { createDatabase, postgresGate } from "./stores.js"

const unavailable = await postgresGate()

describe.skipIf(unavailable !== undefined)("erasure is final on PostgreSQL, through the server", () => {
  const dir = tempDir()
  beforeAll(ensureBuilt, 180_000)
  afterAll(() => {
    killLeftovers()
    dir.remove()
  })

  it("refuses every later event about the student (JSON: nothing stored, NDJSON and import: that line), across a restart", async () => {
    const database = await createDatabase()
    try {
      await checkErasureIsFinal(database.url, dir.path)
    } finally {
      await database.drop()
    }
  }, 300_000)
})
