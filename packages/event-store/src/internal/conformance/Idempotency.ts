/**
 * Conformance cases for deduplication by `(school, event id)` on the content hash, and
 * for the atomicity of `appendMany`. Internal to `@rapport/event-store/testing`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { contentHash } from "../../ContentHash.js"
import { ExpectedState } from "../../EventStore.js"
import {
  type ConformanceOptions,
  failureOf,
  type Harness,
  newEvent,
  newEvents,
  readAllToEnd,
  request,
  runCase
} from "./Harness.js"

/**
 * Registers the idempotency and atomicity cases.
 *
 * @since 0.1.0
 * @category suites
 */
export const idempotency = (options: ConformanceOptions): void => {
  const test = (name: string, body: (h: Harness) => Effect.Effect<void, unknown>) =>
    it(name, runCase(options, body), options.timeout ?? 60_000)

  describe("idempotency", () => {
    test("a batch re-sent after a timeout is stored once and answers the original revisions and positions", ({
      store,
      other,
      stream
    }) =>
      Effect.gen(function* () {
        const [a, b] = [stream(), stream()]
        const batch = [
          request(a, ExpectedState.noStream, newEvents(3)),
          request(b, ExpectedState.noStream, newEvents(2))
        ]
        const first = yield* store.appendMany(batch)
        const head = yield* store.headPosition
        // The client never saw `first` (a timeout) and retries, maybe through another connection.
        const retry = yield* other.appendMany(batch)
        expect(retry.stored).toBe(0)
        expect(retry.duplicates).toBe(5)
        expect(retry.position).toBe(first.position)
        expect(retry.streams.map((s) => s.events.map((e) => [e.id, e.revision, e.position]))).toEqual(
          first.streams.map((s) => s.events.map((e) => [e.id, e.revision, e.position]))
        )
        expect(retry.streams.every((s) => s.events.every((e) => e.duplicate))).toBe(true)
        expect(yield* store.readStream(a)).toHaveLength(3)
        expect(yield* store.readStream(b)).toHaveLength(2)
        expect(yield* store.headPosition).toBe(head)
        const single = yield* store.append(batch[0] ?? request(a, ExpectedState.any, []))
        expect(single.revision).toBe(2)
      }))

    test("an exact repeat inside one batch counts once", ({ store, stream }) =>
      Effect.gen(function* () {
        const s = stream()
        const [e1, e2] = newEvents(2)
        if (e1 === undefined || e2 === undefined) return
        const result = yield* store.appendMany([request(s, ExpectedState.noStream, [e1, e2, { ...e1 }])])
        expect(result.stored).toBe(2)
        expect(result.duplicates).toBe(1)
        const [first, , repeat] = result.streams[0]?.events ?? []
        expect(repeat).toEqual({ id: e1.id, revision: first?.revision, position: first?.position, duplicate: true })
        expect((yield* store.readStream(s)).map((e) => e.id)).toEqual([e1.id, e2.id])
      }))

    test("a conflicting repeat inside one batch is EventIdConflict and stores nothing", ({ store, stream, school }) =>
      Effect.gen(function* () {
        const [a, b] = [stream(), stream()]
        const e1 = newEvent()
        const changed = { ...e1, data: { ...Object(e1.data), durationMinutes: 21 } }
        const error = yield* failureOf(
          store.appendMany([request(a, ExpectedState.any, [e1, newEvent()]), request(b, ExpectedState.any, [changed])]),
          "a batch repeating an id with other content"
        )
        expect(error).toMatchObject({
          _tag: "EventIdConflict",
          school: school(),
          eventId: e1.id,
          storedHash: contentHash(e1),
          attemptedHash: contentHash(changed)
        })
        expect(yield* store.readStream(a)).toHaveLength(0)
        expect(yield* store.readStream(b)).toHaveLength(0)
      }))

    test("the same id with other content across requests is EventIdConflict, in any stream", ({
      store,
      other,
      stream,
      school
    }) =>
      Effect.gen(function* () {
        const [a, b] = [stream(), stream()]
        const e1 = newEvent()
        yield* store.append(request(a, ExpectedState.any, [e1]))
        for (const changed of [
          { ...e1, type: "MentorshipMeetingHeld" },
          { ...e1, v: 2 },
          { ...e1, occurredAt: "2020-01-01T00:00:00.000Z" }
        ]) {
          for (const target of [a, b]) {
            const error = yield* failureOf(
              other.append(request(target, ExpectedState.any, [newEvent(), changed])),
              "a conflicting id"
            )
            expect(error).toMatchObject({
              _tag: "EventIdConflict",
              school: school(),
              eventId: e1.id,
              storedHash: contentHash(e1),
              attemptedHash: contentHash(changed)
            })
          }
        }
        expect(yield* store.readStream(a)).toHaveLength(1)
        expect(yield* store.readStream(b)).toHaveLength(0)
      }))

    test("the same content with another source or an equivalent occurredAt offset is a duplicate", ({
      store,
      stream
    }) =>
      Effect.gen(function* () {
        const s = stream()
        const e1 = newEvent({ occurredAt: "2026-10-01T15:30:00.000Z", source: "scheduler" })
        const stored = yield* store.append(request(s, ExpectedState.noStream, [e1]))
        for (const same of [
          { ...e1, source: "another-system" },
          { ...e1, source: undefined },
          { ...e1, occurredAt: "2026-10-01T17:30:00+02:00" },
          { ...e1, occurredAt: "2026-10-01T15:30:00Z" }
        ]) {
          const result = yield* store.append(request(stream(), ExpectedState.any, [same]))
          expect(result.events).toEqual([
            { id: e1.id, revision: 0, position: stored.events[0]?.position, duplicate: true }
          ])
        }
        const read = yield* store.readStream(s)
        expect(read.map((e) => [e.id, e.source, e.occurredAt])).toEqual([[e1.id, "scheduler", e1.occurredAt]])
      }))

    test("duplicates mixed with new events: only the new ones are stored", ({ store, stream }) =>
      Effect.gen(function* () {
        const s = stream()
        const [e1, e2, e3] = newEvents(3)
        if (e1 === undefined || e2 === undefined || e3 === undefined) return
        const first = yield* store.append(request(s, ExpectedState.noStream, [e1, e2]))
        const second = yield* store.appendMany([request(s, ExpectedState.exact(1), [e2, e3])])
        expect([second.stored, second.duplicates]).toEqual([1, 1])
        expect(second.streams[0]?.events.map((e) => [e.revision, e.duplicate])).toEqual([
          [1, true],
          [2, false]
        ])
        expect(second.streams[0]?.events[0]?.position).toBe(first.events[1]?.position)
        expect((yield* store.readStream(s)).map((e) => e.id)).toEqual([e1.id, e2.id, e3.id])
      }))

    test("the same id in two schools is two events", ({ store, stream, school }) =>
      Effect.gen(function* () {
        const e1 = newEvent()
        const a = stream({ school: school("x") })
        const b = stream({ school: school("y"), id: a.id })
        const first = yield* store.append(request(a, ExpectedState.noStream, [e1]))
        const second = yield* store.append(request(b, ExpectedState.noStream, [{ ...e1, data: { other: true } }]))
        expect(first.events[0]?.duplicate).toBe(false)
        expect(second.events[0]?.duplicate).toBe(false)
        expect(second.events[0]?.position).toBeGreaterThan(first.events[0]?.position ?? 0)
        expect((yield* store.readStream(a)).map((e) => e.data)).toEqual([e1.data])
        expect((yield* store.readStream(b)).map((e) => e.data)).toEqual([{ other: true }])
      }))
  })

  describe("atomicity", () => {
    // Capabilities are known only once a store is made, so a non-atomic adapter skips at run time, saying why.
    const atomic = (name: string, body: (h: Harness) => Effect.Effect<void, unknown>) =>
      it(
        name,
        (context) =>
          runCase(options, (h) =>
            h.store.capabilities.atomicMultiStreamAppend
              ? body(h)
              : Effect.sync(() => {
                  const reason = "the adapter declares atomicMultiStreamAppend: false"
                  console.info(`skipped "${name}": ${reason}`)
                  context.skip(reason)
                })
          )(),
        options.timeout ?? 60_000
      )

    atomic("a wrong expected state in one stream stores nothing in any stream", ({ store, other, stream, school }) =>
      Effect.gen(function* () {
        const [a, b, c] = [stream(), stream(), stream()]
        yield* store.append(request(b, ExpectedState.any, newEvents(1)))
        const head = yield* store.headPosition
        const error = yield* failureOf(
          store.appendMany([
            request(a, ExpectedState.noStream, newEvents(2)),
            request(b, ExpectedState.exact(5), newEvents(2)),
            request(c, ExpectedState.any, newEvents(2))
          ]),
          "an appendMany with one wrong expected state"
        )
        expectWrong(error, b)
        for (const s of [a, c]) expect(yield* other.readStream(s)).toHaveLength(0)
        expect(yield* other.readStream(b)).toHaveLength(1)
        expect(yield* other.headPosition).toBe(head)
        expect((yield* readAllToEnd(other, { after: head, filter: { school: school() } })).events).toHaveLength(0)
      })
    )

    atomic("a conflict in the last stream stores nothing in any stream", ({ store, other, stream }) =>
      Effect.gen(function* () {
        const [a, b] = [stream(), stream()]
        const e1 = newEvent()
        yield* store.append(request(b, ExpectedState.any, [e1]))
        const head = yield* store.headPosition
        const error = yield* failureOf(
          store.appendMany([
            request(a, ExpectedState.any, newEvents(3)),
            request(b, ExpectedState.any, [newEvent(), { ...e1, v: 9 }])
          ]),
          "an appendMany whose last event conflicts"
        )
        expect(error).toMatchObject({ _tag: "EventIdConflict", eventId: e1.id })
        expect(yield* other.readStream(a)).toHaveLength(0)
        expect(yield* other.readStream(b)).toHaveLength(1)
        expect(yield* other.headPosition).toBe(head)
      })
    )

    test("after a failed appendMany (partial or not), the corrected retry stores every event exactly once", ({
      store,
      stream
    }) =>
      Effect.gen(function* () {
        const [a, b] = [stream(), stream()]
        yield* store.append(request(b, ExpectedState.any, newEvents(1)))
        const eventsA = newEvents(2)
        const eventsB = newEvents(2)
        const error = yield* failureOf(
          store.appendMany([request(a, ExpectedState.any, eventsA), request(b, ExpectedState.exact(5), eventsB)]),
          "an appendMany with one wrong expected state"
        )
        expectWrong(error, b)
        const partial = yield* store.readStream(a)
        if (store.capabilities.atomicMultiStreamAppend) expect(partial).toHaveLength(0)
        else
          console.info(
            `non-atomic appendMany: a failure left ${partial.length} of 2 events in the stream before the failing one`
          )
        yield* store.appendMany([request(a, ExpectedState.any, eventsA), request(b, ExpectedState.exact(0), eventsB)])
        expect((yield* store.readStream(a)).map((e) => e.id)).toEqual(eventsA.map((e) => e.id))
        expect((yield* store.readStream(b)).map((e) => e.id).slice(1)).toEqual(eventsB.map((e) => e.id))
      }))
  })
}

const expectWrong = (error: unknown, stream: unknown) =>
  expect(error).toMatchObject({ _tag: "WrongExpectedRevision", stream, expected: ExpectedState.exact(5), actual: 0 })
