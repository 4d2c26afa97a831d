/**
 * A PostgreSQL crash and restart while four clients post, on a private cluster this test
 * starts itself (`initdb`, `pg_ctl` on another port; the shared server is never touched).
 * While the database is down, posting answers 503 (never 500, never a hang) and readiness
 * says so; after the restart the server and its projector carry on by themselves, every
 * acknowledged event is stored exactly once, every unanswered batch whole or not at all,
 * and the read models equal a rebuild of a copy of the database.
 */
import postgres from "postgres"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { newLedger, request, startLoad } from "./client.js"
import { type Cluster, postgresBin, startCluster } from "./cluster.js"
import { checkLedger, equalsRebuild, faculty, seedSchool, settle, students } from "./crash-check.js"
import { createKey, ensureBuilt, serve, sleep, tempDir, killLeftovers } from "./processes.js"

const found = postgresBin()
const unavailable = "reason" in found ? found.reason : undefined
if (unavailable !== undefined) {
  if (process.env.CI === "true") {
    it("a private PostgreSQL cluster can be started (required under CI=true)", () => {
      throw new Error(unavailable)
    })
  } else {
    console.log(`skipping the PostgreSQL restart test: ${unavailable}`)
  }
}

const until = async (condition: () => boolean, timeoutMs: number, what: () => string) => {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`)
    await sleep(50)
  }
}

// One rerun absorbs a timing flake of the private cluster on a loaded machine; every attempt
// checks every invariant.
describe.skipIf(unavailable !== undefined)("PostgreSQL restarted while clients post", { retry: 1 }, () => {
  const dir = tempDir()
  let cluster: Cluster | undefined
  beforeAll(async () => {
    await ensureBuilt()
    if ("bin" in found) cluster = await startCluster(found.bin)
  }, 180_000)
  afterAll(() => {
    killLeftovers()
    cluster?.remove()
    dir.remove()
  })

  it("answers 503 while it is down and loses or duplicates nothing acknowledged", async () => {
    if (cluster === undefined) throw new Error("no cluster")
    const admin = postgres(cluster.url(), { max: 1, onnotice: () => undefined })
    await admin.unsafe("CREATE DATABASE rapport")
    await admin.end()
    const db = cluster.url("rapport")
    const key = await createKey(db, "school-pg", "events:write", "writer")
    const server = await serve(db)
    await seedSchool(server.url, key)
    const ledger = newLedger()
    const load = startLoad({ url: () => server.url, key, ledger, clients: 4, batchSize: 40, students, faculty })
    let during = new Map<string, number>()
    let readyWhileDown = 0
    try {
      await until(
        () => ledger.acknowledged.size >= 1500,
        120_000,
        () =>
          `acknowledgements before the crash: ${JSON.stringify([...ledger.statuses])} ${server.proc.stderr().slice(-1500)}`
      )
      const before = new Map(ledger.statuses)
      cluster.stop("immediate")
      const downAt = Date.now()
      readyWhileDown = (await request(`${server.url}/readyz`, undefined)).status
      while (Date.now() - downAt < 4000) await sleep(100)
      during = new Map([...ledger.statuses].map(([status, n]) => [status, n - (before.get(status) ?? 0)]))
      cluster.start()
      const acked = ledger.acknowledged.size
      await until(
        () => ledger.acknowledged.size >= acked + 1500,
        120_000,
        () =>
          `acknowledgements after the restart: ${JSON.stringify([...ledger.statuses])} ${server.proc.stderr().slice(-1500)}`
      )
    } finally {
      await load.stop()
    }
    console.log(
      `pg-restart: while down ${JSON.stringify([...during])}; slowest answers (ms) ${JSON.stringify([...ledger.slowest])}; ${ledger.acknowledged.size} events acknowledged in all`
    )
    expect(readyWhileDown).toBe(503)
    expect(during.get("503") ?? 0).toBeGreaterThan(0)
    for (const [status, n] of during) if (n > 0) expect(["200", "503"]).toContain(status)
    await checkLedger(db, "school-pg", ledger)
    await settle(db, "school-pg", ledger, server.url, key)
    await equalsRebuild(db, dir.path, () => server.proc.stop())
  }, 300_000)
})
