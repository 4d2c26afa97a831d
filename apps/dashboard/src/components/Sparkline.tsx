/**
 * A small trend line for a headline figure: an inline SVG of a dozen points, no axes, the
 * last point marked. A drawing only (hidden from assistive technology): the figure's
 * changes since a month and a year earlier are written out beside it. Gaps (hidden values)
 * break the line; a series with fewer than two values draws nothing.
 *
 * @since 0.4.0
 */

/**
 * @since 0.4.0
 * @category components
 */
export const Sparkline = ({
  values,
  label,
  width = 120,
  height = 32
}: {
  readonly values: ReadonlyArray<number | null>
  /** what the line shows, for the tooltip ("Share with a strong relationship, last 12 months") */
  readonly label: string
  readonly width?: number
  readonly height?: number
}) => {
  const known = values.filter((v): v is number => v !== null)
  if (known.length < 2) return null
  const min = Math.min(...known)
  const max = Math.max(...known)
  const span = max - min || 1
  const step = values.length > 1 ? (width - 4) / (values.length - 1) : 0
  const x = (i: number) => 2 + i * step
  const y = (v: number) => height - 3 - ((v - min) / span) * (height - 6)
  const segments: Array<string> = []
  let current = ""
  values.forEach((v, i) => {
    if (v === null) {
      if (current !== "") segments.push(current)
      current = ""
      return
    }
    current += `${current === "" ? "M" : "L"}${x(i).toFixed(1)},${y(v).toFixed(1)}`
  })
  if (current !== "") segments.push(current)
  const lastIndex = values.length - 1
  const last = values[lastIndex]
  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      aria-hidden="true"
      focusable="false"
      data-points={values.length}
    >
      <title>{label}</title>
      {segments.map((d) => (
        <path key={d} d={d} fill="none" stroke="currentColor" strokeWidth={1.6} strokeLinejoin="round" />
      ))}
      {last === null || last === undefined ? null : (
        <circle cx={x(lastIndex)} cy={y(last)} r={2.5} fill="currentColor" />
      )}
    </svg>
  )
}
