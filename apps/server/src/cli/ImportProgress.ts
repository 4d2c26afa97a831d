/**
 * The files `rapport import` keeps beside its input: `<file>.progress.json` (the byte
 * offset and line committed, the counts so far, and a fingerprint of the file so that a
 * resume never continues a different file), `<file>.import.lock` (one import of a file
 * at a time; a lock left by a killed process is taken over) and
 * `<file>.rejected.ndjson` (one JSON line per rejected record).
 *
 * The progress file is replaced atomically (write, then rename), after the batch it
 * describes is committed to the store and its rejected rows are written. A process killed
 * in between re-sends that batch on resume, which the store's idempotency makes harmless,
 * and the rejected file is cut back to the length the progress file recorded, so no row
 * is written aside twice. This module never touches the store.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { closeSync, openSync, readFileSync, readSync, renameSync, rmSync, truncateSync, writeFileSync } from "node:fs"
import { ConfigError } from "../Config.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Paths {
  readonly input: string
  readonly progress: string
  readonly rejected: string
  readonly lock: string
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const pathsOf = (input: string): Paths => ({
  input,
  progress: `${input}.progress.json`,
  rejected: `${input}.rejected.ndjson`,
  lock: `${input}.import.lock`
})

/**
 * Which file an import is reading: its size and a hash of its first 64 KiB.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fingerprint {
  readonly size: number
  readonly head: string
}

/**
 * What has been committed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Committed {
  readonly offset: number
  readonly line: number
  readonly rejectedBytes: number
  readonly stored: number
  readonly duplicates: number
  readonly rejected: number
  /** rows a mapping skips (mapped CSV imports) */
  readonly skipped: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface ProgressFile extends Committed {
  readonly version: 1
  readonly school: string
  readonly fingerprint: Fingerprint
  /** a mapped import: the SHA-256 of its mapping file */
  readonly mapping?: string
}

/**
 * @since 0.1.0
 * @category constants
 */
export const nothingCommitted: Committed = {
  offset: 0,
  line: 0,
  rejectedBytes: 0,
  stored: 0,
  duplicates: 0,
  rejected: 0,
  skipped: 0
}

/**
 * @since 0.1.0
 * @category operations
 */
export const fingerprint = (path: string, size: number): Fingerprint => {
  const handle = openSync(path, "r")
  try {
    const buffer = Buffer.alloc(Math.min(size, 64 * 1024))
    const read = readSync(handle, buffer, 0, buffer.byteLength, 0)
    return { size, head: createHash("sha256").update(buffer.subarray(0, read)).digest("hex") }
  } finally {
    closeSync(handle)
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null

const count = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined

/**
 * Reads the progress of an earlier, unfinished import of this file, if any. A progress
 * file for another school, another version of the file or another mapping stops the import
 * with one sentence: continuing would skip rows of a different file, or read them otherwise.
 *
 * @since 0.1.0
 * @category operations
 */
export const resume = (paths: Paths, school: string, current: Fingerprint, mapping?: string): Committed => {
  let text: string
  try {
    text = readFileSync(paths.progress, "utf8")
  } catch {
    return nothingCommitted
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  const print = isRecord(parsed) && isRecord(parsed.fingerprint) ? parsed.fingerprint : undefined
  const committed = isRecord(parsed)
    ? {
        offset: count(parsed.offset),
        line: count(parsed.line),
        rejectedBytes: count(parsed.rejectedBytes),
        stored: count(parsed.stored),
        duplicates: count(parsed.duplicates),
        rejected: count(parsed.rejected),
        // absent from the progress files of earlier versions
        skipped: count(parsed.skipped ?? 0)
      }
    : undefined
  if (
    !isRecord(parsed) ||
    print === undefined ||
    committed === undefined ||
    Object.values(committed).some((value) => value === undefined)
  ) {
    throw new ConfigError({
      sentence: `${paths.progress} is not a progress file of rapport import; delete it to import ${paths.input} from the start (events already stored are counted as duplicates).`
    })
  }
  if (parsed.school !== school) {
    throw new ConfigError({
      sentence: `${paths.progress} records an import into school "${String(parsed.school)}", not "${school}"; finish that one or delete the progress file.`
    })
  }
  if ((parsed.mapping ?? undefined) !== mapping) {
    throw new ConfigError({
      sentence: `${paths.progress} records an import ${parsed.mapping === undefined ? "without --map" : "through another mapping"}; resume it as it was started, or delete the progress file to import ${paths.input} from the start (events already stored are counted as duplicates).`
    })
  }
  if (print.size !== current.size || print.head !== current.head) {
    throw new ConfigError({
      sentence: `${paths.input} changed since the interrupted import recorded in ${paths.progress}; delete that file to import it from the start (events already stored are counted as duplicates).`
    })
  }
  return {
    offset: committed.offset ?? 0,
    line: committed.line ?? 0,
    rejectedBytes: committed.rejectedBytes ?? 0,
    stored: committed.stored ?? 0,
    duplicates: committed.duplicates ?? 0,
    rejected: committed.rejected ?? 0,
    skipped: committed.skipped ?? 0
  }
}

/**
 * Cuts the rejected file back to what the progress file recorded (a fresh import empties
 * it), so rows rejected after the last commit are not written twice.
 *
 * @since 0.1.0
 * @category operations
 */
export const prepareRejected = (paths: Paths, committed: Committed): void => {
  if (committed.rejectedBytes === 0) {
    rmSync(paths.rejected, { force: true })
    return
  }
  truncateSync(paths.rejected, committed.rejectedBytes)
}

/**
 * Records a commit (atomically).
 *
 * @since 0.1.0
 * @category operations
 */
export const save = (
  paths: Paths,
  school: string,
  print: Fingerprint,
  committed: Committed,
  mapping?: string
): void => {
  const file: ProgressFile = {
    version: 1,
    school,
    fingerprint: print,
    ...committed,
    ...(mapping === undefined ? {} : { mapping })
  }
  const partial = `${paths.progress}.partial`
  writeFileSync(partial, `${JSON.stringify(file, null, 2)}\n`)
  renameSync(partial, paths.progress)
}

/**
 * The import read the file to its end: the progress file goes (running the command again
 * re-sends everything, which only counts duplicates).
 *
 * @since 0.1.0
 * @category operations
 */
export const finish = (paths: Paths): void => {
  rmSync(paths.progress, { force: true })
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM"
  }
}

/**
 * Takes the lock of an input file, or stops with one sentence when another live process
 * holds it. Returns the release function.
 *
 * @since 0.1.0
 * @category operations
 */
export const lock = (paths: Paths): (() => void) => {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(paths.lock, String(process.pid), { flag: "wx" })
      return () => rmSync(paths.lock, { force: true })
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) {
        const reason = error instanceof Error ? error.message : String(error)
        throw new ConfigError({ sentence: `Cannot write beside ${paths.input} (${reason}); import needs to.` })
      }
      const holder = Number(readFileSync(paths.lock, "utf8").trim())
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        throw new ConfigError({
          sentence: `Another import of ${paths.input} is running (process ${holder}); wait for it, or delete ${paths.lock} if that process is not an import.`
        })
      }
      rmSync(paths.lock, { force: true })
    }
  }
  throw new ConfigError({ sentence: `Could not take the lock ${paths.lock}; another import may be starting.` })
}
