/**
 * The projector as its own process (`RAPPORT_PROJECTOR=external` on the server), on one
 * SQLite installation, while clients post: two `rapport project` start, one holds the
 * lease and works, the other waits. `kill -9` of the working one while it has work in
 * hand hands the lease over within seconds; then the second is killed too and a third
 * takes over. Nothing is applied twice or lost: the read models equal a rebuild.
 */
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { newLedger, startLoad } from "./client.js"
import { checkLedger, equalsRebuild, faculty, seedSchool, settle, students } from "./crash-check.js"
import { createKey, ensureBuilt, type Proc, project, serve, sleep, tempDir, killLeftovers } from "./processes.js"
import { progress } from "./stores.js"

const external = { RAPPORT_PROJECTOR: "external" }

/** Waits until the checkpoint lags the head (the projector has work in hand), or 20 s. */
const busy = async (db: string): Promise<boolean> => {
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    const { checkpoint, head } = await progress(db)
    if (head - checkpoint > 50) return true
    await sleep(20)
  }
  return false
}

describe("kill -9 of rapport project", () => {
  const dir = tempDir()
  const db = join(dir.path, "rapport.db")
  beforeAll(ensureBuilt, 180_000)
  afterAll(() => {
    killLeftovers()
    dir.remove()
  })

  it("hands the lease to the waiting projector within seconds and applies every event once", async () => {
    const key = await createKey(db, "school-projector", "events:write", "writer", external)
    const server = await serve(db, external)
    await seedSchool(server.url, key)
    const first = await project(db, external)
    const second = await project(db, external, { waitForLease: false })
    await second.waitFor(/waiting for its lease/)
    const ledger = newLedger()
    const load = startLoad({ url: () => server.url, key, ledger, clients: 4, batchSize: 100, students, faculty })
    const handovers: Array<number> = []
    const takeOver = async (dying: Proc, next: Proc) => {
      expect(await busy(db), "the projector had work in hand when killed").toBe(true)
      await dying.kill9()
      const killedAt = Date.now()
      await next.waitFor(/The projector is running from position/, 30_000)
      handovers.push(Date.now() - killedAt)
    }
    let third: Proc | undefined
    try {
      await sleep(1500)
      await takeOver(first, second)
      third = await project(db, external, { waitForLease: false })
      await sleep(1500)
      await takeOver(second, third)
      await sleep(1500)
    } finally {
      await load.stop()
    }
    console.log(
      `crash-projector: lease handed over in ${handovers.join(" ms, ")} ms; ${ledger.acknowledged.size} events acknowledged`
    )
    await checkLedger(db, "school-projector", ledger)
    await settle(db, "school-projector", ledger, server.url, key)
    const last = third
    await equalsRebuild(db, dir.path, async () => {
      await last?.stop()
      await server.proc.stop()
    })
  }, 300_000)
})
