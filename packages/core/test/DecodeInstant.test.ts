/**
 * `occurredAt` parsing: every RFC 3339 timestamp with an offset reads as the same UTC
 * instant as `Canonical.toUtcInstant` gives (the form canonical content uses), whatever
 * the offset or the number of fraction digits; anything else is rejected.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { toUtcInstant } from "../src/Canonical.js"
import { daysInMonth, parseInstant } from "../src/EventField.js"

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

const arbitraryRfc3339 = fc
  .record({
    year: fc.integer({ min: 1900, max: 2999 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    fraction: fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
    offset: fc.oneof(
      fc.constantFrom("Z", "z", "+00:00", "-00:00"),
      fc
        .record({
          sign: fc.constantFrom("+", "-"),
          h: fc.integer({ min: 0, max: 23 }),
          m: fc.integer({ min: 0, max: 59 })
        })
        .map(({ sign, h, m }) => `${sign}${pad(h)}:${pad(m)}`)
    ),
    t: fc.constantFrom("T", "t")
  })
  .map(({ year, month, day, hour, minute, second, fraction, offset, t }) => {
    const d = Math.min(day, daysInMonth(year, month))
    const frac = fraction === undefined ? "" : `.${fraction}`
    return `${pad(year, 4)}-${pad(month)}-${pad(d)}${t}${pad(hour)}:${pad(minute)}:${pad(second)}${frac}${offset}`
  })

describe("parseInstant", () => {
  it("agrees with Canonical.toUtcInstant on every RFC 3339 timestamp with an offset", () => {
    fc.assert(
      fc.property(arbitraryRfc3339, (text) => {
        const instant = parseInstant(text)
        expect(instant).toBe(toUtcInstant(text.toUpperCase()))
        expect(instant).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
      }),
      { numRuns: 2000 }
    )
  })

  it("is a fixed point on its own output", () => {
    fc.assert(
      fc.property(arbitraryRfc3339, (text) => {
        const instant = parseInstant(text)
        expect(instant === undefined ? undefined : parseInstant(instant)).toBe(instant)
      })
    )
  })

  it("rejects a timestamp once its offset is removed or it names a day that does not exist", () => {
    fc.assert(
      fc.property(arbitraryRfc3339, (text) => {
        expect(parseInstant(text.replace(/([Zz]|[+-]\d{2}:\d{2})$/, ""))).toBeUndefined()
        expect(parseInstant(text.replace(/^(\d{4})-(\d{2})-(\d{2})/, "$1-$2-32"))).toBeUndefined()
      })
    )
  })

  it.each([
    ["2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000Z"],
    ["2000-02-29T12:00:00Z", "2000-02-29T12:00:00.000Z"],
    ["2026-10-01T00:30:00+01:00", "2026-09-30T23:30:00.000Z"],
    ["2026-10-01T15:30:00.9999Z", "2026-10-01T15:30:00.999Z"]
  ])("reads %s as %s", (text, instant) => {
    expect(parseInstant(text)).toBe(instant)
  })

  it.each([
    "2100-02-29T12:00:00Z",
    "2026-02-29T12:00:00Z",
    "2026-04-31T12:00:00Z",
    "2026-10-01T15:30:00.Z",
    "2026-10-01T15:30:00.1234567890Z"
  ])("rejects %s", (text) => {
    expect(parseInstant(text)).toBeUndefined()
  })
})
