import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Checkpoint from "../src/Checkpoint.js"
import { knownPosition } from "../src/internal/Connection.js"
import * as Envelope from "../src/internal/Envelope.js"

const logPosition = fc.bigInt({ min: 0n, max: Checkpoint.maxLogPosition })
const checkpoint = fc.record({ commit: logPosition, prepare: logPosition })

describe("Checkpoint", () => {
  it("decodeCheckpoint(encodeCheckpoint(c)) is c, for every pair of 64-bit positions", () =>
    fc.assert(
      fc.property(checkpoint, (c) => {
        expect(Checkpoint.decodeCheckpoint(Checkpoint.encodeCheckpoint(c))).toEqual(c)
      }),
      { numRuns: 1000 }
    ))

  it("encoded checkpoints sort like the positions (commit, then prepare)", () =>
    fc.assert(
      fc.property(checkpoint, checkpoint, (a, b) => {
        const [x, y] = [Checkpoint.encodeCheckpoint(a), Checkpoint.encodeCheckpoint(b)]
        expect(Math.sign(x < y ? -1 : x > y ? 1 : 0)).toBe(Checkpoint.compare(a, b))
      }),
      { numRuns: 1000 }
    ))

  it("is fixed-width and readable", () => {
    expect(Checkpoint.encodeCheckpoint({ commit: 1234n, prepare: 1234n })).toBe(
      "00000000000000001234/00000000000000001234"
    )
    expect(Checkpoint.encodeCheckpoint({ commit: Checkpoint.maxLogPosition, prepare: 0n })).toBe(
      "18446744073709551615/00000000000000000000"
    )
  })

  it("refuses out-of-range positions and anything it did not write", () => {
    expect(() => Checkpoint.encodeCheckpoint({ commit: -1n, prepare: 0n })).toThrow(RangeError)
    expect(() => Checkpoint.encodeCheckpoint({ commit: 0n, prepare: Checkpoint.maxLogPosition + 1n })).toThrow(
      RangeError
    )
    for (const text of [
      "",
      "1234/1234",
      "00000000000000001234-00000000000000001234",
      "00000000000000001234/0000000000000000123",
      "18446744073709551616/00000000000000000000",
      " 00000000000000001234/00000000000000001234",
      "0000000000000000123a/00000000000000001234"
    ]) {
      expect(Checkpoint.decodeCheckpoint(text)).toBeUndefined()
    }
  })

  it("a port position is the commit position, up to Number.MAX_SAFE_INTEGER and no further", () => {
    const max = Number.MAX_SAFE_INTEGER
    expect(Checkpoint.toPosition({ commit: BigInt(max), prepare: 0n })).toBe(max)
    expect(Checkpoint.toPosition({ commit: BigInt(max) + 1n, prepare: 0n })).toBeUndefined()
    fc.assert(
      fc.property(fc.integer({ min: 0, max }), (p) => {
        expect(Checkpoint.fromPosition(p)).toEqual({ commit: BigInt(p), prepare: BigInt(p) })
        expect(Checkpoint.toPosition(Checkpoint.fromPosition(p))).toBe(p)
      })
    )
  })
})

describe("a position the server did not have", () => {
  it("arrives as 2^64 − 1 and is read as none, so the version guards can speak", () => {
    const none = { commit: Checkpoint.maxLogPosition, prepare: Checkpoint.maxLogPosition }
    expect(knownPosition(none)).toBeUndefined()
    expect(knownPosition({ commit: 42n, prepare: 42n })).toEqual({ commit: 42n, prepare: 42n })
    const record = {
      streamName: "rapport-student-1.a-1.x",
      eventId: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6f",
      revision: 0n,
      type: "OfficeHoursVisited",
      data: { id: "e-1", v: 1, occurredAt: "2026-01-01T00:00:00.000Z", data: {}, contentHash: "h", streamId: "x" },
      metadata: undefined,
      created: new Date(0),
      position: knownPosition(none)
    }
    expect(Envelope.fromRecord({ school: "a", kind: "student", id: "x" }, record)).toContain(
      "came without its $all position: EventStoreDB 22.6 or later"
    )
  })
})
