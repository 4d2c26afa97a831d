/**
 * A writer killed with SIGKILL, against a real EventStoreDB or KurrentDB server (when
 * EVENTSTOREDB_URL names one). What docs/operations.md promises, asserted exactly:
 * - every batch the child reported is stored whole, each event once;
 * - a batch the kill interrupted shows a prefix of its stream parts, in request order,
 *   each part whole or absent (appendMany is not atomic across streams);
 * - retrying an interrupted batch completes it, each event once, and a retry of a
 *   complete batch stores nothing and answers the original positions.
 */
import { spawn } from "node:child_process"
import { randomUUID } from "node:crypto"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import type { EventStoreShape, RecordedEvent } from "@rapport/event-store"
import { readAllToEnd } from "@rapport/event-store/testing"
import * as Effect from "effect/Effect"
import { expect, it } from "vitest"
import { batchOf, parseBatch, parts } from "./fixtures/crash-batches.mjs"
import { describeWithServer, openStore, serverStreamKey } from "./support/Server.js"

// The child imports the built package, as an application would.
const child = fileURLToPath(new URL("./fixtures/crash-child.mjs", import.meta.url))
const built = fileURLToPath(new URL("../dist/index.js", import.meta.url))

const runAndKill = (url: string, school: string, label: string, batches: number, delayMillis: number) =>
  new Promise<Array<string>>((resolve, reject) => {
    const proc = spawn(process.execPath, [child, url, school, label], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, EVENTSTOREDB_STREAM_KEY: serverStreamKey }
    })
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
      else resolve(out.split("\n").slice(0, -1))
    })
  })

const field = (event: RecordedEvent, key: string): unknown =>
  typeof event.data === "object" && event.data !== null
    ? Object.getOwnPropertyDescriptor(event.data, key)?.value
    : undefined

/** Checks every batch visible in the school's log; returns the ones not yet complete. */
const inspect = (events: ReadonlyArray<RecordedEvent>, reported: ReadonlySet<string>): Array<string> => {
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length)
  const byBatch = new Map<string, Map<number, number>>()
  const perPartOf = new Map<string, number>()
  for (const event of events) {
    const batch = String(field(event, "batch"))
    const counts = byBatch.get(batch) ?? new Map<number, number>()
    const part = Number(field(event, "part"))
    counts.set(part, (counts.get(part) ?? 0) + 1)
    byBatch.set(batch, counts)
    perPartOf.set(batch, Number(field(event, "perPart")))
  }
  const incomplete: Array<string> = []
  for (const [batch, counts] of byBatch) {
    const perPart = perPartOf.get(batch) ?? -1
    const present = Array.from({ length: parts }, (_, i) => counts.get(i) ?? 0)
    for (const count of present)
      expect({ batch, count: count === 0 ? 0 : count }).toEqual({ batch, count: count === 0 ? 0 : perPart })
    const prefix = present.indexOf(0)
    const visible = prefix === -1 ? parts : prefix
    expect({ batch, after: present.slice(visible).every((count) => count === 0) }).toEqual({ batch, after: true })
    if (visible < parts) incomplete.push(batch)
  }
  for (const batch of reported)
    expect({ batch, whole: byBatch.has(batch) && !incomplete.includes(batch) }).toEqual({ batch, whole: true })
  return incomplete
}

const retry = (store: EventStoreShape, school: string, batch: string) => {
  const parsed = parseBatch(batch)
  if (parsed === undefined) throw new Error(`not a batch id: ${batch}`)
  return store.appendMany(batchOf(school, parsed.label, parsed.loop, parsed.k).requests)
}

describeWithServer("EventStoreDB / KurrentDB: a writer killed with SIGKILL", (url) => {
  it("loses no reported batch, duplicates nothing, and shows only what the docs say of interrupted batches", async () => {
    if (!existsSync(built)) throw new Error(`build the package first (${built} is missing): pnpm build`)
    const school = `crash-${randomUUID().slice(0, 8)}`
    const reported = new Set<string>()
    const program = Effect.gen(function* () {
      const { store, close } = yield* openStore(url)
      for (const [round, [batches, delay]] of [
        [3, 0],
        [10, 7],
        [20, 23],
        [30, 61]
      ].entries()) {
        const lines = yield* Effect.promise(() => runAndKill(url, school, `r${round}`, batches ?? 1, delay ?? 0))
        expect(lines.length).toBeGreaterThanOrEqual(batches ?? 1)
        for (const line of lines) reported.add(line)
        const log = yield* readAllToEnd(store, { filter: { school }, pageSize: 1_000 })
        const incomplete = inspect(log.events, reported)
        if (incomplete.length > 0)
          console.info(`round ${round}: ${incomplete.length} interrupted batch(es) partly visible`)
        // An idempotent retry completes every interrupted batch.
        for (const batch of incomplete) yield* retry(store, school, batch)
        const after = yield* readAllToEnd(store, { filter: { school }, pageSize: 1_000 })
        expect(inspect(after.events, new Set([...reported, ...incomplete]))).toEqual([])
      }
      // A retry of a complete batch stores nothing and answers where its events are.
      const [some] = reported
      if (some !== undefined) {
        const again = yield* retry(store, school, some)
        expect(again.stored).toBe(0)
        const log = yield* readAllToEnd(store, { filter: { school }, pageSize: 1_000 })
        const positions = new Map(log.events.map((e) => [e.id, e.position]))
        for (const s of again.streams) for (const e of s.events) expect(e.position).toBe(positions.get(e.id))
      }
      yield* close
    })
    await Effect.runPromise(program)
  }, 600_000)
})
