/**
 * The code sample of docs/simulator.md runs here, so the documentation cannot drift: the
 * lines between the markers below must appear verbatim in the page.
 */
import { readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { csvHeader, writeNdjson } from "../src/Output.js"
import * as Simulation from "../src/Simulation.js"

const sample = async (path: string) => {
  // docs:begin
  const school = Result.getOrThrow(Simulation.describe({ seed: 1, size: "tiny" }))
  // Configure the receiving Rapport school with this time zone.
  console.log(school.timeZone, school.start, school.end, school.coverageGap)

  let late = 0
  let malformed = 0
  for (const { event, deliveredAt, flags } of Simulation.generate({ seed: 1, size: "tiny" })) {
    if (event.type === "StudentEnrolled" && deliveredAt < school.start) throw new Error("impossible")
    if (flags.late === true) late++
    if (flags.malformed !== undefined) malformed++ // core's Decode.decodeEvent rejects exactly these
  }

  const written = await writeNdjson(path, { seed: 1, size: "tiny" })
  console.log(`${written.events} events, ${late} late, ${malformed} malformed`)
  // docs:end
  return { late, malformed, written }
}

describe("docs/simulator.md", () => {
  it("shows the sample that runs here", async () => {
    const source = await readFile(new URL(import.meta.url), "utf8")
    const body = source.slice(source.indexOf("// docs:begin") + 14, source.indexOf("  // docs:end"))
    const lines = body.split("\n").map((line) => line.replace(/^ {2}/, ""))
    const page = await readFile(new URL("../../../docs/simulator.md", import.meta.url), "utf8")
    expect(page).toContain(lines.join("\n").trim())
    const path = join(tmpdir(), `rapport-docs-sample-${process.pid}.ndjson`)
    const { late, malformed, written } = await sample(path)
    await rm(path, { force: true })
    expect(late).toBeGreaterThan(0)
    expect(malformed).toBeGreaterThanOrEqual(0)
    expect(written.events).toBeGreaterThan(9_000)
  })

  it("documents the CSV columns that `rapport import` reads", async () => {
    const page = await readFile(new URL("../../../docs/simulator.md", import.meta.url), "utf8")
    expect(page).toContain(`\`${csvHeader.trim()}\``)
  })
})
