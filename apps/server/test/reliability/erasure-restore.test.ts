/**
 * Restoring a backup taken before an erasure, on an embedded installation: `rapport
 * backup` while serving, the erasure, then the restore docs/operations.md gives (delete the
 * three files with their -wal and -shm, copy the backup's three in their place; the
 * erasure registry stays). The checks: erasure-restore.ts.
 */
import { copyFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { sqliteFiles } from "../../src/Config.js"
import { checkRestoreErasesAgain } from "./erasure-restore.js"
import { ensureBuilt, killLeftovers, run, tempDir } from "./processes.js"

describe("restoring a backup taken before an erasure, on SQLite", () => {
  const dir = tempDir()
  beforeAll(ensureBuilt, 180_000)
  afterAll(() => {
    killLeftovers()
    dir.remove()
  })

  it("erases the student again before the server answers, and the read models equal a rebuild", async () => {
    const db = join(dir.path, "rapport.db")
    const backup = join(dir.path, "backups", "before-erasure.db")
    await checkRestoreErasesAgain(db, dir.path, {
      backup: async () => {
        const done = await run(["backup", backup, "--db", db])
        expect(done.code, done.stderr).toBe(0)
        expect(done.stdout).toMatch(/Not in it: the erasure registry/)
      },
      restore: async () => {
        const installation = sqliteFiles(db)
        const copy = sqliteFiles(backup)
        for (const part of ["events", "analytics", "control"] as const) {
          for (const suffix of ["", "-wal", "-shm"]) rmSync(`${installation[part]}${suffix}`, { force: true })
          copyFileSync(copy[part], installation[part])
        }
      }
    })
  }, 300_000)
})
