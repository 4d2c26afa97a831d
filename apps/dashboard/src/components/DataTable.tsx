/**
 * Every table of the dashboard: a real `<table>` with a caption, numeric columns aligned,
 * sortable headers as buttons (by the server, or in the browser for small tables), an
 * explanation of hidden cells, and a CSV export of exactly the rows shown.
 *
 * @since 0.1.0
 */
import { useId, useMemo, useState, type ReactNode } from "react"
import { useSignedIn } from "../api/SessionContext.js"
import * as Csv from "../lib/Csv.js"
import type * as Groups from "../lib/Groups.js"
import * as Table from "../lib/Table.js"
import { SuppressionNote } from "./CellValue.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface ServerSort {
  readonly by: string | undefined
  readonly order: "asc" | "desc"
  readonly onSort: (by: string) => void
}

/**
 * @since 0.1.0
 * @category models
 */
export interface DataTableProps<Row> {
  readonly caption: string
  readonly columns: ReadonlyArray<Table.Column<Row>>
  readonly rows: ReadonlyArray<Row>
  readonly rowKey: (row: Row) => string
  /** the table's name in the export's file name */
  readonly exportAs: string
  readonly serverSort?: ServerSort
  /** sort in the browser (small, unpaged tables) */
  readonly clientSort?: boolean
  readonly empty?: ReactNode
  /** kept for screen readers only (the table behind a chart) */
  readonly visuallyHidden?: boolean
  readonly toolbar?: ReactNode
  /** what the export holds, when it has more than the screen (full names beside ids) */
  readonly exportColumns?: ReadonlyArray<Table.Column<Row>>
  /** show this many rows until the reader asks for all (the export always has all) */
  readonly initialRows?: number
  /** "Other" and total rows: they stay last, whatever the sort, and read as such */
  readonly rowKind?: (row: Row) => Groups.Kind
  /** a sentence under the table (what "Other" sums, say) */
  readonly footnote?: ReactNode
  /**
   * The whole filtered list, for the export (a paged table: the screen has one page); the
   * export button then exports every row of the list, not the page.
   */
  readonly exportWhole?: { readonly total: number; readonly load: () => Promise<ReadonlyArray<Row>> }
}

/**
 * @since 0.1.0
 * @category components
 */
export const ExportButton = <Row,>({
  columns,
  rows,
  exportAs,
  label
}: {
  readonly columns: ReadonlyArray<Table.Column<Row>>
  readonly rows: ReadonlyArray<Row>
  readonly exportAs: string
  readonly label?: string
}) => {
  const session = useSignedIn()
  return (
    <button
      type="button"
      className="button secondary"
      disabled={rows.length === 0}
      data-export={exportAs}
      onClick={() => Csv.download(Csv.fileName(session.school, exportAs, new Date()), Table.toCsv(columns, rows))}
    >
      {label ?? "Export CSV"}
      <span className="sr-only"> of {exportAs}</span>
    </button>
  )
}

/**
 * Exports a whole list, loaded page by page from the API when asked (the screen shows one
 * page of it), saying how far it got.
 *
 * @since 0.4.0
 * @category components
 */
export const ExportWholeButton = <Row,>({
  columns,
  whole,
  exportAs
}: {
  readonly columns: ReadonlyArray<Table.Column<Row>>
  readonly whole: { readonly total: number; readonly load: () => Promise<ReadonlyArray<Row>> }
  readonly exportAs: string
}) => {
  const session = useSignedIn()
  const [state, setState] = useState<"idle" | "loading" | "failed">("idle")
  const run = async () => {
    setState("loading")
    try {
      const rows = await whole.load()
      Csv.download(Csv.fileName(session.school, exportAs, new Date()), Table.toCsv(columns, rows))
      setState("idle")
    } catch {
      setState("failed")
    }
  }
  return (
    <>
      {state === "failed" ? (
        <span className="note" role="status">
          The export failed; try again.
        </span>
      ) : null}
      <button
        type="button"
        className="button secondary"
        disabled={whole.total === 0 || state === "loading"}
        data-export={exportAs}
        data-export-whole={whole.total}
        onClick={() => void run()}
      >
        {state === "loading" ? "Exporting…" : `Export all ${whole.total.toLocaleString("en-US")} as CSV`}
        <span className="sr-only"> of {exportAs}</span>
      </button>
    </>
  )
}

/** What the explained columns count, under the table. */
const ColumnHelp = <Row,>({ columns }: { readonly columns: ReadonlyArray<Table.Column<Row>> }) => {
  const explained = columns.filter((c) => c.explain !== undefined)
  if (explained.length === 0) return null
  return (
    <details className="column-help">
      <summary>What the columns mean</summary>
      <dl>
        {explained.map((c) => (
          <div key={c.id}>
            <dt>{c.header}</dt>
            <dd>{c.explain}</dd>
          </div>
        ))}
      </dl>
    </details>
  )
}

/**
 * @since 0.1.0
 * @category components
 */
export const DataTable = <Row,>(props: DataTableProps<Row>) => {
  const {
    caption,
    columns,
    rows,
    rowKey,
    exportAs,
    serverSort,
    clientSort,
    empty,
    visuallyHidden,
    toolbar,
    exportColumns,
    initialRows,
    rowKind,
    footnote,
    exportWhole
  } = props
  const [expanded, setExpanded] = useState(false)
  const captionId = useId()
  const [localSort, setLocalSort] = useState<{ id: string; order: "asc" | "desc" } | undefined>(undefined)
  const shown = useMemo(() => {
    const column = localSort === undefined ? undefined : columns.find((c) => c.id === localSort.id)
    if (!clientSort || column === undefined || localSort === undefined) return rows
    // "Other" and the total stay under the groups they sum
    const groups = rows.filter((row) => (rowKind?.(row) ?? "group") === "group")
    const pinned = rows.filter((row) => (rowKind?.(row) ?? "group") !== "group")
    return [...Table.sortRows(groups, column, localSort.order), ...pinned]
  }, [rows, columns, clientSort, localSort, rowKind])
  const hidden = useMemo(() => Table.suppressions(columns, rows), [columns, rows])
  const limited = !expanded && initialRows !== undefined && shown.length > initialRows
  const visible = limited ? shown.slice(0, initialRows) : shown

  const sortState = (column: Table.Column<Row>): "ascending" | "descending" | "none" | undefined => {
    if (serverSort !== undefined && column.sortKey !== undefined) {
      if (serverSort.by !== column.sortKey) return "none"
      return serverSort.order === "asc" ? "ascending" : "descending"
    }
    if (clientSort) {
      if (localSort?.id !== column.id) return "none"
      return localSort.order === "asc" ? "ascending" : "descending"
    }
    return undefined
  }
  const onSort = (column: Table.Column<Row>) => {
    if (serverSort !== undefined && column.sortKey !== undefined) serverSort.onSort(column.sortKey)
    else if (clientSort)
      setLocalSort((current) =>
        current?.id === column.id
          ? { id: column.id, order: current.order === "asc" ? "desc" : "asc" }
          : { id: column.id, order: column.numeric ? "desc" : "asc" }
      )
  }

  return (
    <div className={visuallyHidden ? "sr-only" : "table-block"}>
      {visuallyHidden ? null : (
        <div className="table-toolbar">
          <span className="table-count" aria-live="polite">
            {rows.length === 1 ? "1 row" : `${rows.length} rows`}
          </span>
          {toolbar}
          {exportWhole === undefined ? (
            <ExportButton columns={exportColumns ?? columns} rows={shown} exportAs={exportAs} />
          ) : (
            <ExportWholeButton columns={exportColumns ?? columns} whole={exportWhole} exportAs={exportAs} />
          )}
        </div>
      )}
      <section className="table-scroll" aria-labelledby={captionId} tabIndex={visuallyHidden ? -1 : 0}>
        <table data-table={exportAs}>
          <caption id={captionId}>{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => {
                const state = sortState(column)
                return (
                  <th
                    key={column.id}
                    scope="col"
                    aria-sort={state}
                    className={column.numeric ? "numeric" : undefined}
                    title={column.explain}
                  >
                    {state === undefined ? (
                      column.header
                    ) : (
                      <button type="button" className="sort" onClick={() => onSort(column)}>
                        {column.header}
                        <span aria-hidden="true" className="sort-mark">
                          {state === "ascending" ? "▲" : state === "descending" ? "▼" : "↕"}
                        </span>
                      </button>
                    )}
                  </th>
                )
              })}
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="empty-cell">
                  {empty ?? "Nothing to show."}
                </td>
              </tr>
            ) : (
              visible.map((row) => (
                <tr key={rowKey(row)} className={rowKind === undefined ? undefined : `row-${rowKind(row)}`}>
                  {columns.map((column) => (
                    <td key={column.id} className={column.numeric ? "numeric" : undefined}>
                      {column.show === undefined ? textOf(column.csv(row)) : column.show(row)}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </section>
      {limited ? (
        <button type="button" className="button secondary show-all" onClick={() => setExpanded(true)}>
          Show all {shown.length} rows
        </button>
      ) : null}
      {visuallyHidden || footnote === undefined ? null : <p className="note table-footnote">{footnote}</p>}
      {visuallyHidden ? null : <ColumnHelp columns={columns} />}
      {visuallyHidden ? null : <SuppressionNote hidden={hidden} />}
    </div>
  )
}

const textOf = (value: Csv.CsvValue): string => {
  if (value === null || value === undefined) return "—"
  if (typeof value === "boolean") return value ? "yes" : "no"
  return String(value)
}
