/**
 * Mapped CSV imports: a mapping file (JSON, docs/operations.md#mapped-csv-import) says how
 * one system's own export becomes Rapport events — which column holds the record's id,
 * when it happened (local time, read in the school's zone), which event type each row is,
 * and where each field of the payload comes from (a column, a column through a value map,
 * or a constant). Columns the mapping does not name are ignored. Each event's id is the
 * stable id of the record (`StableId`), so importing the same export twice stores nothing
 * twice.
 *
 * This module turns a row into the wire JSON of its event plus the problems found, each
 * naming its column; it never decides what is stored (the import validates the event as
 * the API does) and never reads files or the environment.
 *
 * @since 0.2.0
 */
import { Calendar, Event, EventField } from "@rapport/core"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import * as SchemaIssue from "effect/SchemaIssue"
import * as StableId from "../ingest/StableId.js"
import * as LocalTime from "./LocalTime.js"

const Text = Schema.String.check(Schema.isMinLength(1))

const FromColumn = Schema.Struct({
  column: Text,
  values: Schema.optionalKey(Schema.Record(Schema.String, Schema.Unknown)),
  default: Schema.optionalKey(Schema.Unknown),
  as: Schema.optionalKey(Schema.Literals(["text", "integer", "list"])),
  separator: Schema.optionalKey(Text)
})

const Constant = Schema.Struct({ value: Schema.Unknown })

const FieldSource = Schema.Union([Text, FromColumn, Constant])

const TypeName = Schema.String.check(
  Schema.makeFilter((name: string) => Event.isEventType(name), { message: "Expected an event type of docs/events.md" })
)

const MappingSchema = Schema.Struct({
  source: EventField.Source,
  namespace: Schema.optionalKey(
    Schema.String.check(Schema.makeFilter(StableId.isUuid, { message: "Expected a UUID" }))
  ),
  recordId: Schema.Union([Text, Schema.Array(Text).check(Schema.isMinLength(1))]),
  occurredAt: Schema.Union([
    Text,
    Schema.Struct({
      column: Schema.optionalKey(Text),
      date: Schema.optionalKey(Text),
      time: Schema.optionalKey(Text),
      format: Schema.optionalKey(Schema.Literals(["iso", "us"]))
    })
  ]),
  type: Schema.Union([
    TypeName,
    Schema.Struct({ column: Text, values: Schema.Record(Schema.String, Schema.NullOr(TypeName)) })
  ]),
  data: Schema.Record(TypeName, Schema.Record(Schema.String, FieldSource)),
  skip: Schema.optionalKey(Schema.Struct({ column: Text, values: Schema.Array(Schema.String) }))
})

/**
 * A mapping file, as decoded.
 *
 * @since 0.2.0
 * @category models
 */
export type Mapping = typeof MappingSchema.Type

type Source = typeof FieldSource.Type

/**
 * A problem of one row: the column it comes from, when one does, and what.
 *
 * @since 0.2.0
 * @category models
 */
export interface RowProblem {
  readonly path: ReadonlyArray<string | number>
  readonly column?: string
  readonly message: string
}

const fieldsOf = (type: Event.EventType): ReadonlyArray<string> => {
  const ast = Event.dataSchemas[type].ast
  return SchemaAST.isObjects(ast) ? ast.propertySignatures.map((field) => String(field.name)) : []
}

const lower = (text: string) => text.trim().toLowerCase()

/**
 * Reads a mapping file's JSON text, checking it against the event types: every type the
 * mapping can produce has a payload mapping, and every field it maps exists. Fails with one
 * sentence.
 *
 * @since 0.2.0
 * @category parsing
 */
export const parse = (text: string): Result.Result<Mapping, string> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return Result.fail(`it is not JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  const decoded = Schema.decodeUnknownResult(MappingSchema)(json, { errors: "all", onExcessProperty: "error" })
  if (Result.isFailure(decoded)) {
    const issues = SchemaIssue.makeFormatterStandardSchemaV1()(decoded.failure.issue).issues
    return Result.fail(
      issues
        .map(
          (issue) =>
            `${(issue.path ?? []).map((key) => String(typeof key === "object" ? key.key : key)).join(".") || "(file)"}: ${issue.message}`
        )
        .join("; ")
    )
  }
  const mapping = decoded.success
  const types = typeof mapping.type === "string" ? [mapping.type] : Object.values(mapping.type.values)
  for (const type of types) {
    if (type !== null && mapping.data[type] === undefined) return Result.fail(`data has no mapping for ${type}`)
  }
  for (const [type, fields] of Object.entries(mapping.data)) {
    if (!Event.isEventType(type)) continue
    const known = fieldsOf(type)
    for (const field of Object.keys(fields)) {
      if (!known.includes(field))
        return Result.fail(`data.${type}.${field}: ${type} has no field "${field}" (its fields: ${known.join(", ")})`)
    }
  }
  const occurredAt = mapping.occurredAt
  if (typeof occurredAt !== "string" && (occurredAt.column === undefined) === (occurredAt.date === undefined))
    return Result.fail("occurredAt names either a column, or a date column (and a time column)")
  return Result.succeed(mapping)
}

const columnOf = (source: Source): string | undefined =>
  typeof source === "string" ? source : "column" in source ? source.column : undefined

/**
 * Every column the mapping reads.
 *
 * @since 0.2.0
 * @category operations
 */
export const columnsRead = (mapping: Mapping): ReadonlyArray<string> => {
  const occurredAt = mapping.occurredAt
  const columns = [
    ...(typeof mapping.recordId === "string" ? [mapping.recordId] : mapping.recordId),
    ...(typeof occurredAt === "string" ? [occurredAt] : [occurredAt.column, occurredAt.date, occurredAt.time]),
    ...(typeof mapping.type === "string" ? [] : [mapping.type.column]),
    ...(mapping.skip === undefined ? [] : [mapping.skip.column]),
    ...Object.values(mapping.data).flatMap((fields) => Object.values(fields).map(columnOf))
  ]
  return [...new Set(columns.filter((column): column is string => column !== undefined))]
}

/**
 * What a mapping needs to read rows: the header's columns (their positions) and the
 * school's calendar. Fails with one sentence when the header lacks a column the mapping
 * reads, or names one twice.
 *
 * @since 0.2.0
 * @category models
 */
export interface Reader {
  readonly mapping: Mapping
  readonly namespace: string
  readonly positions: ReadonlyMap<string, number>
  readonly calendar: Calendar.Calendar
}

/**
 * @since 0.2.0
 * @category constructors
 */
export const reader = (
  mapping: Mapping,
  header: ReadonlyArray<string>,
  timeZone: string
): Result.Result<Reader, string> => {
  const positions = new Map<string, number>()
  header.forEach((name, index) => {
    positions.set(name.trim(), positions.has(name.trim()) ? -1 : index)
  })
  for (const column of columnsRead(mapping)) {
    const at = positions.get(column)
    if (at === undefined)
      return Result.fail(
        `the header has no column "${column}" (the mapping reads it); its columns: ${header.join(", ")}`
      )
    if (at === -1) return Result.fail(`the header names the column "${column}" twice; the mapping cannot tell which`)
  }
  return Result.succeed({
    mapping,
    namespace: mapping.namespace ?? StableId.sourceNamespace(mapping.source),
    positions,
    calendar: Calendar.make(timeZone)
  })
}

/**
 * One row read through the mapping: the event's wire JSON (or `undefined` when a problem
 * leaves nothing to validate), the problems found, and the column of each payload field
 * (so that the validator's problems can name it). `skip` is set for a row the mapping
 * skips: its `skip` column holds one of the values listed, or its type maps to `null`.
 *
 * @since 0.2.0
 * @category models
 */
export interface MappedRow {
  readonly event: unknown
  readonly problems: ReadonlyArray<RowProblem>
  readonly columns: ReadonlyMap<string, string>
  readonly skip: boolean
}

const mapValue = (
  source: Exclude<Source, string | { readonly value: unknown }>,
  text: string,
  field: string
): Result.Result<unknown, RowProblem> => {
  const path = ["data", field]
  const translate = (item: string): Result.Result<unknown, RowProblem> => {
    if (source.values === undefined) return Result.succeed(item)
    const key = Object.keys(source.values).find((known) => lower(known) === lower(item))
    if (key !== undefined) return Result.succeed(source.values[key])
    if ("default" in source) return Result.succeed(source.default)
    return Result.fail({
      path,
      column: source.column,
      message: `"${item}" is not a value the mapping knows (it knows: ${Object.keys(source.values).join(", ")})`
    })
  }
  if (source.as === "integer") {
    if (!/^-?\d+$/.test(text))
      return Result.fail({ path, column: source.column, message: `Expected a whole number, got "${text}"` })
    return translate(text).pipe(Result.map((value) => (value === text ? Number(text) : value)))
  }
  if (source.as === "list") {
    const items = text
      .split(source.separator ?? ";")
      .map((item) => item.trim())
      .filter((item) => item !== "")
    const out: Array<unknown> = []
    for (const item of items) {
      const value = translate(item)
      if (Result.isFailure(value)) return value
      out.push(value.success)
    }
    return Result.succeed(out)
  }
  return translate(text)
}

/**
 * Reads one row (its fields, as split by the CSV parser).
 *
 * @since 0.2.0
 * @category operations
 */
export const mapRow = (read: Reader, fields: ReadonlyArray<string>): MappedRow => {
  const { mapping } = read
  const cell = (column: string): string => (fields[read.positions.get(column) ?? -1] ?? "").trim()
  const problems: Array<RowProblem> = []
  const columns = new Map<string, string>()
  const skipped = mapping.skip === undefined ? undefined : lower(cell(mapping.skip.column))
  if (mapping.skip?.values.some((value) => lower(value) === skipped))
    return { event: undefined, problems, columns, skip: true }
  const recordColumns = typeof mapping.recordId === "string" ? [mapping.recordId] : mapping.recordId
  const recordParts = recordColumns.map(cell)
  recordColumns.forEach((column, index) => {
    if (recordParts[index] === "")
      problems.push({ path: ["id"], column, message: "Expected the record's own id; the cell is empty" })
  })
  let type: Event.EventType | undefined
  if (typeof mapping.type === "string") type = Event.isEventType(mapping.type) ? mapping.type : undefined
  else {
    const text = cell(mapping.type.column)
    const values = mapping.type.values
    const key = Object.keys(values).find((known) => lower(known) === lower(text))
    if (key === undefined) {
      problems.push({
        path: ["type"],
        column: mapping.type.column,
        message: `"${text}" is not a value the mapping knows (it knows: ${Object.keys(values).join(", ")})`
      })
    } else {
      const mapped = values[key]
      if (mapped === null || mapped === undefined) return { event: undefined, problems: [], columns, skip: true }
      type = Event.isEventType(mapped) ? mapped : undefined
    }
  }
  const occurredAt = mapping.occurredAt
  const format = typeof occurredAt === "string" ? "iso" : (occurredAt.format ?? "iso")
  const whenColumns =
    typeof occurredAt === "string"
      ? [occurredAt]
      : [occurredAt.column ?? occurredAt.date, occurredAt.time].filter((c): c is string => c !== undefined)
  const whenText = whenColumns.map(cell).join(" ")
  const instant = LocalTime.toInstant(whenText, format, read.calendar)
  if (Result.isFailure(instant))
    problems.push({ path: ["occurredAt"], column: whenColumns.join(" + "), message: instant.failure })
  const data: Record<string, unknown> = {}
  for (const [field, source] of Object.entries(type === undefined ? {} : (mapping.data[type] ?? {}))) {
    if (typeof source !== "string" && "value" in source) {
      data[field] = source.value
      continue
    }
    const column = typeof source === "string" ? source : source.column
    columns.set(field, column)
    const text = cell(column)
    if (text === "" && (typeof source === "string" || !("default" in source))) continue
    if (typeof source === "string") {
      data[field] = text
      continue
    }
    const value = mapValue(source, text, field)
    if (Result.isFailure(value)) problems.push(value.failure)
    else if (value.success !== undefined) data[field] = value.success
  }
  const event =
    type === undefined || Result.isFailure(instant)
      ? undefined
      : {
          id: StableId.eventId(read.namespace, recordParts.join("/")),
          type,
          occurredAt: instant.success,
          source: mapping.source,
          data
        }
  return { event, problems, columns, skip: false }
}
