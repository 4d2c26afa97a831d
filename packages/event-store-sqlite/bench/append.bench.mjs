// Append and read throughput of @rapport/event-store-sqlite, against raw node:sqlite
// inserts of the same rows measured in the same run (same table shape and unique
// indexes, WAL + synchronous=FULL, one transaction per batch), plus the event-loop delay
// the caller sees while appending, with the writer in a worker thread and inline.
//
// Usage: pnpm --filter @rapport/event-store-sqlite bench   (builds first from the root:
// pnpm bench). Takes about a minute on 2 cores.
import { randomUUID } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { monitorEventLoopDelay } from "node:perf_hooks"
import { DatabaseSync } from "node:sqlite"
import { ContentHash } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { SqliteEventStore } from "../dist/index.js"

const dir = mkdtempSync(join(tmpdir(), "rapport-sqlite-bench-"))
let files = 0
const file = (name) => join(dir, `${name}-${++files}.db`)
const topics = ["coursework", "career", "feedback", "research", "personal", "other"]
const STREAMS = 5_000

// An OfficeHoursVisited-like event, ~250 bytes of JSON as stored.
let counter = 0
const event = () => {
  const n = counter++
  return {
    id: randomUUID(),
    type: "OfficeHoursVisited",
    v: 1,
    occurredAt: new Date(Date.UTC(2026, 8, 1) + n * 60_000).toISOString(),
    source: "office-hours-scheduler",
    data: {
      studentId: `s-${(n * 7919) % STREAMS}`,
      facultyId: `f-${n % 400}`,
      durationMinutes: 10 + (n % 50),
      topic: topics[n % topics.length],
      initiatedBy: n % 3 === 0 ? "faculty" : "student"
    }
  }
}

// A batch of `size` events over many student streams (at most 4 events per stream).
const batch = (size) => {
  const requests = []
  for (let left = size; left > 0; ) {
    const take = Math.min(4, left)
    const events = Array.from({ length: take }, event)
    requests.push({
      stream: { school: "bench", kind: "student", id: events[0].data.studentId },
      expected: { _tag: "Any" },
      events
    })
    left -= take
  }
  // A stream may appear once per appendMany.
  const seen = new Set()
  return requests.filter((r) => !seen.has(r.stream.id) && seen.add(r.stream.id))
}

const eventsIn = (requests) => requests.reduce((sum, r) => sum + r.events.length, 0)

// --- raw baseline -----------------------------------------------------------------
const rawSchema = `
  CREATE TABLE events (position INTEGER PRIMARY KEY, school TEXT NOT NULL, stream_kind TEXT NOT NULL,
    stream_id TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL,
    v INTEGER NOT NULL, occurred_at TEXT NOT NULL, source TEXT, data TEXT NOT NULL, content_hash TEXT NOT NULL,
    recorded_at TEXT NOT NULL, UNIQUE (school, event_id), UNIQUE (school, stream_kind, stream_id, revision))`

const rawAppend = (batches) => {
  const db = new DatabaseSync(file("raw"))
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL")
  db.exec(rawSchema)
  const insert = db.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
  const revisions = new Map()
  let position = 0
  // The rows are made before the clock starts: the baseline is the bare insert loop.
  const rows = batches.map((requests) =>
    requests.flatMap((r) =>
      r.events.map((e) => {
        const revision = (revisions.get(r.stream.id) ?? -1) + 1
        revisions.set(r.stream.id, revision)
        return [
          ++position,
          "bench",
          "student",
          r.stream.id,
          revision,
          e.id,
          e.type,
          e.v,
          e.occurredAt,
          e.source,
          JSON.stringify(e.data),
          ContentHash.contentHash(e),
          "2026-01-01T00:00:00.000Z"
        ]
      })
    )
  )
  const cpu = process.cpuUsage()
  const started = performance.now()
  for (const batchRows of rows) {
    db.exec("BEGIN IMMEDIATE")
    for (const row of batchRows) insert.run(...row)
    db.exec("COMMIT")
  }
  const seconds = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpu)
  db.close()
  return { seconds, cpu: used.user + used.system }
}

// --- the store --------------------------------------------------------------------
const run = (effect) => Effect.runPromise(effect)

const storeAppend = async (writer, batches, concurrency = 1) => {
  const store = await run(SqliteEventStore.make({ path: file(writer), writer }))
  const delay = monitorEventLoopDelay({ resolution: 1 })
  delay.enable()
  // process.cpuUsage counts every thread of the process, the writer thread included.
  const cpu = process.cpuUsage()
  const started = performance.now()
  await run(Effect.forEach(batches, (requests) => store.appendMany(requests), { concurrency, discard: true }))
  const seconds = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpu)
  delay.disable()
  await run(store.close)
  return { seconds, cpu: used.user + used.system, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 }
}

const fmt = (n) => Math.round(n).toLocaleString("en-US")
const ms = (n) => n.toFixed(1)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
// This VM's fsync and page-write times vary by 2x from run to run, so every scenario runs
// ROUNDS times, raw and store interleaved, and the medians are reported.
const ROUNDS = 3
const load = () => loadavg()[0].toFixed(1)
console.log(
  `node ${process.version}, ${process.platform}/${process.arch}; medians of ${ROUNDS} interleaved rounds; load average ${load()} at start\n`
)
console.log(
  "| append | events | raw node:sqlite ev/s | thread ev/s | thread/raw | inline ev/s | inline/raw | CPU µs/event raw / thread / inline | loop delay p99 / max, thread | inline |"
)
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for (const [label, size, count, concurrency] of [
  ["batches of 1", 1, 1_000, 1],
  ["batches of 100", 100, 100, 1],
  ["batches of 1,000", 1_000, 30, 1],
  ["batches of 1, 64 concurrent", 1, 4_000, 64],
  ["batches of 100, 8 concurrent", 100, 200, 8]
]) {
  const rounds = { raw: [], rawCpu: [], thread: [], inline: [] }
  let total = 0
  for (let round = 0; round < ROUNDS; round++) {
    const batches = Array.from({ length: count }, () => batch(size))
    total = batches.reduce((sum, b) => sum + eventsIn(b), 0)
    const raw = rawAppend(batches)
    rounds.raw.push(total / raw.seconds)
    rounds.rawCpu.push(raw.cpu / total)
    for (const writer of ["thread", "inline"]) {
      const result = await storeAppend(writer, batches, concurrency)
      rounds[writer].push({ rate: total / result.seconds, cpu: result.cpu / total, p99: result.p99, max: result.max })
    }
  }
  const raw = median(rounds.raw)
  const [thread, inline] = ["thread", "inline"].map((writer) => ({
    rate: median(rounds[writer].map((r) => r.rate)),
    cpu: median(rounds[writer].map((r) => r.cpu)),
    p99: median(rounds[writer].map((r) => r.p99)),
    max: median(rounds[writer].map((r) => r.max))
  }))
  console.log(
    `| ${label} | ${fmt(total)} | ${fmt(raw)} | ${fmt(thread.rate)} | ${(thread.rate / raw).toFixed(2)} | ` +
      `${fmt(inline.rate)} | ${(inline.rate / raw).toFixed(2)} | ` +
      `${ms(median(rounds.rawCpu))} / ${ms(thread.cpu)} / ${ms(inline.cpu)} | ` +
      `${ms(thread.p99)} / ${ms(thread.max)} ms | ${ms(inline.p99)} / ${ms(inline.max)} ms |`
  )
}

// --- reads ------------------------------------------------------------------------
{
  const path = file("read")
  const store = await run(SqliteEventStore.make({ path }))
  for (let i = 0; i < 100; i++) await run(store.appendMany(batch(1_000)))
  const started = performance.now()
  let after = 0
  let read = 0
  for (;;) {
    const page = await run(store.readAll({ after, maxCount: 1_000 }))
    read += page.events.length
    after = page.lastPosition
    if (page.isEnd) break
  }
  const storeSeconds = (performance.now() - started) / 1000
  await run(store.close)
  const db = new DatabaseSync(path, { readOnly: true })
  const select = db.prepare("SELECT * FROM events WHERE position > ? ORDER BY position LIMIT 1000")
  const rawStarted = performance.now()
  let rawRead = 0
  for (let position = 0; ; ) {
    const rows = select.all(position)
    if (rows.length === 0) break
    for (const row of rows) JSON.parse(row.data)
    rawRead += rows.length
    position = rows[rows.length - 1].position
  }
  const rawSeconds = (performance.now() - rawStarted) / 1000
  db.close()
  console.log(`\n| readAll, pages of 1,000 | events | raw SELECT + JSON.parse ev/s | store ev/s | store/raw |`)
  console.log("| --- | ---: | ---: | ---: | ---: |")
  console.log(
    `| whole log | ${fmt(read)} | ${fmt(rawRead / rawSeconds)} | ${fmt(read / storeSeconds)} | ${(read / storeSeconds / (rawRead / rawSeconds)).toFixed(2)} |`
  )
}

console.log(`\nload average ${load()} at the end (other work on the machine skews every figure)`)
rmSync(dir, { recursive: true, force: true })
