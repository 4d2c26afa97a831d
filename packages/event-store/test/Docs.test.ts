import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const read = (relative: string) => readFileSync(fileURLToPath(new URL(relative, import.meta.url)), "utf8")

describe("docs/event-store.md", () => {
  it("shows the conformance call exactly as the in-memory test runs it", () => {
    const doc = read("../../../docs/event-store.md")
    const block = /## For adapter authors[\s\S]*?```ts\n([\s\S]*?)```/.exec(doc)?.[1]
    expect(block).toBeDefined()
    const sample = (block ?? "")
      .replaceAll('"@rapport/event-store/testing"', '"../src/testing.js"')
      .replaceAll('"@rapport/event-store"', '"../src/index.js"')
      .split("\n")
      .filter((line) => line.trim() !== "")
    const test = read("./InMemoryEventStore.test.ts").split("\n")
    // Every line of the sample appears in the test, in the same order (the test may add lines).
    let at = 0
    for (const line of sample) {
      const found = test.indexOf(line, at)
      expect(found, `sample line not in the test (in order): ${line}`).toBeGreaterThanOrEqual(0)
      at = found + 1
    }
    expect(sample.length).toBeGreaterThan(5)
  })
})
