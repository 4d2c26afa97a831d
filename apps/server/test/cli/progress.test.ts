/**
 * The progress bar's rate and ETA: none until there is enough to measure, and work already
 * done when the bar starts (a projector far along) is not counted as speed. Written to a log
 * rather than a terminal, it carries no terminal escapes.
 */
import { describe, expect, it } from "vitest"
import * as Progress from "../../src/cli/Progress.js"

const fakeStream = () => {
  const written: Array<string> = []
  const stream = { isTTY: false, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream
  return { stream, written }
}

describe("Progress", () => {
  it("shows no rate or ETA before half a second, whatever was done at the start", () => {
    const { stream, written } = fakeStream()
    const bar = Progress.make("Projecting", 585_361, stream)
    bar.advance(548_857)
    bar.finish("done")
    expect(written.join("")).toContain("548,857/585,361 · …/s · ETA …")
  })

  it("counts only the work done since the start in the rate", async () => {
    const { stream, written } = fakeStream()
    const bar = Progress.make("Projecting", 1_000_000, stream)
    bar.advance(900_000)
    await new Promise((resolve) => setTimeout(resolve, 600))
    bar.advance(900_600)
    bar.finish("done")
    const rate = Number(/· ([\d,]+)\/s/.exec(written.join(""))?.[1]?.replace(/,/g, ""))
    // 600 events in about 0.6 s: about 1,000/s, nowhere near the 1.5 million a naive rate gives
    expect(rate).toBeGreaterThan(300)
    expect(rate).toBeLessThan(1_100)
  })

  it("writes no terminal escape when standard error is not a terminal (a CI log)", () => {
    const { stream, written } = fakeStream()
    const bar = Progress.make("Loading", 10, stream)
    bar.advance(4)
    bar.finish("Loaded.")
    const log = written.join("")
    expect(log).not.toContain("\u001b")
    expect(log.endsWith("Loading [##########--------------] 40% 4/10 · …/s · ETA …\nLoaded.\n")).toBe(true)
  })

  it("ends on where the work got to when finish is told, not on the last progress reported", () => {
    const { stream, written } = fakeStream()
    const bar = Progress.make("Projecting the read models", 140_886, stream)
    bar.advance(128_156)
    bar.finish("The dashboards are ready.", 140_886)
    expect(written.join("")).toContain("100% 140,886/140,886")
  })
})
