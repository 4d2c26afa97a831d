/**
 * `rapport backup` through the real CLI: a copy taken while `rapport serve` runs and an
 * import writes opens as a store holding every event acknowledged before it started, in
 * log order (a consistent prefix), with the keys and the read models beside it; an
 * existing target, PostgreSQL and EventStoreDB are refused with one sentence.
 */
import { writeNdjson } from "@rapport/simulator"
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { DatabaseSync } from "node:sqlite"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createKey, ensureBuilt, rapport, serve, spawnRapport, finished, storedEvents, tempDir } from "./cli.js"

const folder = tempDir()
const db = `${folder.path}/live/rapport.db`

beforeAll(async () => {
  await ensureBuilt()
  const history = `${folder.path}/history.ndjson`
  await writeNdjson(history, { seed: 11, size: "tiny" })
  const imported = await rapport(["import", history, "--school", "school-a", "--db", db])
  if (imported.code !== 0) throw new Error(imported.stderr)
  await createKey(db, "school-a", "admin", "registrar")
}, 180_000)
afterAll(() => folder.remove())

describe("rapport backup", () => {
  it("copies a serving installation consistently while an import writes", async () => {
    const before = await storedEvents(db)
    const more = `${folder.path}/more.ndjson`
    await writeNdjson(more, { seed: 12, size: "tiny" })
    const server = await serve(["--db", db])
    const target = `${folder.path}/backups/2026-11-25.db`
    try {
      const importing = finished(spawnRapport(["import", more, "--school", "school-b", "--db", db]))
      const result = await rapport(["backup", target, "--db", db])
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toContain("Backed up 3 files")
      expect((await importing).code).toBe(0)
    } finally {
      await server.stop()
    }
    expect(readdirSync(`${folder.path}/backups`).sort()).toEqual([
      "2026-11-25.analytics.db",
      "2026-11-25.control.db",
      "2026-11-25.db"
    ])
    const copied = await storedEvents(target)
    const after = await storedEvents(db)
    // every event acknowledged before the backup, and a prefix of the log
    expect(copied.length).toBeGreaterThanOrEqual(before.length)
    expect(copied).toEqual(after.slice(0, copied.length))
    expect(new Set(copied.map((event) => event.id)).size).toBe(copied.length)

    const listed = await rapport(["keys", "list", "--db", target])
    expect(listed.stdout).toMatch(/^registrar\tschool-a\tadmin\t/m)
    const readModels = new DatabaseSync(`${folder.path}/backups/2026-11-25.analytics.db`, { readOnly: true })
    try {
      const checkpoint = readModels.prepare("SELECT position FROM rm_checkpoint WHERE name = 'projector'").get()
      expect(Number(checkpoint?.position ?? 0)).toBeLessThanOrEqual(copied.length)
      expect(readModels.prepare("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" })
    } finally {
      readModels.close()
    }
    // a restored copy serves, and its projector catches up with the events it holds
    const restored = await serve(["--db", target])
    try {
      for (let round = 0; round < 120; round++) {
        const ready = (await (await fetch(`${restored.url}/readyz`)).json()) as { projectorPosition: number }
        if (ready.projectorPosition >= copied.length) break
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
      const ready = (await (await fetch(`${restored.url}/readyz`)).json()) as { projectorPosition: number }
      expect(ready.projectorPosition).toBe(copied.length)
    } finally {
      await restored.stop()
    }
  }, 240_000)

  it("never overwrites: an existing target is refused and left as it was", async () => {
    const target = `${folder.path}/taken.db`
    writeFileSync(target, "someone else's file")
    const result = await rapport(["backup", target, "--db", db])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^rapport: .*taken\.db exists; backup never overwrites a file, so choose a new name\.\n$/
    )
    expect(readFileSync(target, "utf8")).toBe("someone else's file")
    const beside = `${folder.path}/beside.db`
    writeFileSync(`${folder.path}/beside.control.db`, "")
    expect((await rapport(["backup", beside, "--db", db])).code).toBe(2)
    expect(existsSync(beside)).toBe(false)
  }, 60_000)

  it("refuses PostgreSQL, EventStoreDB and a missing store with one sentence", async () => {
    const cases: ReadonlyArray<[Record<string, string>, RegExp]> = [
      [{ RAPPORT_DB: "postgres://postgres@127.0.0.1:5432/test" }, /pg_dump/],
      [
        {
          RAPPORT_DB: "postgres://postgres@127.0.0.1:5432/test",
          RAPPORT_EVENT_STORE: "eventstoredb",
          EVENTSTOREDB_URL: "esdb://127.0.0.1:2113?tls=false",
          EVENTSTOREDB_STREAM_KEY: "0123456789abcdef0123456789abcdef"
        },
        /vendor's backup/
      ],
      [{ RAPPORT_DB: `${folder.path}/nothing-here.db` }, /There is no event store/]
    ]
    for (const [env, says] of cases) {
      const result = await rapport(["backup", `${folder.path}/refused.db`], { env })
      expect(result.code, result.stderr).toBe(2)
      expect(result.stderr.trimEnd().split("\n")).toHaveLength(1)
      expect(result.stderr).toMatch(says)
    }
    expect(existsSync(`${folder.path}/refused.db`)).toBe(false)
  }, 60_000)
})
