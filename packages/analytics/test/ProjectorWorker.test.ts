import type { Event } from "@rapport/core"
import { SqliteEventStore } from "@rapport/event-store-sqlite"
import * as Effect from "effect/Effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import * as Projector from "../src/Projector.js"
import * as ProjectorWorker from "../src/ProjectorWorker.js"
import * as ReadModel from "../src/ReadModel.js"
import * as Sql from "../src/Sql.js"
import { load, simulatedEvents } from "./fixtures.js"
import * as SchoolSettings from "../src/SchoolSettings.js"

const now = new Date("2027-01-15T12:00:00Z")
const timeZone = "America/New_York"
const folders: Array<string> = []

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

const dump = async (db: Sql.SqlDatabase): Promise<Record<string, ReadonlyArray<string>>> => {
  const out: Record<string, ReadonlyArray<string>> = {}
  for (const table of ReadModel.tables) {
    if (table === "rm_meta") continue
    const rows = await db.all(`SELECT * FROM ${table}`)
    out[table] = rows
      .map((row) => {
        const { updated_at: _ignored, ...rest } = row
        return JSON.stringify(rest)
      })
      .sort()
  }
  return out
}

const erasureOf = (studentId: string): Event.RapportEvent => ({
  id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6f",
  type: "StudentErasureRequested",
  v: 1,
  occurredAt: "2026-12-01T10:00:00.000Z",
  data: { studentId }
})

describe("ProjectorWorker", () => {
  it("follows appends in its own thread and writes the read models the in-process projector writes", async () => {
    const folder = mkdtempSync(join(tmpdir(), "rapport-projector-worker-"))
    folders.push(folder)
    const store = await Effect.runPromise(SqliteEventStore.make({ path: join(folder, "events.db") }))
    const events = simulatedEvents(13)
    const half = Math.floor(events.length / 2)
    const first = await load(store, "school-a", events.slice(0, half), 250)
    const erased: Array<string> = []
    const threaded = ProjectorWorker.make({
      store: { _tag: "sqlite", path: join(folder, "events.db") },
      readModels: { _tag: "sqlite", path: join(folder, "threaded.db") },
      schools: SchoolSettings.inZone(timeZone),
      now: now.toISOString(),
      batchSize: 700,
      onErased: async (school, studentId) => {
        erased.push(`${school}/${studentId}`)
      }
    })
    await threaded.start()
    expect(await threaded.waitFor(first, 120_000)).toBe(true)
    expect(threaded.position()).toBeGreaterThanOrEqual(first)

    // More events and an erasure while it runs: a wake-up, then the thread's call-back.
    const enrolled = events.find((event) => event.type === "StudentEnrolled")
    const studentId = enrolled?.type === "StudentEnrolled" ? enrolled.data.studentId : "s-none"
    await load(store, "school-a", events.slice(half), 250)
    const last = await load(store, "school-a", [erasureOf(studentId)], 1)
    threaded.notify()
    expect(await threaded.waitFor(last, 120_000)).toBe(true)
    await threaded.catchUp()
    await threaded.refreshFollowUps()
    await threaded.stop()
    // The simulated school's own erasure requests come first (in the first half or the second), then ours.
    const simulated = events.flatMap((event) =>
      event.type === "StudentErasureRequested" ? [`school-a/${event.data.studentId}`] : []
    )
    expect([...erased].sort()).toEqual([...simulated, `school-a/${studentId}`].sort())

    // The thread deleted the erased student's stream; the in-process projector reads what is left.
    const local = Sql.openSqlite(join(folder, "local.db"))
    const inProcess = Projector.make({ store, db: local, schools: SchoolSettings.inZone(timeZone), now: () => now })
    await inProcess.catchUp()
    await inProcess.refreshFollowUps()
    await inProcess.stop()
    const threadedDb = Sql.openSqlite(join(folder, "threaded.db"))
    const expected = await dump(local)
    expect(expected.rm_pairs?.length).toBeGreaterThan(0)
    expect(await dump(threadedDb)).toEqual(expected)
    const students = await threadedDb.all("SELECT student_id FROM rm_students WHERE student_id = ?", [studentId])
    expect(students).toEqual([])
    await threadedDb.close()
    await local.close()
    await Effect.runPromise(store.close)
  }, 300_000)

  it("rejects its calls with the reason when the thread cannot open the store", async () => {
    const folder = mkdtempSync(join(tmpdir(), "rapport-projector-worker-"))
    folders.push(folder)
    const threaded = ProjectorWorker.make({
      store: { _tag: "sqlite", path: join(folder, "missing", "events.db") },
      readModels: { _tag: "sqlite", path: join(folder, "read.db") },
      schools: SchoolSettings.inZone("UTC")
    })
    await expect(threaded.catchUp()).rejects.toThrow(/projector thread exited/)
    await threaded.stop()
  }, 60_000)
})
