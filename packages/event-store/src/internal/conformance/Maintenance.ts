/**
 * Conformance cases for the port's maintenance capabilities: deleting single events
 * (retention, `deleteEvents`) and listing streams (`listStreams`). An adapter without
 * them must say so: `deleteEvents` absent exactly when `capabilities.deleteEvents` is
 * not true. Internal to `@rapport/event-store/testing`.
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { ExpectedState, type EventStoreShape, type StreamId } from "../../EventStore.js"
import {
  type ConformanceOptions,
  type Harness,
  newEvent,
  newEvents,
  readAllToEnd,
  request,
  runCase
} from "./Harness.js"

const key = (stream: StreamId) => `${stream.school}\u0000${stream.kind}\u0000${stream.id}`

const deleter = (store: EventStoreShape) => {
  const { deleteEvents } = store
  if (deleteEvents === undefined) throw new Error("capabilities.deleteEvents is true but deleteEvents is missing")
  return deleteEvents
}

/**
 * Registers the maintenance cases.
 *
 * @since 0.2.0
 * @category suites
 */
export const maintenance = (options: ConformanceOptions): void => {
  const test = (name: string, body: (h: Harness) => Effect.Effect<void, unknown>) =>
    it(name, runCase(options, body), options.timeout ?? 60_000)

  describe("deleting single events", () => {
    test("the capability and the operation go together", ({ store }) =>
      Effect.sync(() => {
        expect(store.deleteEvents !== undefined).toBe(store.capabilities.deleteEvents === true)
      }))

    test("deletes exactly the given events of the school; the rest keep their revisions and positions", ({
      store,
      other,
      stream,
      school
    }) =>
      Effect.gen(function* () {
        if (store.capabilities.deleteEvents !== true) return
        const start = yield* store.headPosition
        const [a, b] = [stream(), stream()]
        const twin = { ...a, school: school("b") }
        const appended = yield* store.appendMany([
          request(a, ExpectedState.noStream, newEvents(4)),
          request(b, ExpectedState.noStream, newEvents(2)),
          request(twin, ExpectedState.noStream, newEvents(1))
        ])
        const [inA, inB, inTwin] = appended.streams.map((s) => s.events)
        const doomed = [inA?.[1], inA?.[3], inB?.[0]].flatMap((e) => (e === undefined ? [] : [e.position]))
        // the twin's position is given too, under the wrong school: it must be ignored
        const foreign = inTwin?.[0]?.position ?? 0
        const deleted = yield* deleter(store)(school(), [...doomed, foreign, foreign + 1_000_000])
        expect(deleted).toBe(3)
        const keptA = yield* other.readStream(a)
        expect(keptA.map((e) => [e.id, e.revision, e.position])).toEqual([
          [inA?.[0]?.id, 0, inA?.[0]?.position],
          [inA?.[2]?.id, 2, inA?.[2]?.position]
        ])
        expect((yield* other.readStream(a, { direction: "backwards" })).map((e) => e.revision)).toEqual([2, 0])
        expect((yield* other.readStream(b)).map((e) => e.id)).toEqual([inB?.[1]?.id])
        expect(yield* other.readStream(twin)).toHaveLength(1)
        const all = yield* readAllToEnd(other, { after: start, filter: { school: school() } })
        expect(all.events.some((e) => doomed.includes(e.position))).toBe(false)
        expect(all.events).toHaveLength(3)
        if (other.readPositions !== undefined) {
          const read = yield* other.readPositions(school(), [...doomed, ...(keptA[0] ? [keptA[0].position] : [])])
          expect(read.map((e) => e.id)).toEqual([keptA[0]?.id])
        }
        expect(yield* store.headPosition).toBeGreaterThanOrEqual(Math.max(...doomed))
      }))

    test("ids of deleted events are forgotten; a stream left empty no longer exists; positions never go back", ({
      store,
      stream,
      school
    }) =>
      Effect.gen(function* () {
        if (store.capabilities.deleteEvents !== true) return
        const [a, c] = [stream(), stream()]
        const events = newEvents(2)
        const first = yield* store.append(request(a, ExpectedState.noStream, events))
        const head = yield* store.headPosition
        expect(
          yield* deleter(store)(
            school(),
            first.events.map((e) => e.position)
          )
        ).toBe(2)
        expect(yield* store.readStream(a)).toEqual([])
        // the same ids, with other content, are not conflicts any more
        const again = yield* store.append(
          request(
            c,
            ExpectedState.noStream,
            events.map((e) => ({ ...e, data: { other: true } }))
          )
        )
        expect(again.events.map((e) => e.duplicate)).toEqual([false, false])
        expect(Math.min(...again.events.map((e) => e.position))).toBeGreaterThan(head)
        const fresh = newEvent()
        yield* store.append(request(a, ExpectedState.noStream, [fresh]))
        expect((yield* store.readStream(a)).map((e) => e.id)).toEqual([fresh.id])
        expect(yield* deleter(store)(school(), [])).toBe(0)
      }))

    test("a stream that keeps events goes on from its last revision", ({ store, stream, school }) =>
      Effect.gen(function* () {
        if (store.capabilities.deleteEvents !== true) return
        const a = stream()
        const first = yield* store.append(request(a, ExpectedState.noStream, newEvents(3)))
        const middle = first.events[1]?.position ?? 0
        expect(yield* deleter(store)(school(), [middle])).toBe(1)
        const next = yield* store.append(request(a, ExpectedState.exact(2), newEvents(1)))
        expect(next.revision).toBe(3)
        expect((yield* store.readStream(a)).map((e) => e.revision)).toEqual([0, 2, 3])
      }))
  })

  describe("listing streams", () => {
    test("lists every stream of a kind that holds events, of one school or of all", ({ store, stream, school }) =>
      Effect.gen(function* () {
        const { listStreams } = store
        if (listStreams === undefined) return
        const students = [stream(), stream(), stream({ school: school("b") })]
        const faculty = stream({ kind: "faculty" })
        const gone = stream()
        yield* store.appendMany([
          ...[...students, faculty, gone].map((s) => request(s, ExpectedState.noStream, newEvents(2)))
        ])
        yield* store.deleteStream(gone)
        const mine = (list: ReadonlyArray<StreamId>) =>
          list
            .filter((s) => s.school.startsWith(school()))
            .map(key)
            .sort()
        expect(mine(yield* listStreams({ kind: "student", school: school() }))).toEqual(
          students
            .filter((s) => s.school === school())
            .map(key)
            .sort()
        )
        expect(mine(yield* listStreams({ kind: "student" }))).toEqual(students.map(key).sort())
        expect(mine(yield* listStreams({ kind: "faculty", school: school() }))).toEqual([key(faculty)])
      }))
  })
}
