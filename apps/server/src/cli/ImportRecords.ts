/**
 * The records of an import file as entries to validate: NDJSON lines, CSV rows in
 * Rapport's own columns, or rows of a system's own export read through a mapping file
 * (`ImportMapping`); and the header and mapping checks that come before any row. Problems
 * found while reading are kept with the record, for the import to reject it with its line.
 *
 * It never stores anything and never decides what is valid: the import validates every
 * candidate as the API does.
 *
 * @since 0.2.0
 */
import * as Result from "effect/Result"
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { ConfigError } from "../Config.js"
import * as ImportFile from "./ImportFile.js"
import * as ImportMapping from "./ImportMapping.js"

type Problem = ImportFile.RecordProblem

/**
 * A record to validate, one the mapping skips, or one already rejected while reading.
 *
 * @since 0.2.0
 * @category models
 */
export type Entry =
  | {
      readonly _tag: "Candidate"
      readonly line: number
      readonly input: string
      readonly event: unknown
      readonly problems: ReadonlyArray<Problem>
      readonly terminated: boolean
      /** mapped imports: the column each payload field comes from */
      readonly columns?: ReadonlyMap<string, string>
    }
  | { readonly _tag: "Skipped" }
  | {
      readonly _tag: "Rejected"
      readonly line: number
      readonly input: string | undefined
      readonly problems: ReadonlyArray<Problem>
    }

/**
 * The problem of a last record without its line break.
 *
 * @since 0.2.0
 * @category constants
 */
export const truncated: Problem = { path: [], message: "The last line has no line break: the file may be truncated" }

const rejected = (
  line: number,
  input: string | undefined,
  problems: ReadonlyArray<Problem>,
  terminated: boolean
): Entry => ({ _tag: "Rejected", line, input, problems: terminated ? problems : [...problems, truncated] })

/**
 * How the rows of a CSV file are read: Rapport's own columns, or a system's export through
 * a mapping.
 *
 * @since 0.2.0
 * @category models
 */
export type Header =
  | { readonly _tag: "Plain"; readonly columns: ReadonlyArray<ImportFile.Column> }
  | { readonly _tag: "Mapped"; readonly reader: ImportMapping.Reader }

/**
 * The entry of one record: an NDJSON line, a CSV row of Rapport's columns, or a row of a
 * system's export read through its mapping.
 *
 * @since 0.2.0
 * @category operations
 */
export const entryOf = (record: ImportFile.RawRecord, header: Header | undefined): Entry => {
  const { line, terminated } = record
  if (Result.isFailure(record.text)) return rejected(line, undefined, [record.text.failure], terminated)
  const input = record.text.success
  if (header?._tag === "Mapped") {
    const fields = ImportFile.parseCsvRecord(input)
    if (Result.isFailure(fields)) return rejected(line, input, [{ path: [], message: fields.failure }], terminated)
    const row = ImportMapping.mapRow(header.reader, fields.success)
    if (row.skip) return { _tag: "Skipped" }
    if (row.event === undefined) return rejected(line, input, row.problems, terminated)
    return {
      _tag: "Candidate",
      line,
      input,
      event: row.event,
      problems: row.problems,
      terminated,
      columns: row.columns
    }
  }
  const columns = header?.columns
  if (columns !== undefined) {
    const { event, problems } = ImportFile.csvEvent(columns, input)
    if (event === undefined) return rejected(line, input, problems, terminated)
    return { _tag: "Candidate", line, input, event, problems, terminated }
  }
  try {
    return { _tag: "Candidate", line, input, event: JSON.parse(input), problems: [], terminated }
  } catch {
    return rejected(line, input, [{ path: [], message: "Expected one JSON event on this line" }], terminated)
  }
}

/**
 * Reads and checks a mapping file; its digest tells a resume whether the mapping changed.
 * Fails with a `ConfigError` of one sentence.
 *
 * @since 0.2.0
 * @category operations
 */
export const readMapping = (
  path: string,
  format: "csv" | "ndjson"
): { readonly mapping: ImportMapping.Mapping; readonly digest: string } => {
  if (format !== "csv")
    throw new ConfigError({ sentence: "--map reads a CSV export; an NDJSON file holds Rapport's own events." })
  let text: string
  try {
    text = readFileSync(path, "utf8")
  } catch {
    throw new ConfigError({ sentence: `There is no mapping file at ${path}.` })
  }
  const mapping = ImportMapping.parse(text)
  if (Result.isFailure(mapping))
    throw new ConfigError({ sentence: `${path} is not a mapping this import can use: ${mapping.failure}.` })
  return { mapping: mapping.success, digest: createHash("sha256").update(text).digest("hex") }
}

/**
 * Reads the header row: Rapport's columns, or (with a mapping) the export's own columns,
 * which must hold every column the mapping reads. Fails with a `ConfigError` of one sentence.
 *
 * @since 0.2.0
 * @category operations
 */
export const headerParser =
  (file: string, mapping: ImportMapping.Mapping | undefined, timeZone: string) =>
  (text: string): Header => {
    if (mapping !== undefined) {
      const fields = ImportFile.parseCsvRecord(text)
      const reader = Result.flatMap(fields, (names) => ImportMapping.reader(mapping, names, timeZone))
      if (Result.isFailure(reader)) throw new ConfigError({ sentence: `${file}: ${reader.failure}.` })
      return { _tag: "Mapped", reader: reader.success }
    }
    const columns = ImportFile.parseCsvHeader(text)
    if (Result.isFailure(columns)) throw new ConfigError({ sentence: `${file}: ${columns.failure}` })
    return { _tag: "Plain", columns: columns.success }
  }
