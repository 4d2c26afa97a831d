import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { DatabaseSync } from "node:sqlite"
import { fileURLToPath } from "node:url"
import type { RecordedEvent } from "@rapport/event-store"
import { readAllToEnd } from "@rapport/event-store/testing"
import { describe, expect, it } from "vitest"
import { scratch, withStore } from "./fixtures/Scratch.js"

// The child imports the built package, as an application would.
const child = fileURLToPath(new URL("./fixtures/crash-child.mjs", import.meta.url))
const built = fileURLToPath(new URL("../dist/index.js", import.meta.url))
const files = scratch("crash")

/** Runs the child until it has reported `batches` commits, waits `delayMillis` more, kills it. */
const runAndKill = (path: string, label: string, batches: number, delayMillis: number): Promise<Array<string>> =>
  new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, path, label], { stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    let err = ""
    let killing = false
    proc.stdout.setEncoding("utf8")
    proc.stdout.on("data", (chunk: string) => {
      out += chunk
      if (!killing && out.split("\n").length - 1 >= batches) {
        killing = true
        setTimeout(() => proc.kill("SIGKILL"), delayMillis)
      }
    })
    proc.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString()
    })
    proc.on("error", reject)
    proc.on("close", (_code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`the child stopped by itself (${signal}): ${err}`))
      // Only complete lines were reported: a line cut by the kill is not a report.
      else resolve(out.split("\n").slice(0, -1))
    })
  })

describe("a writer killed with SIGKILL", () => {
  it("loses no reported batch, duplicates nothing and leaves no partial batch", async () => {
    if (!existsSync(built)) throw new Error(`build the package first (${built} is missing): pnpm build`)
    const path = files.file()
    const reported = new Set<string>()
    for (const [round, [batches, delay]] of [
      [3, 0],
      [12, 7],
      [25, 23],
      [40, 61]
    ].entries()) {
      const lines = await runAndKill(path, `r${round}`, batches ?? 1, delay ?? 0)
      expect(lines.length).toBeGreaterThanOrEqual(batches ?? 1)
      for (const line of lines) reported.add(line)

      // The store opens cleanly on the file the dead process left behind.
      const log = await withStore({ path, writer: "inline" }, (store) => readAllToEnd(store, { pageSize: 2_000 }))
      const db = new DatabaseSync(path, { readOnly: true })
      const integrity = db.prepare("PRAGMA integrity_check").all()
      db.close()
      expect(integrity).toEqual([{ integrity_check: "ok" }])

      const byBatch = new Map<string, Array<RecordedEvent>>()
      for (const event of log.events) {
        const data = event.data
        const batch = typeof data === "object" && data !== null && "batch" in data ? String(data.batch) : "?"
        byBatch.set(batch, [...(byBatch.get(batch) ?? []), event])
      }
      // Every batch visible is whole, and stored once.
      for (const [batch, events] of byBatch) {
        const size = events[0]?.data
        const expected = typeof size === "object" && size !== null && "size" in size ? size.size : -1
        expect({ batch, count: events.length }).toEqual({ batch, count: expected })
        expect(new Set(events.map((event) => event.id)).size).toBe(events.length)
      }
      // Every batch the child reported is there.
      const missing = [...reported].filter((batch) => !byBatch.has(batch))
      expect(missing).toEqual([])
    }
  }, 120_000)
})
