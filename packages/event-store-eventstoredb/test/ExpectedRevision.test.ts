import { ANY, NO_STREAM, STREAM_EXISTS } from "@eventstore/db-client"
import { ExpectedState } from "@rapport/event-store"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as ExpectedRevision from "../src/ExpectedRevision.js"

const revision = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })
const expectedState = fc.oneof(
  fc.constant(ExpectedState.any),
  fc.constant(ExpectedState.noStream),
  fc.constant(ExpectedState.streamExists),
  revision.map(ExpectedState.exact)
)
const actual = fc.oneof(fc.constant("no-stream" as const), revision)

describe("ExpectedRevision", () => {
  it("maps each expected state to the client's constant or bigint", () => {
    expect(ExpectedRevision.toClient(ExpectedState.any)).toBe(ANY)
    expect(ExpectedRevision.toClient(ExpectedState.noStream)).toBe(NO_STREAM)
    expect(ExpectedRevision.toClient(ExpectedState.streamExists)).toBe(STREAM_EXISTS)
    expect(ExpectedRevision.toClient(ExpectedState.exact(0))).toBe(0n)
    expect(ExpectedRevision.toClient(ExpectedState.exact(41))).toBe(41n)
  })

  it("fromClient inverts toClient", () =>
    fc.assert(
      fc.property(expectedState, (e) => {
        expect(ExpectedRevision.fromClient(ExpectedRevision.toClient(e))).toEqual(e)
      })
    ))

  it("reads the client's current revision, refusing what a port revision cannot hold", () => {
    expect(ExpectedRevision.actualFromClient(NO_STREAM)).toBe("no-stream")
    expect(ExpectedRevision.actualFromClient(7n)).toBe(7)
    expect(ExpectedRevision.actualFromClient(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toBeUndefined()
    expect(ExpectedRevision.revisionFromClient(-1n)).toBeUndefined()
    expect(ExpectedRevision.fromClient(2n ** 63n)).toBeUndefined()
  })

  it("writes right after what it read: NO_STREAM or the revision", () =>
    fc.assert(
      fc.property(actual, (a) => {
        expect(ExpectedRevision.exactly(a)).toBe(a === "no-stream" ? NO_STREAM : BigInt(a))
      })
    ))

  it("satisfies agrees with the server's rules", () =>
    fc.assert(
      fc.property(expectedState, actual, (e, a) => {
        const expected =
          e._tag === "Any" ||
          (e._tag === "NoStream" && a === "no-stream") ||
          (e._tag === "StreamExists" && a !== "no-stream") ||
          (e._tag === "Exact" && a === e.revision)
        expect(ExpectedRevision.satisfies(e, a)).toBe(expected)
      })
    ))
})
