/**
 * Conformance cases for isolation between schools and streams whose names are
 * prefixes of each other or contain separators, and for physical deletion (erasure).
 * Internal to `@rapport/event-store/testing`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { ExpectedState, type StreamId, type StreamKind } from "../../EventStore.js"
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
import { collect, patience } from "./Subscriptions.js"

const schoolSuffixes = ["a", "ab", "a:b", "a/b", "a|b", "a/", "a%2Fb", "a$"]
const streamIds = ["s-1", "s-10", "s-1:x", "s-1/x", "s|1", "s-1%2F", "$s-1"]
const kinds: ReadonlyArray<StreamKind> = ["student", "faculty"]

/**
 * Registers the isolation and deletion cases.
 *
 * @since 0.1.0
 * @category suites
 */
export const isolation = (options: ConformanceOptions): void => {
  const test = (name: string, body: (h: Harness) => Effect.Effect<void, unknown>) =>
    it(name, runCase(options, body), options.timeout ?? 60_000)

  describe("isolation", () => {
    test("schools and ids that are prefixes of each other or hold separators never mix", ({ store, school }) =>
      Effect.gen(function* () {
        const start = yield* store.headPosition
        const streams: Array<StreamId> = schoolSuffixes.flatMap((suffix) =>
          kinds.flatMap((kind) => streamIds.map((id) => ({ school: school(suffix), kind, id })))
        )
        yield* store.appendMany(
          streams.map((s) => request(s, ExpectedState.noStream, [newEvent({ data: { marker: s } })]))
        )
        for (const s of streams) {
          const read = yield* store.readStream(s)
          expect(read.map((e) => [e.stream, e.data])).toEqual([[s, { marker: s }]])
        }
        for (const suffix of schoolSuffixes) {
          const own = yield* readAllToEnd(store, { after: start, filter: { school: school(suffix) } })
          expect(own.events.map((e) => e.data)).toEqual(
            streams.filter((s) => s.school === school(suffix)).map((s) => ({ marker: s }))
          )
        }
        const sub = yield* collect(
          store,
          { after: start, filter: { school: school("a") } },
          kinds.length * streamIds.length + 1,
          1,
          patience(options)
        )
        const sentinel = newEvent({ data: { sentinel: true } })
        yield* store.append(
          request({ school: school("a"), kind: "directory", id: "end" }, ExpectedState.any, [sentinel])
        )
        const received = yield* sub.join
        expect(received.every((e) => e.stream.school === school("a"))).toBe(true)
        expect(received[received.length - 1]?.id).toBe(sentinel.id)
      }))
  })

  describe("deletion", () => {
    test("nothing of a deleted stream can be read back; other streams are untouched", ({
      store,
      other,
      stream,
      school
    }) =>
      Effect.gen(function* () {
        const start = yield* store.headPosition
        const [a, b] = [stream(), stream()]
        const twin = { ...a, school: school("b") }
        yield* store.appendMany([
          request(a, ExpectedState.noStream, newEvents(3)),
          request(b, ExpectedState.noStream, newEvents(2)),
          request(twin, ExpectedState.noStream, newEvents(1))
        ])
        const bBefore = yield* store.readStream(b)
        yield* store.deleteStream(a)
        expect(yield* other.readStream(a)).toEqual([])
        expect(yield* other.readStream(a, { direction: "backwards" })).toEqual([])
        expect(yield* other.readStream(b)).toEqual(bBefore)
        expect(yield* other.readStream(twin)).toHaveLength(1)
        const all = yield* readAllToEnd(other, { after: start, filter: { school: school() } })
        expect(all.events.map((e) => e.id)).toEqual(bBefore.map((e) => e.id))
        const sentinel = newEvent()
        const sub = yield* collect(other, { after: start, filter: { school: school() } }, 3, 1, patience(options))
        yield* store.append(request(b, ExpectedState.exact(1), [sentinel]))
        const received = yield* sub.join
        expect(received.map((e) => e.id)).toEqual([...bBefore.map((e) => e.id), sentinel.id])
      }))

    test("a deleted stream's event ids are forgotten, and the stream can be recreated if the adapter says so", ({
      store,
      stream
    }) =>
      Effect.gen(function* () {
        const [a, c] = [stream(), stream()]
        const events = newEvents(2)
        yield* store.append(request(a, ExpectedState.noStream, events))
        yield* store.deleteStream(a)
        const again = yield* store.append(request(c, ExpectedState.noStream, events))
        expect(again.events.map((e) => e.duplicate)).toEqual([false, false])
        expect((yield* store.readStream(c)).map((e) => e.id)).toEqual(events.map((e) => e.id))
        const fresh = newEvent()
        if (store.capabilities.recreateDeletedStream) {
          yield* store.append(request(a, ExpectedState.noStream, [fresh]))
          expect((yield* store.readStream(a)).map((e) => e.id)).toEqual([fresh.id])
        } else {
          const error = yield* failureOf(
            store.append(request(a, ExpectedState.any, [fresh])),
            "appending to a hard-deleted stream"
          )
          expect(error).toMatchObject({ _tag: "StreamDeleted", stream: a })
        }
      }))

    test("deleting a missing stream, or a stream twice, succeeds", ({ store, stream }) =>
      Effect.gen(function* () {
        const s = stream()
        yield* store.deleteStream(s)
        yield* store.append(request(s, ExpectedState.noStream, newEvents(1)))
        yield* store.deleteStream(s)
        yield* store.deleteStream(s)
        expect(yield* store.readStream(s)).toEqual([])
      }))
  })
}
