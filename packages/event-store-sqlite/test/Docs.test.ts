import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { SqliteEventStore } from "../src/index.js"

// The operator documentation must not drift from the code: every option in its table
// exists with the default it states, and every function it names is exported.
const operations = readFileSync(new URL("../../../docs/operations.md", import.meta.url), "utf8")
const start = operations.indexOf("## SQLite event store")
const end = operations.indexOf("\n## ", start + 1)
const section = operations.slice(start, end === -1 ? undefined : end)

const optionRows = (): Map<string, string> => {
  const table = section.slice(section.indexOf("### Options"), section.indexOf("### Files"))
  const rows = new Map<string, string>()
  for (const match of table.matchAll(/^\|\s*`(\w+)`\s*\|\s*([^|]+?)\s*\|/gm)) {
    const [, name, fallback] = match
    if (name !== undefined && fallback !== undefined) rows.set(name, fallback)
  }
  return rows
}

describe("docs/operations.md, SQLite section", () => {
  it("lists exactly the options of OptionsSchema, with the defaults the code uses", () => {
    const rows = optionRows()
    expect([...rows.keys()].sort()).toEqual(Object.keys(SqliteEventStore.OptionsSchema.fields).sort())
    expect(rows.get("busyTimeoutMillis")).toBe(`\`${SqliteEventStore.defaults.busyTimeoutMillis}\``)
    expect(rows.get("pollIntervalMillis")).toBe(`\`${SqliteEventStore.defaults.pollIntervalMillis}\``)
    expect(rows.get("writer")).toBe(`\`"${SqliteEventStore.defaults.writer}"\``)
  })

  it("names only functions the package exports", () => {
    const named = [...section.matchAll(/SqliteEventStore\.(\w+)\(/g)].map((match) => match[1])
    expect(named.length).toBeGreaterThan(0)
    for (const name of named) expect(typeof Reflect.get(SqliteEventStore, name ?? "")).toBe("function")
  })
})
