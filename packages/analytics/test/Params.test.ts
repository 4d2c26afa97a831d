/**
 * Query parameters are parsed one way, strictly: a date or instant is accepted exactly when
 * it exists (checked against the calendar arithmetic of `Date.UTC`), integers are decimal
 * digits, and texts with control characters or lone surrogates are found.
 */
import * as fc from "fast-check"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import * as Params from "../src/Params.js"

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/** whether Y-M-D names a day, by the calendar of Date.UTC (which rolls over days that do not exist) */
const exists = (y: number, m: number, d: number): boolean => {
  const date = new Date(Date.UTC(2000, m - 1, d))
  date.setUTCFullYear(y, m - 1, d)
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

const decodes = <A>(schema: Schema.Codec<A, string>, text: string): boolean =>
  Result.isSuccess(Schema.decodeUnknownResult(schema)(text))

describe("Params", () => {
  it("accepts a date exactly when it exists, in 1900–9999", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        (y, m, d) => {
          const text = `${pad(y, 4)}-${pad(m)}-${pad(d)}`
          const expected = y >= 1900 && m >= 1 && m <= 12 && d >= 1 && exists(y, m, d)
          expect(Params.isDate(text), text).toBe(expected)
          expect(decodes(Params.DateOrInstant, text), text).toBe(expected)
        }
      ),
      { numRuns: 2000 }
    )
    for (const text of ["0000-00-00", "9999-99-99", "2026-02-30", "2026-2-3", "2026-02-03 ", " 2026-02-03"])
      expect(Params.isDate(text), text).toBe(false)
    for (const text of ["2024-02-29", "2000-02-29", "9999-12-31", "1900-01-01"])
      expect(Params.isDate(text), text).toBe(true)
  })

  it("accepts an instant with an offset whose date, time and offset exist", () => {
    for (const text of [
      "2026-10-01T15:30Z",
      "2026-10-01T15:30:00Z",
      "2026-10-01T15:30:00.123456789+02:00",
      "2026-10-01T23:59:59-23:59"
    ])
      expect(Params.isInstant(text), text).toBe(true)
    for (const text of [
      "2026-13-45T99:99Z",
      "2026-03-01T10:00+99:99",
      "2026-03-01T10:00+24:00",
      "2026-03-01T10:00",
      "2026-03-01T24:00Z",
      "2026-03-01T10:60Z",
      "2026-03-01T10:00:60Z",
      "2026-02-30T10:00Z",
      "2026-03-01t10:00z",
      "2026-03-01T10:00:00.Z"
    ])
      expect(Params.isInstant(text), text).toBe(false)
  })

  it("reads integers from decimal digits only, in range", () => {
    const limit = Params.DecimalInt(1, 1000)
    const decode = Schema.decodeUnknownResult(limit)
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (n) => {
        expect(decode(String(n))).toEqual(Result.succeed(n))
      })
    )
    for (const text of ["1e3", "0x10", "+5", " 5", "5 ", "5.0", "-1", "0", "1001", "", "١٢"])
      expect(Result.isFailure(decode(text)), text).toBe(true)
  })

  it("finds control characters and lone surrogates, and nothing in well-formed text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        const clean = [...text].filter((c) => !Params.isControl(c.charCodeAt(0))).join("")
        expect(Params.textProblem(clean)).toBeUndefined()
      })
    )
    for (const text of [
      "a\u0000b",
      "\u0001",
      "\u001b[31m",
      "x\u007f",
      "\u0085",
      "\ud800",
      "a\udc00b",
      "\ud800\ud800\udc00"
    ])
      expect(Params.textProblem(text), JSON.stringify(text)).toBeDefined()
    for (const text of ["Médecine interne", "😀 ok", "Ünïcødé"]) expect(Params.textProblem(text)).toBeUndefined()
  })
})
