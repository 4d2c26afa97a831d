/**
 * The erasure guard (ErasureGuard.ts) on its own, with the real projector: the race
 * between an erasure request and an append about the same student that passed its check
 * just before the request was registered, in both orders of what follows; and the rule
 * that an event naming a student lives in that student's stream, so that erasure (which
 * deletes the stream) reaches it.
 */
import { Sql, Streams } from "@rapport/analytics"
import { type EventStoreShape, ExpectedState, InMemoryEventStore, type NewEvent } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { randomUUID } from "node:crypto"
import { describe, expect, it } from "vitest"
import { projectorOn, rebuiltRows, rows } from "./projection-fixtures.js"
import * as ErasureGuard from "../src/erasure/ErasureGuard.js"
import * as ErasureRegistry from "../src/erasure/ErasureRegistry.js"

const school = "school-race"
const key = "k".repeat(64)

const visit = (studentId: string, occurredAt: string): NewEvent => ({
  id: randomUUID(),
  type: "OfficeHoursVisited",
  v: 1,
  occurredAt,
  data: { studentId, facultyId: "f-1", durationMinutes: 20, topic: "career", initiatedBy: "student" }
})

const append = (store: EventStoreShape, studentId: string, events: ReadonlyArray<NewEvent>) =>
  store.appendMany([{ stream: Streams.student(school, studentId), expected: ExpectedState.any, events }])

/** A registry whose next check about `studentId` after `arm()` stops until `release()`, once it has answered. */
const pausing = (registry: ErasureRegistry.ErasureRegistry, studentId: string) => {
  let armed = false
  let reached: () => void = () => undefined
  let release: () => void = () => undefined
  const atPause = new Promise<void>((resolve) => {
    reached = resolve
  })
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  const paused: ErasureRegistry.ErasureRegistry = {
    ...registry,
    erasedAmong: (s, ids) =>
      Effect.gen(function* () {
        const answer = yield* registry.erasedAmong(s, ids)
        if (armed && ids.includes(studentId)) {
          armed = false
          reached()
          yield* Effect.promise(() => gate)
        }
        return answer
      })
  }
  const arm = () => {
    armed = true
  }
  return { paused, arm, atPause, release }
}

describe("an erasure racing an append about the same student", () => {
  for (const order of ["the projector erases before the late append commits", "the late append commits first"]) {
    it(`leaves nothing of the student, and the read models equal a rebuild: ${order}`, async () => {
      const inner = InMemoryEventStore.make()
      const registry = await ErasureRegistry.make(Sql.openSqlite(":memory:"), key)
      const { paused, arm, atPause, release } = pausing(registry, "s-gone")
      const store = ErasureGuard.guard(inner, paused)
      await Effect.runPromise(append(store, "s-1", [visit("s-1", "2026-02-01T12:00:00Z")]))
      await Effect.runPromise(append(store, "s-gone", [visit("s-gone", "2026-02-02T12:00:00Z")]))
      const db = Sql.openSqlite(":memory:")
      const live = projectorOn(inner, db)
      await live.catchUp()

      // B passes its check, then waits; A's erasure is registered and appended meanwhile.
      const late = visit("s-gone", "2026-02-03T12:00:00Z")
      arm()
      const b = Effect.runPromise(Effect.result(append(store, "s-gone", [late])))
      await atPause
      const erasure = ErasureGuard.erasureEvent("s-gone", new Date("2026-03-01T12:00:00Z"))
      await Effect.runPromise(append(store, "s-gone", [erasure]))
      if (order.startsWith("the projector")) await live.catchUp()
      release()
      const outcome = await b
      expect(Result.isFailure(outcome) && outcome.failure._tag).toBe("StreamDeleted")
      await live.catchUp()
      await live.catchUp()

      expect(await Effect.runPromise(inner.readStream(Streams.student(school, "s-gone")))).toEqual([])
      const all = await Effect.runPromise(inner.readAll({ after: 0 }))
      expect(all.events.filter((e) => JSON.stringify(e.data).includes("s-gone"))).toEqual([])
      await live.stop()
      expect(await rows(db)).toEqual(await rebuiltRows(inner))
    }, 30_000)
  }
})

describe("events naming a student", () => {
  it("must be in that student's stream, and are refused once the student is registered, whatever their type", async () => {
    const inner = InMemoryEventStore.make()
    const registry = await ErasureRegistry.make(Sql.openSqlite(":memory:"), key)
    const store = ErasureGuard.guard(inner, registry)
    const rotation = (studentId: string): NewEvent => ({
      id: randomUUID(),
      type: "RotationCompleted",
      v: 1,
      occurredAt: "2026-06-30T18:00:00Z",
      data: {
        studentId,
        facultyIds: ["f-1"],
        rotationId: "r-1",
        specialty: "Surgery",
        startedOn: "2026-06-01",
        endedOn: "2026-06-30"
      }
    })
    const inFaculty = await Effect.runPromise(
      Effect.flip(
        store.appendMany([
          { stream: Streams.faculty(school, "f-1"), expected: ExpectedState.any, events: [rotation("s-2")] }
        ])
      )
    )
    expect(inFaculty._tag).toBe("InvalidAppend")
    const elsewhere = await Effect.runPromise(Effect.flip(append(store, "s-3", [rotation("s-2")])))
    expect(elsewhere._tag).toBe("InvalidAppend")
    await Effect.runPromise(append(store, "s-2", [ErasureGuard.erasureEvent("s-2", new Date())]))
    await Effect.runPromise(append(store, "s-4", [ErasureGuard.erasureEvent("s-4", new Date())]))
    const refused = await Effect.runPromise(
      Effect.flip(
        store.appendMany([
          { stream: Streams.student(school, "s-2"), expected: ExpectedState.any, events: [rotation("s-2")] },
          {
            stream: Streams.student(school, "s-4"),
            expected: ExpectedState.any,
            events: [visit("s-4", "2026-07-01T12:00:00Z")]
          },
          {
            stream: Streams.student(school, "s-5"),
            expected: ExpectedState.any,
            events: [visit("s-5", "2026-07-01T12:00:00Z")]
          }
        ])
      )
    )
    expect(refused).toMatchObject({ _tag: "StreamDeleted" })
    expect(refused._tag === "StreamDeleted" ? refused.streams?.map((s) => s.id) : []).toEqual(["s-2", "s-4"])
    // nothing of the request was stored, the other student's event included
    expect(await Effect.runPromise(inner.readStream(Streams.student(school, "s-5")))).toEqual([])
    // another school's student of the same id is not refused
    await Effect.runPromise(
      store.appendMany([
        { stream: Streams.student("school-other", "s-2"), expected: ExpectedState.any, events: [rotation("s-2")] }
      ])
    )
  })
})
