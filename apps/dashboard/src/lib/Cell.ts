/**
 * How a dashboard number reads: counts, shares and ratios formatted for a dean, and the
 * cells the server hid (`{ suppressed, reason, threshold }`) turned into words that say why.
 * Charts, tables and CSV exports all go through here, so a hidden cell reads the same
 * everywhere and is never shown as a zero.
 *
 * It must never invent a number for a suppressed cell, nor derive one from a suppressed input.
 *
 * @since 0.1.0
 */
import type { Views } from "@rapport/analytics"

/**
 * A count or share that the server may have hidden.
 *
 * @since 0.1.0
 * @category models
 */
export type Cell = Views.Cell

/**
 * @since 0.1.0
 * @category models
 */
export type Suppressed = Views.Suppressed

/**
 * How a number is meant: a count of people or events, a share in 0–1, a plain decimal, days,
 * or a ratio to a typical value (a load against the peer median: `2.5×`).
 *
 * @since 0.1.0
 * @category models
 */
export type Measure = "count" | "share" | "decimal" | "days" | "ratio"

/**
 * @since 0.1.0
 * @category guards
 */
export const isSuppressed = (cell: Cell): cell is Suppressed => typeof cell !== "number"

/**
 * The number of a cell, or `null` when hidden (charts draw a gap, never a zero).
 *
 * @since 0.1.0
 * @category getters
 */
export const numberOf = (cell: Cell): number | null => (isSuppressed(cell) ? null : cell)

/**
 * A share derived on the client (`part / whole`), hidden when either input is hidden and
 * absent (`null`) when the whole is zero.
 *
 * @since 0.1.0
 * @category constructors
 */
export const share = (part: Cell, whole: Cell): Cell | null => {
  if (isSuppressed(whole)) return whole
  if (isSuppressed(part)) return part
  return whole === 0 ? null : part / whole
}

const countFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 })
const ratioFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 })
const decimalFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2, minimumFractionDigits: 2 })

/**
 * A number as a dean reads it: `1,204`, `42%`, `0.31`, `12 days`. A share under 10% keeps
 * one decimal so that small groups do not all read as "0%".
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatNumber = (value: number, measure: Measure): string => {
  if (!Number.isFinite(value)) return "—"
  switch (measure) {
    case "count":
      return countFormat.format(value)
    case "share": {
      const percent = value * 100
      const digits = percent !== 0 && Math.abs(percent) < 10 ? 1 : 0
      return `${percent.toFixed(digits)}%`
    }
    case "decimal":
      return decimalFormat.format(value)
    case "days":
      return `${countFormat.format(value)} ${Math.abs(value) === 1 ? "day" : "days"}`
    case "ratio":
      return `${ratioFormat.format(value)}×`
  }
}

/**
 * The short words shown in place of a hidden cell.
 *
 * @since 0.1.0
 * @category formatting
 */
export const suppressedLabel = (cell: Suppressed): string => {
  switch (cell.reason) {
    case "sensitive":
      return "hidden (sensitive)"
    case "complementary":
      return "hidden (protects a small group)"
    case "small-group":
      return `hidden (<${cell.threshold})`
  }
}

/**
 * The same, spelled out for screen readers.
 *
 * @since 0.1.0
 * @category formatting
 */
export const suppressedSpoken = (cell: Suppressed): string => {
  switch (cell.reason) {
    case "sensitive":
      return "hidden: a sensitive measure"
    case "complementary":
      return `hidden: it would let a group of fewer than ${cell.threshold} people be worked out`
    case "small-group":
      return `hidden: fewer than ${cell.threshold} people`
  }
}

/**
 * The sentence that explains why a cell is hidden.
 *
 * @since 0.1.0
 * @category formatting
 */
export const suppressedReason = (cell: Suppressed): string => {
  switch (cell.reason) {
    case "sensitive":
      return "Support check-ins are sensitive: they are shown only for groups large enough that no one can be singled out, and never per student."
    case "complementary":
      return `This group is large enough, but showing it would let a group of fewer than ${cell.threshold} people be worked out by subtracting it from a total, so it is hidden too (complementary suppression).`
    case "small-group":
      return `This group has fewer than ${cell.threshold} people. With aggregate-only access, small groups are hidden so that no one can be singled out.`
  }
}

/**
 * What a hidden cell becomes in a CSV export.
 *
 * @since 0.1.0
 * @category formatting
 */
export const suppressedCsv = (cell: Suppressed): string => {
  switch (cell.reason) {
    case "sensitive":
      return "suppressed (sensitive)"
    case "complementary":
      return `suppressed (protects a group < ${cell.threshold})`
    case "small-group":
      return `suppressed (small group < ${cell.threshold})`
  }
}

/**
 * A cell as text for the screen: the formatted number, or the hidden label.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatCell = (cell: Cell | null, measure: Measure): string => {
  if (cell === null) return "—"
  return isSuppressed(cell) ? suppressedLabel(cell) : formatNumber(cell, measure)
}

/**
 * A cell as a CSV value: the raw number (shares stay fractions, as in the API), or the
 * hidden label; `null` (not applicable) is an empty field.
 *
 * @since 0.1.0
 * @category formatting
 */
export const csvCell = (cell: Cell | null): string | number => {
  if (cell === null) return ""
  return isSuppressed(cell) ? suppressedCsv(cell) : cell
}

/**
 * The distinct reasons among some cells, so a table or chart can explain each once.
 *
 * @since 0.1.0
 * @category getters
 */
export const suppressionsIn = (cells: Iterable<Cell | null>): ReadonlyArray<Suppressed> => {
  const seen = new Map<string, Suppressed>()
  for (const cell of cells) {
    if (cell !== null && isSuppressed(cell)) seen.set(`${cell.reason}:${cell.threshold}`, cell)
  }
  return [...seen.values()]
}
