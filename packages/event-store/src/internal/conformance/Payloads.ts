/**
 * Conformance cases for sizes and text: a ~512 KiB event, 1,000 events over 100
 * streams in one `appendMany`, and Unicode (emoji, combining marks, right-to-left text)
 * in schools, stream ids and data, round-tripped exactly. Internal to
 * `@rapport/event-store/testing`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { contentHash } from "../../ContentHash.js"
import { ExpectedState, type StreamId } from "../../EventStore.js"
import {
  type ConformanceOptions,
  type Harness,
  newEvent,
  newEvents,
  readAllToEnd,
  request,
  runCase
} from "./Harness.js"

/** ~512 KiB of varied printable text, so that no compression or truncation goes unnoticed */
const largeText = (): string => {
  const parts: Array<string> = []
  let size = 0
  for (let i = 0; size < 512 * 1024; i++) {
    const part = `${i.toString(36)}:${"abcdefghijklmnopqrstuvwxyz0123456789".slice(i % 30)};`
    parts.push(part)
    size += part.length
  }
  return parts.join("")
}

const unicode = {
  emoji: "👩🏽‍⚕️🎓🩺",
  nfc: "\u00e9cole",
  nfd: "e\u0301cole",
  rtl: "طالب الطب ١٢٣ שלום",
  mixed: "Zürich — 東京 — Ελλάδα — \u200d\u2066isolated\u2069"
}

/**
 * Registers the size and Unicode cases.
 *
 * @since 0.1.0
 * @category suites
 */
export const payloads = (options: ConformanceOptions): void => {
  const test = (name: string, body: (h: Harness) => Effect.Effect<void, unknown>) =>
    it(name, runCase(options, body), options.timeout ?? 60_000)

  describe("payloads", () => {
    test("a ~512 KiB event round-trips", ({ store, other, stream, school }) =>
      Effect.gen(function* () {
        const start = yield* store.headPosition
        const s = stream()
        const data = { studentId: "s-1", notes: largeText(), list: Array.from({ length: 1000 }, (_, i) => i) }
        const sent = newEvent({ data })
        yield* store.append(request(s, ExpectedState.noStream, [sent]))
        const [read] = yield* other.readStream(s)
        expect(read?.data).toEqual(data)
        expect(read?.contentHash).toBe(contentHash(sent))
        const all = yield* readAllToEnd(other, { after: start, filter: { school: school() } })
        expect(all.events[0]?.data).toEqual(data)
      }))

    test("1,000 events over 100 streams in one appendMany", ({ store, stream, school }) =>
      Effect.gen(function* () {
        const start = yield* store.headPosition
        const requests = Array.from({ length: 100 }, (_, i) =>
          request(stream({ kind: i % 2 === 0 ? "student" : "faculty" }), ExpectedState.noStream, newEvents(10))
        )
        const result = yield* store.appendMany(requests)
        expect([result.stored, result.duplicates]).toEqual([1000, 0])
        const positions = result.streams.flatMap((s) => s.events.map((e) => e.position))
        for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1] ?? 0)
        const all = yield* readAllToEnd(store, { after: start, filter: { school: school() }, pageSize: 250 })
        expect(all.events.map((e) => e.id)).toEqual(requests.flatMap((r) => r.events.map((e) => e.id)))
        const sample = requests[57]
        if (sample !== undefined) {
          const read = yield* store.readStream(sample.stream)
          expect(read.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        }
      }))

    test("Unicode in schools, stream ids, sources and data round-trips exactly", ({ store, other, school }) =>
      Effect.gen(function* () {
        const start = yield* store.headPosition
        const uSchool = school(`-${unicode.nfc}-${unicode.emoji}`)
        const streams: Array<StreamId> = [unicode.emoji, unicode.nfc, unicode.nfd, unicode.rtl, unicode.mixed].map(
          (id) => ({
            school: uSchool,
            kind: "student",
            id
          })
        )
        const sent = streams.map((s) =>
          newEvent({
            source: `${unicode.rtl} ${unicode.emoji}`,
            data: { id: s.id, [unicode.nfd]: unicode.nfc, [unicode.emoji]: [unicode.rtl, unicode.mixed], plain: "ok" }
          })
        )
        yield* store.appendMany(streams.map((s, i) => request(s, ExpectedState.noStream, sent.slice(i, i + 1))))
        for (const [i, s] of streams.entries()) {
          const read = yield* other.readStream(s)
          expect(read).toHaveLength(1)
          expect(read[0]?.stream.id).toBe(s.id)
          expect(read[0]?.stream.school).toBe(uSchool)
          expect(read[0]?.source).toBe(sent[i]?.source)
          expect(read[0]?.data).toEqual(sent[i]?.data)
          expect(read[0]?.contentHash).toBe(contentHash(sent[i] ?? newEvent()))
        }
        const all = yield* readAllToEnd(other, { after: start, filter: { school: uSchool } })
        expect(all.events.map((e) => e.stream.id)).toEqual(streams.map((s) => s.id))
      }))
  })
}
