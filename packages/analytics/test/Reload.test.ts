/**
 * Events deleted from the store (retention), then a reload asked for: the running
 * projector folds the school again and replaces its rows, which then equal a rebuild's;
 * the other school is left alone; a reload asked for while nobody projects is done by the
 * next projector that starts.
 */
import type { Event } from "@rapport/core"
import { type EventStoreShape, InMemoryEventStore } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import * as ReadModel from "../src/ReadModel.js"
import * as Reload from "../src/Reload.js"
import * as Sql from "../src/Sql.js"
import { load, simulatedEvents } from "./fixtures.js"
import { project, recordedEvents, schoolId } from "./harness.js"
import { officeHours } from "./people.js"

const other = "school-b"

/** Every read-model row but the checkpoint, per table (a rebuild stops at the last event left). */
const dump = async (db: Sql.SqlDatabase): Promise<Record<string, ReadonlyArray<string>>> => {
  const out: Record<string, ReadonlyArray<string>> = {}
  for (const table of ReadModel.tables) {
    if (table === "rm_meta" || table === "rm_checkpoint") continue
    out[table] = (await db.all(`SELECT * FROM ${table}`)).map((row) => JSON.stringify(row)).sort()
  }
  return out
}

/** Deletes every event of `school` that occurred before `cutoff`, and a faculty member's only events. */
const expire = async (store: EventStoreShape, school: string, cutoff: string): Promise<number> => {
  const doomed = (await recordedEvents(store)).filter(
    (e) =>
      e.stream.school === school &&
      (e.occurredAt < cutoff || JSON.stringify(e.data).includes("f-only-old")) &&
      e.type !== "EventRetracted" &&
      e.type !== "StudentErasureRequested" &&
      e.type !== "StudentEnrolled" &&
      e.type !== "FacultyJoined"
  )
  const deleteEvents = store.deleteEvents
  if (deleteEvents === undefined) throw new Error("the in-memory store deletes single events")
  return Effect.runPromise(
    deleteEvents(
      school,
      doomed.map((e) => e.position)
    )
  )
}

const rebuilt = async (store: EventStoreShape) => {
  const fresh = await project(store, Sql.openSqlite(":memory:"))
  await fresh.projector.refreshFollowUps()
  return dump(fresh.db)
}

const schoolWithOthers = async (): Promise<EventStoreShape> => {
  const store = InMemoryEventStore.make()
  const events: ReadonlyArray<Event.RapportEvent> = simulatedEvents(31)
  const onlyOld = [officeHours("s-old-only", "f-only-old", "2025-01-04T14:00:00Z")]
  await load(store, schoolId, [...events, ...onlyOld], 400)
  await load(store, other, simulatedEvents(37), 400)
  return store
}

describe("reloading a school after its events were deleted", () => {
  it("the running projector replaces the school's rows, which equal a rebuild; the other school is untouched", async () => {
    const store = await schoolWithOthers()
    const live = await project(store, Sql.openSqlite(":memory:"))
    const before = await live.db.all("SELECT school, COUNT(*) AS n FROM rm_pairs GROUP BY school ORDER BY school")
    const otherRows = await live.db.all("SELECT * FROM rm_pairs WHERE school = ? ORDER BY student_id, faculty_id", [
      other
    ])
    expect(await expire(store, schoolId, "2026-03-01T00:00:00Z")).toBeGreaterThan(100)
    await Reload.request(live.db, schoolId)
    expect(await Reload.isPending(live.db, schoolId)).toBe(true)
    await live.projector.catchUp()
    expect(await Reload.isPending(live.db, schoolId)).toBe(false)
    await live.projector.refreshFollowUps()

    const after = await live.db.all("SELECT school, COUNT(*) AS n FROM rm_pairs GROUP BY school ORDER BY school")
    expect(after).not.toEqual(before)
    expect(
      await live.db.all("SELECT * FROM rm_pairs WHERE school = ? ORDER BY student_id, faculty_id", [other])
    ).toEqual(otherRows)
    const gone = await live.db.all("SELECT * FROM rm_faculty WHERE faculty_id = 'f-only-old'")
    expect(gone).toEqual([])
    await live.projector.stop()
    expect(await dump(live.db)).toEqual(await rebuilt(store))
  }, 120_000)

  it("a reload asked for while no projector runs is done by the next one to start", async () => {
    const store = await schoolWithOthers()
    const db = Sql.openSqlite(":memory:")
    const first = await project(store, db)
    await first.projector.stop()
    await expire(store, schoolId, "2026-01-01T00:00:00Z")
    await Reload.request(db, schoolId)
    const second = await project(store, db)
    await second.projector.refreshFollowUps()
    await second.projector.stop()
    expect(await Reload.isPending(db, schoolId)).toBe(false)
    expect(await dump(db)).toEqual(await rebuilt(store))
  }, 120_000)
})
