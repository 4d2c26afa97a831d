import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Calendar from "../src/Calendar.js"

const zones = [
  "UTC",
  "Europe/Paris",
  "America/New_York",
  "America/St_Johns",
  "Asia/Kathmandu",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "Pacific/Apia"
] as const

/** The oracle: Intl's own calendar date of an instant in a zone. */
const formats = new Map<string, Intl.DateTimeFormat>()
const intlDate = (ms: number, timeZone: string): string => {
  let format = formats.get(timeZone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    formats.set(timeZone, format)
  }
  return format.format(ms)
}

const hour = 3_600_000
const instants = fc.oneof(
  fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2100, 0, 1) }),
  // Near whole and half hours, where offsets change.
  fc
    .tuple(
      fc.integer({ min: 2 * 366 * 24, max: 130 * 365 * 24 }),
      fc.constantFrom(0, hour / 4, hour / 2, (3 * hour) / 4),
      fc.integer({ min: -2000, max: 2000 })
    )
    .map(([h, quarter, jitter]) => h * hour + quarter + jitter)
)

describe("Calendar", () => {
  it("gives the calendar day Intl gives, in every zone, across offset changes", () => {
    const calendars = zones.map((z) => Calendar.make(z))
    fc.assert(
      fc.property(instants, (ms) => {
        for (const c of calendars) expect(Calendar.formatDay(c.dayOf(ms)), c.timeZone).toBe(intlDate(ms, c.timeZone))
      }),
      { numRuns: 1000 }
    )
  })

  it("gives the month of that day", () => {
    const paris = Calendar.make("Europe/Paris")
    fc.assert(
      fc.property(instants, (ms) => {
        expect(Calendar.formatMonth(paris.monthOf(ms))).toBe(intlDate(ms, "Europe/Paris").slice(0, 7))
      }),
      { numRuns: 500 }
    )
  })

  it("switches offset at the exact second of a change", () => {
    const paris = Calendar.make("Europe/Paris")
    const change = Date.UTC(2026, 2, 29, 1, 0, 0)
    expect(paris.offsetAt(change - 1)).toBe(hour)
    expect(paris.offsetAt(change)).toBe(2 * hour)
    const newYork = Calendar.make("America/New_York")
    expect(newYork.dayOf(Date.UTC(2026, 10, 1, 3, 59, 59))).toBe(Calendar.daysFromCivil(2026, 10, 31))
    expect(newYork.dayOf(Date.UTC(2026, 10, 1, 4, 0, 0))).toBe(Calendar.daysFromCivil(2026, 11, 1))
  })

  it("counts calendar days, not 24-hour periods", () => {
    const paris = Calendar.make("Europe/Paris")
    expect(paris.daysBetween(Date.UTC(2026, 0, 1, 22, 59), Date.UTC(2026, 0, 1, 23, 1))).toBe(1)
    expect(paris.daysBetween(Date.UTC(2026, 0, 1, 0, 0), Date.UTC(2026, 0, 1, 22, 0))).toBe(0)
  })

  it("finds the first instant of a local day", () => {
    const paris = Calendar.make("Europe/Paris")
    const day = Calendar.daysFromCivil(2026, 7, 14)
    expect(new Date(paris.startOfDay(day)).toISOString()).toBe("2026-07-13T22:00:00.000Z")
    expect(paris.dayOf(paris.startOfDay(day))).toBe(day)
    expect(paris.dayOf(paris.startOfDay(day) - 1)).toBe(day - 1)
  })

  it("reads decoded instants exactly as Date.parse does", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), (ms) => {
        const iso = new Date(ms).toISOString()
        expect(Calendar.parseInstant(iso)).toBe(Date.parse(iso))
      }),
      { numRuns: 2000 }
    )
    expect(Calendar.parseInstant("2026-10-01T17:30:00+02:00")).toBe(Date.parse("2026-10-01T15:30:00Z"))
    expect(Calendar.parseInstant("2026-02-30T00:00:00.000Z")).toBeNaN()
    expect(Calendar.parseInstant("2026-1x-01T00:00:00.000Z")).toBeNaN()
  })

  it("turns day numbers and month keys into dates and back", () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 400_000 }), (days) => {
        const date = new Date(days * Calendar.msPerDay)
        const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]
        expect(Calendar.daysFromCivil(y, m, d)).toBe(days)
        expect(Calendar.monthOfDay(days)).toBe(y * 12 + m - 1)
      })
    )
    expect(Calendar.formatMonth(2026 * 12 + 9)).toBe("2026-10")
    expect(Calendar.dayOfDate("2026-10-01")).toBe(Calendar.daysFromCivil(2026, 10, 1))
    expect(Calendar.dayOfDate("2026-13-01")).toBeNaN()
    expect(Calendar.dayOfDate("2026-02-30")).toBeNaN()
  })
})
