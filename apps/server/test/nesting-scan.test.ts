/**
 * The nesting bound checked on a body's bytes as they arrive (Batch.nestingScan) answers
 * exactly what the check of the whole text (Batch.nestsDeeperThan) answers, wherever the
 * chunks split the body: inside a string, between a backslash and what it escapes, or
 * inside a multi-byte character.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Batch from "../src/ingest/Batch.js"

const piece = fc.constantFrom("[", "]", "{", "}", '"', "\\", '\\"', "a", "é", "😀", ",", ":", " ", "1")
const body = fc.array(piece, { maxLength: 120 }).map((pieces) => pieces.join(""))

describe("the nesting bound on bytes as they arrive", () => {
  it("agrees with the bound on the whole text, however the bytes are split", () => {
    fc.assert(
      fc.property(body, fc.array(fc.nat(), { maxLength: 6 }), fc.integer({ min: 1, max: 6 }), (text, cuts, limit) => {
        const bytes = new TextEncoder().encode(text)
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
        const scan = Batch.nestingScan(limit)
        let refused = false
        let from = 0
        for (const to of [...at, bytes.length]) {
          if (!refused) refused = scan(bytes.subarray(from, to))
          from = to
        }
        expect(refused).toBe(Batch.nestsDeeperThan(text, limit))
      }),
      { numRuns: 2000 }
    )
  })

  it("refuses a megabyte of brackets at its first chunk", () => {
    const scan = Batch.nestingScan(Batch.maxNesting)
    expect(scan(new TextEncoder().encode("[".repeat(64 * 1024)))).toBe(true)
  })
})
