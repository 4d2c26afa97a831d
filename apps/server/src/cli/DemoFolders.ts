/**
 * The folders `rapport demo` leaves under `.rapport/` (a few hundred megabytes each for the
 * mid school): each holds the demo's store and a `demo.json` written once its school is
 * loaded (so an interrupted load is never reopened), and a `serving.pid` while a demo
 * serves from it. `rapport demo --reuse` reopens the newest loaded one, `rapport demo list`
 * lists them and `rapport demo remove` deletes them.
 *
 * It must never delete anything but a `demo-*` folder directly under `.rapport/`, nor one a
 * running demo serves from.
 *
 * @since 0.4.0
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs"
import { basename, dirname, join, resolve } from "node:path"
import { ConfigError } from "../Config.js"

/**
 * Where demos live, relative to the working directory.
 *
 * @since 0.4.0
 * @category constants
 */
export const root = ".rapport"

/**
 * What `demo.json` records: the school's settings, so that reopening serves it as it was made.
 *
 * @since 0.4.0
 * @category models
 */
export interface DemoRecord {
  readonly school: string
  readonly size: string
  readonly seed: number
  readonly timeZone: string
  /** when the load finished (RFC 3339) */
  readonly loadedAt: string
  readonly events: number
}

/**
 * A demo folder as `rapport demo list` shows it.
 *
 * @since 0.4.0
 * @category models
 */
export interface DemoFolder {
  readonly name: string
  readonly path: string
  readonly bytes: number
  readonly modifiedMs: number
  /** undefined: its load never finished */
  readonly record: DemoRecord | undefined
  /** the process serving from it, if one is */
  readonly servingPid: number | undefined
}

const recordFile = (folder: string) => join(folder, "demo.json")
const pidFile = (folder: string) => join(folder, "serving.pid")

const sizeOf = (path: string): number => {
  const stats = statSync(path, { throwIfNoEntry: false })
  if (stats === undefined) return 0
  if (!stats.isDirectory()) return stats.size
  return readdirSync(path).reduce((sum, entry) => sum + sizeOf(join(path, entry)), 0)
}

const isRecord = (value: unknown): value is DemoRecord =>
  typeof value === "object" &&
  value !== null &&
  typeof Reflect.get(value, "school") === "string" &&
  typeof Reflect.get(value, "timeZone") === "string" &&
  typeof Reflect.get(value, "loadedAt") === "string"

const readRecord = (folder: string): DemoRecord | undefined => {
  try {
    const parsed: unknown = JSON.parse(readFileSync(recordFile(folder), "utf8"))
    return isRecord(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists, owned by someone else
    return error instanceof Error && "code" in error && error.code === "EPERM"
  }
}

const servingPid = (folder: string): number | undefined => {
  try {
    const pid = Number(readFileSync(pidFile(folder), "utf8").trim())
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined
  } catch {
    return undefined
  }
}

/**
 * Every demo folder under `<cwd>/.rapport`, newest first.
 *
 * @since 0.4.0
 * @category operations
 */
export const list = (cwd: string = process.cwd()): ReadonlyArray<DemoFolder> => {
  const base = resolve(cwd, root)
  if (!existsSync(base)) return []
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith("demo-"))
    .map((entry) => {
      const path = join(base, entry.name)
      return {
        name: entry.name,
        path,
        bytes: sizeOf(path),
        modifiedMs: statSync(path).mtimeMs,
        record: readRecord(path),
        servingPid: servingPid(path)
      }
    })
    .sort((a, b) => b.modifiedMs - a.modifiedMs || (a.name < b.name ? 1 : -1))
}

/**
 * The newest demo whose load finished, for `--reuse`.
 *
 * @since 0.4.0
 * @category operations
 */
export const newestLoaded = (cwd: string = process.cwd()): DemoFolder | undefined =>
  list(cwd).find((folder) => folder.record !== undefined)

/**
 * The record of the demo whose store is `db`, if its load finished.
 *
 * @since 0.4.0
 * @category operations
 */
export const recordOf = (db: string): DemoRecord | undefined => readRecord(dirname(resolve(db)))

/**
 * Marks a folder's demo as loaded.
 *
 * @since 0.4.0
 * @category operations
 */
export const markLoaded = (folder: string, record: DemoRecord): void => {
  writeFileSync(recordFile(folder), `${JSON.stringify(record, null, 2)}\n`)
}

/**
 * Records that this process serves from the folder, until the returned function is called.
 *
 * @since 0.4.0
 * @category operations
 */
export const markServing = (folder: string): (() => void) => {
  writeFileSync(pidFile(folder), `${process.pid}\n`)
  return () => {
    try {
      unlinkSync(pidFile(folder))
    } catch {
      // already gone
    }
  }
}

/**
 * Deletes demo folders by name (`demo-…`, as `rapport demo list` prints them), or every one
 * with `all`; never one a demo serves from. Returns what it deleted.
 *
 * @since 0.4.0
 * @category operations
 */
export const remove = (
  names: ReadonlyArray<string>,
  options: { readonly all: boolean; readonly cwd?: string }
): ReadonlyArray<DemoFolder> => {
  const folders = list(options.cwd)
  const chosen = options.all
    ? folders
    : names.map((given) => {
        // a name, or a path to the folder or to its store, as `rapport demo` printed it
        const name = basename(given.endsWith(".db") ? dirname(given) : given)
        const found = folders.find((folder) => folder.name === name)
        if (found === undefined)
          throw new ConfigError({
            sentence: `${given} is not a demo folder under ${root}/; run \`rapport demo list\` to see them.`
          })
        return found
      })
  const busy = chosen.find((folder) => folder.servingPid !== undefined)
  if (busy !== undefined && !options.all)
    throw new ConfigError({
      sentence: `${busy.name} is in use by a running demo (process ${busy.servingPid}); stop it first.`
    })
  const removed: Array<DemoFolder> = []
  for (const folder of chosen) {
    if (folder.servingPid !== undefined) continue
    rmSync(folder.path, { recursive: true, force: true })
    removed.push(folder)
  }
  return removed
}
