/**
 * `rapport backup <file> [--db <events file>] [--erasures]`: a consistent copy of an embedded
 * installation while it may be serving. Each of its SQLite files — the read models, the
 * control tables, then the events — is copied with `VACUUM INTO` from a read-only
 * connection: one read snapshot per file, compacted, without the pages secure_delete has
 * zeroed, never blocking the writers. The copies are named like the originals
 * (`Config.sqliteFiles` of the target), written under a temporary name, checked with
 * `PRAGMA quick_check` and renamed into place only when all three are whole.
 *
 * The read models are copied first: a restored installation then holds every event its
 * read models reflect, and the projector catches up on the rest.
 *
 * The erasure registry (`rapport.erasures.db`) is not among them: a restore must never
 * roll it back (see erasure/ErasureRegistry.ts). `rapport backup --erasures <file>` copies
 * it alone, to be kept apart from the other backups (and from the control tables, which
 * hold its key).
 *
 * It must never overwrite an existing file, nor leave a half-written copy under the
 * target's name. PostgreSQL and EventStoreDB are refused with one sentence pointing to
 * their own tools.
 *
 * @since 0.1.0
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { ConfigError, load, sqliteFiles } from "../Config.js"

type Part = "analytics" | "control" | "events"

/**
 * The order in which the files are copied.
 *
 * @since 0.1.0
 * @category constants
 */
export const order: ReadonlyArray<Part> = ["analytics", "control", "events"]

const vacuumInto = (source: string, target: string): void => {
  const db = new DatabaseSync(source, { readOnly: true, timeout: 30_000 })
  try {
    db.prepare("VACUUM INTO ?").run(target)
  } finally {
    db.close()
  }
}

const quickCheck = (path: string): string => {
  const db = new DatabaseSync(path, { readOnly: true })
  try {
    const row = db.prepare("PRAGMA quick_check").get()
    return row === undefined ? "no answer" : String(Object.values(row)[0])
  } finally {
    db.close()
  }
}

const mebibytes = (path: string): string => `${(statSync(path).size / (1024 * 1024)).toFixed(1)} MiB`

/**
 * @since 0.1.0
 * @category commands
 */
export const run = async (input: {
  readonly flags: { readonly db?: string | undefined; readonly erasures?: boolean | undefined }
  readonly args: readonly [target: string]
  readonly out: (line: string) => void
}): Promise<number> => {
  const [target] = input.args
  const config = load({ db: input.flags.db }, process.env)
  if (config.store === "postgres") {
    throw new ConfigError({
      sentence:
        "rapport backup copies embedded SQLite installations only; back up PostgreSQL with pg_dump (see docs/operations.md, Backups and retention)."
    })
  }
  if (config.store === "eventstoredb") {
    throw new ConfigError({
      sentence:
        "rapport backup copies embedded SQLite installations only; back up EventStoreDB/KurrentDB with the vendor's backup procedure and its PostgreSQL read models with pg_dump (see docs/operations.md)."
    })
  }
  const sources = sqliteFiles(resolve(config.db))
  if (input.flags.erasures === true) return copyRegistry(sources.erasures, resolve(target), input)
  const targets = sqliteFiles(resolve(target))
  if (!existsSync(sources.events)) {
    throw new ConfigError({
      sentence: `There is no event store at ${sources.events}; give its file with --db or RAPPORT_DB.`
    })
  }
  for (const part of order) {
    if (targets[part] === sources[part]) {
      throw new ConfigError({
        sentence: `The backup ${targets[part]} would be the installation's own file; choose another name.`
      })
    }
    if (existsSync(targets[part])) {
      throw new ConfigError({
        sentence: `${targets[part]} exists; backup never overwrites a file, so choose a new name.`
      })
    }
  }
  mkdirSync(dirname(targets.events), { recursive: true })
  const partial = (path: string) => `${path}.partial-${process.pid}`
  const copied: Array<Part> = []
  try {
    for (const part of order) {
      if (!existsSync(sources[part])) continue
      vacuumInto(sources[part], partial(targets[part]))
      const check = quickCheck(partial(targets[part]))
      if (check !== "ok") throw new Error(`the copy of ${sources[part]} failed its check (${check})`)
      copied.push(part)
    }
  } catch (error) {
    for (const part of order) rmSync(partial(targets[part]), { force: true })
    const reason = error instanceof Error ? error.message : String(error)
    process.stderr.write(`rapport: the backup failed and nothing was kept: ${reason}\n`)
    return 1
  }
  for (const part of copied) renameSync(partial(targets[part]), targets[part])
  for (const part of copied) input.out(`${part}: ${sources[part]} → ${targets[part]} (${mebibytes(targets[part])})`)
  input.out(
    `Backed up ${copied.length} files. To restore: stop Rapport, delete the installation's files with their -wal and -shm files, and copy these back under its names (see docs/operations.md).`
  )
  input.out(
    `Not in it: the erasure registry ${sources.erasures}, which a restore must not replace; copy it apart with rapport backup --erasures <file>.`
  )
  return 0
}

const copyRegistry = (source: string, target: string, input: { readonly out: (line: string) => void }): number => {
  if (source === target) {
    throw new ConfigError({ sentence: `The copy ${target} would be the registry itself; choose another name.` })
  }
  if (existsSync(target)) {
    throw new ConfigError({ sentence: `${target} exists; backup never overwrites a file, so choose a new name.` })
  }
  if (!existsSync(source)) {
    throw new ConfigError({ sentence: `There is no erasure registry at ${source}; give the events file with --db.` })
  }
  mkdirSync(dirname(target), { recursive: true })
  const partial = `${target}.partial-${process.pid}`
  try {
    vacuumInto(source, partial)
    const check = quickCheck(partial)
    if (check !== "ok") throw new Error(`the copy of ${source} failed its check (${check})`)
  } catch (error) {
    rmSync(partial, { force: true })
    const reason = error instanceof Error ? error.message : String(error)
    process.stderr.write(`rapport: the backup failed and nothing was kept: ${reason}\n`)
    return 1
  }
  renameSync(partial, target)
  input.out(`erasures: ${source} → ${target} (${mebibytes(target)})`)
  input.out(
    "Keep it apart from the other backups. Restore it only if the installation's own registry is lost: it only grows, so the installation's is never older than a copy."
  )
  return 0
}
