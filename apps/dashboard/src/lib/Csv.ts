/**
 * CSV for every table the dashboard shows: RFC 4180 quoting, CRLF line ends, and text cells
 * that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return) prefixed with a single quote. Numbers stay numbers: a typed number can
 * never be a formula, and a quote would turn it into text.
 *
 * It must never write a text cell that starts with a formula character, and never reads
 * anything but the rows it is given (exports are of what the screen shows).
 *
 * @since 0.1.0
 */

/**
 * A value of one CSV field.
 *
 * @since 0.1.0
 * @category models
 */
export type CsvValue = string | number | boolean | null | undefined

const formulaStart = /^[=+\-@\t\r]/
const needsQuotes = /[",\r\n]/

/**
 * One field, escaped and quoted as needed.
 *
 * @since 0.1.0
 * @category encoding
 */
export const field = (value: CsvValue): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : ""
  if (typeof value === "boolean") return value ? "yes" : "no"
  const safe = formulaStart.test(value) ? `'${value}` : value
  return needsQuotes.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

/**
 * A whole table: a header line, then one line per row, CRLF between lines.
 *
 * @since 0.1.0
 * @category encoding
 */
export const format = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<CsvValue>>): string =>
  `${[header, ...rows].map((row) => row.map(field).join(",")).join("\r\n")}\r\n`

/**
 * Reads CSV back into rows of text (quoted fields, doubled quotes, CRLF or LF, a leading
 * byte-order mark). Used by the tests that compare an export with the API.
 *
 * @since 0.1.0
 * @category decoding
 */
export const parse = (text: string): ReadonlyArray<ReadonlyArray<string>> => {
  const input = text.startsWith("\uFEFF") ? text.slice(1) : text
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let current = ""
  let quoted = false
  for (let index = 0; index < input.length; index++) {
    const char = input[index]
    if (quoted) {
      if (char === '"' && input[index + 1] === '"') {
        current += '"'
        index++
      } else if (char === '"') quoted = false
      else current += char
    } else if (char === '"') quoted = true
    else if (char === ",") {
      row.push(current)
      current = ""
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && input[index + 1] === "\n") index++
      row.push(current)
      rows.push(row)
      row = []
      current = ""
    } else current += char
  }
  if (current !== "" || row.length > 0) {
    row.push(current)
    rows.push(row)
  }
  return rows
}

/**
 * A file name for an export: `rapport-<school>-<table>-<date>.csv`, letters, digits and
 * dashes only.
 *
 * @since 0.1.0
 * @category encoding
 */
export const fileName = (school: string, table: string, date: Date): string => {
  const slug = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
  return `rapport-${slug(school)}-${slug(table)}-${date.toISOString().slice(0, 10)}.csv`
}

/**
 * Hands a CSV to the browser as a download (UTF-8 with a byte-order mark, so spreadsheet
 * programs read accents correctly).
 *
 * @since 0.1.0
 * @category browser
 */
export const download = (name: string, csv: string): void => {
  const url = URL.createObjectURL(new Blob(["\uFEFF", csv], { type: "text/csv;charset=utf-8" }))
  const link = document.createElement("a")
  link.href = url
  link.download = name
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
