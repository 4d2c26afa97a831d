// The server under load, end to end: a real `rapport serve` (SQLite, projector running)
// in a child process, fed the large simulated school over loopback HTTP in JSON batches
// of 500 events by 4 concurrent clients, each with its own `events:write` key.
//
// Prints:
// - acknowledged events per second, and the ratio to raw node:sqlite inserts of the same
//   events measured in the same run (WAL, synchronous=FULL, a unique index on the event
//   id, 500 rows a transaction); half the baseline runs before the server, half after,
//   so that a change in the machine's load falls on both;
// - CPU time per event of the server process (all its threads) and of the baseline;
// - how long the projector takes to catch up after the last acknowledgement;
// - p50/p95/p99 of every dashboard query, while the events stream in and when idle.
//
// Usage: pnpm --filter @rapport/server bench   (after `pnpm build`; `pnpm bench` does both)
// Options (environment): SIZE=large (simulator preset), EVENTS=0 (cap; 0 = the whole
// school), SEED=2026, CLIENTS=4, BATCH=500, KEEP=1 (keep the temporary folder),
// SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (node flags of the server).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { cpus, loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { generateBatches } from "./support/generate.mjs"
import {
  createKey,
  freePort,
  lineSource,
  percentile,
  postBatch,
  projectorLag,
  startServer,
  timedGet
} from "./support/http.mjs"
import { openRaw } from "./support/raw.mjs"

const SIZE = process.env.SIZE ?? "large"
const EVENTS = Number(process.env.EVENTS ?? 0)
const SEED = process.env.SEED ?? "2026"
const CLIENTS = Number(process.env.CLIENTS ?? 4)
const BATCH = Number(process.env.BATCH ?? 500)
const school = "bench"
const routes = [
  "/v1/dashboard/overview",
  "/v1/dashboard/trends",
  "/v1/dashboard/students",
  "/v1/dashboard/faculty",
  "/v1/dashboard/letters",
  "/v1/dashboard/follow-ups",
  "/v1/dashboard/coverage"
]

const started = performance.now()
const say = (line) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`)
const fmt = (n) => Math.round(n).toLocaleString("en-US")
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** CPU seconds of a process (all threads), from /proc; NaN where there is no /proc. */
const processCpu = (pid) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}
/** CPU seconds per thread name of a process (main thread, worker threads by name, V8 helpers). */
const threadCpu = (pid) => {
  const out = new Map()
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim()
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1].split(" ")
      out.set(name, (out.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100)
    }
  } catch {}
  return out
}
/** Peak resident memory of a process in MB, from /proc. */
const peakMemoryMb = (pid) => {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
    return match === null ? Number.NaN : Number(match[1]) / 1024
  } catch {
    return Number.NaN
  }
}
const ownCpu = () => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1e6
}

const dir = mkdtempSync(join(tmpdir(), "rapport-server-bench-"))
const loadAtStart = loadavg()
console.log(
  `node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load average ${loadAtStart.map((l) => l.toFixed(1)).join(" / ")} at start`
)

// 1. The events, generated ahead into a file of POST bodies.
say(`generating the ${SIZE} simulated school (seed ${SEED}) into ${BATCH}-event batches`)
const batchesFile = join(dir, "batches.ndjson")
const generated = generateBatches(batchesFile, { seed: SEED, size: SIZE, batch: BATCH, limit: EVENTS })
say(
  `${fmt(generated.events)} events in ${fmt(generated.batches)} batches (${fmt(statSync(batchesFile).size / 1e6)} MB; ${generated.malformed} malformed left out)`
)

// 2. Baseline, first half.
const raw = openRaw(join(dir, "raw.db"))
const half = Math.ceil(generated.batches / 2)
const rawPart = async (from, to) => {
  const next = lineSource(batchesFile)
  const cpuBefore = ownCpu()
  for (let index = 0; index < to; index++) {
    const body = await next()
    if (body === undefined) break
    if (index >= from) raw.insertBatch(body)
  }
  return ownCpu() - cpuBefore
}
say("baseline: raw node:sqlite inserts, first half")
let rawCpu = await rawPart(0, half)

// 3. The server, with its keys.
const db = join(dir, "rapport.db")
const env = { ...process.env, RAPPORT_TIME_ZONES: `${school}=${generated.timeZone}`, RAPPORT_PROJECTOR: "in-process" }
delete env.RAPPORT_DB
const feedKeys = Array.from({ length: CLIENTS }, (_, n) =>
  createKey(db, env, { school, scopes: "events:write", name: `bench-feed-${n + 1}` })
)
const readKeys = [1, 2].map((n) => createKey(db, env, { school, scopes: "dashboards:read", name: `bench-dean-${n}` }))
const port = await freePort()
const server = await startServer(db, port, env, (process.env.SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean))
say(`rapport serve (pid ${server.pid}) on ${server.base}`)

// Dashboard queries, paced so that each read key stays under the server's rate limit.
let queryTurn = 0
const query = async (samples, route) => {
  const key = readKeys[queryTurn++ % readKeys.length]
  const begun = performance.now()
  const ms = await timedGet(server.base, key, route)
  samples.get(route).push(ms)
  const pause = 25 / readKeys.length - (performance.now() - begun)
  if (pause > 0) await sleep(pause)
}
const emptySamples = () => new Map(routes.map((route) => [route, []]))

// 4. Ingestion: CLIENTS concurrent posters, a dashboard reader, a lag sampler.
say(`ingesting over HTTP: ${CLIENTS} clients, JSON batches of ${BATCH}, projector running`)
const next = lineSource(batchesFile)
let acknowledged = 0
let stored = 0
let ingesting = true
const lags = []
const serverCpuBefore = processCpu(server.pid)
const threadsBefore = threadCpu(server.pid)
const ingestStarted = performance.now()
const clients = feedKeys.map(async (key) => {
  for (let body = await next(); body !== undefined; body = await next()) {
    const answer = await postBatch(server.base, key, body)
    acknowledged += answer.stored + answer.duplicates
    stored += answer.stored
  }
})
const underLoad = emptySamples()
// A dean clicking through the views: one query at a time, about four a second.
const reader = (async () => {
  for (let turn = 0; ingesting; turn++) {
    const begun = performance.now()
    await query(underLoad, routes[turn % routes.length])
    await sleep(Math.max(0, 250 - (performance.now() - begun)))
  }
})()
const sampler = (async () => {
  while (ingesting) {
    await sleep(5000)
    if (!ingesting) break
    const lag = await projectorLag(server.base)
    lags.push(lag)
    say(`  ${fmt(acknowledged)} acknowledged, projector lag ${fmt(lag)} events`)
  }
})()
await Promise.all(clients)
const lastAck = performance.now()
const ingestMs = lastAck - ingestStarted
const serverCpuIngest = processCpu(server.pid) - serverCpuBefore
const threadsAfter = threadCpu(server.pid)
ingesting = false

// 5. Catch-up: from the last acknowledgement until the checkpoint reaches the head.
let lag = await projectorLag(server.base)
while (lag > 0 && performance.now() - lastAck < 300_000) {
  await sleep(100)
  lag = await projectorLag(server.base)
}
const catchUpMs = performance.now() - lastAck
await Promise.all([reader, sampler])
say(`last acknowledgement: ${fmt(acknowledged)} events (${fmt(stored)} stored) in ${(ingestMs / 1000).toFixed(1)} s`)
say(`projector caught up ${(catchUpMs / 1000).toFixed(1)} s after the last acknowledgement (lag ${lag})`)

// 6. Idle: every dashboard query on the whole school, once the projector has written the
// follow-ups it owed and stopped working (its thread uses no CPU for a second).
const quietStarted = performance.now()
let projectorCpu = threadCpu(server.pid).get("projector") ?? 0
for (let still = 0; still < 2 && performance.now() - quietStarted < 60_000; ) {
  await sleep(500)
  const now = threadCpu(server.pid).get("projector") ?? 0
  still = now - projectorCpu < 0.03 ? still + 1 : 0
  projectorCpu = now
}
const quietMs = performance.now() - quietStarted
say(`dashboard queries, idle (the projector was quiet ${(quietMs / 1000).toFixed(1)} s after catching up)`)
const idle = emptySamples()
for (const route of routes) {
  for (let n = 0; n < 5; n++) await query(emptySamples(), route).catch(() => undefined)
  for (let n = 0; n < 60; n++) await query(idle, route)
}
const serverPeakMb = peakMemoryMb(server.pid)
await server.stop()

// 7. Baseline, second half.
say("baseline: raw node:sqlite inserts, second half")
rawCpu += await rawPart(half, generated.batches)
raw.close()
const rawStats = raw.stats()
const loadAtEnd = loadavg()

// Results.
const rawRate = rawStats.rows / (rawStats.timedMs / 1000)
const serverRate = acknowledged / (ingestMs / 1000)
console.log("")
console.log(`## Results (${SIZE} school, ${fmt(acknowledged)} events, ${CLIENTS} clients, batches of ${BATCH})`)
console.log("")
console.log("| measure | value |")
console.log("| --- | ---: |")
console.log(`| raw node:sqlite inserts (rows/s) | ${fmt(rawRate)} |`)
console.log(`| server, acknowledged events/s | ${fmt(serverRate)} |`)
console.log(`| ratio server ÷ raw | ${(serverRate / rawRate).toFixed(2)} |`)
console.log(`| CPU µs per event, raw (this process) | ${((rawCpu / rawStats.rows) * 1e6).toFixed(1)} |`)
console.log(
  `| CPU µs per event, server (all threads, during ingestion) | ${((serverCpuIngest / acknowledged) * 1e6).toFixed(1)} |`
)
for (const [name, seconds] of [...threadsAfter].sort((a, b) => b[1] - a[1])) {
  const used = seconds - (threadsBefore.get(name) ?? 0)
  if (used >= 0.05 * serverCpuIngest)
    console.log(`| … of which thread "${name}" | ${((used / acknowledged) * 1e6).toFixed(1)} |`)
}
console.log(`| server peak resident memory (MB) | ${fmt(serverPeakMb)} |`)
console.log(`| projector lag while ingesting, max (events) | ${fmt(Math.max(0, ...lags))} |`)
console.log(`| projector caught up after the last acknowledgement (s) | ${(catchUpMs / 1000).toFixed(1)} |`)
console.log(`| … and quiet (follow-ups written) after a further (s) | ${(quietMs / 1000).toFixed(1)} |`)
console.log("")
console.log(
  "| dashboard query | idle p50 / p95 / p99 (ms) | under ingest p50 / p95 / p99 (ms) | samples idle / under ingest |"
)
console.log("| --- | ---: | ---: | ---: |")
const triple = (values) => [50, 95, 99].map((p) => percentile(values, p).toFixed(1)).join(" / ")
for (const route of routes) {
  const a = idle.get(route)
  const b = underLoad.get(route)
  console.log(`| \`${route}\` | ${triple(a)} | ${triple(b)} | ${a.length} / ${b.length} |`)
}
console.log("")
console.log(
  `load average ${loadAtEnd.map((l) => l.toFixed(1)).join(" / ")} at the end; total ${((performance.now() - started) / 1000).toFixed(0)} s`
)
if (process.env.KEEP === "1") console.log(`kept ${dir}`)
else rmSync(dir, { recursive: true, force: true })
