import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import * as Palette from "../src/lib/Palette.js"

const css = readFileSync(new URL("../src/styles.css", import.meta.url), "utf8")

describe("Palette", () => {
  it("computes WCAG contrast (black on white is 21:1, a colour on itself 1:1)", () => {
    expect(Palette.contrast("#000000", "#ffffff")).toBeCloseTo(21, 5)
    expect(Palette.contrast("#1f4e79", "#1f4e79")).toBeCloseTo(1, 5)
    expect(() => Palette.luminance("red")).toThrow(RangeError)
  })

  it("meets AA (4.5:1) for text on the page and on cards", () => {
    const { ui } = Palette
    for (const text of [ui.ink, ui.muted, ui.accent, ui.danger, ui.warning, ui.success]) {
      for (const background of [ui.page, ui.surface]) {
        expect(Palette.contrast(text, background), `${text} on ${background}`).toBeGreaterThanOrEqual(4.5)
      }
    }
    expect(Palette.contrast(ui.accentInk, ui.accent)).toBeGreaterThanOrEqual(4.5)
  })

  it("gives chart marks and the focus ring 3:1 against the card", () => {
    const marks = [...Object.values(Palette.tierColours), ...Palette.series, Palette.ui.focus]
    for (const colour of marks) expect(Palette.contrast(colour, Palette.ui.surface), colour).toBeGreaterThanOrEqual(3)
  })

  it("is the palette styles.css uses", () => {
    for (const [name, value] of Object.entries(Palette.ui)) {
      expect(css, `--${name}`).toContain(`--${name}: ${value};`)
    }
  })
})
