/**
 * docs/operations.md, section "EventStoreDB / KurrentDB", against the code, so that the two
 * cannot drift: the names in its sample exist, its defaults are the code's, its skip message
 * is the one the suites print, and its commands name this package and EVENTSTOREDB_URL.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import * as Package from "../src/index.js"
import { noServer } from "./support/Server.js"

const docs = readFileSync(fileURLToPath(new URL("../../../docs/operations.md", import.meta.url)), "utf8")
const start = docs.indexOf("## EventStoreDB / KurrentDB")
const next = docs.indexOf("\n## ", start + 1)
const section = docs.slice(start, next === -1 ? undefined : next)

describe("docs/operations.md, EventStoreDB / KurrentDB", () => {
  it("exists", () => {
    expect(start).toBeGreaterThanOrEqual(0)
  })

  it("names only exports that exist", () => {
    const store: Record<string, unknown> = { ...Package.EventStoreDbEventStore }
    const checkpoint: Record<string, unknown> = { ...Package.Checkpoint }
    // `EventStoreDbEventStore.ts` is the module's file name, not an export.
    const names = [...section.matchAll(/EventStoreDbEventStore\.(\w+)/g)]
      .map(([, name]) => name)
      .filter((n) => n !== "ts")
    expect(names.length).toBeGreaterThan(3)
    for (const name of names) expect(store).toHaveProperty(name ?? "")
    for (const [, name] of section.matchAll(/Checkpoint\.(\w+)/g)) expect(checkpoint).toHaveProperty(name ?? "")
  })

  it("states the code's defaults", () => {
    const { defaults } = Package.EventStoreDbEventStore
    for (const [setting, value] of Object.entries(defaults)) {
      const row = section.split("\n").find((line) => line.startsWith(`| \`${setting}\``))
      expect(row?.replace(/,/g, "")).toContain(`| ${value} `)
    }
  })

  it("quotes the message the skipped suites print, and commands that run them here", () => {
    expect(section.replace(/\s+/g, " ")).toContain(noServer)
    expect(section).toContain(
      'EVENTSTOREDB_URL="esdb://localhost:2113?tls=false" npx pnpm@12.4.2 --filter @rapport/event-store-eventstoredb test'
    )
    expect(section).toContain("EVENTSTORE_RUN_PROJECTIONS=None")
    expect(section).toContain("curl -i -X POST http://localhost:2113/admin/scavenge -u admin:changeit")
  })

  it("declares the capabilities the store declares", () => {
    const { capabilities } = Package.EventStoreDbEventStore
    expect(capabilities.atomicMultiStreamAppend).toBe(false)
    expect(section).toContain("`capabilities.atomicMultiStreamAppend` is **false**")
    expect(capabilities.recreateDeletedStream).toBe(false)
    expect(section).toContain("`capabilities.recreateDeletedStream` is **false**")
  })
})
