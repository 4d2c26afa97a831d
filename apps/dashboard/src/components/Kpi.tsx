/**
 * A headline number with a plain-language label, a line of context ("of 412 active
 * students"), and where the figure has a past, its change since a month and a year
 * earlier and a small trend line; a hidden value says why.
 *
 * @since 0.1.0
 */
import type { ReactNode } from "react"
import type * as Change from "../lib/Change.js"
import type * as CellFormat from "../lib/Cell.js"
import { CellValue } from "./CellValue.js"
import { Sparkline } from "./Sparkline.js"

/**
 * What a figure was: its changes and trend (`history: "none"` says why there is none).
 *
 * @since 0.4.0
 * @category models
 */
export type KpiHistory =
  | {
      readonly monthAgo: Change.Change | null
      readonly yearAgo: Change.Change | null
      readonly trend: ReadonlyArray<number | null>
      /** what the trend line shows, e.g. "the same day of each of the last 12 months" */
      readonly trendLabel: string
      /** "a month ago" unless the comparison is between months ("Oct 2026") */
      readonly monthAgoLabel?: string
      readonly yearAgoLabel?: string
      /** whether up is good (for the colour of the change; the words never depend on it) */
      readonly upIsGood: boolean
    }
  | { readonly none: string }
  | "loading"

const ChangeText = ({
  change,
  since,
  upIsGood
}: {
  readonly change: Change.Change | null
  readonly since: string
  readonly upIsGood: boolean
}) => {
  if (change === null) return <span className="change unknown">not known {since}</span>
  const tone = change.direction === "same" ? "same" : (change.direction === "up") === upIsGood ? "better" : "worse"
  return (
    <span className={`change ${tone}`} data-direction={change.direction}>
      {change.direction === "up" ? "▲ " : change.direction === "down" ? "▼ " : ""}
      {change.text} {since}
    </span>
  )
}

/**
 * @since 0.1.0
 * @category components
 */
export const Kpi = ({
  id,
  label,
  explanation,
  cell,
  measure,
  context,
  tone,
  history
}: {
  readonly id?: string
  readonly label: string
  /** one sentence on what the figure counts */
  readonly explanation?: string
  readonly cell: CellFormat.Cell | null
  readonly measure: CellFormat.Measure
  readonly context?: ReactNode
  readonly tone?: "good" | "attention"
  readonly history?: KpiHistory
}) => (
  <div className={`kpi card${tone === undefined ? "" : ` ${tone}`}`} data-kpi={id}>
    <dt>
      {label}
      {explanation === undefined ? null : <span className="kpi-explanation">{explanation}</span>}
    </dt>
    <dd className="kpi-value">
      <CellValue cell={cell} measure={measure} />
    </dd>
    {context === undefined ? null : <dd className="kpi-context">{context}</dd>}
    {history === undefined ? null : history === "loading" ? (
      <dd className="kpi-history loading-quiet">Comparing with earlier months…</dd>
    ) : "none" in history ? (
      <dd className="kpi-history">{history.none}</dd>
    ) : (
      <dd className="kpi-history">
        <span className="kpi-changes">
          <ChangeText
            change={history.monthAgo}
            since={`since ${history.monthAgoLabel ?? "a month ago"}`}
            upIsGood={history.upIsGood}
          />
          <ChangeText
            change={history.yearAgo}
            since={`since ${history.yearAgoLabel ?? "a year ago"}`}
            upIsGood={history.upIsGood}
          />
        </span>
        <Sparkline values={history.trend} label={history.trendLabel} />
      </dd>
    )}
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
