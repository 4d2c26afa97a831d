/**
 * An erasure whose stream deletion fails (the store unreachable at that moment, or a
 * reader holding the SQLite checkpoint back) is finished by the running projector on its
 * next step, not left pending until the next restart: the read-model rows are already
 * gone, but the events, the directory entry and the audit ids would otherwise stay.
 */
import { Projector, SchoolSettings, Sql, Streams } from "@rapport/analytics"
import { Decode, type Event } from "@rapport/core"
import { type EventStoreShape, ExpectedState, InMemoryEventStore, StoreUnavailable } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { randomUUID } from "node:crypto"
import { describe, expect, it } from "vitest"

const decode = (type: string, occurredAt: string, data: Record<string, unknown>): Event.RapportEvent => {
  const decoded = Decode.decodeEvent({ id: randomUUID(), type, v: 1, occurredAt, data })
  if (Result.isFailure(decoded)) throw new Error(`bad test event ${type}`)
  return decoded.success
}

const school = "school-retry"

describe("an erasure whose stream deletion failed", () => {
  it("is finished by the running projector without a restart", async () => {
    const inner = InMemoryEventStore.make()
    let failures = 2
    const store: EventStoreShape = {
      ...inner,
      deleteStream: (stream) =>
        Effect.suspend(() => {
          if (failures > 0) {
            failures -= 1
            return Effect.fail(new StoreUnavailable({ reason: "the test made the store unreachable" }))
          }
          return inner.deleteStream(stream)
        })
    }
    const events = [
      decode("StudentEnrolled", "2026-01-10T12:00:00Z", { studentId: "s-gone", graduationYear: 2029, program: "MD" }),
      decode("OfficeHoursVisited", "2026-02-10T12:00:00Z", {
        studentId: "s-gone",
        facultyId: "f-1",
        durationMinutes: 20,
        topic: "career",
        initiatedBy: "student"
      }),
      decode("StudentErasureRequested", "2026-03-10T12:00:00Z", { studentId: "s-gone" })
    ]
    await Effect.runPromise(
      inner.appendMany([{ stream: Streams.student(school, "s-gone"), expected: ExpectedState.any, events }])
    )
    const db = Sql.openSqlite(":memory:")
    const erasedIds: Array<string> = []
    const projector = Projector.make({
      store,
      db,
      schools: SchoolSettings.inZone("UTC"),
      now: () => new Date("2026-11-01T12:00:00Z"),
      pollIntervalMs: 50,
      onErased: async (_, studentId) => {
        erasedIds.push(studentId)
      }
    })
    await projector.start()
    const deadline = Date.now() + 20_000
    while (erasedIds.length === 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100))
    await projector.stop()
    expect(erasedIds).toEqual(["s-gone"])
    expect(failures).toBe(0)
    expect(await Effect.runPromise(inner.readStream(Streams.student(school, "s-gone")))).toEqual([])
    expect(await db.all("SELECT * FROM rm_pending_erasures")).toEqual([])
    expect(await db.all("SELECT * FROM rm_students")).toEqual([])
  }, 30_000)
})
