// Append and read-all throughput of the PostgreSQL event store, against raw postgres.js
// inserts of the same rows measured in the same run.
//
// Store: the built package (`../dist/index.js`), `appendMany` of batches of 1, 100 and
// 1,000 events spread over many streams, with 1 and 4 concurrent writers (each writer its
// own fiber; all share one pool of 8 connections).
// Baseline: the same rows inserted by postgres.js into a table of the same shape (the
// same columns, primary key and unique indexes), one transaction (BEGIN, one multi-row
// INSERT, COMMIT) per batch, positions from a sequence: what an append costs with no
// deduplication, no expected-state checks and no serialised position assignment.
// Read-all: the whole log in pages of 1,000 through `readAll`, against keyset pages of
// the same rows read by postgres.js.
//
// Usage: pnpm --filter @rapport/event-store-postgres bench   (after a build)
// Env: RAPPORT_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test)
import { randomUUID } from "node:crypto"
import os from "node:os"
import * as Effect from "effect/Effect"
import postgres from "postgres"
import { PostgresEventStore } from "../dist/index.js"

const url = process.env.RAPPORT_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test"
const tag = `${process.pid}_${Date.now().toString(36)}`
const storeSchema = `bench_store_${tag}`
const rawSchema = `bench_raw_${tag}`
const poolSize = 8

// events per configuration: enough batches for a stable figure, the whole run under ~2 minutes
const workloads = [
  { batchSize: 1, batches: 2000 },
  { batchSize: 100, batches: 300 },
  { batchSize: 1000, batches: 60 }
]
const writerCounts = [1, 4]
const streamsPerWriter = 500

const topics = ["coursework", "career", "feedback", "research", "personal", "other"]
/** an OfficeHoursVisited with a realistic ~250-byte payload */
const makeEvent = (n) => ({
  id: randomUUID(),
  type: "OfficeHoursVisited",
  v: 1,
  occurredAt: new Date(Date.UTC(2026, 8, 1) + n * 37_000).toISOString(),
  source: "office-hours-scheduler",
  data: {
    studentId: `s-${String(n % 4000).padStart(6, "0")}`,
    facultyId: `f-${String(n % 350).padStart(5, "0")}`,
    durationMinutes: 10 + (n % 50),
    topic: topics[n % topics.length],
    initiatedBy: n % 3 === 0 ? "faculty" : "student",
    courseId: `MED-${500 + (n % 40)}`,
    term: "2026-fall",
    location: { building: "Health Sciences Center", room: `HSC-${100 + (n % 300)}` },
    bookedVia: "web"
  }
})

/** the batches of one writer: events spread round-robin over its own streams */
const writerBatches = (run, writer, batchSize, batches) => {
  const out = []
  let n = 0
  for (let b = 0; b < batches; b++) {
    const byStream = new Map()
    for (let i = 0; i < batchSize; i++, n++) {
      const id = `${run}-w${writer}-s${(n * 7) % streamsPerWriter}`
      const events = byStream.get(id) ?? []
      events.push(makeEvent(n))
      byStream.set(id, events)
    }
    out.push(
      [...byStream].map(([id, events]) => ({
        stream: { school: "bench-school", kind: "student", id },
        expected: { _tag: "Any" },
        events
      }))
    )
  }
  return out
}

const rawTable = (sql) =>
  sql.unsafe(`
    CREATE SCHEMA ${rawSchema};
    CREATE SEQUENCE ${rawSchema}.positions;
    CREATE TABLE ${rawSchema}.events (
      position bigint PRIMARY KEY DEFAULT nextval('${rawSchema}.positions'),
      school text COLLATE "C" NOT NULL, stream_kind text COLLATE "C" NOT NULL, stream_id text COLLATE "C" NOT NULL,
      revision bigint NOT NULL, event_id text COLLATE "C" NOT NULL, type text COLLATE "C" NOT NULL, v integer NOT NULL,
      occurred_at timestamptz NOT NULL, source text, data jsonb NOT NULL, content_hash bytea NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (school, event_id), UNIQUE (school, stream_kind, stream_id, revision));
    CREATE INDEX ON ${rawSchema}.events (school, position);`)

/** the baseline: one transaction per batch, one multi-row INSERT of the same columns */
const rawInsert = (sql, revisions) => async (requests) => {
  const cols = { school: [], kind: [], sid: [], rev: [], id: [], type: [], v: [], at: [], source: [], data: [] }
  for (const r of requests) {
    for (const e of r.events) {
      const rev = (revisions.get(r.stream.id) ?? -1) + 1
      revisions.set(r.stream.id, rev)
      cols.school.push(r.stream.school)
      cols.kind.push(r.stream.kind)
      cols.sid.push(r.stream.id)
      cols.rev.push(String(rev))
      cols.id.push(e.id)
      cols.type.push(e.type)
      cols.v.push(String(e.v))
      cols.at.push(e.occurredAt)
      cols.source.push(e.source)
      cols.data.push(JSON.stringify(e.data))
    }
  }
  await sql.begin((tx) =>
    tx.unsafe(
      `INSERT INTO ${rawSchema}.events (school, stream_kind, stream_id, revision, event_id, type, v, occurred_at, source, data, content_hash)
       SELECT s, k, i, r::bigint, e, t, v::integer, a::timestamptz, src, d::jsonb, sha256(convert_to(d, 'UTF8'))
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
              AS u(s, k, i, r, e, t, v, a, src, d)`,
      [cols.school, cols.kind, cols.sid, cols.rev, cols.id, cols.type, cols.v, cols.at, cols.source, cols.data]
    )
  )
}

/** runs `writers` concurrent loops, each appending its own batches in order; returns seconds */
const timed = async (perWriter, append) => {
  const started = performance.now()
  await Promise.all(
    perWriter.map(async (batches) => {
      for (const batch of batches) await append(batch)
    })
  )
  return (performance.now() - started) / 1000
}

const fmt = (n) => Math.round(n).toLocaleString("en-US")

const main = async () => {
  // the same session settings as the store's pool (which turns JIT off: it only adds latency to short statements)
  const sql = postgres(url, { max: poolSize, onnotice: () => {}, connection: { jit: "off" } })
  const version = (await sql`SHOW server_version`)[0].server_version
  console.log(
    `PostgreSQL event store benchmark — Node ${process.version}, PostgreSQL ${version}, ${os.cpus().length} cores`
  )
  // figures from a busy machine are low; the store/raw ratios, measured interleaved, hold better
  console.log(
    `load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`
  )
  await rawTable(sql)
  const store = await Effect.runPromise(PostgresEventStore.make({ url, schema: storeSchema, maxConnections: poolSize }))
  const storeAppend = (batch) => Effect.runPromise(store.appendMany(batch))
  const revisions = new Map()
  console.log("\nappend (events/s; each writer appends its own batches in sequence)")
  console.log("batch  writers  events   store ev/s   raw ev/s   store/raw   store batches/s")
  let run = 0
  try {
    for (const { batchSize, batches } of workloads) {
      for (const writers of writerCounts) {
        run++
        const each = Math.ceil(batches / writers)
        const storeWork = Array.from({ length: writers }, (_, w) => writerBatches(`st${run}`, w, batchSize, each))
        const rawWork = Array.from({ length: writers }, (_, w) => writerBatches(`rw${run}`, w, batchSize, each))
        const events = writers * each * batchSize
        // Interleave store and baseline in slices, alternating which goes first, so that
        // load from anything else on the machine falls on both alike.
        const seconds = { store: 0, raw: 0 }
        const slices = 4
        const part = (work, i) =>
          work.map((batches) => batches.slice(Math.floor((i * each) / slices), Math.floor(((i + 1) * each) / slices)))
        const baseline = rawInsert(sql, revisions)
        for (let i = 0; i < slices; i++) {
          for (const which of (run + i) % 2 === 0 ? ["raw", "store"] : ["store", "raw"]) {
            seconds[which] +=
              which === "store" ? await timed(part(storeWork, i), storeAppend) : await timed(part(rawWork, i), baseline)
          }
        }
        const storeRate = events / seconds.store
        const rawRate = events / seconds.raw
        console.log(
          `${String(batchSize).padStart(5)}  ${String(writers).padStart(7)}  ${String(events).padStart(6)}  ${fmt(storeRate).padStart(11)}  ${fmt(rawRate).padStart(9)}  ${(storeRate / rawRate).toFixed(2).padStart(10)}  ${fmt((writers * each) / seconds.store).padStart(16)}`
        )
      }
    }

    console.log("\nread-all (pages of 1,000, whole log)")
    let after = 0
    let read = 0
    let started = performance.now()
    for (;;) {
      const page = await Effect.runPromise(store.readAll({ after, maxCount: 1000 }))
      read += page.events.length
      after = page.lastPosition
      if (page.isEnd) break
    }
    const storeRead = read / ((performance.now() - started) / 1000)
    started = performance.now()
    let rawRead = 0
    let last = 0
    for (;;) {
      const rows = await sql.unsafe(
        `SELECT position, school, stream_kind, stream_id, revision, event_id, type, v, occurred_at, source, data,
                encode(content_hash, 'hex') AS hash, recorded_at
           FROM ${rawSchema}.events WHERE position > $1 ORDER BY position LIMIT 1000`,
        [String(last)]
      )
      if (rows.length === 0) break
      rawRead += rows.length
      last = Number(rows[rows.length - 1].position)
    }
    const rawReadRate = rawRead / ((performance.now() - started) / 1000)
    console.log(
      `store: ${fmt(read)} events, ${fmt(storeRead)} ev/s   raw: ${fmt(rawRead)} events, ${fmt(rawReadRate)} ev/s   store/raw ${(storeRead / rawReadRate).toFixed(2)}`
    )
  } finally {
    await Effect.runPromise(store.close)
    await sql.unsafe(`DROP SCHEMA IF EXISTS ${storeSchema} CASCADE; DROP SCHEMA IF EXISTS ${rawSchema} CASCADE`)
    await sql.end()
  }
}

await main()
