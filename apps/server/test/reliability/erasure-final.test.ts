/**
 * Erasure is final on an embedded installation, through a real `rapport serve` and
 * `rapport import` (the checks: erasure-final.ts).
 */
import { join } from "node:path"
import { afterAll, beforeAll, describe, it } from "vitest"
import { checkErasureIsFinal } from "./erasure-final.js"
import { ensureBuilt, killLeftovers, tempDir } from "./processes.js"

describe("erasure is final on SQLite, through the server", () => {
  const dir = tempDir()
  beforeAll(ensureBuilt, 180_000)
  afterAll(() => {
    killLeftovers()
    dir.remove()
  })

  it("refuses every later event about the student (JSON: nothing stored, NDJSON and import: that line), across a restart", async () => {
    await checkErasureIsFinal(join(dir.path, "rapport.db"), dir.path)
  }, 240_000)
})
