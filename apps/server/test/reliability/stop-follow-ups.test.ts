/**
 * A graceful stop right after a batch: the follow-ups of the students that batch touched
 * are evaluated at most every `followUpIntervalMs` while events keep coming, so they may
 * still be pending when the projector is told to stop. The stop must write them (as the
 * checkpoint is written), or the read models differ from a rebuild until the next
 * periodic refresh after a restart — what the soak bench saw once, in rm_follow_ups.
 */
import { Projector, ReadModel, SchoolSettings, Sql, Streams } from "@rapport/analytics"
import { Decode, type Event } from "@rapport/core"
import { ExpectedState, InMemoryEventStore } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { randomUUID } from "node:crypto"
import { describe, expect, it } from "vitest"

const decode = (type: string, occurredAt: string, data: Record<string, unknown>): Event.RapportEvent => {
  const decoded = Decode.decodeEvent({ id: randomUUID(), type, v: 1, occurredAt, data })
  if (Result.isFailure(decoded)) throw new Error(`bad test event ${type}`)
  return decoded.success
}

const school = "school-stop"
const now = () => new Date("2026-11-01T12:00:00Z")

const rotation = (studentId: string) =>
  decode("RotationCompleted", "2026-10-20T18:00:00Z", {
    studentId,
    facultyIds: ["f-1"],
    rotationId: `rot-${studentId}`,
    specialty: "Surgery",
    startedOn: "2026-09-22",
    endedOn: "2026-10-20"
  })

const followUps = async (db: Sql.SqlDatabase) =>
  (await db.all("SELECT * FROM rm_follow_ups")).map((row) => JSON.stringify(row)).sort()

describe("a projector stopped right after a batch", () => {
  it("writes the follow-ups that batch made due, as a rebuild does", async () => {
    const store = InMemoryEventStore.make()
    const append = (studentId: string, events: ReadonlyArray<Event.RapportEvent>) =>
      Effect.runPromise(
        store.appendMany([{ stream: Streams.student(school, studentId), expected: ExpectedState.any, events }])
      )
    await append("s-1", [rotation("s-1")])
    const db = Sql.openSqlite(":memory:")
    const live = Projector.make({
      store,
      db,
      schools: SchoolSettings.inZone("UTC"),
      now,
      followUpIntervalMs: 60_000,
      pollIntervalMs: 20
    })
    await live.start()
    // the first batch evaluates follow-ups at once; the next ones wait for the interval
    const second = await append("s-2", [rotation("s-2")])
    live.notify()
    expect(await live.waitFor(second.position, 10_000)).toBe(true)
    await live.stop()

    const fresh = Sql.openSqlite(":memory:")
    const rebuild = Projector.make({ store, db: fresh, schools: SchoolSettings.inZone("UTC"), now })
    await rebuild.catchUp()
    await rebuild.stop()
    expect((await followUps(fresh)).some((row) => row.includes("s-2"))).toBe(true)
    expect(await followUps(db)).toEqual(await followUps(fresh))
    expect(await ReadModel.checkpoint(db)).toBe(await ReadModel.checkpoint(fresh))
  }, 30_000)
})
