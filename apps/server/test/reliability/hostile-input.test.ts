/**
 * Hostile input through a real `rapport serve` on SQLite (the scenario: hostile-input.ts;
 * the same on PostgreSQL: hostile-input.int.test.ts).
 */
import { join } from "node:path"
import { afterAll, beforeAll, describe, it } from "vitest"
import { hostileInput } from "./hostile-input.js"
import { ensureBuilt, killLeftovers, tempDir } from "./processes.js"

describe("hostile input on SQLite, through the server", () => {
  const dir = tempDir()
  beforeAll(ensureBuilt, 180_000)
  afterAll(() => {
    killLeftovers()
    dir.remove()
  })

  it("answers 400 naming the parameter or field, stores nothing refused, and reads a future date as now", async () => {
    await hostileInput(join(dir.path, "rapport.db"), dir.path)
  }, 120_000)
})
