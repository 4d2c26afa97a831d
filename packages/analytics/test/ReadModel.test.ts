/**
 * Read-model schema versions: a database of a version whose rows are the same as this
 * one's (only indexes changed) is upgraded in place; any other version is rebuilt.
 */
import { describe, expect, it } from "vitest"
import * as ReadModel from "../src/ReadModel.js"
import * as Sql from "../src/Sql.js"

const indexes = async (db: Sql.SqlDatabase) =>
  (await db.all("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name")).map(
    (row) => String(row.name)
  )

describe("ReadModel.ensure", () => {
  it("upgrades version 4 in place: new indexes, old ones dropped, rows kept, no rebuild", async () => {
    const db = Sql.openSqlite(":memory:")
    try {
      await ReadModel.ensure(db)
      const current = await indexes(db)
      // what version 4 had instead
      await db.exec(`DROP INDEX rm_pairs_mentors; DROP INDEX rm_follow_ups_by_rule;
        CREATE INDEX rm_pairs_mentoring ON rm_pairs (school, mentoring_until_ms);
        CREATE INDEX rm_follow_ups_rule ON rm_follow_ups (school, rule_id, done, due_on, student_id)`)
      await db.run("UPDATE rm_meta SET value = '4' WHERE name = 'version'")
      await db.transaction((tx) => ReadModel.saveCheckpoint(tx, 42, new Date()))
      expect(await ReadModel.ensure(db)).toEqual({ needsRebuild: false })
      expect(await indexes(db)).toEqual(current)
      expect(await ReadModel.checkpoint(db)).toBe(42)
      expect(await db.all("SELECT value FROM rm_meta WHERE name = 'version'")).toEqual([
        { value: String(ReadModel.version) }
      ])
    } finally {
      await db.close()
    }
  })

  it("asks for a rebuild from any other version", async () => {
    const db = Sql.openSqlite(":memory:")
    try {
      await ReadModel.ensure(db)
      await db.run("UPDATE rm_meta SET value = '3' WHERE name = 'version'")
      expect(await ReadModel.ensure(db)).toEqual({ needsRebuild: true })
    } finally {
      await db.close()
    }
  })
})
