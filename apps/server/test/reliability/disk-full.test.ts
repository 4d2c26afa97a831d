/**
 * The SQLite events file running out of space (`RAPPORT_SQLITE_MAX_PAGES`, SQLite's
 * `max_page_count`, fails exactly as a full disk does): posting answers 503 with a
 * problem+json, the refused batch is stored not at all and every acknowledged one exactly
 * once, the dashboards keep answering; after a restart with the limit raised the same
 * batch is accepted and the read models equal a rebuild.
 */
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Answer, dayOf, type Json, newLedger, officeHours, request, sendBatch } from "./client.js"
import { checkLedger, equalsRebuild, faculty, seedSchool, settle, students } from "./crash-check.js"
import { createKey, ensureBuilt, serve, tempDir, killLeftovers } from "./processes.js"
import { storedIds } from "./stores.js"

describe("the SQLite events file full", () => {
  const dir = tempDir()
  const db = join(dir.path, "rapport.db")
  beforeAll(ensureBuilt, 180_000)
  afterAll(() => {
    killLeftovers()
    dir.remove()
  })

  it("answers 503, stores nothing of the refused batch, and recovers once the limit is raised", async () => {
    const key = await createKey(db, "school-full", "events:write", "writer")
    const dean = await createKey(db, "school-full", "dashboards:read", "dean")
    const small = await serve(db, { RAPPORT_SQLITE_MAX_PAGES: "150" })
    await seedSchool(small.url, key)
    const ledger = newLedger()
    let refused: { batch: ReadonlyArray<Json>; answer: Answer | undefined } | undefined
    let n = 0
    while (refused === undefined && n < 20_000) {
      const batch = Array.from({ length: 50 }, () => {
        n += 1
        return officeHours(students[n % students.length] ?? "", faculty[n % faculty.length] ?? "", dayOf(n))
      })
      const answer = await sendBatch(ledger, () => small.url, key, batch)
      if (answer?.status !== 200) refused = { batch, answer }
    }
    console.log(`disk-full: ${ledger.acknowledged.size} events fitted; then ${JSON.stringify(refused?.answer?.body)}`)
    expect(refused?.answer?.status).toBe(503)
    expect(refused?.answer?.headers.get("content-type")).toBe("application/problem+json")
    expect(JSON.stringify(refused?.answer?.body)).toMatch(/store-full/)
    expect(JSON.stringify(refused?.answer?.body)).toMatch(/out of disk space/)
    const stored = await storedIds(db, "school-full")
    expect(refused?.batch.filter((e) => stored.has(String(e.id)))).toEqual([])
    await checkLedger(db, "school-full", ledger)
    expect(ledger.acknowledged.size).toBeGreaterThan(100)
    // reads still work while writes cannot
    expect((await request(`${small.url}/v1/dashboard/overview`, dean)).status).toBe(200)
    await small.proc.stop()

    const raised = await serve(db, { RAPPORT_SQLITE_MAX_PAGES: "100000" })
    if (refused !== undefined) await sendBatch(ledger, () => raised.url, key, refused.batch)
    await settle(db, "school-full", ledger, raised.url, key)
    await equalsRebuild(db, dir.path, () => raised.proc.stop())
  }, 240_000)
})
