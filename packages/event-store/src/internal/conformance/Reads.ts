/**
 * Conformance cases for reading: `readStream` directions and bounds, `readAll` filters
 * and paging, the head position, copies, and the ordering guarantee of the global log
 * under concurrent writers. Internal to `@rapport/event-store/testing`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { ExpectedState, type RecordedEvent } from "../../EventStore.js"
import {
  type ConformanceOptions,
  type Harness,
  newEvent,
  newEvents,
  readAllToEnd,
  request,
  runCase
} from "./Harness.js"

const revisions = (events: ReadonlyArray<RecordedEvent>) => events.map((e) => e.revision)

/**
 * Registers the read cases.
 *
 * @since 0.1.0
 * @category suites
 */
export const reads = (options: ConformanceOptions): void => {
  const test = (name: string, body: (h: Harness) => Effect.Effect<void, unknown>) =>
    it(name, runCase(options, body), options.timeout ?? 60_000)

  describe("readStream", () => {
    test("forwards, backwards, from a revision, with maxCount", ({ store, stream }) =>
      Effect.gen(function* () {
        const s = stream()
        yield* store.append(request(s, ExpectedState.noStream, newEvents(10)))
        expect(revisions(yield* store.readStream(s))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        expect(revisions(yield* store.readStream(s, { direction: "forwards", fromRevision: 3 }))).toEqual([
          3, 4, 5, 6, 7, 8, 9
        ])
        expect(revisions(yield* store.readStream(s, { maxCount: 4 }))).toEqual([0, 1, 2, 3])
        expect(revisions(yield* store.readStream(s, { fromRevision: 3, maxCount: 2 }))).toEqual([3, 4])
        expect(revisions(yield* store.readStream(s, { fromRevision: 10 }))).toEqual([])
        expect(revisions(yield* store.readStream(s, { direction: "backwards" }))).toEqual([
          9, 8, 7, 6, 5, 4, 3, 2, 1, 0
        ])
        expect(revisions(yield* store.readStream(s, { direction: "backwards", maxCount: 1 }))).toEqual([9])
        expect(revisions(yield* store.readStream(s, { direction: "backwards", fromRevision: 5, maxCount: 3 }))).toEqual(
          [5, 4, 3]
        )
        expect(revisions(yield* store.readStream(s, { direction: "backwards", fromRevision: 0 }))).toEqual([0])
      }))

    test("a missing stream reads as empty", ({ store, stream }) =>
      Effect.gen(function* () {
        expect(yield* store.readStream(stream())).toEqual([])
        expect(yield* store.readStream(stream(), { direction: "backwards" })).toEqual([])
      }))

    test("reads return copies: mutating an appended or read event changes nothing stored", ({ store, stream }) =>
      Effect.gen(function* () {
        const s = stream()
        const data = { studentId: "s-1", tags: ["a"] }
        const sent = newEvent({ data })
        yield* store.append(request(s, ExpectedState.noStream, [sent]))
        data.tags.push("mutated after append")
        const [first] = yield* store.readStream(s)
        const tags: unknown = Object(first?.data).tags
        if (Array.isArray(tags)) tags.push("mutated after read")
        const [again] = yield* store.readStream(s)
        expect(again?.data).toEqual({ studentId: "s-1", tags: ["a"] })
        const page = yield* store.readAll({ after: (first?.position ?? 1) - 1, maxCount: 1 })
        expect(page.events[0]?.data).toEqual({ studentId: "s-1", tags: ["a"] })
      }))
  })

  describe("readPositions (optional)", () => {
    test("the school's events at those positions, in position order; others and gaps left out", ({
      store,
      stream,
      school
    }) =>
      Effect.gen(function* () {
        const readPositions = store.readPositions
        if (readPositions === undefined) return
        const mine = stream()
        const theirs = stream({ school: school("-other") })
        yield* store.append(request(mine, ExpectedState.noStream, newEvents(4)))
        yield* store.append(request(theirs, ExpectedState.noStream, newEvents(2)))
        const own = yield* store.readStream(mine)
        const other = yield* store.readStream(theirs)
        const wanted = [own[3], own[0], other[1], own[2], own[0]].map((e) => e?.position ?? 0)
        const found = yield* readPositions(mine.school, [...wanted, 999_999_999])
        expect(found.map((e) => e.position)).toEqual([own[0], own[2], own[3]].map((e) => e?.position))
        expect(found[0]).toEqual(own[0])
        expect(yield* readPositions(mine.school, [])).toEqual([])
        yield* store.deleteStream(mine)
        expect(yield* readPositions(mine.school, wanted)).toEqual([])
      }))
  })

  describe("readAll", () => {
    test("filters by school, kinds and types, in position order", ({ store, stream, school }) =>
      Effect.gen(function* () {
        const [x, y] = [school("x"), school("y")]
        const before = yield* store.headPosition
        for (let i = 0; i < 4; i++) {
          yield* store.appendMany([
            request(stream({ school: x, id: `s-${i}` }), ExpectedState.any, [newEvent({ type: "OfficeHoursVisited" })]),
            request(stream({ school: x, kind: "faculty", id: `f-${i}` }), ExpectedState.any, [
              newEvent({ type: "FacultyJoined" })
            ]),
            request(stream({ school: y, id: `s-${i}` }), ExpectedState.any, [newEvent({ type: "OfficeHoursVisited" })])
          ])
        }
        const read = (filter: Parameters<typeof readAllToEnd>[1]["filter"]) =>
          Effect.map(readAllToEnd(store, { after: before, filter, pageSize: 3 }), (r) => r.events)
        const all = yield* read({ school: x })
        expect(all).toHaveLength(8)
        expect(all.every((e) => e.stream.school === x)).toBe(true)
        expect((yield* read({ school: y })).every((e) => e.stream.school === y)).toBe(true)
        const faculty = yield* read({ school: x, kinds: ["faculty"] })
        expect(faculty.map((e) => e.stream.id)).toEqual(["f-0", "f-1", "f-2", "f-3"])
        expect(yield* read({ school: x, kinds: ["student", "faculty"] })).toHaveLength(8)
        expect(yield* read({ school: x, kinds: ["directory"] })).toHaveLength(0)
        const visits = yield* read({ school: x, types: ["OfficeHoursVisited"] })
        expect(visits.map((e) => e.stream.id)).toEqual(["s-0", "s-1", "s-2", "s-3"])
        expect(yield* read({ school: x, kinds: ["faculty"], types: ["OfficeHoursVisited"] })).toHaveLength(0)
        const unfiltered = (yield* read(undefined)).filter((e) => e.stream.school === x || e.stream.school === y)
        expect(unfiltered).toHaveLength(12)
      }))

    test("pages by maxCount and resumes after lastPosition without gaps or repeats", ({ store, stream, school }) =>
      Effect.gen(function* () {
        const before = yield* store.headPosition
        const s = stream()
        const sent = yield* store.append(request(s, ExpectedState.noStream, newEvents(25)))
        const filter = { school: school() }
        const pages: Array<number> = []
        let after = before
        for (;;) {
          const page = yield* store.readAll({ after, filter, maxCount: 10 })
          expect(page.events.length).toBeLessThanOrEqual(10)
          for (const e of page.events) expect(e.position).toBeLessThanOrEqual(page.lastPosition)
          pages.push(...page.events.map((e) => e.position))
          expect(page.lastPosition).toBeGreaterThanOrEqual(after)
          if (page.isEnd) break
          after = page.lastPosition
        }
        expect(pages).toEqual(sent.events.map((e) => e.position))
        const third = sent.events[2]?.position ?? 0
        const rest = yield* readAllToEnd(store, { after: third, filter })
        expect(rest.events.map((e) => e.revision)).toEqual(Array.from({ length: 22 }, (_, i) => i + 3))
      }))

    test("lastPosition advances over events that the filter leaves out", ({ store, stream, school }) =>
      Effect.gen(function* () {
        const before = yield* store.headPosition
        const skipped = yield* store.append(
          request(stream(), ExpectedState.any, newEvents(5, { type: "FollowUpSent" }))
        )
        const last = skipped.events[4]?.position ?? Number.POSITIVE_INFINITY
        const result = yield* readAllToEnd(store, {
          after: before,
          filter: { school: school(), types: ["LetterSubmitted"] },
          pageSize: 2
        })
        expect(result.events).toEqual([])
        expect(result.lastPosition).toBeGreaterThanOrEqual(last)
        const page = yield* store.readAll({ after: before, filter: { school: school("-nobody") }, maxCount: 100 })
        expect(page.events).toEqual([])
        if (page.isEnd) expect(page.lastPosition).toBeGreaterThanOrEqual(last)
      }))

    test("headPosition covers every committed event and nothing lies after it", ({ store, stream, school }) =>
      Effect.gen(function* () {
        const start = yield* store.headPosition
        expect(Number.isSafeInteger(start) && start >= 0).toBe(true)
        const result = yield* store.append(request(stream(), ExpectedState.any, newEvents(3)))
        const head = yield* store.headPosition
        expect(head).toBeGreaterThanOrEqual(result.events[2]?.position ?? Number.POSITIVE_INFINITY)
        expect((yield* readAllToEnd(store, { after: head, filter: { school: school() } })).events).toEqual([])
      }))
  })

  describe("ordering", () => {
    test("positions increase in commit order; a reader never later sees an event at or before a position it passed", (h) =>
      Effect.gen(function* () {
        const filter = { school: h.school() }
        for (let round = 0; round < (options.raceRepetitions ?? 3); round++) {
          const start = yield* h.store.headPosition
          let writing = true
          const seen: Array<RecordedEvent> = []
          const writer = (w: number) =>
            Effect.forEach(
              Array.from({ length: 12 }, (_, i) => i),
              (i) =>
                Effect.flatMap(
                  (w % 2 === 0 ? h.store : h.other).append(
                    request(h.stream({ id: `w${w}-r${round}` }), ExpectedState.any, newEvents(1 + (i % 3)))
                  ),
                  (result) =>
                    Effect.as(
                      Effect.yieldNow,
                      result.events.map((e) => e.position)
                    )
                )
            )
          const writers = Effect.ensuring(
            Effect.forEach([0, 1, 2, 3], writer, { concurrency: "unbounded" }),
            Effect.sync(() => {
              writing = false
            })
          )
          const reader = Effect.gen(function* () {
            let after = start
            for (;;) {
              const stillWriting = writing
              const page = yield* (seen.length % 2 === 0 ? h.other : h.store).readAll({ after, filter, maxCount: 5 })
              for (const event of page.events) {
                expect(event.position).toBeGreaterThan(seen[seen.length - 1]?.position ?? after)
                seen.push(event)
              }
              expect(page.lastPosition).toBeGreaterThanOrEqual(after)
              after = page.lastPosition
              if (!stillWriting && page.isEnd) return
              yield* Effect.yieldNow
            }
          })
          const [perWriter] = yield* Effect.all([writers, reader], { concurrency: 2 })
          for (const positions of perWriter) {
            const flat = positions.flat()
            for (let i = 1; i < flat.length; i++) expect(flat[i]).toBeGreaterThan(flat[i - 1] ?? 0)
          }
          const everything = yield* readAllToEnd(h.store, { after: start, filter })
          expect(seen.map((e) => [e.position, e.id])).toEqual(everything.events.map((e) => [e.position, e.id]))
          expect(seen).toHaveLength(perWriter.flat(2).length)
        }
      }))
  })
}
