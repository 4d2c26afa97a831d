/**
 * The erasure registry and its key never share a file, through real processes on an
 * embedded installation: the registry (`rapport.erasures.db`) holds keyed hashes and no
 * key; the control file holds the key and no hash; with `RAPPORT_ERASURE_KEY` the key is
 * in no file at all; and a registry opened with another key stops the process with one
 * sentence rather than forgetting who was erased.
 */
import { createHmac, randomBytes } from "node:crypto"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { sqliteFiles } from "../../src/Config.js"
import { enrolled, event, postEvents } from "./client.js"
import { erased } from "./erasure-scenario.js"
import { createKey, ensureBuilt, killLeftovers, run, serve, tempDir } from "./processes.js"

const rows = (path: string, sql: string): Array<Record<string, unknown>> => {
  const db = new DatabaseSync(path, { readOnly: true })
  try {
    return db.prepare(sql).all()
  } finally {
    db.close()
  }
}

const tables = (path: string): Array<string> =>
  rows(path, "SELECT name FROM sqlite_schema WHERE type = 'table'").map((row) => String(row.name))

/** every byte of the installation's files, with their -wal and -shm */
const bytesOf = (folder: string): Buffer =>
  Buffer.concat(
    readdirSync(folder)
      .filter((name) => name.startsWith("rapport."))
      .map((name) => readFileSync(join(folder, name)))
  )

const erase = async (db: string, env: Record<string, string>) => {
  const m = randomBytes(4).toString("hex")
  const school = `school-${m}`
  const studentId = `s-2027-${m}`
  const writer = await createKey(db, school, "events:write", `writer-${m}`, env)
  const server = await serve(db, env)
  try {
    expect((await postEvents(server.url, writer, [enrolled(studentId)])).status).toBe(200)
    const erasure = [event("StudentErasureRequested", "2026-03-01T12:00:00Z", { studentId })]
    expect((await postEvents(server.url, writer, erasure)).status).toBe(200)
    expect(await erased(db, { studentId })).toEqual([])
  } finally {
    await server.proc.stop()
  }
  return { school, studentId }
}

const hashOf = (key: string, school: string, studentId: string) =>
  createHmac("sha256", key).update(`erased-student\u0000${school}\u0000${studentId}`).digest("hex")

describe("the erasure registry and its key", () => {
  const dir = tempDir()
  beforeAll(ensureBuilt, 180_000)
  afterAll(() => {
    killLeftovers()
    dir.remove()
  })

  it("live in different files: the hashes in the registry, the key in the control tables", async () => {
    const folder = join(dir.path, "default")
    const db = join(folder, "rapport.db")
    const { school, studentId } = await erase(db, {})
    const files = sqliteFiles(db)
    const [secret] = rows(files.control, "SELECT value FROM rapport_secrets WHERE name = 'erasure-key'")
    const key = String(secret?.value ?? "")
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    const registered = rows(files.erasures, "SELECT school, id_hash FROM rapport_erased")
    expect(registered).toEqual([{ school, id_hash: hashOf(key, school, studentId) }])
    // the control tables hold no hash, the registry no key
    expect(tables(files.control)).not.toContain("rapport_erased")
    expect(tables(files.erasures).sort()).toEqual(["rapport_erased", "rapport_erasure_key_check"])
    expect(readFileSync(files.erasures).includes(key)).toBe(false)
    const controlBytes = Buffer.concat(
      [files.control, `${files.control}-wal`].map((p) => (existsSync(p) ? readFileSync(p) : Buffer.alloc(0)))
    )
    expect(controlBytes.includes(hashOf(key, school, studentId))).toBe(false)
    expect(bytesOf(folder).includes(studentId)).toBe(false)
  }, 180_000)

  it("with RAPPORT_ERASURE_KEY the key is in no file, and another key is refused with one sentence", async () => {
    const folder = join(dir.path, "configured")
    const db = join(folder, "rapport.db")
    const key = randomBytes(32).toString("hex")
    const { school, studentId } = await erase(db, { RAPPORT_ERASURE_KEY: key })
    const files = sqliteFiles(db)
    expect(rows(files.control, "SELECT name FROM rapport_secrets").map((row) => row.name)).not.toContain("erasure-key")
    expect(rows(files.erasures, "SELECT id_hash FROM rapport_erased")).toEqual([
      { id_hash: hashOf(key, school, studentId) }
    ])
    expect(bytesOf(folder).includes(key)).toBe(false)
    const other = await run(["serve", "--port", "0", "--db", db], { RAPPORT_ERASURE_KEY: "0".repeat(64) })
    expect(other.code).toBe(2)
    expect(other.stderr).toMatch(/written under another erasure key: set RAPPORT_ERASURE_KEY/)
    expect(other.stderr.trim().split("\n")).toHaveLength(1)
  }, 180_000)
})
