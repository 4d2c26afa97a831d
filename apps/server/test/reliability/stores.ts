/**
 * Looking inside an installation from outside its processes: the stored event ids (to
 * prove each acknowledged event is there exactly once), the read-model rows (to compare
 * them with a rebuild of a copy), every row of every table (to search for erased data),
 * and PostgreSQL databases of their own per test.
 */
import { ReadModel } from "@rapport/analytics"
import { randomBytes } from "node:crypto"
import { DatabaseSync } from "node:sqlite"
import { join } from "node:path"
import postgres from "postgres"
import { it } from "vitest"
import { sqliteFiles } from "../../src/Config.js"
import { postgresSchemas } from "../../src/Installation.js"
import { run } from "./processes.js"

export const isPostgres = (db: string): boolean => db.startsWith("postgres")

const withSqlite = <A>(path: string, body: (db: DatabaseSync) => A): A => {
  const db = new DatabaseSync(path, { readOnly: true, timeout: 10_000 })
  try {
    return body(db)
  } finally {
    db.close()
  }
}

const withPostgres = async <A>(url: string, body: (sql: postgres.Sql) => Promise<A>): Promise<A> => {
  const sql = postgres(url, { max: 1, onnotice: () => undefined })
  try {
    return await body(sql)
  } finally {
    await sql.end({ timeout: 5 })
  }
}

/** How many times each event id is stored, for one school. */
export const storedIds = async (db: string, school: string): Promise<Map<string, number>> => {
  const counts = new Map<string, number>()
  const add = (id: unknown) => counts.set(String(id), (counts.get(String(id)) ?? 0) + 1)
  if (isPostgres(db)) {
    await withPostgres(db, async (sql) => {
      const rows = await sql.unsafe(`SELECT event_id FROM ${postgresSchemas.events}.events WHERE school = $1`, [school])
      for (const row of rows) add(row.event_id)
    })
  } else {
    withSqlite(db, (sqlite) => {
      for (const row of sqlite.prepare("SELECT event_id FROM events WHERE school = ?").all(school)) add(row.event_id)
    })
  }
  return counts
}

/** Every read-model row but the checkpoint and the lease, as sorted JSON lines per table. */
export const readModelRows = async (db: string): Promise<Record<string, ReadonlyArray<string>>> => {
  const tables = ReadModel.tables.filter((table) => table !== "rm_meta" && table !== "rm_checkpoint")
  const out: Record<string, ReadonlyArray<string>> = {}
  const line = (row: Record<string, unknown>) =>
    JSON.stringify(row, (_, value: unknown) => (typeof value === "bigint" ? String(value) : value))
  if (isPostgres(db)) {
    await withPostgres(db, async (sql) => {
      for (const table of tables) {
        const rows = await sql.unsafe(`SELECT * FROM ${postgresSchemas.readModels}.${table}`)
        out[table] = rows.map((row) => line({ ...row })).sort()
      }
    })
  } else {
    withSqlite(sqliteFiles(db).analytics, (sqlite) => {
      for (const table of tables) out[table] = sqlite.prepare(`SELECT * FROM ${table}`).all().map(line).sort()
    })
  }
  return out
}

/** The projector's checkpoint and the store's head. */
export const progress = async (db: string): Promise<{ readonly checkpoint: number; readonly head: number }> => {
  if (isPostgres(db)) {
    return withPostgres(db, async (sql) => {
      const head = await sql.unsafe(`SELECT position FROM ${postgresSchemas.events}.head`)
      const checkpoint = await sql
        .unsafe(`SELECT position FROM ${postgresSchemas.readModels}.rm_checkpoint WHERE name = 'projector'`)
        .catch(() => [])
      return { head: Number(head[0]?.position ?? 0), checkpoint: Number(checkpoint[0]?.position ?? 0) }
    })
  }
  const head = withSqlite(db, (sqlite) => Number(sqlite.prepare("SELECT position FROM log_head").get()?.position ?? 0))
  const checkpoint = withSqlite(sqliteFiles(db).analytics, (sqlite) => {
    try {
      return Number(sqlite.prepare("SELECT position FROM rm_checkpoint WHERE name = 'projector'").get()?.position ?? 0)
    } catch {
      return 0
    }
  })
  return { head, checkpoint }
}

/** Waits until the read models have caught up with the store (and a little more, for follow-ups). */
export const caughtUp = async (db: string, timeoutMs = 120_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const { checkpoint, head } = await progress(db)
    if (checkpoint >= head && head > 0) return
    if (Date.now() > deadline) throw new Error(`the projector stayed at ${checkpoint} of ${head}`)
    await new Promise((done) => setTimeout(done, 200))
  }
}

/** Every text cell of every table in the installation's databases, with where it is. */
export const everyCell = async (db: string): Promise<Array<{ readonly where: string; readonly text: string }>> => {
  const cells: Array<{ where: string; text: string }> = []
  if (isPostgres(db)) {
    await withPostgres(db, async (sql) => {
      const tables = await sql.unsafe(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'"
      )
      for (const { table_schema: schema, table_name: name } of tables) {
        const rows = await sql.unsafe(`SELECT t::text AS row FROM "${schema}"."${name}" t`)
        for (const row of rows) cells.push({ where: `${schema}.${name}`, text: String(row.row) })
      }
    })
    return cells
  }
  const files = sqliteFiles(db)
  for (const path of [files.events, files.analytics, files.control]) {
    withSqlite(path, (sqlite) => {
      const tables = sqlite.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all()
      for (const { name } of tables) {
        for (const row of sqlite.prepare(`SELECT * FROM "${String(name)}"`).all()) {
          cells.push({ where: `${path}:${String(name)}`, text: JSON.stringify(row) })
        }
      }
    })
  }
  return cells
}

/**
 * The read models of a rebuild from scratch, on a copy of the installation (which must be
 * stopped): `rapport backup` + `rapport rebuild` for SQLite, a database made from the
 * original as a template for PostgreSQL.
 */
export const rebuiltRows = async (db: string, folder: string): Promise<Record<string, ReadonlyArray<string>>> => {
  if (isPostgres(db)) {
    const copy = await createDatabase(db, databaseOf(db))
    try {
      const rebuilt = await run(["rebuild", "--db", copy.url])
      if (rebuilt.code !== 0) throw new Error(`rebuild failed: ${rebuilt.stderr}`)
      return await readModelRows(copy.url)
    } finally {
      await copy.drop()
    }
  }
  const copy = join(folder, `rebuilt-${randomBytes(4).toString("hex")}.db`)
  const backup = await run(["backup", copy, "--db", db])
  if (backup.code !== 0) throw new Error(`backup failed: ${backup.stderr}`)
  const rebuilt = await run(["rebuild", "--db", copy])
  if (rebuilt.code !== 0) throw new Error(`rebuild failed: ${rebuilt.stderr}`)
  return readModelRows(copy)
}

// ---- PostgreSQL databases of their own ----

export const sharedPostgres = process.env.RAPPORT_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test"

const databaseOf = (url: string): string => new URL(url).pathname.slice(1)
const withDatabase = (url: string, name: string): string => {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}

/** Whether PostgreSQL answers; the reason when it does not. */
export const postgresReason = async (url = sharedPostgres): Promise<string | undefined> => {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => undefined })
  try {
    await sql`SELECT 1`
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined)
  }
}

/**
 * Why the PostgreSQL tests of a file cannot run (printed, and they skip), or `undefined`.
 * Under `CI=true` an unreachable server is a failing test: CI never passes by skipping.
 */
export const postgresGate = async (): Promise<string | undefined> => {
  const reason = await postgresReason()
  if (reason === undefined) return undefined
  const sentence = `PostgreSQL at ${sharedPostgres} is unreachable (${reason})`
  if (process.env.CI === "true") {
    it("PostgreSQL is reachable (required under CI=true)", () => {
      throw new Error(sentence)
    })
  } else {
    console.log(`skipping PostgreSQL tests: ${sentence}`)
  }
  return sentence
}

/** A fresh database `rapport_test_<random>` on the server of `url` (optionally a copy of `template`). */
export const createDatabase = async (
  url = sharedPostgres,
  template?: string
): Promise<{ readonly url: string; readonly name: string; readonly drop: () => Promise<void> }> => {
  const name = `rapport_test_${randomBytes(6).toString("hex")}`
  // from the maintenance database: a template may have no other session
  const admin = withDatabase(url, "postgres")
  await withPostgres(admin, (sql) =>
    sql.unsafe(`CREATE DATABASE ${name}${template === undefined ? "" : ` TEMPLATE "${template}"`}`)
  )
  return {
    name,
    url: withDatabase(url, name),
    drop: () =>
      withPostgres(admin, async (sql) => {
        await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      })
  }
}
