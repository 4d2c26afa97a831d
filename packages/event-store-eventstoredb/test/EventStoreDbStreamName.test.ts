import type { StreamId, StreamKind } from "@rapport/event-store"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as StreamName from "../src/EventStoreDbStreamName.js"
import { naming, testStreamKey } from "./support/Naming.js"

const kinds: ReadonlyArray<StreamKind> = ["student", "faculty", "school", "directory"]

// Parts the port accepts: 1–128 UTF-16 units, no NUL, no unpaired surrogate. Digits, dots
// and dashes are over-represented: they are what a length-prefixed encoding could confuse.
const tricky = fc.constantFrom("-", ".", "1", "0", "9", "$", "/", ":", "@", "~", "_", "é", "👩🏽‍⚕️")
const part = fc
  .array(fc.oneof(tricky, fc.string({ unit: "grapheme", minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 40 })
  .map((pieces) => pieces.join(""))
  .filter((text) => text.length >= 1 && text.length <= 128 && !text.includes("\u0000"))
const stream: fc.Arbitrary<StreamId> = fc.record({ school: part, kind: fc.constantFrom(...kinds), id: part })

describe("EventStoreDbStreamName", () => {
  it("decode, given the id an event body carries, is the inverse of encode", () =>
    fc.assert(
      fc.property(stream, (s) => {
        expect(naming.decode(naming.encode(s), s.id)).toEqual(s)
        expect(StreamName.parse(naming.encode(s))).toMatchObject({ school: s.school, kind: s.kind })
      }),
      { numRuns: 500 }
    ))

  it("is injective and prefix-free: no name is a prefix of another stream's name", () =>
    fc.assert(
      fc.property(stream, stream, (a, b) => {
        const [x, y] = [naming.encode(a), naming.encode(b)]
        const same = a.school === b.school && a.kind === b.kind && a.id === b.id
        expect(x === y).toBe(same)
        if (!same) expect(y.startsWith(x)).toBe(false)
        // a name read with another stream's id is that id's stream only if the ids agree
        if (!same) expect(naming.decode(x, b.id)).toEqual(a.id === b.id ? a : undefined)
      }),
      { numRuns: 1000 }
    ))

  it("a school's prefix starts exactly that school's names of that kind", () =>
    fc.assert(
      fc.property(stream, part, fc.constantFrom(...kinds), (s, school, kind) => {
        const selected = naming.encode(s).startsWith(StreamName.streamPrefix(kind, school))
        expect(selected).toBe(s.school === school && s.kind === kind)
        expect(naming.encode(s).startsWith(StreamName.streamPrefix(kind))).toBe(s.kind === kind)
      }),
      { numRuns: 1000 }
    ))

  it("names hold no id: a keyed pseudonym of fixed length, another under another key", () => {
    const s = { school: "harvard", kind: "student", id: "s-1001" } satisfies StreamId
    const name = naming.encode(s)
    expect(name).toMatch(/^rapport-student-7\.harvard-[0-9a-f]{32}$/)
    expect(name).not.toContain("1001")
    const other = StreamName.make(`${testStreamKey}!`)
    expect(other.encode(s)).not.toBe(name)
    expect(other.decode(name, s.id)).toBeUndefined()
    expect(other.keyCheck).not.toBe(naming.keyCheck)
    expect(naming.keyCheck).not.toContain(testStreamKey)
  })

  it("keeps apart the schools, ids and kinds that a plain prefix would mix", () => {
    const names = [
      { school: "a", kind: "student", id: "s-1" },
      { school: "ab", kind: "student", id: "s-1" },
      { school: "a", kind: "student", id: "s-10" },
      { school: "a-1", kind: "student", id: "x" },
      { school: "1.a", kind: "student", id: "x" },
      { school: "a", kind: "school", id: "s-1" }
    ] satisfies Array<StreamId>
    const encoded = names.map(naming.encode)
    expect(new Set(encoded).size).toBe(names.length)
    for (const x of encoded) for (const y of encoded) if (x !== y) expect(y.startsWith(x)).toBe(false)
    const a = StreamName.streamPrefix("student", "a")
    expect(encoded.filter((name) => name.startsWith(a))).toEqual(
      encoded.filter((_, i) => names[i]?.school === "a" && names[i]?.kind === "student")
    )
  })

  it("never names a system stream, and keeps claims outside the Rapport prefix", () =>
    fc.assert(
      fc.property(stream, (s) => {
        expect(StreamName.isSystemStream(naming.encode(s))).toBe(false)
        const claim = StreamName.claimStreamName(s.school, s.id)
        expect(claim.startsWith(StreamName.namespace)).toBe(false)
        expect(StreamName.isSystemStream(claim)).toBe(false)
        expect(StreamName.parse(claim)).toBeUndefined()
        expect(StreamName.decodeClaimStreamName(claim)).toEqual({ school: s.school, eventId: s.id })
        expect(StreamName.decodeClaimStreamName(naming.encode(s))).toBeUndefined()
      }),
      { numRuns: 300 }
    ))

  it("parses nothing it could not have produced, and spots the clear names the adapter's first build wrote", () => {
    const pseudonym = "0123456789abcdef0123456789abcdef"
    for (const name of [
      "",
      "$all",
      `$$rapport-student-1.a-${pseudonym}`,
      "rapport-",
      "rapport-student-",
      `rapport-student-1.a-${pseudonym}-`,
      `rapport-student-1.a-${pseudonym.toUpperCase()}`,
      `rapport-student-1.a-${pseudonym.slice(1)}`,
      `rapport-student-01.a-${pseudonym}`,
      `rapport-student-1.a${pseudonym}`,
      `rapport-pupil-1.a-${pseudonym}`,
      `rapport-student-129.${"a".repeat(129)}-${pseudonym}`,
      `other-student-1.a-${pseudonym}`,
      "rapport.claim-1.a-1.x",
      "rapport-student-1.a-1.x"
    ]) {
      expect(StreamName.parse(name)).toBeUndefined()
    }
    expect(StreamName.parse(`rapport-student-1.a-${pseudonym}`)).toEqual({ school: "a", kind: "student", pseudonym })
    expect(StreamName.isClearName("rapport-student-7.harvard-6.s-1001")).toBe(true)
    expect(StreamName.isClearName(naming.encode({ school: "harvard", kind: "student", id: "s-1001" }))).toBe(false)
    expect(StreamName.isClearName("rapport.claim-1.a-1.x")).toBe(false)
  })
})
