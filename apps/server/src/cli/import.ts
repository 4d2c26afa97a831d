/**
 * `rapport import <file.csv | file.ndjson> --school <id> [--map <mapping.json>]`: bulk
 * history through the same validation and append as `POST /v1/events` (`Ingest.validate`,
 * `Ingest.append`), in batches of 1,000 events, with a progress bar on standard error and a
 * summary on standard output. With `--map`, a CSV file is a system's own export, read
 * through a mapping file (`ImportRecords`, `ImportMapping`).
 *
 * - Resumable: after each committed batch the byte offset and line reached are recorded
 *   in `<file>.progress.json`; running the same command again continues there. A batch
 *   re-sent after a crash is harmless: the store counts its events as duplicates.
 * - Rejected records go to `<file>.rejected.ndjson`, one JSON line each with the line
 *   number, every problem with its path, and the record's text; the other records of the
 *   batch are stored. Events more than 5 minutes in the future are rejected, as by the API.
 * - A stalled input or an unreachable store stops the import with one sentence; what was
 *   committed stays committed and recorded. SIGINT/SIGTERM finish the current batch first.
 *
 * It must never store an event the API would refuse, nor take the school from the file.
 *
 * @since 0.1.0
 */
import type { Event } from "@rapport/core"
import type { EventStoreShape } from "@rapport/event-store"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { appendFileSync, statSync } from "node:fs"
import { basename } from "node:path"
import { ConfigError, load } from "../Config.js"
import { ProblemType } from "../http/Problem.js"
import * as Ingest from "../ingest/Ingest.js"
import * as Installation from "../Installation.js"
import * as ImportFile from "./ImportFile.js"
import * as ImportProgress from "./ImportProgress.js"
import * as ImportRecords from "./ImportRecords.js"
import * as Progress from "./Progress.js"

/**
 * Events per committed batch.
 *
 * @since 0.1.0
 * @category constants
 */
export const batchSize = 1000

/**
 * The longest record accepted, as for an NDJSON line posted to the API.
 *
 * @since 0.1.0
 * @category constants
 */
export const lineLimit = 64 * 1024

const schoolPattern = /^[A-Za-z0-9._~:@-]{1,128}$/

type Problem = ImportFile.RecordProblem
type Entry = ImportRecords.Entry
const { truncated } = ImportRecords

class ImportStopped extends Data.TaggedError("ImportStopped")<{ readonly sentence: string }> {}

interface Rejection {
  readonly line: number
  readonly errors: ReadonlyArray<Problem>
  readonly input?: string
}

interface Valid {
  readonly line: number
  readonly input: string
  readonly event: Event.RapportEvent
}

const appendResult = (store: EventStoreShape, school: string, events: ReadonlyArray<Event.RapportEvent>) =>
  Effect.runPromise(Effect.result(Ingest.append(store, school, events)))

/**
 * Appends valid events; an event whose id was stored with other content, or about an
 * erased student, is rejected on its own (as NDJSON lines are by the API), any other
 * refusal that names no event is narrowed down by appending one event at a time. An
 * unreachable store stops the import.
 */
const appendValid = async (
  store: EventStoreShape,
  school: string,
  valid: ReadonlyArray<Valid>,
  reject: (rejection: Rejection) => void
): Promise<{ stored: number; duplicates: number; position: number }> => {
  const totals = { stored: 0, duplicates: 0, position: 0 }
  const add = (stored: Ingest.Stored) => {
    totals.stored += stored.stored
    totals.duplicates += stored.duplicates
    totals.position = Math.max(totals.position, stored.position)
  }
  const stop = (detail: string) => new ImportStopped({ sentence: detail })
  let pending = valid
  while (pending.length > 0) {
    const outcome = await appendResult(
      store,
      school,
      pending.map((item) => item.event)
    )
    if (Result.isSuccess(outcome)) {
      add(outcome.success)
      return totals
    }
    const failure = outcome.failure
    if (failure.status >= 500) throw stop(failure.detail)
    const refused = new Map(
      failure.type === ProblemType.erased ? (failure.errors ?? []).map((issue) => [issue.index, issue]) : []
    )
    if (refused.size > 0) {
      // the records about erased students are rejected on their own; the rest is retried
      for (const [index, item] of pending.entries()) {
        const issue = refused.get(index)
        if (issue !== undefined)
          reject({ line: item.line, errors: [{ path: issue.path, message: issue.message }], input: item.input })
      }
      pending = pending.filter((_, index) => !refused.has(index))
      continue
    }
    const conflictId = failure.extensions?.eventId
    const at = typeof conflictId === "string" ? pending.findIndex((item) => item.event.id === conflictId) : -1
    const offending = pending[at]
    if (offending !== undefined) {
      reject({ line: offending.line, errors: [{ path: ["id"], message: failure.detail }], input: offending.input })
      pending = pending.filter((_, index) => index !== at)
      continue
    }
    for (const item of pending) {
      const single = await appendResult(store, school, [item.event])
      if (Result.isSuccess(single)) add(single.success)
      else if (single.failure.status >= 500) throw stop(single.failure.detail)
      else reject({ line: item.line, errors: [{ path: [], message: single.failure.detail }], input: item.input })
    }
    return totals
  }
  return totals
}

/**
 * Validates a batch (every problem of every record, the future check included), stores
 * the valid events, and returns the rejections in line order.
 */
const commitBatch = async (
  store: EventStoreShape,
  school: string,
  batch: ReadonlyArray<Entry>
): Promise<{
  stored: number
  duplicates: number
  position: number
  skipped: number
  rejections: ReadonlyArray<Rejection>
}> => {
  let skipped = 0
  const rejections: Array<Rejection> = []
  const reject = (rejection: Rejection) => rejections.push(rejection)
  const valid: Array<Valid> = []
  const receivedAt = new Date()
  for (const entry of batch) {
    if (entry._tag === "Skipped") {
      skipped += 1
      continue
    }
    if (entry._tag === "Rejected") {
      reject(
        entry.input === undefined
          ? { line: entry.line, errors: entry.problems }
          : { line: entry.line, errors: entry.problems, input: entry.input }
      )
      continue
    }
    const validated = Ingest.validate([entry.event], receivedAt)
    if (Result.isSuccess(validated) && entry.problems.length === 0) {
      for (const event of validated.success) valid.push({ line: entry.line, input: entry.input, event })
      continue
    }
    // `data` that is not JSON was decoded as null: its own problem replaces the decoder's
    const dataBroken = entry.problems.some((problem) => problem.path[0] === "data")
    // a field the mapping could not fill is reported once, by the mapping, not again as missing
    const reported = new Set(entry.problems.map((problem) => problem.path.join(".")))
    const issues = Result.isFailure(validated)
      ? validated.failure
          .filter((issue) => !(dataBroken && entry.columns === undefined && issue.path[0] === "data"))
          .filter((issue) => !reported.has(issue.path.join(".")))
          .map((issue) => {
            // a mapped import names the column a payload field came from
            const column = issue.path[0] === "data" ? entry.columns?.get(String(issue.path[1])) : undefined
            return column === undefined
              ? { path: issue.path, message: issue.message }
              : { path: issue.path, column, message: issue.message }
          })
      : []
    const errors = [...entry.problems, ...issues, ...(entry.terminated ? [] : [truncated])]
    reject({ line: entry.line, errors, input: entry.input })
  }
  const totals = await appendValid(store, school, valid, reject)
  return { ...totals, skipped, rejections: rejections.sort((a, b) => a.line - b.line) }
}

const stallMsOf = (env: Readonly<Record<string, string | undefined>>): number => {
  const text = env.RAPPORT_IMPORT_STALL_SECONDS ?? "30"
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 3600) {
    throw new ConfigError({
      sentence: `RAPPORT_IMPORT_STALL_SECONDS must be a whole number of seconds from 1 to 3600, not "${text}".`
    })
  }
  return Number(text) * 1000
}

const formatOf = (file: string): "csv" | "ndjson" => {
  if (/\.csv$/i.test(file)) return "csv"
  if (/\.(ndjson|jsonl)$/i.test(file)) return "ndjson"
  throw new ConfigError({
    sentence: `${file} must end in .csv or .ndjson (or .jsonl): the extension says how to read it.`
  })
}

const readHeader = async (file: string, stallMs: number, parseHeader: (text: string) => ImportRecords.Header) => {
  for await (const record of ImportFile.records(file, { start: 0, linesBefore: 0, quoted: true, lineLimit, stallMs })) {
    if (Result.isFailure(record.text))
      throw new ConfigError({
        sentence: `${file}: the first row must be the header; ${record.text.failure.message.toLowerCase()}.`
      })
    return { header: parseHeader(record.text.success), endOffset: record.endOffset, linesThrough: record.linesThrough }
  }
  throw new ConfigError({
    sentence: `${file} is empty; a CSV import starts with the header ${ImportFile.csvColumns.join(",")}.`
  })
}

const number = (n: number): string => n.toLocaleString("en-US")

/**
 * @since 0.1.0
 * @category commands
 */
export const run = async (input: {
  readonly flags: {
    readonly db?: string | undefined
    readonly school?: string | undefined
    readonly map?: string | undefined
  }
  readonly args: readonly [file: string]
  readonly out: (line: string) => void
}): Promise<number> => {
  const [file] = input.args
  const format = formatOf(file)
  const school = input.flags.school
  if (school === undefined || !schoolPattern.test(school)) {
    throw new ConfigError({
      sentence: "import needs --school <id> (1–128 letters, digits or ._~:@-): the school the history belongs to."
    })
  }
  const config = load({ db: input.flags.db }, process.env)
  const stallMs = stallMsOf(process.env)
  const mapping = input.flags.map === undefined ? undefined : ImportRecords.readMapping(input.flags.map, format)
  const timeZone = config.timeZones[school] ?? config.timeZones["*"] ?? "UTC"
  const parseHeader = ImportRecords.headerParser(file, mapping?.mapping, timeZone)
  let stats: ReturnType<typeof statSync>
  try {
    stats = statSync(file)
  } catch {
    throw new ConfigError({ sentence: `There is no file at ${file}.` })
  }
  if (stats.isDirectory()) throw new ConfigError({ sentence: `${file} is a directory; give the file to import.` })
  // A pipe or a device can be read once only: no fingerprint, no resume.
  const regular = stats.isFile()
  const paths = ImportProgress.pathsOf(file)
  const release = ImportProgress.lock(paths)
  try {
    const print = regular ? ImportProgress.fingerprint(file, Number(stats.size)) : undefined
    let state =
      print === undefined
        ? ImportProgress.nothingCommitted
        : ImportProgress.resume(paths, school, print, mapping?.digest)
    const resuming = state.offset > 0
    // The header is checked before anything is opened; a pipe's is read in the loop below.
    let header: ImportRecords.Header | undefined
    if (format === "csv" && regular) {
      const first = await readHeader(file, stallMs, parseHeader)
      header = first.header
      if (state.offset === 0) state = { ...state, offset: first.endOffset, line: first.linesThrough }
    }
    const installation = await Installation.open(config, { reapplyErasures: true })
    ImportProgress.prepareRejected(paths, state)
    const from = state.offset
    const started = performance.now()
    const size = Number(stats.size)
    const progress = Progress.make(
      `${resuming ? `Resuming ${basename(file)} at line ${number(state.line + 1)}` : `Importing ${basename(file)}`} (KiB)`,
      regular ? Math.ceil((size - from) / 1024) : undefined
    )
    let interrupted: string | undefined
    const onSignal = (signal: string) => () => {
      interrupted = signal
    }
    const onInt = onSignal("SIGINT")
    const onTerm = onSignal("SIGTERM")
    process.on("SIGINT", onInt)
    process.on("SIGTERM", onTerm)
    let position = 0
    let stoppedEarly = false
    let batch: Array<Entry> = []
    let reached = { offset: state.offset, line: state.line }
    const commit = async () => {
      const done = await commitBatch(installation.store, school, batch)
      // the server's /metrics reads these totals (rapport_events_imported_total); a count
      // that cannot be written never stops an import whose events are committed
      await Effect.runPromise(
        Effect.ignore(
          installation.control.addImported({
            stored: done.stored,
            duplicates: done.duplicates,
            rejected: done.rejections.length
          })
        )
      )
      let rejectedBytes = state.rejectedBytes
      if (done.rejections.length > 0) {
        const text = done.rejections.map((rejection) => `${JSON.stringify(rejection)}\n`).join("")
        appendFileSync(paths.rejected, text)
        rejectedBytes += Buffer.byteLength(text)
      }
      position = Math.max(position, done.position)
      state = {
        offset: reached.offset,
        line: reached.line,
        rejectedBytes,
        stored: state.stored + done.stored,
        duplicates: state.duplicates + done.duplicates,
        rejected: state.rejected + done.rejections.length,
        skipped: state.skipped + done.skipped
      }
      if (print !== undefined) ImportProgress.save(paths, school, print, state, mapping?.digest)
      batch = []
      progress.advance(Math.ceil((state.offset - from) / 1024))
    }
    try {
      const reading = ImportFile.records(file, {
        start: state.offset,
        linesBefore: state.line,
        quoted: format === "csv",
        lineLimit,
        stallMs
      })
      for await (const record of reading) {
        if (format === "csv" && header === undefined) {
          if (Result.isFailure(record.text)) throw new ConfigError({ sentence: `${file}: it is not text` })
          header = parseHeader(record.text.success)
          reached = { offset: record.endOffset, line: record.linesThrough }
          continue
        }
        batch.push(ImportRecords.entryOf(record, header))
        reached = { offset: record.endOffset, line: record.linesThrough }
        if (batch.length >= batchSize) {
          await commit()
          if (interrupted !== undefined) {
            stoppedEarly = true
            break
          }
        }
      }
      if (format === "csv" && header === undefined)
        throw new ConfigError({
          sentence: `${file} is empty; a CSV import starts with the header ${ImportFile.csvColumns.join(",")}.`
        })
      await commit()
    } catch (error) {
      const where = `Committed through line ${number(state.line)} (${number(state.stored)} events stored); ${print === undefined ? `send the rest from line ${number(state.line + 1)} on.` : "run the same command again to resume."}`
      if (error instanceof ImportFile.InputStalled) {
        process.stderr.write(
          `rapport: the input stalled: no data for ${Math.round(error.afterMs / 1000)} s. ${where}\n`
        )
        return 1
      }
      if (error instanceof ImportStopped) {
        process.stderr.write(`rapport: the import stopped: ${error.sentence} ${where}\n`)
        return 1
      }
      throw error
    } finally {
      process.off("SIGINT", onInt)
      process.off("SIGTERM", onTerm)
      await installation.close()
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    if (stoppedEarly) {
      progress.finish(
        `Interrupted (${interrupted}) after line ${number(state.line)}; run the same command again to resume.`
      )
      return 130
    }
    if (print !== undefined) ImportProgress.finish(paths)
    progress.finish(`Read ${basename(file)} to its end in ${seconds} s.`)
    input.out(
      `Imported ${file} into school ${school}: ${number(state.stored)} events stored, ${number(state.duplicates)} duplicates (already in the store), ${number(state.rejected)} rejected${state.rejected > 0 ? ` (written to ${paths.rejected}, each with its line number and every problem)` : ""}${mapping === undefined ? "" : `, ${number(state.skipped)} rows skipped by the mapping`}.`
    )
    if (position > 0) input.out(`Store position reached: ${position}.`)
    return 0
  } finally {
    release()
  }
}
