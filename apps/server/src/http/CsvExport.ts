/**
 * Whole lists as CSV, streamed: the rows of a dashboard list (students, faculty,
 * follow-ups), every page of it with the filters and order of the request, written as they
 * are read. The columns are the fields of the list's row as the API answers it (its
 * Schema), dotted for nested ones (`relationships.developing`), so that the export is the
 * API's list by construction: the same rows, the same values. Cells the API hides read
 * as the dashboard writes them (`suppressed (small group < 10)`), never as a number.
 *
 * Text is RFC 4180 (quoted as needed, CRLF line ends), after a byte-order mark so that
 * spreadsheet programs read accents; a text cell that a spreadsheet would run as a formula
 * (`=`, `+`, `-`, `@`, tab, carriage return first) is prefixed with a quote, as the
 * dashboard's own exports do.
 *
 * It must never hold more than one page of rows, nor write a cell the list does not have.
 *
 * @since 0.4.0
 */

/**
 * A column: its header (the field's dotted path) and the path to its value.
 *
 * @since 0.4.0
 * @category models
 */
export interface Column {
  readonly header: string
  readonly path: ReadonlyArray<string>
}

/** What a Schema Struct exposes at runtime: its fields, each a Schema (a Struct again for nested rows). */
interface WithFields {
  readonly fields: Readonly<Record<string, unknown>>
}

// Schemas are functions (callable constructors) as well as objects
const hasFields = (schema: unknown): schema is WithFields =>
  (typeof schema === "object" || typeof schema === "function") &&
  schema !== null &&
  "fields" in schema &&
  typeof schema.fields === "object" &&
  schema.fields !== null

/**
 * The columns of a row Schema: one per field, nested Structs flattened with dotted
 * headers. A field that is not a Struct (a number, a text, a cell that may be hidden, a list)
 * is one column.
 *
 * @since 0.4.0
 * @category constructors
 */
export const columnsOf = (schema: WithFields, prefix: ReadonlyArray<string> = []): ReadonlyArray<Column> =>
  Object.entries(schema.fields).flatMap(([name, field]) =>
    hasFields(field)
      ? columnsOf(field, [...prefix, name])
      : [{ header: [...prefix, name].join("."), path: [...prefix, name] }]
  )

const formulaStart = /^[=+\-@\t\r]/
const needsQuotes = /[",\r\n]/

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * A hidden cell as the dashboard's exports write it.
 *
 * @since 0.4.0
 * @category encoding
 */
export const suppressedText = (cell: Readonly<Record<string, unknown>>): string => {
  const threshold = String(cell.threshold ?? "")
  switch (cell.reason) {
    case "sensitive":
      return "suppressed (sensitive)"
    case "complementary":
      return `suppressed (protects a group < ${threshold})`
    default:
      return `suppressed (small group < ${threshold})`
  }
}

/**
 * One value as a CSV field: numbers as they are, booleans `true`/`false` (as in JSON),
 * null empty, lists joined by spaces, hidden cells as their label; text quoted as needed
 * and defused if a spreadsheet would read it as a formula.
 *
 * @since 0.4.0
 * @category encoding
 */
export const field = (value: unknown): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : ""
  if (typeof value === "boolean") return value ? "true" : "false"
  if (Array.isArray(value))
    return field(value.map((item) => (typeof item === "string" ? item : JSON.stringify(item))).join(" "))
  if (isRecord(value)) return value.suppressed === true ? field(suppressedText(value)) : field(JSON.stringify(value))
  const text = String(value)
  const safe = formulaStart.test(text) ? `'${text}` : text
  return needsQuotes.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

const valueAt = (row: unknown, path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>((at, key) => (isRecord(at) ? at[key] : undefined), row)

/**
 * One row as a CSV line (CRLF-terminated).
 *
 * @since 0.4.0
 * @category encoding
 */
export const line = (columns: ReadonlyArray<Column>, row: unknown): string =>
  `${columns.map((column) => field(valueAt(row, column.path))).join(",")}\r\n`

/**
 * The header line, after a byte-order mark.
 *
 * @since 0.4.0
 * @category encoding
 */
export const header = (columns: ReadonlyArray<Column>): string =>
  `\uFEFF${columns.map((column) => field(column.header)).join(",")}\r\n`

/**
 * A file name for an export: `rapport-<school>-<list>-<date>.csv`, letters, digits and dashes.
 *
 * @since 0.4.0
 * @category encoding
 */
export const fileName = (school: string, list: string, date: Date): string => {
  const slug = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
  return `rapport-${slug(school)}-${slug(list)}-${date.toISOString().slice(0, 10)}.csv`
}

/**
 * The response: the header, then each page's rows as `next` reads them (the first page is
 * read by the caller before answering, so that a store that cannot be read is a 503, not a
 * cut file). A page read failing later ends the body with an error: the client sees a
 * broken transfer, never a short file that looks whole.
 *
 * @since 0.4.0
 * @category constructors
 */
export const response = (options: {
  readonly columns: ReadonlyArray<Column>
  readonly first: ReadonlyArray<unknown>
  /** the rows after those read so far (`read` rows in all), or none at the end */
  readonly next: (read: number) => Promise<ReadonlyArray<unknown> | undefined>
  readonly fileName: string
}): Response => {
  const encoder = new TextEncoder()
  let read = 0
  let pending: ReadonlyArray<unknown> | undefined = options.first
  let started = false
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = ""
      if (!started) {
        started = true
        text += header(options.columns)
      }
      if (pending === undefined || pending.length === 0) {
        if (text !== "") controller.enqueue(encoder.encode(text))
        controller.close()
        return
      }
      for (const row of pending) text += line(options.columns, row)
      read += pending.length
      controller.enqueue(encoder.encode(text))
      pending = await options.next(read)
    }
  })
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${options.fileName}"`,
      "cache-control": "no-store"
    }
  })
}

/**
 * Whether a list request asks for CSV: `format=csv`, or an `Accept` header that prefers
 * `text/csv` (and `format` not `json`).
 *
 * @since 0.4.0
 * @category operations
 */
export const wantsCsv = (format: "json" | "csv" | undefined, accept: string | null): boolean => {
  if (format !== undefined) return format === "csv"
  if (accept === null) return false
  const types = accept.split(",").map((part) => part.trim().split(";")[0]?.trim().toLowerCase())
  return types[0] === "text/csv"
}
