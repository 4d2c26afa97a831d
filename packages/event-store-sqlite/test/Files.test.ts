import { readFileSync, statSync, writeFileSync } from "node:fs"
import { DatabaseSync } from "node:sqlite"
import { EventStore, ExpectedState } from "@rapport/event-store"
import { failureOf, newEvent, newEvents, readAllToEnd, request } from "@rapport/event-store/testing"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { SqliteEventStore } from "../src/index.js"
import { scratch, withStore } from "./fixtures/Scratch.js"

const files = scratch("files")

const bytesOf = (path: string): Buffer => {
  try {
    return readFileSync(path)
  } catch {
    return Buffer.alloc(0)
  }
}

describe.each(["thread", "inline"] as const)("the store's file (%s writer)", (writer) => {
  it("reopened, reads back every event and continues the log after the head", async () => {
    const path = files.file()
    const first = { school: "sch", kind: "student" as const, id: "s-0" }
    const streams = [first, ...Array.from({ length: 19 }, (_, n) => ({ ...first, id: `s-${n + 1}` }))]
    const written = await withStore({ path, writer }, (store) =>
      Effect.gen(function* () {
        for (const stream of streams) yield* store.append(request(stream, ExpectedState.noStream, newEvents(5)))
        return yield* readAllToEnd(store, {})
      })
    )
    expect(written.events).toHaveLength(100)
    const reread = await withStore({ path, writer }, (store) =>
      Effect.gen(function* () {
        const all = yield* readAllToEnd(store, {})
        const next = yield* store.append(request(first, ExpectedState.exact(4), [newEvent()]))
        return { all, next, head: yield* store.headPosition }
      })
    )
    expect(reread.all.events).toEqual(written.events)
    expect(reread.next.events[0]?.revision).toBe(5)
    expect(reread.next.events[0]?.position).toBe(written.lastPosition + 1)
    expect(reread.head).toBe(written.lastPosition + 1)
    const db = new DatabaseSync(path, { readOnly: true })
    const versions = db.prepare("SELECT version FROM schema_version").all()
    db.close()
    expect(versions).toEqual([{ version: 1 }])
  })

  it("after deleteStream, no byte of the erased stream is left in the db file or the WAL", async () => {
    const path = files.file()
    const erased = { school: "sch", kind: "student" as const, id: "ERASEME-student-7f3a" }
    const kept = { school: "sch", kind: "student" as const, id: "KEEPME-student-9c1d" }
    const payload = (marker: string) => ({ note: `${marker}-${"x".repeat(3000)}`, studentId: marker })
    await withStore({ path, writer }, (store) =>
      Effect.gen(function* () {
        for (let n = 0; n < 30; n++) {
          yield* store.appendMany([
            request(erased, ExpectedState.any, [newEvent({ source: "ERASEME-src", data: payload("ERASEME-data") })]),
            request(kept, ExpectedState.any, [newEvent({ data: payload("KEEPME-data") })])
          ])
        }
        const before = Buffer.concat([bytesOf(path), bytesOf(`${path}-wal`)])
        expect(before.includes("ERASEME-data")).toBe(true)
        yield* store.deleteStream(erased)
        // While the store is still open: the WAL was checkpointed and truncated.
        const live = Buffer.concat([bytesOf(path), bytesOf(`${path}-wal`)])
        expect(live.includes("ERASEME")).toBe(false)
        expect(live.includes("KEEPME-data")).toBe(true)
        expect(bytesOf(`${path}-wal`).length).toBe(0)
        expect(yield* store.readStream(erased)).toEqual([])
        expect(yield* store.readStream(kept)).toHaveLength(30)
      })
    )
    const closed = Buffer.concat([bytesOf(path), bytesOf(`${path}-wal`), bytesOf(`${path}-shm`)])
    expect(closed.includes("ERASEME")).toBe(false)
    expect(closed.includes("KEEPME-data")).toBe(true)
  })

  it("after deleteEvents, no byte of the deleted events is left in the db file or the WAL", async () => {
    const path = files.file()
    const stream = { school: "sch", kind: "student" as const, id: "s-retained" }
    const payload = (marker: string) => ({ note: `${marker}-${"x".repeat(3000)}` })
    await withStore({ path, writer }, (store) =>
      Effect.gen(function* () {
        const positions: Array<number> = []
        for (let n = 0; n < 30; n++) {
          const appended = yield* store.append(
            request(stream, ExpectedState.any, [
              newEvent({ source: "EXPIRED-src", data: payload("EXPIRED-data") }),
              newEvent({ data: payload("RETAINED-data") })
            ])
          )
          positions.push(appended.events[0]?.position ?? 0)
        }
        const deleteEvents = store.deleteEvents
        if (deleteEvents === undefined) throw new Error("the SQLite store deletes single events")
        expect(yield* deleteEvents("sch", positions)).toBe(30)
        const live = Buffer.concat([bytesOf(path), bytesOf(`${path}-wal`)])
        expect(live.includes("EXPIRED")).toBe(false)
        expect(live.includes("RETAINED-data")).toBe(true)
        expect(bytesOf(`${path}-wal`).length).toBe(0)
        expect(yield* store.readStream(stream)).toHaveLength(30)
      })
    )
    const closed = Buffer.concat([bytesOf(path), bytesOf(`${path}-wal`), bytesOf(`${path}-shm`)])
    expect(closed.includes("EXPIRED")).toBe(false)
  })

  it("a file that cannot be opened is StoreUnavailable", async () => {
    const missingDir = await Effect.runPromise(
      failureOf(SqliteEventStore.make({ path: `${files.dir}/no/such/dir/x.db`, writer }), "opening in a missing dir")
    )
    expect(missingDir._tag).toBe("StoreUnavailable")
    const garbage = files.file("garbage")
    writeFileSync(garbage, Buffer.alloc(8192, 7))
    const notADatabase = await Effect.runPromise(failureOf(SqliteEventStore.make({ path: garbage, writer }), "garbage"))
    expect(notADatabase._tag).toBe("StoreUnavailable")
    expect(notADatabase.reason).toMatch(/not a database/)
    expect(statSync(garbage).size).toBe(8192)
  })

  it("invalid options are refused before any file is touched", async () => {
    const memory = await Effect.runPromise(failureOf(SqliteEventStore.make({ path: ":memory:", writer }), ":memory:"))
    expect(memory.reason).toMatch(/InMemoryEventStore/)
    const path = files.file("options")
    const negative = await Effect.runPromise(
      failureOf(SqliteEventStore.make({ path, writer, busyTimeoutMillis: -1, maxPageCount: 0.5 }), "bad numbers")
    )
    expect(negative.reason).toMatch(/busyTimeoutMillis/)
    expect(negative.reason).toMatch(/maxPageCount/)
    expect(bytesOf(path).length).toBe(0)
  })

  it("a file written by a newer schema is refused, not touched", async () => {
    const path = files.file("newer")
    await withStore({ path, writer }, () => Effect.void)
    const db = new DatabaseSync(path)
    db.exec("INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'future', 'later')")
    db.close()
    const refused = await Effect.runPromise(failureOf(SqliteEventStore.make({ path, writer }), "a newer schema"))
    expect(refused._tag).toBe("StoreUnavailable")
    expect(refused.reason).toMatch(/version 99/)
  })

  it("a lock held beyond the busy timeout is StoreUnavailable; the retry succeeds once it is released", async () => {
    const path = files.file("locked")
    const stream = { school: "sch", kind: "faculty" as const, id: "f-1" }
    const events = [newEvent()]
    await withStore({ path, writer, busyTimeoutMillis: 100 }, (store) =>
      Effect.gen(function* () {
        const other = new DatabaseSync(path)
        other.exec("BEGIN IMMEDIATE")
        const failure = yield* failureOf(store.append(request(stream, ExpectedState.any, events)), "a locked append")
        other.exec("ROLLBACK")
        other.close()
        expect(failure._tag).toBe("StoreUnavailable")
        expect(yield* store.readStream(stream)).toEqual([])
        const retried = yield* store.append(request(stream, ExpectedState.any, events))
        expect(retried.events.map((event) => event.duplicate)).toEqual([false])
      })
    )
  })

  it("as a layer, provides the EventStore service and closes the file with its scope", async () => {
    const path = files.file("layer")
    const stream = { school: "sch", kind: "directory" as const, id: "d-1" }
    const program = Effect.gen(function* () {
      const store = yield* EventStore
      yield* store.append(request(stream, ExpectedState.noStream, newEvents(2)))
      return yield* store.headPosition
    })
    const head = await Effect.runPromise(Effect.provide(program, SqliteEventStore.layer({ path, writer })))
    expect(head).toBe(2)
    const reread = await withStore({ path, writer }, (store) => store.readStream(stream))
    expect(reread.map((event) => event.revision)).toEqual([0, 1])
  })

  it("every operation after close is StoreUnavailable", async () => {
    const store = await Effect.runPromise(SqliteEventStore.make({ path: files.file("closed"), writer }))
    await Effect.runPromise(store.close)
    await Effect.runPromise(store.close)
    const stream = { school: "sch", kind: "student" as const, id: "s" }
    const append = await Effect.runPromise(
      failureOf(store.append(request(stream, ExpectedState.any, [newEvent()])), "append")
    )
    const read = await Effect.runPromise(failureOf(store.readAll({ after: 0 }), "readAll"))
    expect([append._tag, read._tag]).toEqual(["StoreUnavailable", "StoreUnavailable"])
  })
})
