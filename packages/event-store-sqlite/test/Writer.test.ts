import { type AppendRequest, ExpectedState, type StreamId } from "@rapport/event-store"
import { failureOf, newEvent, newEvents, readAllToEnd, request } from "@rapport/event-store/testing"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { SqliteEventStore } from "../src/index.js"
import { scratch, withStore } from "./fixtures/Scratch.js"

const files = scratch("writer")
const student = (id: string): StreamId => ({ school: "sch", kind: "student", id })

describe.each(["thread", "inline"] as const)("the writer (%s)", (writer) => {
  it("commits concurrent requests together, each all-or-nothing: a failing one takes no other down", async () => {
    await withStore({ path: files.file(), writer }, (store) =>
      Effect.gen(function* () {
        const taken = newEvent()
        yield* store.append(request(student("existing"), ExpectedState.any, [taken]))
        const good = Array.from({ length: 12 }, (_, n) =>
          request(student(`good-${n}`), ExpectedState.noStream, newEvents(3))
        )
        const wrongRevision = request(student("existing"), ExpectedState.noStream, newEvents(2))
        const conflict = request(student("conflict"), ExpectedState.any, [
          newEvent(),
          { ...taken, data: { other: true } }
        ])
        const attempts: Array<AppendRequest> = [...good.slice(0, 6), wrongRevision, conflict, ...good.slice(6)]
        const outcomes = yield* Effect.all(
          attempts.map((attempt) => Effect.result(store.append(attempt))),
          { concurrency: "unbounded" }
        )
        const tags = outcomes.map((outcome) => (outcome._tag === "Success" ? "ok" : outcome.failure._tag))
        expect(tags).toEqual([
          ...Array(6).fill("ok"),
          "WrongExpectedRevision",
          "EventIdConflict",
          ...Array(6).fill("ok")
        ])
        const log = yield* readAllToEnd(store, {})
        expect(log.events).toHaveLength(1 + 12 * 3)
        expect(yield* store.readStream(student("conflict"))).toEqual([])
        expect(yield* store.readStream(student("existing"))).toHaveLength(1)
        // No gaps: a request rolled back to its savepoint gives its positions back.
        expect(log.events.map((event) => event.position)).toEqual(log.events.map((_, n) => n + 1))
        expect(yield* store.headPosition).toBe(37)
      })
    )
  })

  it("a full disk (max_page_count) fails the batch with StoreUnavailable and leaves none of it", async () => {
    await withStore({ path: files.file("full"), writer, maxPageCount: 64 }, (store) =>
      Effect.gen(function* () {
        yield* store.append(request(student("before"), ExpectedState.any, newEvents(5)))
        const head = yield* store.headPosition
        const bulky = (n: number) => newEvents(n, { data: { note: "y".repeat(3000) } })
        const tooBig = request(student("too-big"), ExpectedState.any, bulky(200))
        const failure = yield* failureOf(store.append(tooBig), "an append past max_page_count")
        expect(failure._tag).toBe("StoreUnavailable")
        expect(failure._tag === "StoreUnavailable" ? failure.reason : "").toMatch(/full/)
        expect(failure._tag === "StoreUnavailable" ? failure.outOfSpace : undefined).toBe(true)
        expect(yield* store.readStream(student("too-big"))).toEqual([])
        expect(yield* store.headPosition).toBe(head)
        // The same, with small requests committed in the same group as the failing one.
        const together = yield* Effect.all(
          [
            Effect.result(store.append(request(student("small-1"), ExpectedState.any, newEvents(2)))),
            Effect.result(store.append(request(student("too-big-2"), ExpectedState.any, bulky(200)))),
            Effect.result(store.append(request(student("small-2"), ExpectedState.any, newEvents(2))))
          ],
          { concurrency: "unbounded" }
        )
        expect(together.map((outcome) => outcome._tag)).toEqual(["Success", "Failure", "Success"])
        expect(yield* store.readStream(student("too-big-2"))).toEqual([])
        const log = yield* readAllToEnd(store, {})
        expect(log.events.map((event) => event.stream.id).sort()).toEqual(
          [...Array(5).fill("before"), "small-1", "small-1", "small-2", "small-2"].sort()
        )
        expect(log.events.map((event) => event.position)).toEqual(log.events.map((_, n) => n + 1))
      })
    )
  })
})

describe("two store instances on one file", () => {
  it.each([
    ["thread", "thread"],
    ["thread", "inline"]
  ] as const)("appending at once (%s + %s) keep positions strictly increasing and lose nothing", async (a, b) => {
    const path = files.file("shared")
    const workers = 6
    const batches = 8
    const streams = Array.from({ length: 40 }, (_, n) => student(`shared-${n}`))
    const load = (label: string) => (store: SqliteEventStore.SqliteEventStore) =>
      Effect.all(
        Array.from({ length: workers }, (_, w) =>
          Effect.forEach(Array.from({ length: batches }), (_, k) => {
            const start = (w * batches + k) % streams.length
            const picked = [0, 1, 2, 3].map((i) => streams[(start + i * 7) % streams.length] ?? student("none"))
            return store.appendMany(
              picked.map((stream) => request(stream, ExpectedState.any, newEvents(5, { source: label })))
            )
          })
        ),
        { concurrency: "unbounded" }
      )
    const results = await withStore({ path, writer: a }, (first) =>
      Effect.flatMap(SqliteEventStore.scoped({ path, writer: b }), (second) =>
        Effect.all([load("first")(first), load("second")(second)], { concurrency: "unbounded" })
      ).pipe(Effect.scoped)
    )
    const sent = results.flat(2).flatMap((result) => result.streams.flatMap((s) => s.events))
    expect(sent).toHaveLength(2 * workers * batches * 4 * 5)
    expect(sent.every((event) => !event.duplicate)).toBe(true)
    await withStore({ path, writer: "inline" }, (store) =>
      Effect.gen(function* () {
        const log = yield* readAllToEnd(store, {})
        expect(log.events).toHaveLength(sent.length)
        expect(new Set(log.events.map((event) => event.id))).toEqual(new Set(sent.map((event) => event.id)))
        expect(log.events.map((event) => event.position)).toEqual(log.events.map((_, n) => n + 1))
        for (const stream of streams) {
          const revisions = (yield* store.readStream(stream)).map((event) => event.revision)
          expect(revisions).toEqual(revisions.map((_, n) => n))
        }
      })
    )
  })
})
