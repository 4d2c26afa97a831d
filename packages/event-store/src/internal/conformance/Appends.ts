/**
 * Conformance cases for writing: expected states, invalid requests, and concurrent
 * appends racing on one expected revision. Internal to `@rapport/event-store/testing`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { contentHash } from "../../ContentHash.js"
import { type AppendRequest, ExpectedState, type StreamId } from "../../EventStore.js"
import { failureOf, type Harness, newEvent, newEvents, request, runCase, type ConformanceOptions } from "./Harness.js"

const revisionsOf = (events: ReadonlyArray<{ readonly revision: number }>) => events.map((e) => e.revision)

const expectWrongRevision = (error: unknown, stream: StreamId, expected: ExpectedState, actual: number | "no-stream") =>
  expect(error).toMatchObject({ _tag: "WrongExpectedRevision", stream, expected, actual })

/**
 * Registers the append cases.
 *
 * @since 0.1.0
 * @category suites
 */
export const appends = (options: ConformanceOptions): void => {
  const test = (name: string, body: (h: Harness) => Effect.Effect<void, unknown>) =>
    it(name, runCase(options, body), options.timeout ?? 60_000)

  describe("appends", () => {
    test("records every field, revisions from 0 and strictly increasing positions", ({ store, stream }) =>
      Effect.gen(function* () {
        const s = stream()
        const events = [newEvent(), newEvent({ source: undefined }), newEvent({ v: 2 })]
        const result = yield* store.append(request(s, ExpectedState.noStream, events))
        expect(result.stream).toEqual(s)
        expect(result.revision).toBe(2)
        expect(result.events.map((e) => [e.id, e.revision, e.duplicate])).toEqual(
          events.map((e, i) => [e.id, i, false])
        )
        const positions = result.events.map((e) => e.position)
        expect(positions[0]).toBeGreaterThan(0)
        for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1] ?? 0)
        for (const p of positions) expect(Number.isSafeInteger(p)).toBe(true)
        const read = yield* store.readStream(s)
        expect(read).toHaveLength(3)
        read.forEach((recorded, i) => {
          const sent = events[i]
          expect(recorded).toMatchObject({ stream: s, revision: i, position: positions[i] })
          expect(recorded.id).toBe(sent?.id)
          expect(recorded.type).toBe(sent?.type)
          expect(recorded.v).toBe(sent?.v)
          expect(recorded.occurredAt).toBe(sent?.occurredAt)
          expect(recorded.source).toBe(sent?.source)
          expect(recorded.data).toEqual(sent?.data)
          expect(recorded.contentHash).toBe(sent === undefined ? "" : contentHash(sent))
          expect(Number.isNaN(Date.parse(recorded.recordedAt))).toBe(false)
        })
        const head = yield* store.headPosition
        expect(head).toBeGreaterThanOrEqual(positions[2] ?? Number.POSITIVE_INFINITY)
      }))

    test("appendMany reports stored, duplicates and the highest position, in request order", ({ store, stream }) =>
      Effect.gen(function* () {
        const [a, b] = [stream(), stream({ kind: "faculty" })]
        const result = yield* store.appendMany([
          request(a, ExpectedState.noStream, newEvents(2)),
          request(b, ExpectedState.any, newEvents(3))
        ])
        expect(result.stored).toBe(5)
        expect(result.duplicates).toBe(0)
        const positions = result.streams.flatMap((s) => s.events.map((e) => e.position))
        for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1] ?? 0)
        expect(result.position).toBe(positions[4])
        expect(result.streams.map((s) => [s.stream, s.revision])).toEqual([
          [a, 1],
          [b, 2]
        ])
      }))
  })

  describe("expected states", () => {
    test("any: appends whether or not the stream exists", ({ store, stream }) =>
      Effect.gen(function* () {
        const s = stream()
        expect((yield* store.append(request(s, ExpectedState.any, newEvents(1)))).revision).toBe(0)
        expect((yield* store.append(request(s, ExpectedState.any, newEvents(2)))).revision).toBe(2)
      }))

    test("no-stream: appends to a missing stream, refuses an existing one", ({ store, stream }) =>
      Effect.gen(function* () {
        const s = stream()
        yield* store.append(request(s, ExpectedState.noStream, newEvents(2)))
        const error = yield* failureOf(
          store.append(request(s, ExpectedState.noStream, newEvents(1))),
          "no-stream on an existing stream"
        )
        expectWrongRevision(error, s, ExpectedState.noStream, 1)
        expect(yield* store.readStream(s)).toHaveLength(2)
      }))

    test("stream-exists: refuses a missing stream with actual no-stream, appends to an existing one", ({
      store,
      stream
    }) =>
      Effect.gen(function* () {
        const s = stream()
        const error = yield* failureOf(
          store.append(request(s, ExpectedState.streamExists, newEvents(1))),
          "stream-exists on a missing stream"
        )
        expectWrongRevision(error, s, ExpectedState.streamExists, "no-stream")
        expect(yield* store.readStream(s)).toHaveLength(0)
        yield* store.append(request(s, ExpectedState.any, newEvents(1)))
        expect((yield* store.append(request(s, ExpectedState.streamExists, newEvents(1)))).revision).toBe(1)
      }))

    test("exact: appends at the last revision, refuses any other with the actual revision", ({ store, stream }) =>
      Effect.gen(function* () {
        const s = stream()
        const missing = yield* failureOf(
          store.append(request(s, ExpectedState.exact(0), newEvents(1))),
          "exact(0) on a missing stream"
        )
        expectWrongRevision(missing, s, ExpectedState.exact(0), "no-stream")
        yield* store.append(request(s, ExpectedState.noStream, newEvents(3)))
        for (const wrong of [0, 1, 3, 7]) {
          const error = yield* failureOf(
            store.append(request(s, ExpectedState.exact(wrong), newEvents(1))),
            `exact(${wrong}) at revision 2`
          )
          expectWrongRevision(error, s, ExpectedState.exact(wrong), 2)
        }
        expect((yield* store.append(request(s, ExpectedState.exact(2), newEvents(2)))).revision).toBe(4)
        expect(yield* store.readStream(s)).toHaveLength(5)
      }))

    test("a request with no events still checks the expected state and stores nothing", ({ store, stream }) =>
      Effect.gen(function* () {
        const s = stream()
        yield* store.append(request(s, ExpectedState.any, newEvents(1)))
        const error = yield* failureOf(
          store.append(request(s, ExpectedState.noStream, [])),
          "an empty no-stream append on an existing stream"
        )
        expectWrongRevision(error, s, ExpectedState.noStream, 0)
        yield* store.append(request(s, ExpectedState.exact(0), []))
        expect(yield* store.readStream(s)).toHaveLength(1)
      }))
  })

  describe("invalid requests", () => {
    test("the same stream twice in one appendMany is InvalidAppend and stores nothing", ({ store, stream }) =>
      Effect.gen(function* () {
        const s = stream()
        const error = yield* failureOf(
          store.appendMany([
            request(s, ExpectedState.any, newEvents(1)),
            request({ ...s }, ExpectedState.any, newEvents(1))
          ]),
          "a request naming one stream twice"
        )
        expect(error).toMatchObject({ _tag: "InvalidAppend" })
        expect(yield* store.readStream(s)).toHaveLength(0)
      }))

    test("an empty or over-long school or id is InvalidAppend", ({ store, school }) =>
      Effect.gen(function* () {
        const bad: Array<StreamId> = [
          { school: "", kind: "student", id: "s-1" },
          { school: school(), kind: "student", id: "" },
          { school: school(), kind: "student", id: "x".repeat(129) },
          { school: school(), kind: "student", id: "nul\u0000inside" },
          { school: "y".repeat(129), kind: "student", id: "s-1" }
        ]
        for (const s of bad) {
          const error = yield* failureOf(
            store.append(request(s, ExpectedState.any, newEvents(1))),
            `appending to ${JSON.stringify(s).slice(0, 60)}`
          )
          expect(error).toMatchObject({ _tag: "InvalidAppend" })
        }
        const longest = { school: school(), kind: "student" as const, id: "z".repeat(128) }
        yield* store.append(request(longest, ExpectedState.any, newEvents(1)))
        expect(yield* store.readStream(longest)).toHaveLength(1)
      }))
  })

  describe("concurrency", () => {
    const race = (h: Harness, stream: StreamId, expected: ExpectedState, before: number | "no-stream") =>
      Effect.gen(function* () {
        const attempts: Array<AppendRequest> = Array.from({ length: 10 }, () => request(stream, expected, newEvents(2)))
        const outcomes = yield* Effect.forEach(
          attempts,
          (attempt, i) => Effect.result((i % 2 === 0 ? h.store : h.other).append(attempt)),
          { concurrency: "unbounded" }
        )
        const winners = outcomes.flatMap((o) => (Result.isSuccess(o) ? [o.success] : []))
        expect(winners).toHaveLength(1)
        const winner = winners[0]
        const expectedRevision = (before === "no-stream" ? -1 : before) + 2
        expect(winner?.revision).toBe(expectedRevision)
        for (const outcome of outcomes) {
          if (Result.isFailure(outcome)) expectWrongRevision(outcome.failure, stream, expected, expectedRevision)
        }
        const stored = yield* h.store.readStream(stream)
        expect(stored.map((e) => e.id).slice(-2)).toEqual(winner?.events.map((e) => e.id))
        expect(stored).toHaveLength(expectedRevision + 1)
      })

    test("10 parallel appends expecting the same revision: exactly one wins, the others get WrongExpectedRevision", (h) =>
      Effect.gen(function* () {
        for (let round = 0; round < (options.raceRepetitions ?? 3); round++) {
          const s = h.stream()
          yield* h.store.append(request(s, ExpectedState.noStream, newEvents(1)))
          yield* race(h, s, ExpectedState.exact(0), 0)
        }
      }))

    test("10 parallel appends expecting no stream: exactly one creates it", (h) =>
      Effect.gen(function* () {
        for (let round = 0; round < (options.raceRepetitions ?? 3); round++) {
          yield* race(h, h.stream(), ExpectedState.noStream, "no-stream")
        }
      }))

    test("a retry racing its original: every copy succeeds with the same positions, stored once", (h) =>
      Effect.gen(function* () {
        for (let round = 0; round < (options.raceRepetitions ?? 3); round++) {
          const [a, b] = [h.stream(), h.stream()]
          const batch = [
            request(a, ExpectedState.noStream, newEvents(3)),
            request(b, ExpectedState.noStream, newEvents(2))
          ]
          const results = yield* Effect.forEach(
            Array.from({ length: 6 }, (_, i) => i),
            (i) => (i % 2 === 0 ? h.store : h.other).appendMany(batch),
            { concurrency: "unbounded" }
          )
          expect(results.reduce((n, r) => n + r.stored, 0)).toBe(5)
          const answers = results.map((r) => r.streams.map((s) => s.events.map((e) => [e.id, e.revision, e.position])))
          for (const answer of answers) expect(answer).toEqual(answers[0])
          expect(yield* h.store.readStream(a)).toHaveLength(3)
          expect(yield* h.store.readStream(b)).toHaveLength(2)
        }
      }))

    test("the same id with different content in parallel: one stores it, the others get EventIdConflict", (h) =>
      Effect.gen(function* () {
        const original = newEvent()
        const outcomes = yield* Effect.forEach(
          Array.from({ length: 6 }, (_, i) => i),
          (i) =>
            Effect.result(
              (i % 2 === 0 ? h.store : h.other).append(
                request(h.stream(), ExpectedState.any, [{ ...original, data: { variant: i } }])
              )
            ),
          { concurrency: "unbounded" }
        )
        const winners = outcomes.filter(Result.isSuccess)
        expect(winners).toHaveLength(1)
        for (const outcome of outcomes) {
          if (Result.isFailure(outcome))
            expect(outcome.failure).toMatchObject({ _tag: "EventIdConflict", eventId: original.id })
        }
      }))

    test("concurrent appendMany over the same streams in opposite orders all succeed", (h) =>
      Effect.gen(function* () {
        const streams = [h.stream(), h.stream(), h.stream()]
        const results = yield* Effect.forEach(
          Array.from({ length: 8 }, (_, i) => i),
          (i) => {
            const order = i % 2 === 0 ? streams : [...streams].reverse()
            return (i % 2 === 0 ? h.store : h.other).appendMany(
              order.map((s) => request(s, ExpectedState.any, newEvents(2)))
            )
          },
          { concurrency: "unbounded" }
        )
        expect(results.every((r) => r.stored === 6)).toBe(true)
        for (const s of streams)
          expect(revisionsOf(yield* h.store.readStream(s))).toEqual(Array.from({ length: 16 }, (_, i) => i))
      }))
  })
}
