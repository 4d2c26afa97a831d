/**
 * The xAPI statement resource on an embedded (SQLite) installation, through `rapport serve`.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeAll, describe } from "vitest"
import { ensureBuilt } from "../reliability/processes.js"
import { statementResourceSuite } from "./statement-resource.js"

describe("xAPI statement resource on SQLite", () => {
  beforeAll(ensureBuilt, 180_000)
  statementResourceSuite(async () => {
    const dir = mkdtempSync(join(tmpdir(), "rapport-xapi-"))
    return { db: join(dir, "rapport.db"), drop: async () => rmSync(dir, { recursive: true, force: true }) }
  })
})
