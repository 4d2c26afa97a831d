/**
 * Erasure on an embedded installation, through a real `rapport serve`: after
 * `StudentErasureRequested` the student's id, name, e-mail address, letter id and event ids
 * are in no table of the three SQLite files, nowhere in their raw bytes (main files, `-wal`
 * and `-shm`, while serving and after the stop), not in the server's logs, and the read
 * models still equal a rebuild from scratch.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { checkApiAfterErasure, erased, runScenario } from "./erasure-scenario.js"
import { ensureBuilt, tempDir, killLeftovers } from "./processes.js"
import { readModelRows, rebuiltRows } from "./stores.js"

/** Where in the raw bytes of the installation's files a needle still is. */
const rawTraces = (folder: string, needles: Record<string, string>): Array<string> => {
  const found: Array<string> = []
  for (const name of readdirSync(folder)) {
    if (!name.startsWith("rapport.")) continue
    const bytes = readFileSync(join(folder, name))
    for (const [what, needle] of Object.entries(needles)) {
      if (bytes.includes(Buffer.from(needle, "utf8"))) found.push(`${what} in ${name}`)
    }
  }
  return found
}

describe("erasure on SQLite, through the server", () => {
  const dir = tempDir()
  const db = join(dir.path, "rapport.db")
  beforeAll(ensureBuilt, 180_000)
  afterAll(() => {
    killLeftovers()
    dir.remove()
  })

  it("leaves no trace of the student in any table, file, WAL or log, and the read models equal a rebuild", async () => {
    const scenario = await runScenario(db)
    try {
      const left = await erased(db, scenario.needles)
      expect(left).toEqual([])
      await checkApiAfterErasure(scenario)
      // While the server is still running: the checkpoints have run, the WAL holds nothing of them.
      expect(rawTraces(dir.path, scenario.needles)).toEqual([])
    } finally {
      await scenario.server.proc.stop()
    }
    expect(rawTraces(dir.path, scenario.needles)).toEqual([])
    const logs = scenario.server.proc.stdout() + scenario.server.proc.stderr()
    for (const [what, needle] of Object.entries(scenario.needles)) expect(logs, what).not.toContain(needle)
    expect(await readModelRows(db)).toEqual(await rebuiltRows(db, dir.path))
  }, 180_000)
})
