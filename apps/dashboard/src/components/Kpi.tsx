/**
 * A headline number with a plain-language label and a line of context ("of 412 active
 * students"); a hidden value says why.
 *
 * @since 0.1.0
 */
import type { ReactNode } from "react"
import type * as CellFormat from "../lib/Cell.js"
import { CellValue } from "./CellValue.js"

/**
 * @since 0.1.0
 * @category components
 */
export const Kpi = ({
  label,
  cell,
  measure,
  context,
  tone
}: {
  readonly label: string
  readonly cell: CellFormat.Cell | null
  readonly measure: CellFormat.Measure
  readonly context?: ReactNode
  readonly tone?: "good" | "attention"
}) => (
  <div className={`kpi card${tone === undefined ? "" : ` ${tone}`}`}>
    <dt>{label}</dt>
    <dd className="kpi-value">
      <CellValue cell={cell} measure={measure} />
    </dd>
    {context === undefined ? null : <dd className="kpi-context">{context}</dd>}
  </div>
)

/**
 * @since 0.1.0
 * @category components
 */
export const KpiGrid = ({ label, children }: { readonly label: string; readonly children: ReactNode }) => (
  <dl className="kpi-grid" aria-label={label}>
    {children}
  </dl>
)
