/**
 * The reading side of `rapport import`: CSV rows as the simulator writes them parse back
 * to the same event (a property), records resume exactly at any recorded offset, and
 * broken input (quotes left open, long records, bytes that are not UTF-8, a last line cut
 * short) comes back as problems, not exceptions.
 */
import { Output } from "@rapport/simulator"
import * as Result from "effect/Result"
import fc from "fast-check"
import { spawnSync } from "node:child_process"
import { createWriteStream, writeFileSync } from "node:fs"
import { afterAll, describe, expect, it } from "vitest"
import * as ImportFile from "../../src/cli/ImportFile.js"
import { tempDir } from "./cli.js"

const folder = tempDir()
afterAll(() => folder.remove())

const collect = async (path: string, options: Partial<ImportFile.ReadOptions> = {}) => {
  const out: Array<ImportFile.RawRecord> = []
  for await (const record of ImportFile.records(path, {
    start: 0,
    linesBefore: 0,
    quoted: false,
    lineLimit: 1024,
    stallMs: 5000,
    ...options
  })) {
    out.push(record)
  }
  return out
}

const textOf = (record: ImportFile.RawRecord | undefined) =>
  record !== undefined && Result.isSuccess(record.text) ? record.text.success : undefined

const json: fc.Arbitrary<unknown> = fc.jsonValue()
const wireEvent = fc.record({
  id: fc.string(),
  type: fc.string(),
  v: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
  occurredAt: fc.string(),
  source: fc.string({ minLength: 1 }),
  data: fc.dictionary(fc.string(), json)
})

describe("CSV", () => {
  const columns = ImportFile.csvColumns

  it("reads back every row the simulator writes (RFC 4180 quoting, v optional, data as JSON text)", () => {
    fc.assert(
      fc.property(wireEvent, (event) => {
        const { v, ...rest } = event
        const wire = v === undefined ? rest : { ...rest, v }
        const row = Output.toCsvRow({ event: wire, deliveredAt: "2026-01-01T00:00:00Z", flags: {} })
        const parsed = ImportFile.csvEvent(columns, row.slice(0, -1))
        expect(parsed.problems).toEqual([])
        expect(parsed.event).toEqual(JSON.parse(JSON.stringify(wire)))
      })
    )
  })

  it("takes the simulator's header, in any column order, and names what is wrong with another", () => {
    expect(ImportFile.parseCsvHeader(Output.csvHeader.trimEnd())).toEqual(Result.succeed(columns))
    expect(Result.isSuccess(ImportFile.parseCsvHeader("data,id,occurredAt,type"))).toBe(true)
    const unknown = ImportFile.parseCsvHeader("id,type,occuredAt,data")
    expect(Result.isFailure(unknown) && unknown.failure).toContain('"occuredAt" is not one of its columns')
    const missing = ImportFile.parseCsvHeader("id,type,v,occurredAt,source")
    expect(Result.isFailure(missing) && missing.failure).toContain('lacks "data"')
    expect(Result.isFailure(ImportFile.parseCsvHeader("id,id,type,occurredAt,data"))).toBe(true)
  })

  it("reports a row's own problems with their paths and leaves the rest to the decoder", () => {
    expect(ImportFile.csvEvent(columns, 'a,b,1,c,d,"{""x"":').problems).toEqual([
      { path: [], message: "Field 6 opens a quote that never closes (a truncated file?)" }
    ])
    expect(ImportFile.csvEvent(columns, "a,b,1,c").problems[0]?.message).toBe(
      "Expected 6 fields (id,type,v,occurredAt,source,data), got 4"
    )
    const badData = ImportFile.csvEvent(columns, "a,b,,c,,{not json}")
    expect(badData.problems.map((p) => p.path)).toEqual([["data"]])
    expect(badData.event).toEqual({ id: "a", type: "b", occurredAt: "c", data: null })
    expect(ImportFile.csvEvent(columns, 'a,b"c,1,d,e,{}').problems[0]?.message).toContain("not quoted")
    expect(ImportFile.csvEvent(columns, 'a,"b"c,1,d,e,{}').problems[0]?.message).toContain("after its closing quote")
    expect(ImportFile.csvEvent(columns, "a,b,x1,c,,{}").event).toMatchObject({ v: "x1" })
  })
})

describe("records", () => {
  it("resumes at any record's end offset with the same records and line numbers", async () => {
    const path = `${folder.path}/rows.csv`
    const content = 'h1,h2\r\n\r\na,"multi\nline"\nb,2\n\n"c\n\n",3\nlast,4'
    writeFileSync(path, content)
    const all = await collect(path, { quoted: true })
    expect(all.map((record) => [record.line, textOf(record)])).toEqual([
      [1, "h1,h2"],
      [3, 'a,"multi\nline"'],
      [5, "b,2"],
      [7, '"c\n\n",3'],
      [10, "last,4"]
    ])
    expect(all.at(-1)?.terminated).toBe(false)
    expect(all.at(-1)?.endOffset).toBe(Buffer.byteLength(content))
    for (const [at, record] of all.entries()) {
      const rest = await collect(path, { quoted: true, start: record.endOffset, linesBefore: record.linesThrough })
      expect(rest).toEqual(all.slice(at + 1))
    }
  })

  it("returns records too long, not UTF-8 or holding NUL bytes as problems, and reads on", async () => {
    const path = `${folder.path}/broken.ndjson`
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from(`\uFEFF{"a":1}\n${"x".repeat(2000)}\n`),
        Buffer.from([0xff, 0xfe, 0x41, 0x0a]),
        Buffer.from('{"nul":"\u0000"}\n{"b":2}\n{"cut":')
      ])
    )
    const all = await collect(path)
    expect(all.map((record) => record.line)).toEqual([1, 2, 3, 4, 5, 6])
    expect(textOf(all[0])).toBe('{"a":1}')
    for (const at of [1, 2, 3]) expect(Result.isFailure(all[at]?.text ?? Result.succeed(""))).toBe(true)
    expect(textOf(all[4])).toBe('{"b":2}')
    expect(all[5]).toMatchObject({ terminated: false })
    expect(textOf(all[5])).toBe('{"cut":')
  })

  it("fails with InputStalled when the input stops delivering bytes", async () => {
    const path = `${folder.path}/stalled.ndjson`
    if (spawnSync("mkfifo", [path]).status !== 0) {
      console.log("not checking the stall here: mkfifo is not available")
      return
    }
    const writer = createWriteStream(path)
    writer.write('{"a":1}\n')
    const seen: Array<string | undefined> = []
    const reading = async () => {
      const options = { start: 0, linesBefore: 0, quoted: false, lineLimit: 1024, stallMs: 300 }
      for await (const record of ImportFile.records(path, options)) seen.push(textOf(record))
    }
    await expect(reading()).rejects.toBeInstanceOf(ImportFile.InputStalled)
    expect(seen).toEqual(['{"a":1}'])
    writer.destroy()
  })
})
