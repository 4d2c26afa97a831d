/**
 * Erasure on PostgreSQL, through a real `rapport serve` on a database of its own: after
 * `StudentErasureRequested` the student's id, name, e-mail address, letter id and event ids
 * are in no row of any table of any schema (events, read models, control tables), not in
 * the server's logs, and the read models still equal a rebuild of a copy of the database.
 * (Dead tuples stay in PostgreSQL's files until `VACUUM FULL`: see docs/privacy.md.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { checkApiAfterErasure, erased, runScenario } from "./erasure-scenario.js"
import { ensureBuilt, tempDir, killLeftovers } from "./processes.js"
import { createDatabase, postgresGate, readModelRows, rebuiltRows } from "./stores.js"

const unavailable = await postgresGate()

describe.skipIf(unavailable !== undefined)("erasure on PostgreSQL, through the server", () => {
  const dir = tempDir()
  beforeAll(ensureBuilt, 180_000)
  afterAll(() => {
    killLeftovers()
    dir.remove()
  })

  it("leaves no trace of the student in any table or log, and the read models equal a rebuild", async () => {
    const database = await createDatabase()
    try {
      const scenario = await runScenario(database.url)
      try {
        expect(await erased(database.url, scenario.needles)).toEqual([])
        await checkApiAfterErasure(scenario)
      } finally {
        await scenario.server.proc.stop()
      }
      const logs = scenario.server.proc.stdout() + scenario.server.proc.stderr()
      for (const [what, needle] of Object.entries(scenario.needles)) expect(logs, what).not.toContain(needle)
      expect(await readModelRows(database.url)).toEqual(await rebuiltRows(database.url, dir.path))
    } finally {
      await database.drop()
    }
  }, 240_000)
})
