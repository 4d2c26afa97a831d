/**
 * docs/library.md is checked against the code so that it cannot drift: its ```ts blocks,
 * in order, are exactly the quick start in libraryQuickStart.ts (which tsc compiles with
 * the tests), running that quick start prints exactly its ```text blocks, and the results
 * are what the page says they are.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import page from "../../../docs/library.md?raw"
import * as Rules from "../src/rules/BuiltinRules.js"
import source from "./libraryQuickStart.ts?raw"

const blocks = (text: string, language: string): Array<string> =>
  [...text.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, "g"))].map((match) => match[1] ?? "")

const printed: Array<string> = []
let quickStart: typeof import("./libraryQuickStart.js")["quickStart"]

beforeAll(async () => {
  const spy = vi.spyOn(console, "log").mockImplementation((...args: Array<unknown>) => {
    printed.push(args.map(String).join(" "))
  })
  try {
    quickStart = (await import("./libraryQuickStart.js")).quickStart
  } finally {
    spy.mockRestore()
  }
})

afterAll(() => {
  printed.length = 0
})

describe("docs/library.md", () => {
  it("shows exactly the quick start that the tests compile and run", () => {
    const start = source.indexOf("import { Result, Schema }")
    const end = source.indexOf("// --- not in the docs")
    expect(start).toBeGreaterThan(0)
    const tested = `${source.slice(start, end).trimEnd()}\n`.replaceAll('"../src/index.js"', '"@rapport/core"')
    expect(blocks(page, "ts").join("\n")).toBe(tested)
  })

  it("prints what the page says it prints", () => {
    expect(printed.join("\n")).toBe(blocks(page, "text").join("").trimEnd())
  })

  it("decodes, scores, evaluates and measures as described", () => {
    expect(quickStart.events).toHaveLength(5)
    expect(quickStart.page?.relationships.map((r) => r.facultyId)).toEqual(["f-204", "f-311"])
    const thankYou = quickStart.followUps.find((f) => f.ruleId === "thank-you")
    expect(thankYou?.state).toBe("due")
    expect(quickStart.withTheirs.filter((f) => f.ruleId === "share-the-paper").map((f) => f.dueOn)).toEqual([
      "2026-10-21",
      "2026-10-21"
    ])
    expect(quickStart.outcomes).toMatchObject([{ followUpId: thankYou?.id, followedByContact: true, daysToContact: 1 }])
    expect(quickStart.rules.find((r) => r.id === "thank-you")?.params).toEqual({
      ...Rules.thankYou.defaults,
      withinDays: 10
    })
    expect(quickStart.rules).toHaveLength(Rules.all.length)
  })
})
