/**
 * The dashboard's colours in one place: text and surfaces (the same values as the custom
 * properties in `styles.css`, which a test compares), and the chart series. Every text pair
 * meets WCAG AA (4.5:1) and every chart colour stands 3:1 against the page, which the tests
 * check with the WCAG formula below.
 *
 * It must never hold a colour that fails those contrasts.
 *
 * @since 0.1.0
 */

/**
 * Text and surface colours (mirrored as `--<name>` in styles.css).
 *
 * @since 0.1.0
 * @category colours
 */
export const ui = {
  ink: "#1b2430",
  muted: "#4a5565",
  page: "#f6f7f9",
  surface: "#ffffff",
  accent: "#1f4e79",
  accentInk: "#ffffff",
  danger: "#a4262c",
  warning: "#7a4d00",
  success: "#1d6b3f",
  focus: "#b35c00",
  line: "#d5dae1"
} as const

/**
 * Chart series: the tiers from none to advocate, then a few categorical colours.
 *
 * @since 0.1.0
 * @category colours
 */
export const tierColours = {
  none: "#6b7684",
  acquainted: "#3f8fc4",
  developing: "#2a6aa3",
  strong: "#1f4e79",
  advocate: "#1d6b3f"
} as const

/**
 * @since 0.1.0
 * @category colours
 */
export const series = ["#1f4e79", "#b35c00", "#1d6b3f", "#8a3b8f", "#a4262c", "#4d6b00", "#5a5a8a", "#007c80"] as const

/**
 * The colour of the n-th series (cycling).
 *
 * @since 0.1.0
 * @category colours
 */
export const seriesColour = (index: number): string => series[index % series.length] ?? "#1f4e79"

const channel = (value: number): number => {
  const c = value / 255
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
}

/**
 * WCAG relative luminance of a `#rrggbb` colour.
 *
 * @since 0.1.0
 * @category contrast
 */
export const luminance = (hex: string): number => {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  if (match === null) throw new RangeError(`not a #rrggbb colour: ${hex}`)
  const [r, g, b] = [match[1], match[2], match[3]].map((part) => channel(Number.parseInt(part ?? "0", 16)))
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0)
}

/**
 * WCAG contrast ratio of two colours (1–21).
 *
 * @since 0.1.0
 * @category contrast
 */
export const contrast = (a: string, b: string): number => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05)
}
