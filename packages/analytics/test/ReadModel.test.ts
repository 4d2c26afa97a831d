/**
 * Read-model schema versions: a database of an earlier version is rebuilt (version 6 adds
 * rm_positions).
 */
import { describe, expect, it } from "vitest"
import * as ReadModel from "../src/ReadModel.js"
import * as Sql from "../src/Sql.js"

describe("ReadModel.ensure", () => {
  it("asks for a rebuild from any other version", async () => {
    const db = Sql.openSqlite(":memory:")
    try {
      await ReadModel.ensure(db)
      for (const earlier of ["3", "4", "5"]) {
        await db.run("UPDATE rm_meta SET value = ? WHERE name = 'version'", [earlier])
        expect(await ReadModel.ensure(db), `from version ${earlier}`).toEqual({ needsRebuild: true })
      }
    } finally {
      await db.close()
    }
  })
})
