import { type ChildProcess, spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { ExpectedState } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { afterAll, describe, expect, it } from "vitest"
import * as PostgresEventStore from "../src/PostgresEventStore.js"
import * as Db from "./support/Database.js"

const run = await Db.available("Crash.int.test.ts")
const schema = Db.uniqueSchema("crash")
const raw = Db.rawClient()
const fixture = fileURLToPath(new URL("./fixtures/crash-writer.mjs", import.meta.url))
const built = fileURLToPath(new URL("../dist/index.js", import.meta.url))
const eventsPerBatch = 20

/** the writer's connections, as `pg_stat_activity` names them (short: PostgreSQL truncates past 63 bytes) */
const applicationName = (runId: string) => `crash-${process.pid}-${runId}`

/**
 * Resolves once the killed writer's backends are gone. A backend whose client died in the
 * middle of a statement still runs it to the end, commit included: on a busy machine that
 * can be after the checks below started, which then saw batches appear under them.
 */
const writerGone = async (runId: string): Promise<void> => {
  for (;;) {
    const rows = await raw`SELECT 1 FROM pg_stat_activity WHERE application_name = ${applicationName(runId)}`
    if (rows.length === 0) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** runs the writer until it has reported `commits` batches (plus a random moment more), then SIGKILLs it */
const runAndKill = (runId: string, commits: number): Promise<Set<string>> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [fixture, Db.url, schema, runId, applicationName(runId)], {
      stdio: ["ignore", "pipe", "pipe"]
    })
    const reported = new Set<string>()
    let buffered = ""
    let errors = ""
    let killed = false
    child.stdout?.setEncoding("utf8")
    child.stderr?.setEncoding("utf8")
    child.stderr?.on("data", (chunk: string) => {
      errors += chunk
    })
    child.stdout?.on("data", (chunk: string) => {
      buffered += chunk
      const lines = buffered.split("\n")
      buffered = lines.pop() ?? ""
      for (const line of lines) {
        const [word, batch, stored] = line.split(" ")
        if (word !== "committed" || batch === undefined) continue
        if (Number(stored) !== eventsPerBatch) reject(new Error(`batch ${batch} stored ${stored} events`))
        reported.add(batch)
      }
      if (!killed && reported.size >= commits) {
        killed = true
        // a random moment after the threshold: between commits, or in the middle of one
        setTimeout(() => child.kill("SIGKILL"), Math.floor(Math.random() * 40))
      }
    })
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(reported)
      else reject(new Error(`the writer exited by itself (code ${code}): ${errors}`))
    })
  })

describe.runIf(run)("a writer killed with SIGKILL", () => {
  afterAll(async () => {
    await Db.dropSchema(raw, schema)
    await raw.end()
  })

  it("loses no reported batch, duplicates none, leaves no partial batch, and the store opens cleanly", async () => {
    expect(existsSync(built), "the crash test runs the built package: build it first (pnpm build)").toBe(true)
    // create the schema up front so that the writers never race the migration with a kill
    await Effect.runPromise(Effect.flatMap(PostgresEventStore.make({ url: Db.url, schema }), (store) => store.close))
    for (let round = 0; round < 4; round++) {
      const runId = `r${round}`
      const reported = await runAndKill(runId, 5 + Math.floor(Math.random() * 30))
      expect(reported.size).toBeGreaterThan(0)
      await writerGone(runId)

      const batches = await raw.unsafe<Array<{ batch: string; events: number; ids: number }>>(
        `SELECT data->>'batch' AS batch, count(*)::int AS events, count(DISTINCT event_id)::int AS ids
           FROM "${schema}".events WHERE data->>'batch' LIKE $1 GROUP BY 1`,
        [`${runId}-%`]
      )
      const stored = new Map(batches.map((b) => [b.batch, b]))
      for (const batch of reported) expect(stored.get(batch)?.events, `reported batch ${batch}`).toBe(eventsPerBatch)
      // batches committed but not yet reported when the kill came are whole too
      for (const b of batches) expect([b.batch, b.events, b.ids]).toEqual([b.batch, eventsPerBatch, eventsPerBatch])

      // streams agree with their events: revisions 0..n-1, and the streams row says n-1
      const mismatched = await raw.unsafe(
        `SELECT s.kind, s.id FROM "${schema}".streams s
           JOIN (SELECT stream_kind, stream_id, count(*) AS n, max(revision) AS top FROM "${schema}".events
                  GROUP BY 1, 2) e ON e.stream_kind = s.kind AND e.stream_id = s.id
          WHERE e.n <> e.top + 1 OR s.revision <> e.top`
      )
      expect(mismatched).toEqual([])

      // the store opens cleanly and appends where the log left off
      const store = await Effect.runPromise(PostgresEventStore.make({ url: Db.url, schema }))
      const head = await Effect.runPromise(store.headPosition)
      const after = await Effect.runPromise(
        store.append({
          stream: Db.student("crash-school", `after-${round}`),
          expected: ExpectedState.noStream,
          events: [Db.event(`after-${round}`)]
        })
      )
      expect(after.events[0]?.position).toBe(head + 1)
      await Effect.runPromise(store.close)
    }
  }, 120_000)
})
