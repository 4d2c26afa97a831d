import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import * as Labels from "../src/lib/Labels.js"

// The tooltips of the tiers say what docs/scoring.md says ("The tiers", column "in words").
const scoring = readFileSync(join(import.meta.dirname, "../../../docs/scoring.md"), "utf8")
const inWords = new Map(
  [...scoring.matchAll(/^\| (none|acquainted|developing|strong|advocate) \|.*\| ([^|]+) \|$/gm)].map((m) => [
    m[1] ?? "",
    (m[2] ?? "").trim()
  ])
)

describe("tier descriptions", () => {
  it.each(Labels.tiers)("%s reads as docs/scoring.md words it", (tier) => {
    const words = inWords.get(tier)
    expect(words).toBeDefined()
    expect(Labels.tierDescription(tier).toLowerCase()).toContain(String(words).toLowerCase())
  })
})
