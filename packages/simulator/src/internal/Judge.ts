/**
 * Measurements and how they are judged: a value against an inclusive range, or only
 * reported when no published figure gives a range. Plus the few statistics the measures
 * use (quantiles) and how numbers read in a report.
 *
 * @since 0.2.0
 */

/**
 * `pass` or `fail` against the target range; `reported` when there is no range to judge
 * against (information, or a self-calibrated figure).
 *
 * @since 0.2.0
 * @category models
 */
export type Verdict = "pass" | "fail" | "reported"

/**
 * One measurement: a stable `id` to refer to it, what is measured, the value judged, how
 * it reads, the target as words, the source of the target, and the verdict.
 *
 * @since 0.2.0
 * @category models
 */
export interface Measurement {
  readonly id: string
  readonly measure: string
  readonly value: number | undefined
  readonly shown: string
  readonly target: string
  readonly source: string
  readonly verdict: Verdict
}

/**
 * A measurement and its range: judged when `min` or `max` is given (inclusive), reported
 * otherwise. A value that could not be measured fails a judged measurement.
 *
 * @since 0.2.0
 * @category constructors
 */
export const judge = (
  m: Omit<Measurement, "verdict"> & { readonly min?: number; readonly max?: number }
): Measurement => {
  const judged = m.min !== undefined || m.max !== undefined
  const holds =
    m.value !== undefined &&
    Number.isFinite(m.value) &&
    (m.min === undefined || m.value >= m.min - 1e-9) &&
    (m.max === undefined || m.value <= m.max + 1e-9)
  return {
    id: m.id,
    measure: m.measure,
    value: m.value,
    shown: m.shown,
    target: m.target,
    source: m.source,
    verdict: judged ? (holds ? "pass" : "fail") : "reported"
  }
}

/**
 * The `q` quantile (0–1) with linear interpolation between order statistics; NaN for no
 * values.
 *
 * @since 0.2.0
 * @category statistics
 */
export const quantile = (values: ReadonlyArray<number>, q: number): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const position = (sorted.length - 1) * q
  const below = Math.floor(position)
  const low = sorted[below] ?? 0
  const high = sorted[Math.min(sorted.length - 1, below + 1)] ?? low
  return low + (high - low) * (position - below)
}

/**
 * The mean; NaN for no values.
 *
 * @since 0.2.0
 * @category statistics
 */
export const mean = (values: ReadonlyArray<number>): number =>
  values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length

/**
 * A number as a report shows it (one decimal by default; "n/a" when not finite).
 *
 * @since 0.2.0
 * @category formatting
 */
export const number = (x: number, digits = 1): string =>
  Number.isFinite(x)
    ? x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : "n/a"

/**
 * A share as a percentage ("n/a" when not finite).
 *
 * @since 0.2.0
 * @category formatting
 */
export const fraction = (x: number, digits = 1): string =>
  Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : "n/a"
