// Can one key stall the server for every school? A real `rapport serve` (SQLite, projector
// running) on the demo school, then `/healthz` timed while one key attacks, each attack in
// turn: 100 requests, 10 at a time.
//
//  - invalid batches: JSON arrays of 1,000 events, every one of them wrong in several fields;
//  - nested JSON: 1 MB of `[[[[…]]]]`;
//  - student pages with `asOf` (a past date: the page is folded from the events);
//  - faculty pages with `asOf`.
//
// Prints `/healthz` p50/p99/max while idle and under each attack, the ratio of each to the
// idle figure of the same run, the share of the attack's time the server's main thread (its
// event loop) spent on the CPU (from /proc), and what the attacker got back (statuses). The target
// (issue #13): p99 under attack within 50 ms of the idle p99, never above 250 ms.
//
// Usage: pnpm --filter @rapport/server bench:stall (after `pnpm build`); `pnpm bench` in
// apps/server runs it after ingest.bench.mjs, and the root `pnpm bench` runs both.
// Options (environment): SIZE=mid (simulator preset; tiny for a quick run), SEED=2026,
// REQUESTS=100, CONCURRENCY=10, ONLY=faculty (the attacks whose name holds it), KEEP=1 (keep
// the temporary folder),
// SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (node flags of the server).
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { cpus, loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { Worker } from "node:worker_threads"
import { generateBatches } from "./support/generate.mjs"
import { createKey, freePort, lineSource, percentile, projectorLag, startServer } from "./support/http.mjs"

const SIZE = process.env.SIZE ?? "mid"
const SEED = process.env.SEED ?? "2026"
const REQUESTS = Number(process.env.REQUESTS ?? 100)
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 10)
const school = "stall"

const started = performance.now()
const say = (line) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const loads = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ")

const dir = mkdtempSync(join(tmpdir(), "rapport-stall-bench-"))
console.log(
  `node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load average ${loads()} at start`
)

// 1. The school, loaded through the API and projected.
say(`generating the ${SIZE} simulated school (seed ${SEED})`)
const batchesFile = join(dir, "batches.ndjson")
const generated = generateBatches(batchesFile, { seed: SEED, size: SIZE, batch: 500, limit: 0 })
const db = join(dir, "rapport.db")
const env = { ...process.env, RAPPORT_TIME_ZONES: `${school}=${generated.timeZone}`, RAPPORT_PROJECTOR: "in-process" }
delete env.RAPPORT_DB
const feedKey = createKey(db, env, { school, scopes: "events:write", name: "stall-feed" })
const attackWriter = createKey(db, env, { school, scopes: "events:write", name: "stall-attacker-writes" })
const attackReader = createKey(db, env, { school, scopes: "dashboards:read", name: "stall-attacker-reads" })
const lister = createKey(db, env, { school, scopes: "dashboards:read", name: "stall-lister" })
const server = await startServer(
  db,
  await freePort(),
  env,
  (process.env.SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean)
)
say(`rapport serve (pid ${server.pid}) on ${server.base}; loading ${generated.events} events`)
// Four clients post batches out of order: a batch may arrive after the erasure of a student
// it names (409 erased); its other events are posted again without them.
const load = async (body) => {
  let events = JSON.parse(body)
  for (let attempt = 1; attempt < 100; attempt++) {
    const response = await fetch(`${server.base}/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${feedKey}`, "content-type": "application/json" },
      body: JSON.stringify(events)
    })
    const answer = await response.json()
    if (response.ok) return
    if (response.status === 409 && answer.type === "https://rapport.dev/problems/erased") {
      const gone = new Set(answer.errors.map((issue) => issue.index))
      events = events.filter((_, index) => !gone.has(index))
      if (events.length === 0) return
    } else if (response.status === 429 || response.status === 503) {
      await sleep(Math.max(100, Number(response.headers.get("retry-after") ?? "1") * 1000))
    } else throw new Error(`POST /v1/events answered ${response.status}: ${JSON.stringify(answer).slice(0, 500)}`)
  }
  throw new Error("POST /v1/events: no answer but retry after 100 attempts")
}
const next = lineSource(batchesFile)
await Promise.all(
  [1, 2, 3, 4].map(async () => {
    for (let body = await next(); body !== undefined; body = await next()) await load(body)
  })
)
while ((await projectorLag(server.base)) > 0) await sleep(200)
// the projector writes the follow-ups it owes after catching up: let it finish
await sleep(3000)
say("loaded and projected")

const getJson = async (path) => {
  const response = await fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${lister}` } })
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`)
  return response.json()
}
const studentIds = (await getJson("/v1/dashboard/students?pageSize=200")).rows.map((row) => row.studentId)
const facultyIds = (await getJson("/v1/dashboard/faculty?pageSize=200")).rows?.map((row) => row.facultyId) ?? []
if (studentIds.length === 0 || facultyIds.length === 0) throw new Error("no students or faculty to attack with")
const asOf = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)

// 2. The probe: /healthz one at a time, as a load balancer would, while `until` is pending.
// It runs in a thread of its own, so that the attackers' work in this process (sending
// megabyte bodies, reading answers) never delays the probe's own clock.
const probeSource = `
const { parentPort, workerData } = require("node:worker_threads")
let running = true
parentPort.on("message", () => { running = false })
;(async () => {
  const samples = []
  while (running) {
    const begun = performance.now()
    try {
      const response = await fetch(workerData.url)
      await response.arrayBuffer()
      samples.push(performance.now() - begun)
    } catch {
      samples.push(Number.POSITIVE_INFINITY) // no answer counts as the worst
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  parentPort.postMessage(samples)
})()
`
const probe = async (until) => {
  const thread = new Worker(probeSource, { eval: true, workerData: { url: `${server.base}/healthz` } })
  const samples = new Promise((resolve) => thread.once("message", resolve))
  await until.catch(() => undefined)
  thread.postMessage("stop")
  const result = await samples
  await thread.terminate()
  return result
}

// 3. The attacks: REQUESTS requests, CONCURRENCY at a time, one key; the statuses counted.
const invalidEvent = (n) => ({
  id: `not-a-uuid-${n}`,
  type: "MentorshipMeetingHeld",
  v: 1,
  occurredAt: "yesterday",
  source: 42,
  data: {
    studentId: n,
    facultyIds: [1, 2, 3],
    topics: ["career", "no-such-topic", 7],
    durationMinutes: "long",
    initiatedBy: "nobody",
    notes: { deep: [1, { deeper: true }] }
  }
})
const invalidBatch = JSON.stringify(Array.from({ length: 1000 }, (_, n) => invalidEvent(n)))
const depth = 499_999
const nestedJson = `${"[".repeat(depth)}${"]".repeat(depth)}`
const attacks = [
  {
    name: "invalid batches (1,000 events)",
    request: () => ({
      path: "/v1/events",
      init: {
        method: "POST",
        headers: { authorization: `Bearer ${attackWriter}`, "content-type": "application/json" },
        body: invalidBatch
      }
    })
  },
  {
    name: "nested JSON (1 MB)",
    request: () => ({
      path: "/v1/events",
      init: {
        method: "POST",
        headers: { authorization: `Bearer ${attackWriter}`, "content-type": "application/json" },
        body: nestedJson
      }
    })
  },
  {
    name: "student pages with asOf",
    request: (n) => ({
      path: `/v1/students/${encodeURIComponent(studentIds[n % studentIds.length])}?asOf=${asOf}`,
      init: { headers: { authorization: `Bearer ${attackReader}` } }
    })
  },
  {
    name: "faculty pages with asOf",
    request: (n) => ({
      path: `/v1/faculty/${encodeURIComponent(facultyIds[n % facultyIds.length])}?asOf=${asOf}`,
      init: { headers: { authorization: `Bearer ${attackReader}` } }
    })
  }
]
/** CPU seconds of the server's main thread (its event loop), from /proc; NaN elsewhere. */
const eventLoopCpu = () => {
  try {
    const fields = readFileSync(`/proc/${server.pid}/task/${server.pid}/stat`, "utf8").split(") ")[1].split(" ")
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}
const attack = async ({ request }) => {
  const statuses = new Map()
  const times = []
  let issued = 0
  const worker = async () => {
    while (issued < REQUESTS) {
      const { path, init } = request(issued++)
      const begun = performance.now()
      let status = "reset"
      try {
        const response = await fetch(`${server.base}${path}`, init)
        await response.arrayBuffer()
        status = response.status
      } catch {}
      times.push(performance.now() - begun)
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
    }
  }
  const begun = performance.now()
  const cpuBefore = eventLoopCpu()
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  return { statuses, times, ms: performance.now() - begun, cpu: eventLoopCpu() - cpuBefore }
}

const idle = await probe(sleep(4000))
say(`idle: ${idle.length} /healthz samples`)
const results = []
for (const spec of attacks.filter((attack) => attack.name.includes(process.env.ONLY ?? ""))) {
  // a fresh bucket for every attack: wait until the key's rate limit has refilled
  await sleep(5000)
  const running = attack(spec)
  const samples = await probe(running)
  const outcome = await running
  results.push({ spec, samples, outcome, load: loads() })
  say(`${spec.name}: ${samples.length} /healthz samples in ${(outcome.ms / 1000).toFixed(1)} s`)
}
await server.stop()

// Results.
const fmt = (n) => n.toFixed(1)
const p = (values, q) => percentile(values, q)
const idle99 = p(idle, 99)
console.log("")
console.log(`## /healthz under attack (${SIZE} school, ${REQUESTS} requests, ${CONCURRENCY} at a time, one key)`)
console.log("")
console.log(
  "| while | /healthz p50 / p99 / max (ms) | p99 ÷ idle p99 | p99 − idle p99 (ms) | attack took (s) | event loop busy | attacker got | attacker p50 (ms) |"
)
console.log("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
console.log(`| idle | ${fmt(p(idle, 50))} / ${fmt(idle99)} / ${fmt(Math.max(...idle))} | 1.0 | 0 | | | | |`)
for (const { spec, samples, outcome } of results) {
  const p99 = p(samples, 99)
  const statuses = [...outcome.statuses]
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
    .map(([status, count]) => `${count}× ${status}`)
    .join(", ")
  console.log(
    `| ${spec.name} | ${fmt(p(samples, 50))} / ${fmt(p99)} / ${fmt(Math.max(...samples))} | ${(p99 / idle99).toFixed(1)} | ${fmt(p99 - idle99)} | ${(outcome.ms / 1000).toFixed(1)} | ${Math.round((100 * outcome.cpu) / (outcome.ms / 1000))} % | ${statuses} | ${fmt(p(outcome.times, 50))} |`
  )
}
console.log("")
console.log(`load average ${loads()} at the end; total ${((performance.now() - started) / 1000).toFixed(0)} s`)
if (process.env.KEEP === "1") console.log(`kept ${dir}`)
else rmSync(dir, { recursive: true, force: true })
