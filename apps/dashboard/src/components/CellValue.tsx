/**
 * A number from a view on screen: formatted, or, when the server hid it, the words that say
 * why (visible text, not only a tooltip, so that keyboard and screen-reader users read it too).
 *
 * @since 0.1.0
 */
import * as CellFormat from "../lib/Cell.js"

/**
 * @since 0.1.0
 * @category components
 */
export const CellValue = ({
  cell,
  measure
}: {
  readonly cell: CellFormat.Cell | null
  readonly measure: CellFormat.Measure
}) => {
  if (cell !== null && CellFormat.isSuppressed(cell)) {
    return (
      <span className="suppressed" title={CellFormat.suppressedReason(cell)}>
        <span aria-hidden="true">{CellFormat.suppressedLabel(cell)}</span>
        <span className="sr-only">{CellFormat.suppressedSpoken(cell)}</span>
      </span>
    )
  }
  return <>{CellFormat.formatCell(cell, measure)}</>
}

/**
 * Under a table, chart or KPI row: one sentence per reason why some cells are hidden.
 *
 * @since 0.1.0
 * @category components
 */
export const SuppressionNote = ({ hidden }: { readonly hidden: ReadonlyArray<CellFormat.Suppressed> }) => {
  if (hidden.length === 0) return null
  return (
    <div className="suppression-note" role="note">
      {hidden.map((cell) => (
        <p key={`${cell.reason}:${cell.threshold}`}>
          <strong>Why some numbers are hidden: </strong>
          {CellFormat.suppressedReason(cell)}
        </p>
      ))}
    </div>
  )
}
