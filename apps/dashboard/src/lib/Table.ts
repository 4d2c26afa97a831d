/**
 * The model of a dashboard table, apart from how it is drawn: columns that know both what a
 * cell shows and what it exports, the CSV of the rows on screen, client-side sorting of small
 * tables, and the hidden cells a table must explain.
 *
 * It must never export anything but the columns and rows it is given.
 *
 * @since 0.1.0
 */
import type { ReactNode } from "react"
import * as CellFormat from "./Cell.js"
import * as Csv from "./Csv.js"

/**
 * One column: its header, the value exported to CSV, and optionally what the screen shows
 * (the CSV value as text otherwise) and the cell that may be hidden.
 *
 * @since 0.1.0
 * @category models
 */
export interface Column<Row> {
  readonly id: string
  readonly header: string
  readonly csv: (row: Row) => Csv.CsvValue
  readonly show?: (row: Row) => ReactNode
  readonly numeric?: boolean
  /** the server's sort key, when the server sorts this table by this column */
  readonly sortKey?: string
  /** the cell behind this column, so hidden ones can be explained under the table */
  readonly cell?: (row: Row) => CellFormat.Cell | null
  /** what the column counts, in a sentence (shown under the table and on the header) */
  readonly explain?: string
}

/**
 * The same column with a sentence on what it counts.
 *
 * @since 0.4.0
 * @category constructors
 */
export const explained = <Row>(column: Column<Row>, explain: string): Column<Row> => ({ ...column, explain })

/**
 * A column of cells that the server may hide.
 *
 * @since 0.1.0
 * @category constructors
 */
export const cellColumn = <Row>(
  id: string,
  header: string,
  get: (row: Row) => CellFormat.Cell | null,
  measure: CellFormat.Measure
): Column<Row> => ({
  id,
  header,
  numeric: true,
  cell: get,
  csv: (row) => CellFormat.csvCell(get(row)),
  show: (row) => CellFormat.formatCell(get(row), measure)
})

/**
 * A column of plain numbers.
 *
 * @since 0.1.0
 * @category constructors
 */
export const numberColumn = <Row>(
  id: string,
  header: string,
  get: (row: Row) => number | null,
  measure: CellFormat.Measure
): Column<Row> => ({
  id,
  header,
  numeric: true,
  csv: (row) => get(row),
  show: (row) => {
    const value = get(row)
    return value === null ? "—" : CellFormat.formatNumber(value, measure)
  }
})

/**
 * The CSV of a table's rows.
 *
 * @since 0.1.0
 * @category export
 */
export const toCsv = <Row>(columns: ReadonlyArray<Column<Row>>, rows: ReadonlyArray<Row>): string =>
  Csv.format(
    columns.map((column) => column.header),
    rows.map((row) => columns.map((column) => column.csv(row)))
  )

/**
 * The hidden cells of a table, one per reason.
 *
 * @since 0.1.0
 * @category suppression
 */
export const suppressions = <Row>(
  columns: ReadonlyArray<Column<Row>>,
  rows: ReadonlyArray<Row>
): ReadonlyArray<CellFormat.Suppressed> => {
  const cells: Array<CellFormat.Cell | null> = []
  for (const column of columns) {
    const get = column.cell
    if (get === undefined) continue
    for (const row of rows) cells.push(get(row))
  }
  return CellFormat.suppressionsIn(cells)
}

/**
 * Whether a table has any cell that is shown (false when every cell that may be hidden is;
 * true for tables without such cells).
 *
 * @since 0.1.0
 * @category suppression
 */
export const hasVisibleCells = <Row>(columns: ReadonlyArray<Column<Row>>, rows: ReadonlyArray<Row>): boolean => {
  const getters = columns.flatMap((column) => (column.cell === undefined ? [] : [column.cell]))
  if (getters.length === 0) return true
  return getters.some((get) =>
    rows.some((row) => {
      const cell = get(row)
      return cell !== null && !CellFormat.isSuppressed(cell)
    })
  )
}

/**
 * Orders rows by a column's exported value: numbers numerically, text alphabetically, empty
 * and hidden values last whatever the direction.
 *
 * @since 0.1.0
 * @category sorting
 */
export const sortRows = <Row>(
  rows: ReadonlyArray<Row>,
  column: Column<Row>,
  order: "asc" | "desc"
): ReadonlyArray<Row> => {
  const keyed = rows.map((row, index) => ({ row, index, value: column.csv(row) }))
  const rank = (value: Csv.CsvValue): number => {
    if (typeof value === "number") return 0
    if (typeof value === "string" && value !== "" && !value.startsWith("suppressed")) return 1
    if (typeof value === "boolean") return 1
    return 2
  }
  const direction = order === "asc" ? 1 : -1
  keyed.sort((a, b) => {
    const ra = rank(a.value)
    const rb = rank(b.value)
    if (ra !== rb) return ra - rb
    if (ra === 2) return a.index - b.index
    if (typeof a.value === "number" && typeof b.value === "number")
      return (a.value - b.value) * direction || a.index - b.index
    return String(a.value).localeCompare(String(b.value), "en", { numeric: true }) * direction || a.index - b.index
  })
  return keyed.map((entry) => entry.row)
}
