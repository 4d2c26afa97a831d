import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Schedule from "../../src/rules/Schedule.js"

const arbitraryDate = fc
  .integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2999, 11, 31) })
  .map((ms) => new Date(ms).toISOString().slice(0, 10))

describe("Schedule", () => {
  it("adds days as the proleptic Gregorian calendar does", () => {
    fc.assert(
      fc.property(arbitraryDate, fc.integer({ min: -4000, max: 4000 }), (date, days) => {
        const expected = new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
        expect(Schedule.addDays(date, days)).toBe(expected)
        expect(Schedule.daysBetween(date, expected)).toBe(days)
        expect(Schedule.dateOfDayNumber(Schedule.dayNumber(date))).toBe(date)
      })
    )
  })

  it("adds months, clamping the day to the month reached", () => {
    expect(Schedule.addMonths("2026-09-15", -6)).toBe("2026-03-15")
    expect(Schedule.addMonths("2026-03-31", -1)).toBe("2026-02-28")
    expect(Schedule.addMonths("2024-03-31", -1)).toBe("2024-02-29")
    expect(Schedule.addMonths("2026-11-30", 3)).toBe("2027-02-28")
    expect(Schedule.addMonths("2026-01-15", 0)).toBe("2026-01-15")
  })

  it("places a deadline in the season before the Match", () => {
    expect(Schedule.seasonDate(2027, "09-15")).toBe("2026-09-15")
    expect(Schedule.later("2026-01-02", "2025-12-31")).toBe("2026-01-02")
  })
})
