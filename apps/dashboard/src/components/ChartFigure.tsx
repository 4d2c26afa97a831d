/**
 * A chart with its table behind it: the drawing is for the eye (hidden from assistive
 * technology), the table is always in the page for screen readers and can be shown instead
 * of the chart with one button. Export works in both modes; hidden cells are explained.
 *
 * @since 0.1.0
 */
import { useId, useMemo, useState, type ReactNode } from "react"
import type * as Groups from "../lib/Groups.js"
import * as Table from "../lib/Table.js"
import { SuppressionNote } from "./CellValue.js"
import { DataTable, ExportButton } from "./DataTable.js"

/**
 * @since 0.1.0
 * @category components
 */
export const ChartFigure = <Row,>(props: {
  readonly title: string
  readonly description?: ReactNode
  readonly chart: ReactNode
  readonly columns: ReadonlyArray<Table.Column<Row>>
  readonly rows: ReadonlyArray<Row>
  readonly rowKey: (row: Row) => string
  readonly exportAs: string
  readonly height?: number
  /** "Other" and total rows of the table behind the chart */
  readonly rowKind?: (row: Row) => Groups.Kind
  /** a sentence under the figure (what "Other" sums, say) */
  readonly footnote?: ReactNode
}) => {
  const { title, description, chart, columns, rows, rowKey, exportAs, height, rowKind, footnote } = props
  const [asTable, setAsTable] = useState(false)
  const headingId = useId()
  const hidden = useMemo(() => Table.suppressions(columns, rows), [columns, rows])
  const nothingToPlot = useMemo(() => !Table.hasVisibleCells(columns, rows), [columns, rows])
  return (
    <figure className="card chart-figure" aria-labelledby={headingId}>
      <div className="figure-head">
        <div>
          <h3 id={headingId}>{title}</h3>
          {description === undefined ? null : <p className="figure-description">{description}</p>}
        </div>
        <div className="figure-actions">
          <button
            type="button"
            className="button secondary"
            aria-pressed={asTable}
            onClick={() => setAsTable((v) => !v)}
          >
            {asTable ? "Show chart" : "Show table"}
          </button>
          <ExportButton columns={columns} rows={rows} exportAs={exportAs} />
        </div>
      </div>
      {asTable ? null : (
        <div className="chart" aria-hidden="true" style={{ height: height ?? 260 }}>
          {rows.length === 0 ? (
            <p className="chart-empty">No data for this chart yet.</p>
          ) : nothingToPlot ? (
            <p className="chart-empty">Every value in this chart is hidden; the note below says why.</p>
          ) : (
            chart
          )}
        </div>
      )}
      <DataTable
        caption={title}
        columns={columns}
        rows={rows}
        rowKey={rowKey}
        exportAs={exportAs}
        visuallyHidden={!asTable}
        clientSort
        {...(rowKind === undefined ? {} : { rowKind })}
      />
      {footnote === undefined ? null : <p className="note table-footnote">{footnote}</p>}
      {asTable ? null : <SuppressionNote hidden={hidden} />}
    </figure>
  )
}
