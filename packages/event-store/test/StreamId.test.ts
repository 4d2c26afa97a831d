import { describe, expect, it } from "vitest"
import * as fc from "fast-check"
import type { StreamId } from "../src/EventStore.js"
import * as StreamName from "../src/StreamId.js"

// Strings that stress the encoding: separators, escape characters and their encodings, Unicode.
const part = fc
  .array(
    fc.oneof(
      fc.constantFrom("/", "%", "$", "2F", "25", "24", "%2F", ":", "|", "a", "b", "é", "🎓"),
      fc.string({ maxLength: 3 })
    ),
    {
      minLength: 1,
      maxLength: 12
    }
  )
  .map((pieces) => pieces.join("").replaceAll("\u0000", "").slice(0, StreamName.maxLength))
  .filter((s) => s.length > 0 && !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "")))

const streamId: fc.Arbitrary<StreamId> = fc.record({
  school: part,
  kind: fc.constantFrom(...StreamName.kinds),
  id: part
})

describe("StreamName encoding", () => {
  it("round-trips every valid stream id", () => {
    fc.assert(
      fc.property(streamId, (s) => {
        expect(StreamName.isValid(s)).toBe(true)
        expect(StreamName.decodeStreamName(StreamName.encodeStreamName(s))).toEqual(s)
      }),
      { numRuns: 500 }
    )
  })

  it("never encodes two distinct ids equal", () => {
    fc.assert(
      fc.property(streamId, streamId, (a, b) => {
        fc.pre(!StreamName.equals(a, b))
        expect(StreamName.encodeStreamName(a)).not.toBe(StreamName.encodeStreamName(b))
      }),
      { numRuns: 500 }
    )
  })

  it("a school's prefix starts its own names and no other school's", () => {
    fc.assert(
      fc.property(streamId, part, (s, other) => {
        const name = StreamName.encodeStreamName(s)
        expect(name.startsWith(StreamName.schoolPrefix(s.school))).toBe(true)
        expect(name.startsWith(StreamName.schoolPrefix(other))).toBe(other === s.school)
      }),
      { numRuns: 500 }
    )
  })

  it("no name is a prefix of another school's name", () => {
    fc.assert(
      fc.property(streamId, streamId, (a, b) => {
        fc.pre(a.school !== b.school)
        expect(StreamName.encodeStreamName(b).startsWith(StreamName.encodeStreamName(a))).toBe(false)
      }),
      { numRuns: 500 }
    )
  })

  it("keeps prefix-related schools and ids apart", () => {
    const names = [
      { school: "a", kind: "student", id: "s-1" },
      { school: "ab", kind: "student", id: "s-1" },
      { school: "a", kind: "student", id: "s-10" },
      { school: "a/student", kind: "student", id: "s-1" },
      { school: "a", kind: "student", id: "student/s-1" }
    ].map((s) => StreamName.encodeStreamName({ ...s, kind: "student" }))
    expect(new Set(names).size).toBe(names.length)
    expect(StreamName.encodeStreamName({ school: "$all", kind: "faculty", id: "a/b%" })).toBe("%24all/faculty/a%2Fb%25")
  })

  it("decodes only what it could have encoded", () => {
    for (const bad of [
      "",
      "a/student",
      "a/student/s/1",
      "a/teacher/s",
      "a/student/",
      "/student/s",
      "a%2f/student/s",
      "a%/student/s",
      "$a/student/s",
      "a/student/%41"
    ]) {
      expect(StreamName.decodeStreamName(bad)).toBeUndefined()
    }
  })
})

describe("StreamName validation", () => {
  it("accepts 1–128 characters and the three kinds", () => {
    expect(StreamName.problem({ school: "x", kind: "directory", id: "y".repeat(128) })).toBeUndefined()
    expect(StreamName.problem({ school: "👩🏽‍⚕️", kind: "faculty", id: "טל" })).toBeUndefined()
  })

  it("names what is wrong", () => {
    const cases: Array<[StreamId, RegExp]> = [
      [{ school: "", kind: "student", id: "s" }, /school must be 1 to 128/],
      [{ school: "x", kind: "student", id: "y".repeat(129) }, /id must be 1 to 128/],
      [{ school: "x", kind: "student", id: "a\u0000b" }, /id must not contain NUL/],
      [{ school: "x\uD800", kind: "student", id: "s" }, /school must not contain .* unpaired surrogates/],
      [{ school: "x", kind: "student", id: "\uDC00" }, /id must not contain/]
    ]
    for (const [stream, message] of cases) expect(StreamName.problem(stream)).toMatch(message)
    const notAKind: unknown = { school: "x", kind: "teacher", id: "s" }
    expect(StreamName.isValid(Object(notAKind))).toBe(false)
  })
})
