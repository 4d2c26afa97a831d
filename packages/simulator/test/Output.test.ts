import { mkdtemp, readdir, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { SimulatedEvent } from "../src/Delivery.js"
import * as Output from "../src/Output.js"
import type { SimulationOptions } from "../src/Simulation.js"
import { school } from "./school.js"

const options = { seed: 5, size: "tiny" } as const
const { items } = school(options)
let dir = ""

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rapport-simulator-"))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A strict RFC 4180 reader for the test: quoted fields, doubled quotes, commas and newlines inside quotes. */
const parseCsv = (text: string): Array<Array<string>> => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let field = ""
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ",") {
      row.push(field)
      field = ""
    } else if (c === "\n") {
      row.push(field)
      rows.push(row)
      row = []
      field = ""
    } else field += c
  }
  return rows
}

describe("Output", () => {
  it("writes NDJSON: one wire event per line, in delivery order", async () => {
    const path = join(dir, "school.ndjson")
    const summary = await Output.writeNdjson(path, options)
    const lines = (await readFile(path, "utf8")).split("\n")
    expect(lines.pop()).toBe("")
    expect(summary.events).toBe(items.length)
    expect(lines).toEqual(items.map((item) => JSON.stringify(item.event)))
    expect(summary.bytes).toBe(Buffer.byteLength(lines.join("\n")) + 1)
  })

  it("writes CSV with the documented columns, the payload as JSON in one column", async () => {
    const path = join(dir, "school.csv")
    await Output.writeCsv(path, options)
    const [header, ...rows] = parseCsv(await readFile(path, "utf8"))
    expect(header).toEqual(["id", "type", "v", "occurredAt", "source", "data"])
    expect(rows.length).toBe(items.length)
    rows.forEach((row, i) => {
      const event = (items[i] as SimulatedEvent).event
      expect(row).toEqual([
        event.id,
        event.type,
        event.v === undefined ? "" : String(event.v),
        event.occurredAt,
        event.source,
        JSON.stringify(event.data)
      ])
      expect(JSON.parse(row[5] ?? "")).toEqual(event.data)
    })
  })

  it("feeds a sink in batches, in order, waiting for each", async () => {
    const batches: Array<number> = []
    const seen: Array<string> = []
    const result = await Output.toSink(
      async (batch) => {
        batches.push(batch.length)
        for (const item of batch) seen.push(item.event.id)
        await new Promise((resolve) => setImmediate(resolve))
      },
      { ...options, batchSize: 1000 }
    )
    expect(result.events).toBe(items.length)
    expect(batches.slice(0, -1).every((n) => n === 1000)).toBe(true)
    expect(seen).toEqual(items.map((item) => item.event.id))
  })

  it("fails with a typed error and leaves nothing behind when it cannot write", async () => {
    const path = join(dir, "missing-folder", "school.ndjson")
    await expect(Output.writeNdjson(path, options)).rejects.toMatchObject({ _tag: "WriteFailed", path })
    // As a CLI or a settings file would pass it: untyped input.
    const bad: SimulationOptions = JSON.parse('{ "seed": 1, "size": "enormous" }')
    await expect(Output.writeCsv(join(dir, "bad.csv"), bad)).rejects.toMatchObject({ _tag: "InvalidSize" })
    expect((await readdir(dir)).filter((name) => name.endsWith(".partial") || name === "bad.csv")).toEqual([])
  })

  it("quotes CSV fields only when RFC 4180 needs it", () => {
    const row = Output.toCsvRow({
      event: { id: "x", type: "T", occurredAt: "2026-01-01T00:00:00Z", source: 'a "b", c', data: { k: "v\nw" } },
      deliveredAt: "2026-01-01T00:00:00.000Z",
      flags: {}
    })
    expect(row).toBe('x,T,,2026-01-01T00:00:00Z,"a ""b"", c","{""k"":""v\\nw""}"\n')
  })
})
