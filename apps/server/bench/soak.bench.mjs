/**
 * Soak: ingestion and dashboard reads at once against real `rapport` processes on
 * loopback, for a bounded time, then the correctness checks of a long run.
 *
 *   node bench/soak.bench.mjs [--store sqlite|postgres|both] [--minutes 2] [--writers 4]
 *                             [--readers 4] [--batch 100] [--postgres <url>]
 *
 * sqlite:   one `rapport serve` (projector in-process) on a fresh folder.
 * postgres: a fresh database on the server of --postgres (default the development server),
 *           two `rapport serve` with RAPPORT_PROJECTOR=external and one `rapport project`;
 *           the database is dropped at the end.
 *
 * Phases: a baseline (writers alone, a sixth of the time, at most 30 s), then writers and
 * readers together for --minutes. Prints sustained events/s (and the ratio to the
 * baseline), reads/s, p50/p99/max latencies, errors; then checks that every acknowledged
 * event is stored exactly once, that nothing else was stored, and that the read models
 * equal a rebuild from scratch of a copy. Exit code 1 when a check fails.
 *
 * It runs the built CLI: build first (`npx pnpm@12.4.2 build`). Run with the workspace's
 * Node 24: `npx pnpm@12.4.2 --filter @rapport/server exec node bench/soak.bench.mjs`.
 */
import { ReadModel } from "@rapport/analytics"
import { spawn } from "node:child_process"
import { randomBytes, randomUUID } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { parseArgs } from "node:util"
import { DatabaseSync } from "node:sqlite"
import postgres from "postgres"

const { values: args } = parseArgs({
  options: {
    store: { type: "string", default: "both" },
    minutes: { type: "string", default: "2" },
    writers: { type: "string", default: "4" },
    readers: { type: "string", default: "4" },
    batch: { type: "string", default: "100" },
    postgres: {
      type: "string",
      default: process.env.RAPPORT_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test"
    }
  }
})
const minutes = Number(args.minutes)
const writers = Number(args.writers)
const readers = Number(args.readers)
const batchSize = Number(args.batch)
const bin = resolve(import.meta.dirname, "../bin/rapport.mjs")
const sleep = (ms) => new Promise((done) => setTimeout(done, ms))

// ---------- processes ----------

const cleanEnv = (extra) => {
  const env = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("RAPPORT_") && name !== "PORT") env[name] = value
  }
  return { ...env, ...extra }
}

const start = (argv, env = {}) => {
  const child = spawn(process.execPath, [bin, ...argv], { env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] })
  let out = ""
  let err = ""
  child.stdout.on("data", (chunk) => {
    out += chunk
  })
  child.stderr.on("data", (chunk) => {
    err = (err + chunk).slice(-20_000)
  })
  const exited = new Promise((done) => child.on("close", (code, signal) => done({ code, signal })))
  const waitFor = async (pattern, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const match = pattern.exec(out)
      if (match) return match
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`rapport ${argv[0]}: no ${pattern}; ${err}`)
      await sleep(50)
    }
  }
  return {
    child,
    exited,
    waitFor,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM")
      return exited
    },
    stderr: () => err,
    stdout: () => out
  }
}

const runToEnd = async (argv, env = {}) => {
  const proc = start(argv, env)
  const { code } = await proc.exited
  if (code !== 0) throw new Error(`rapport ${argv.join(" ")} failed: ${proc.stderr()}`)
  return proc.stdout()
}

const createKey = async (db, scopes, name) =>
  (await runToEnd(["keys", "create", "--db", db, "--school", "school-soak", "--scopes", scopes, "--name", name]))
    .trimEnd()
    .split("\n")
    .at(-1)

// ---------- load ----------

const students = Array.from({ length: 2000 }, (_, i) => `s-${String(i).padStart(4, "0")}`)
const faculty = Array.from({ length: 200 }, (_, i) => `f-${String(i).padStart(3, "0")}`)
const departments = ["Medicine", "Surgery", "Pediatrics", "Psychiatry", "Neurology"]
const pick = (list) => list[Math.floor(Math.random() * list.length)]
const dayIn2026 = () => new Date(Date.UTC(2026, 0, 1) + Math.floor(Math.random() * 300 * 86_400_000)).toISOString()

const event = (type, data) => ({
  id: randomUUID(),
  type,
  v: 1,
  occurredAt: dayIn2026(),
  source: pick(["lms", "scheduler", "clinical"]),
  data
})
const interaction = () => {
  const studentId = pick(students)
  const facultyId = pick(faculty)
  const r = Math.random()
  if (r < 0.5)
    return event("OfficeHoursVisited", {
      studentId,
      facultyId,
      durationMinutes: 15 + Math.floor(Math.random() * 45),
      topic: pick(["career", "coursework", "research"]),
      initiatedBy: pick(["student", "faculty"])
    })
  if (r < 0.75)
    return event("MentorshipMeetingHeld", {
      studentId,
      facultyId,
      durationMinutes: 30,
      topics: ["specialty-selection"]
    })
  if (r < 0.9) return event("FollowUpSent", { studentId, facultyId, kind: "thank-you", channel: "email" })
  return event("ClinicalFeedbackGiven", { studentId, facultyId, setting: "rotation", domains: ["bedside-manner"] })
}

const percentile = (sorted, p) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
const summary = (latencies) => {
  const sorted = [...latencies].sort((a, b) => a - b)
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 }
}

const timed = async (url, init) => {
  const started = performance.now()
  try {
    const response = await fetch(url, init)
    const body = await response.text()
    return { status: response.status, ms: performance.now() - started, body }
  } catch (error) {
    return { status: 0, ms: performance.now() - started, body: String(error) }
  }
}

/** Runs writer (and reader) loops until `untilMs`; returns what they saw. */
const runLoad = async ({ urls, writerKeys, readerKeys, untilMs, acked, withReaders }) => {
  const seen = { events: 0, writes: [], reads: [], byRoute: new Map(), errors: new Map(), throttled: 0 }
  const error = (what) => seen.errors.set(what, (seen.errors.get(what) ?? 0) + 1)
  const writer = async (w) => {
    const url = urls[w % urls.length]
    while (Date.now() < untilMs) {
      const batch = Array.from({ length: batchSize }, interaction)
      let answer
      for (let attempt = 0; ; attempt += 1) {
        answer = await timed(`${url}/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${writerKeys[w]}`, "content-type": "application/json" },
          body: JSON.stringify(batch)
        })
        seen.writes.push(answer.ms)
        if (answer.status === 200) break
        if (answer.status === 429) seen.throttled += 1
        else error(`POST ${answer.status}`)
        if (attempt > 50) throw new Error(`a batch was never acknowledged: ${answer.body}`)
        await sleep(200) // then retry the same batch unchanged, as a school system would
      }
      for (const e of batch) acked.add(e.id)
      seen.events += batch.length
    }
  }
  const paths = () => [
    "/v1/dashboard/overview",
    "/v1/dashboard/trends",
    `/v1/dashboard/students?page=${1 + Math.floor(Math.random() * 5)}`,
    "/v1/dashboard/students?isolated=true",
    "/v1/dashboard/faculty",
    "/v1/dashboard/letters",
    "/v1/dashboard/follow-ups",
    "/v1/dashboard/coverage",
    `/v1/students/${pick(students)}`,
    `/v1/faculty/${pick(faculty)}`
  ]
  const reader = async (r) => {
    const url = urls[r % urls.length]
    let n = 0
    while (Date.now() < untilMs) {
      const list = paths()
      const path = list[n % list.length]
      n += 1
      const paced = performance.now()
      const answer = await timed(`${url}${path}`, { headers: { authorization: `Bearer ${readerKeys[r]}` } })
      if (answer.status === 429) seen.throttled += 1
      else if (answer.status === 200 || (answer.status === 404 && path.startsWith("/v1/students/"))) {
        seen.reads.push(answer.ms)
        const route = path.split("?")[0].replace(/^\/v1\/(students|faculty)\/.+$/, "/v1/$1/{id}")
        if (!seen.byRoute.has(route)) seen.byRoute.set(route, [])
        seen.byRoute.get(route).push(answer.ms)
      } else if (!(answer.status === 404 && path.startsWith("/v1/faculty/")))
        error(`GET ${path.split("?")[0]} ${answer.status}`)
      // stay under the rate limit of one key (50 requests/s)
      const wait = 25 - (performance.now() - paced)
      if (wait > 0) await sleep(wait)
    }
  }
  await Promise.all([
    ...Array.from({ length: writers }, (_, w) => writer(w)),
    ...(withReaders ? Array.from({ length: readers }, (_, r) => reader(r)) : [])
  ])
  return seen
}

// ---------- stores ----------

// every read-model table but the checkpoint and the lease (ReadModel.tables: one list, so a new table is compared too)
const readModelTables = ReadModel.tables.filter((table) => table !== "rm_meta" && table !== "rm_checkpoint")
const line = (row) => JSON.stringify(row, (_, v) => (typeof v === "bigint" ? String(v) : v))

const sqliteInspect = (db) => ({
  storedIds: async () => {
    const sqlite = new DatabaseSync(db, { readOnly: true })
    const counts = new Map()
    for (const { event_id: id } of sqlite.prepare("SELECT event_id FROM events WHERE school = 'school-soak'").all())
      counts.set(id, (counts.get(id) ?? 0) + 1)
    sqlite.close()
    return counts
  },
  progress: async () => {
    const events = new DatabaseSync(db, { readOnly: true })
    const head = Number(events.prepare("SELECT position FROM log_head").get().position)
    events.close()
    const analytics = new DatabaseSync(db.replace(/\.db$/, ".analytics.db"), { readOnly: true })
    const checkpoint = Number(
      analytics.prepare("SELECT position FROM rm_checkpoint WHERE name = 'projector'").get()?.position ?? 0
    )
    analytics.close()
    return { head, checkpoint }
  },
  rows: async (path = db) => {
    const sqlite = new DatabaseSync(path.replace(/\.db$/, ".analytics.db"), { readOnly: true })
    const out = {}
    for (const table of readModelTables) out[table] = sqlite.prepare(`SELECT * FROM ${table}`).all().map(line).sort()
    sqlite.close()
    return out
  }
})

const postgresInspect = (url) => {
  const query = async (target, text) => {
    const sql = postgres(target, { max: 1, onnotice: () => undefined })
    try {
      return await sql.unsafe(text)
    } finally {
      await sql.end({ timeout: 5 })
    }
  }
  return {
    storedIds: async () => {
      const counts = new Map()
      for (const { event_id: id } of await query(
        url,
        "SELECT event_id FROM rapport_events.events WHERE school = 'school-soak'"
      ))
        counts.set(id, (counts.get(id) ?? 0) + 1)
      return counts
    },
    progress: async () => {
      const [head] = await query(url, "SELECT position FROM rapport_events.head")
      const [checkpoint] = await query(url, "SELECT position FROM rapport.rm_checkpoint WHERE name = 'projector'")
      return { head: Number(head?.position ?? 0), checkpoint: Number(checkpoint?.position ?? 0) }
    },
    rows: async (target = url) => {
      const out = {}
      for (const table of readModelTables)
        out[table] = (await query(target, `SELECT * FROM rapport.${table}`)).map((row) => line({ ...row })).sort()
      return out
    },
    query
  }
}

const withDatabase = (url, name) => {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}

// ---------- one soak ----------

const soak = async (kind) => {
  const folder = mkdtempSync(join(tmpdir(), "rapport-soak-"))
  const processes = []
  let db
  let dropDatabase = async () => undefined
  const pgAdmin = kind === "postgres" ? postgresInspect(withDatabase(args.postgres, "postgres")) : undefined
  if (kind === "sqlite") db = join(folder, "rapport.db")
  else {
    const name = `rapport_soak_${randomBytes(5).toString("hex")}`
    await pgAdmin.query(withDatabase(args.postgres, "postgres"), `CREATE DATABASE ${name}`)
    db = withDatabase(args.postgres, name)
    dropDatabase = () =>
      pgAdmin.query(withDatabase(args.postgres, "postgres"), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  }
  const inspect = kind === "sqlite" ? sqliteInspect(db) : postgresInspect(db)
  const env = kind === "sqlite" ? {} : { RAPPORT_PROJECTOR: "external" }
  try {
    const writerKeys = []
    const readerKeys = []
    for (let i = 0; i < writers; i += 1) writerKeys.push(await createKey(db, "events:write", `writer-${i}`))
    for (let i = 0; i < readers; i += 1) readerKeys.push(await createKey(db, "dashboards:read", `dean-${i}`))
    const servers = kind === "sqlite" ? 1 : 2
    const urls = []
    for (let i = 0; i < servers; i += 1) {
      const proc = start(["serve", "--port", "0", "--db", db], env)
      processes.push(proc)
      urls.push((await proc.waitFor(/URL: (http:\/\/\S+)/))[1])
    }
    if (kind === "postgres") {
      const projector = start(["project", "--db", db], env)
      processes.push(projector)
      await projector.waitFor(/The projector is running/)
    }
    // the school's people first
    const people = [
      ...faculty.map((facultyId, i) =>
        event("FacultyJoined", { facultyId, department: departments[i % departments.length] })
      ),
      ...students.map((studentId, i) =>
        event("StudentEnrolled", { studentId, graduationYear: 2027 + (i % 4), program: "MD" })
      )
    ]
    const acked = new Set()
    for (let i = 0; i < people.length; i += 500) {
      const answer = await timed(`${urls[0]}/v1/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${writerKeys[0]}`, "content-type": "application/json" },
        body: JSON.stringify(people.slice(i, i + 500))
      })
      if (answer.status !== 200) throw new Error(`seeding failed: ${answer.body}`)
      for (const e of people.slice(i, i + 500)) acked.add(e.id)
    }

    const baselineMs = Math.min(30_000, (minutes * 60_000) / 6)
    let startedAt = Date.now()
    const baseline = await runLoad({
      urls,
      writerKeys,
      readerKeys,
      untilMs: startedAt + baselineMs,
      acked,
      withReaders: false
    })
    const baselineRate = baseline.events / ((Date.now() - startedAt) / 1000)
    console.log(
      `[${kind}] baseline (writers alone, ${Math.round(baselineMs / 1000)} s): ${Math.round(baselineRate)} events/s`
    )

    startedAt = Date.now()
    const projectedBefore = (await inspect.progress()).checkpoint
    const loads = []
    const ticker = setInterval(async () => {
      const { head, checkpoint } = await inspect.progress().catch(() => ({ head: 0, checkpoint: 0 }))
      loads.push(loadavg()[0])
      console.log(
        `[${kind}] ${Math.round((Date.now() - startedAt) / 1000)} s: ${acked.size} events acknowledged, projector lag ${head - checkpoint} events, load ${loadavg()[0].toFixed(1)}`
      )
    }, 15_000)
    const mixed = await runLoad({
      urls,
      writerKeys,
      readerKeys,
      untilMs: startedAt + minutes * 60_000,
      acked,
      withReaders: true
    })
    clearInterval(ticker)
    const seconds = (Date.now() - startedAt) / 1000
    const rate = mixed.events / seconds

    // the projector catches up
    const caughtUpFrom = Date.now()
    let lagAtEnd = 0
    for (;;) {
      const { head, checkpoint } = await inspect.progress()
      if (lagAtEnd === 0) lagAtEnd = head - checkpoint
      if (checkpoint >= head) break
      if (Date.now() - caughtUpFrom > 600_000) throw new Error("the projector did not catch up in 10 minutes")
      await sleep(200)
    }
    const catchUpMs = Date.now() - caughtUpFrom
    const projectedDuring = (await inspect.progress()).checkpoint - projectedBefore - lagAtEnd
    await sleep(2500) // follow-ups of the last batch
    for (const proc of processes.reverse()) await proc.stop()
    processes.length = 0

    const stored = await inspect.storedIds()
    const missing = [...acked].filter((id) => stored.get(id) !== 1).length
    const extra = [...stored.keys()].filter((id) => !acked.has(id)).length
    const duplicated = [...stored.values()].filter((n) => n !== 1).length

    let rebuiltRows
    if (kind === "sqlite") {
      const copy = join(folder, "copy.db")
      await runToEnd(["backup", copy, "--db", db])
      await runToEnd(["rebuild", "--db", copy])
      rebuiltRows = await inspect.rows(copy)
    } else {
      const name = `rapport_soak_copy_${randomBytes(5).toString("hex")}`
      await pgAdmin.query(
        withDatabase(args.postgres, "postgres"),
        `CREATE DATABASE ${name} TEMPLATE ${new URL(db).pathname.slice(1)}`
      )
      try {
        await runToEnd(["rebuild", "--db", withDatabase(args.postgres, name)])
        rebuiltRows = await postgresInspect(withDatabase(args.postgres, name)).rows()
      } finally {
        await pgAdmin.query(withDatabase(args.postgres, "postgres"), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      }
    }
    const liveRows = await inspect.rows()
    const differing = readModelTables.filter((t) => JSON.stringify(liveRows[t]) !== JSON.stringify(rebuiltRows[t]))
    for (const table of differing) {
      const live = new Set(liveRows[table])
      const rebuilt = new Set(rebuiltRows[table])
      const onlyLive = liveRows[table].filter((row) => !rebuilt.has(row))
      const onlyRebuilt = rebuiltRows[table].filter((row) => !live.has(row))
      console.log(
        `[${kind}] ${table}: ${onlyLive.length} rows only in the live read models, ${onlyRebuilt.length} only in the rebuild; for example`
      )
      for (const row of onlyLive.slice(0, 3)) console.log(`  live:    ${row}`)
      for (const row of onlyRebuilt.slice(0, 3)) console.log(`  rebuilt: ${row}`)
    }

    const writes = summary(mixed.writes)
    const reads = summary(mixed.reads)
    const errors = [...mixed.errors].map(([what, n]) => `${what} ×${n}`).join(", ") || "none"
    const meanLoad = loads.length === 0 ? loadavg()[0] : loads.reduce((a, b) => a + b, 0) / loads.length
    const ok = missing === 0 && extra === 0 && duplicated === 0 && differing.length === 0
    console.log(
      [
        `[${kind}] ${servers} server(s)${kind === "postgres" ? " + 1 projector process" : ", projector in the server's process"}; ${writers} writers (batches of ${batchSize}), ${readers} readers; ${seconds.toFixed(0)} s; load average ${meanLoad.toFixed(1)} on 2 cores`,
        `  ingestion with reads: ${Math.round(rate)} events/s sustained (${(rate / baselineRate).toFixed(2)} of the writers-alone baseline, ${Math.round(baselineRate)} events/s)`,
        `  reads: ${Math.round(reads.n / seconds)} requests/s`,
        `  POST /v1/events latency ms: p50 ${writes.p50.toFixed(0)}, p99 ${writes.p99.toFixed(0)}, max ${writes.max.toFixed(0)} (${writes.n} requests)`,
        `  dashboard GET latency ms: p50 ${reads.p50.toFixed(0)}, p99 ${reads.p99.toFixed(0)}, max ${reads.max.toFixed(0)} (${reads.n} requests)`,
        `  by route, p50/p99 ms: ${[...mixed.byRoute]
          .map(([route, ms]) => {
            const r = summary(ms)
            return `${route} ${r.p50.toFixed(0)}/${r.p99.toFixed(0)}`
          })
          .join(", ")}`,
        `  errors: ${errors}; throttled (429): ${mixed.throttled}`,
        `  projector: ${Math.round(projectedDuring / seconds)} events/s during the load; lag when it stopped ${lagAtEnd} events, caught up in ${(catchUpMs / 1000).toFixed(1)} s (${catchUpMs > 0 ? Math.round(lagAtEnd / (catchUpMs / 1000)) : "-"} events/s alone)`,
        `  checks: ${acked.size} acknowledged events, ${missing} missing, ${duplicated} duplicated, ${extra} not sent; read models ${differing.length === 0 ? "equal a rebuild" : `DIFFER from a rebuild in ${differing.join(", ")}`} — ${ok ? "OK" : "FAILED"}`
      ].join("\n")
    )
    return ok
  } finally {
    for (const proc of processes) await proc.stop()
    await dropDatabase().catch(() => undefined)
    rmSync(folder, { recursive: true, force: true })
  }
}

const stores = args.store === "both" ? ["sqlite", "postgres"] : [args.store]
let ok = true
console.log(`soak: ${minutes} min per store, Node ${process.version}, load average ${loadavg()[0].toFixed(1)}`)
for (const kind of stores) ok = (await soak(kind)) && ok
process.exitCode = ok ? 0 : 1
