/**
 * An event about an erased student that arrives after the erasure (a school system that
 * still sends them). Were it stored, a rebuild would see it as a new student while the
 * running projector (which remembers the erasure) ignores it. So the installation's store
 * refuses it: once an erasure is requested, events about that student are refused
 * (`StreamDeleted`, answered 409 "erased"), and the read models still equal a rebuild.
 * Here on the guard itself (ErasureGuard.ts); through a real server: erasure-final.test.ts.
 */
import { Sql, SqlError, Streams } from "@rapport/analytics"
import { Decode, type Event } from "@rapport/core"
import { type EventStoreShape, ExpectedState, InMemoryEventStore } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { randomUUID } from "node:crypto"
import { describe, expect, it } from "vitest"
import { projectorOn, rebuiltRows, rows } from "../projection-fixtures.js"
import * as ErasureGuard from "../../src/erasure/ErasureGuard.js"
import * as ErasureRegistry from "../../src/erasure/ErasureRegistry.js"

const decode = (type: string, occurredAt: string, data: Record<string, unknown>): Event.RapportEvent => {
  const decoded = Decode.decodeEvent({ id: randomUUID(), type, v: 1, occurredAt, data })
  if (Result.isFailure(decoded)) throw new Error(`bad test event ${type}`)
  return decoded.success
}

const school = "school-late"
const visit = (studentId: string, at: string) =>
  decode("OfficeHoursVisited", at, {
    studentId,
    facultyId: "f-1",
    durationMinutes: 20,
    topic: "career",
    initiatedBy: "student"
  })

const append = (store: EventStoreShape, studentId: string, events: ReadonlyArray<Event.RapportEvent>) =>
  Effect.runPromise(
    store.appendMany([{ stream: Streams.student(school, studentId), expected: ExpectedState.any, events }])
  )

describe("an event about an erased student, arriving after the erasure", () => {
  it("is refused, and the read models equal a rebuild", async () => {
    const registry = await ErasureRegistry.make(Sql.openSqlite(":memory:"), "k".repeat(64))
    const store = ErasureGuard.guard(InMemoryEventStore.make(), registry)
    await append(store, "s-1", [visit("s-1", "2026-02-01T12:00:00Z")])
    await append(store, "s-gone", [
      visit("s-gone", "2026-02-02T12:00:00Z"),
      decode("StudentErasureRequested", "2026-03-01T12:00:00Z", { studentId: "s-gone" })
    ])
    const db = Sql.openSqlite(":memory:")
    const live = projectorOn(store, db)
    await live.catchUp()
    expect(await Effect.runPromise(store.readStream(Streams.student(school, "s-gone")))).toEqual([])
    const late = await Effect.runPromise(
      Effect.result(
        store.appendMany([
          {
            stream: Streams.student(school, "s-gone"),
            expected: ExpectedState.any,
            events: [visit("s-gone", "2026-04-02T12:00:00Z")]
          }
        ])
      )
    )
    expect(Result.isFailure(late) && late.failure._tag).toBe("StreamDeleted")
    // and no trace of the id in the registry: only a keyed hash
    const erased = await registry.database.all("SELECT * FROM rapport_erased")
    expect(erased).toHaveLength(1)
    expect(JSON.stringify(erased)).not.toContain("s-gone")
    await live.catchUp()
    await live.stop()

    expect(await rows(db)).toEqual(await rebuiltRows(store))
  }, 30_000)
})

/**
 * A registry whose statements on the erased ids (reads, or the transaction that records)
 * fail with `error`, as the database driver raised it (`Sql` refines it as it does every
 * driver error).
 */
const failingRegistry = (error: unknown, failing: "reads" | "writes") => {
  const db = Sql.openSqlite(":memory:")
  return ErasureRegistry.make(
    {
      ...db,
      all: (sql, params) =>
        failing === "reads" && sql.includes("rapport_erased")
          ? Promise.reject(SqlError.refine(error))
          : db.all(sql, params),
      transaction: (body) => (failing === "writes" ? Promise.reject(SqlError.refine(error)) : db.transaction(body))
    },
    "k".repeat(64)
  )
}

describe("the erasure registry out of space while an erasure request is recorded", () => {
  it("fails the append as out of space (503 store-full), not as unreachable", async () => {
    const full = Object.assign(new Error("database or disk is full"), { errcode: 13 })
    const store = ErasureGuard.guard(InMemoryEventStore.make(), await failingRegistry(full, "writes"))
    const failure = await Effect.runPromise(
      Effect.flip(
        store.appendMany([
          {
            stream: Streams.student(school, "s-full"),
            expected: ExpectedState.any,
            events: [decode("StudentErasureRequested", "2026-03-01T12:00:00Z", { studentId: "s-full" })]
          }
        ])
      )
    )
    expect(failure).toMatchObject({ _tag: "StoreUnavailable", outOfSpace: true })
    const other = await Effect.runPromise(
      Effect.flip(
        ErasureGuard.guard(
          InMemoryEventStore.make(),
          await failingRegistry(
            Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), {
              code: "ECONNREFUSED",
              syscall: "connect"
            }),
            "reads"
          )
        ).appendMany([
          {
            stream: Streams.student(school, "s-2"),
            expected: ExpectedState.any,
            events: [visit("s-2", "2026-02-01T12:00:00Z")]
          }
        ])
      )
    )
    expect(other).toMatchObject({ _tag: "StoreUnavailable" })
    expect(other).not.toHaveProperty("outOfSpace", true)
  })
})
