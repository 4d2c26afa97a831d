/**
 * Retention on an embedded installation, through a real `rapport serve` and `rapport
 * retention` (the checks: retention-scenario.ts).
 */
import { join } from "node:path"
import { afterAll, beforeAll, describe, it } from "vitest"
import { ensureBuilt, killLeftovers, tempDir } from "./processes.js"
import { checkRetention } from "./retention-scenario.js"

describe("retention on SQLite, through the server and the command line", () => {
  const dir = tempDir()
  beforeAll(ensureBuilt, 180_000)
  afterAll(() => {
    killLeftovers()
    dir.remove()
  })

  it("a dry run reports exactly what the run removes; the run removes it for good, audited, and the read models equal a rebuild", async () => {
    await checkRetention(join(dir.path, "rapport.db"), dir.path)
  }, 300_000)
})
