/**
 * A figure against its past: the change since a month and a year earlier, written for a
 * dean ("+3 since a month ago", "−2.1 points since a year ago"), and the months of a
 * monthly series split into full months and the current, partial one, so that a month
 * still under way is never read (or drawn) as a collapse.
 *
 * It must never compare a hidden value, nor treat a partial month as a full one.
 *
 * @since 0.4.0
 */
import type * as CellFormat from "./Cell.js"
import { isSuppressed } from "./Cell.js"

/**
 * @since 0.4.0
 * @category models
 */
export type Direction = "up" | "down" | "same"

/**
 * A change between two values of one measure (`null`: one of them is hidden or missing).
 *
 * @since 0.4.0
 * @category models
 */
export interface Change {
  readonly delta: number
  readonly direction: Direction
  readonly text: string
}

const formatDelta = (delta: number, measure: "count" | "share"): string => {
  const sign = delta > 0 ? "+" : delta < 0 ? "−" : "±"
  const size = Math.abs(delta)
  if (measure === "share") {
    const points = size * 100
    return `${sign}${points.toFixed(points < 10 ? 1 : 0)} point${points === 1 ? "" : "s"}`
  }
  return `${sign}${size.toLocaleString("en-US")}`
}

/**
 * How `now` differs from `before` (`null` when either is hidden or absent).
 *
 * @since 0.4.0
 * @category operations
 */
export const between = (
  now: CellFormat.Cell | null | undefined,
  before: CellFormat.Cell | null | undefined,
  measure: "count" | "share"
): Change | null => {
  if (now === null || now === undefined || before === null || before === undefined) return null
  if (isSuppressed(now) || isSuppressed(before)) return null
  const delta = now - before
  const rounded = measure === "share" ? Math.round(delta * 1000) / 1000 : delta
  const direction: Direction = rounded > 0 ? "up" : rounded < 0 ? "down" : "same"
  return { delta, direction, text: direction === "same" ? "no change" : formatDelta(rounded, measure) }
}

/**
 * The values of a series for a trend line: hidden cells become gaps.
 *
 * @since 0.4.0
 * @category operations
 */
export const trendOf = (cells: ReadonlyArray<CellFormat.Cell>): ReadonlyArray<number | null> =>
  cells.map((cell) => (isSuppressed(cell) ? null : cell))

/**
 * A monthly series split at the month `current` (the school's month now): the full months,
 * and the current one if the series has it (partial: it is still under way).
 *
 * @since 0.4.0
 * @category operations
 */
export const splitPartial = <M extends { readonly month: string }>(
  months: ReadonlyArray<M>,
  current: string
): { readonly full: ReadonlyArray<M>; readonly partial: M | undefined } => ({
  full: months.filter((m) => m.month < current),
  partial: months.find((m) => m.month === current)
})

/**
 * The month a year before `YYYY-MM`, and the one before it.
 *
 * @since 0.4.0
 * @category operations
 */
export const monthBefore = (month: string, n: number): string => {
  const [year, mon] = month.split("-").map(Number)
  const index = (year ?? 0) * 12 + ((mon ?? 1) - 1) - n
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`
}
