/**
 * Reading a history file for `rapport import`: records (NDJSON lines, or CSV rows that
 * may span lines inside quotes) with the byte offset just past each one, so that an
 * import can be resumed exactly where it committed; and the CSV format of one event per
 * row, `id,type,v,occurredAt,source,data` (RFC 4180 quoting, `data` the JSON text of the
 * payload), as `@rapport/simulator` writes it.
 *
 * A record longer than the line limit, text that is not UTF-8, a CSV row with a quote
 * left open and a last line cut short are returned as problems for the caller to reject
 * with their line number; a file that stops delivering bytes fails with `InputStalled`.
 * This module never writes anything and never decides what is stored.
 *
 * @since 0.1.0
 */
import { createReadStream, fstatSync, open, statSync } from "node:fs"
import { Socket } from "node:net"
import type { Readable } from "node:stream"
import * as Data from "effect/Data"
import * as Result from "effect/Result"

/**
 * @since 0.1.0
 * @category errors
 */
export class InputStalled extends Data.TaggedError("InputStalled")<{ readonly afterMs: number }> {}

/**
 * One problem of a record: where in the event (`[]` for the record as a whole) and what.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordProblem {
  readonly path: ReadonlyArray<string | number>
  /** mapped imports: the column of the export the problem is in */
  readonly column?: string
  readonly message: string
}

/**
 * One record of the file: the line it starts on (1-based), the offset just past it and
 * its text, or why its text could not be taken.
 *
 * @since 0.1.0
 * @category models
 */
export interface RawRecord {
  readonly line: number
  /** the lines read through the end of this record (a resume starts after them) */
  readonly linesThrough: number
  readonly endOffset: number
  /** `false` for a last record with no line break after it */
  readonly terminated: boolean
  readonly text: Result.Result<string, RecordProblem>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface ReadOptions {
  /** byte offset to start at (the start of a record) */
  readonly start: number
  /** the number of lines before `start` */
  readonly linesBefore: number
  /** CSV: line breaks inside double quotes belong to the record */
  readonly quoted: boolean
  readonly lineLimit: number
  readonly stallMs: number
}

const LF = 10
const QUOTE = 34

const nextChunk = async (iterator: AsyncIterator<Buffer>, stallMs: number): Promise<IteratorResult<Buffer>> => {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new InputStalled({ afterMs: stallMs })), stallMs)
      })
    ])
  } finally {
    if (timer !== undefined) clearTimeout(timer)
  }
}

/**
 * A regular file is read with a file stream. A pipe is read as a socket: a file stream
 * would block a libuv thread in `read()` while the writer is silent, and a blocked thread
 * keeps the process from ever exiting after a stall.
 */
const openInput = async (path: string, start: number): Promise<Readable> => {
  if (start > 0 || statSync(path).isFile()) {
    return createReadStream(path, { highWaterMark: 1 << 20, ...(start > 0 ? { start } : {}) })
  }
  // waits for a writer, as reading a pipe does
  const fd = await new Promise<number>((resolve, reject) =>
    open(path, "r", (error, opened) => (error === null ? resolve(opened) : reject(error)))
  )
  const kind = fstatSync(fd)
  if (kind.isFIFO() || kind.isSocket()) return new Socket({ fd, readable: true, writable: false })
  return createReadStream(path, { fd, highWaterMark: 1 << 20 })
}

const utf8 = new TextDecoder("utf-8", { fatal: true })

const decodeText = (bytes: Buffer, first: boolean): Result.Result<string, RecordProblem> => {
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    return Result.fail({ path: [], message: "Expected UTF-8 text; this line holds other bytes (a corrupt file?)" })
  }
  if (text.includes("\u0000"))
    return Result.fail({ path: [], message: "Expected text; this line holds NUL bytes (a binary file?)" })
  if (first && text.startsWith("\uFEFF")) text = text.slice(1)
  return Result.succeed(text.endsWith("\r") ? text.slice(0, -1) : text)
}

/**
 * Yields the records of a file from `start`, skipping blank ones (their bytes still count
 * toward the next record's offset).
 *
 * @since 0.1.0
 * @category operations
 */
export async function* records(path: string, options: ReadOptions): AsyncGenerator<RawRecord> {
  const stream = await openInput(path, options.start)
  const iterator: AsyncIterator<Buffer> = stream[Symbol.asyncIterator]()
  let offset = options.start
  let line = options.linesBefore
  let pieces: Array<Buffer> = []
  let size = 0
  let oversized = false
  let inQuotes = false
  let breaks = 0
  const take = (end: number, terminated: boolean): RawRecord | undefined => {
    const startLine = line + 1
    line += breaks + (terminated ? 1 : 0)
    const bytes = Buffer.concat(pieces)
    const wasOversized = oversized
    pieces = []
    size = 0
    oversized = false
    breaks = 0
    if (wasOversized) {
      return {
        line: startLine,
        linesThrough: line,
        endOffset: end,
        terminated,
        text: Result.fail({ path: [], message: `Expected a record of at most ${options.lineLimit} bytes` })
      }
    }
    const text = decodeText(bytes, startLine === 1)
    if (Result.isSuccess(text) && text.success.trim() === "") return undefined
    return { line: startLine, linesThrough: line, endOffset: end, terminated, text }
  }
  const keep = (piece: Buffer) => {
    size += piece.byteLength
    if (size > options.lineLimit) {
      oversized = true
      pieces = []
    } else if (!oversized && piece.byteLength > 0) pieces.push(piece)
  }
  try {
    for (;;) {
      const next = await nextChunk(iterator, options.stallMs)
      if (next.done === true) break
      const chunk = next.value
      let from = 0
      let at = 0
      for (;;) {
        const lf = chunk.indexOf(LF, at)
        const end = lf === -1 ? chunk.byteLength : lf
        if (options.quoted) {
          for (let q = chunk.indexOf(QUOTE, at); q !== -1 && q < end; q = chunk.indexOf(QUOTE, q + 1)) {
            inQuotes = !inQuotes
          }
        }
        if (lf === -1) break
        at = lf + 1
        if (inQuotes) {
          breaks += 1
          continue
        }
        keep(chunk.subarray(from, lf))
        from = at
        const record = take(offset + from, true)
        if (record !== undefined) yield record
      }
      keep(chunk.subarray(from))
      offset += chunk.byteLength
    }
    if (size > 0 || oversized) {
      const record = take(offset, false)
      if (record !== undefined) yield record
    }
  } finally {
    stream.destroy()
  }
}

/**
 * The columns of the CSV format, in the order the simulator writes them.
 *
 * @since 0.1.0
 * @category constants
 */
export const csvColumns = ["id", "type", "v", "occurredAt", "source", "data"] as const

/**
 * @since 0.1.0
 * @category models
 */
export type Column = (typeof csvColumns)[number]

const requiredColumns: ReadonlyArray<Column> = ["id", "type", "occurredAt", "data"]

const isColumn = (name: string): name is Column => csvColumns.some((column) => column === name)

/**
 * Splits one CSV record into fields (RFC 4180: fields with commas, quotes or line
 * breaks are quoted, a quote inside is doubled).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseCsvRecord = (text: string): Result.Result<ReadonlyArray<string>, string> => {
  const fields: Array<string> = []
  let at = 0
  for (;;) {
    if (text[at] === '"') {
      let value = ""
      let from = at + 1
      for (;;) {
        const quote = text.indexOf('"', from)
        if (quote === -1)
          return Result.fail(`Field ${fields.length + 1} opens a quote that never closes (a truncated file?)`)
        value += text.slice(from, quote)
        if (text[quote + 1] === '"') {
          value += '"'
          from = quote + 2
          continue
        }
        at = quote + 1
        break
      }
      fields.push(value)
      if (at === text.length) return Result.succeed(fields)
      if (text[at] !== ",")
        return Result.fail(`Field ${fields.length} has text after its closing quote (a quote must be doubled)`)
      at += 1
    } else {
      const comma = text.indexOf(",", at)
      const value = comma === -1 ? text.slice(at) : text.slice(at, comma)
      if (value.includes('"'))
        return Result.fail(`Field ${fields.length + 1} holds a quote but is not quoted (RFC 4180)`)
      fields.push(value)
      if (comma === -1) return Result.succeed(fields)
      at = comma + 1
    }
  }
}

/**
 * Reads the header row: the known columns, in any order, each at most once, with `id`,
 * `type`, `occurredAt` and `data` required. Fails with one sentence.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseCsvHeader = (text: string): Result.Result<ReadonlyArray<Column>, string> => {
  const expected = `the header ${csvColumns.join(",")}`
  const fields = parseCsvRecord(text)
  if (Result.isFailure(fields)) return Result.fail(`The first row must be ${expected}: ${fields.failure}.`)
  const columns: Array<Column> = []
  for (const raw of fields.success) {
    const name = raw.trim()
    if (!isColumn(name)) return Result.fail(`The first row must be ${expected}; "${name}" is not one of its columns.`)
    if (columns.includes(name)) return Result.fail(`The header names the column "${name}" twice.`)
    columns.push(name)
  }
  const missing = requiredColumns.filter((column) => !columns.includes(column))
  if (missing.length > 0)
    return Result.fail(`The first row must be ${expected}; it lacks ${missing.map((c) => `"${c}"`).join(", ")}.`)
  return Result.succeed(columns)
}

/**
 * Turns a CSV row into the wire JSON of its event: an empty `v` or `source` is left
 * out, `v` made a number when it is one, `data` parsed from its JSON text. Problems the
 * row itself has (field count, `data` that is not JSON) come back beside the event, whose
 * `data` is then `null`; decoding reports the rest.
 *
 * @since 0.1.0
 * @category parsing
 */
export const csvEvent = (
  columns: ReadonlyArray<Column>,
  text: string
): { readonly event: unknown; readonly problems: ReadonlyArray<RecordProblem> } => {
  const fields = parseCsvRecord(text)
  if (Result.isFailure(fields)) return { event: undefined, problems: [{ path: [], message: fields.failure }] }
  if (fields.success.length !== columns.length) {
    const problem = `Expected ${columns.length} fields (${columns.join(",")}), got ${fields.success.length}`
    return { event: undefined, problems: [{ path: [], message: problem }] }
  }
  const event: Record<string, unknown> = {}
  const problems: Array<RecordProblem> = []
  columns.forEach((column, index) => {
    const value = fields.success[index] ?? ""
    switch (column) {
      case "v":
        if (value !== "") event.v = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value
        return
      case "source":
        if (value !== "") event.source = value
        return
      case "data":
        try {
          event.data = JSON.parse(value)
        } catch (error) {
          event.data = null
          const reason = error instanceof Error ? error.message : String(error)
          problems.push({ path: ["data"], message: `Expected the JSON text of the payload (${reason})` })
        }
        return
      default:
        event[column] = value
    }
  })
  return { event, problems }
}
