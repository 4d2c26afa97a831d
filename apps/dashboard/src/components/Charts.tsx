/**
 * The few chart shapes the dashboard uses, on Recharts: lines over months, grouped or
 * stacked bars over categories. Hidden cells arrive as `null` and are drawn as gaps, never as
 * zeros. Charts are drawings only: the table behind each one (ChartFigure) is what assistive
 * technology reads, so the keyboard layer of Recharts is off.
 *
 * @since 0.1.0
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis
} from "recharts"
import { ui } from "../lib/Palette.js"

/**
 * One plotted measure.
 *
 * @since 0.1.0
 * @category models
 */
export interface Series {
  readonly key: string
  readonly label: string
  readonly colour: string
}

/**
 * A chart's data: one point per category (`label`), a number or `null` per series key.
 *
 * @since 0.1.0
 * @category models
 */
export type Point = { readonly label: string } & { readonly [key: string]: string | number | null }

const axisTick = { fill: ui.muted, fontSize: 12 }
const tooltipStyle = { borderRadius: 6, borderColor: ui.line, color: ui.ink }
const countTick = (value: number) => value.toLocaleString("en-US")
const percentTick = (value: number) => `${Math.round(value * 100)}%`

/**
 * @since 0.1.0
 * @category charts
 */
export const LinesOverTime = ({
  points,
  series,
  share
}: {
  readonly points: ReadonlyArray<Point>
  readonly series: ReadonlyArray<Series>
  readonly share?: boolean
}) => (
  <ResponsiveContainer width="100%" height="100%">
    <LineChart data={[...points]} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={ui.line} vertical={false} />
      <XAxis dataKey="label" tick={axisTick} stroke={ui.muted} interval="preserveStartEnd" minTickGap={16} />
      <YAxis tick={axisTick} stroke={ui.muted} tickFormatter={share ? percentTick : countTick} width={48} />
      <Tooltip contentStyle={tooltipStyle} formatter={(value) => formatTooltip(value, share)} />
      <Legend wrapperStyle={{ color: ui.ink, fontSize: 13 }} itemSorter={null} />
      {series.map((s) => (
        <Line
          key={s.key}
          dataKey={s.key}
          name={s.label}
          stroke={s.colour}
          strokeWidth={2}
          dot={false}
          connectNulls={false}
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  </ResponsiveContainer>
)

/**
 * @since 0.1.0
 * @category charts
 */
export const Bars = ({
  points,
  series,
  stacked,
  horizontal,
  share
}: {
  readonly points: ReadonlyArray<Point>
  readonly series: ReadonlyArray<Series>
  readonly stacked?: boolean
  readonly horizontal?: boolean
  readonly share?: boolean
}) => (
  <ResponsiveContainer width="100%" height="100%">
    <BarChart
      data={[...points]}
      layout={horizontal ? "vertical" : "horizontal"}
      accessibilityLayer={false}
      margin={{ top: 8, right: 16, bottom: 0, left: horizontal ? 8 : 0 }}
    >
      <CartesianGrid stroke={ui.line} vertical={horizontal === true} horizontal={horizontal !== true} />
      {horizontal ? (
        <>
          <XAxis type="number" tick={axisTick} stroke={ui.muted} tickFormatter={share ? percentTick : countTick} />
          <YAxis type="category" dataKey="label" tick={axisTick} stroke={ui.muted} width={150} interval={0} />
        </>
      ) : (
        <>
          <XAxis dataKey="label" tick={axisTick} stroke={ui.muted} interval="preserveStartEnd" minTickGap={8} />
          <YAxis tick={axisTick} stroke={ui.muted} tickFormatter={share ? percentTick : countTick} width={48} />
        </>
      )}
      <Tooltip
        contentStyle={tooltipStyle}
        formatter={(value) => formatTooltip(value, share)}
        cursor={{ fill: "#eef1f5" }}
      />
      {series.length > 1 ? <Legend wrapperStyle={{ color: ui.ink, fontSize: 13 }} itemSorter={null} /> : null}
      {series.map((s) => (
        <Bar
          key={s.key}
          dataKey={s.key}
          name={s.label}
          fill={s.colour}
          isAnimationActive={false}
          {...(stacked ? { stackId: "stack" } : {})}
        />
      ))}
    </BarChart>
  </ResponsiveContainer>
)

const formatTooltip = (value: unknown, share: boolean | undefined): string => {
  if (typeof value !== "number") return "hidden"
  return share ? `${(value * 100).toFixed(1)}%` : value.toLocaleString("en-US")
}
