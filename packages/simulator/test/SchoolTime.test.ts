import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as SchoolTime from "../src/SchoolTime.js"

const intlOffsetMinutes = (instant: number): number => {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: SchoolTime.timeZone,
    timeZoneName: "longOffset"
  }).formatToParts(new Date(instant))
  const name = parts.find((p) => p.type === "timeZoneName")?.value ?? "GMT"
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name)
  if (match === null) return 0
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]))
}

const years = { min: Date.UTC(2008, 0, 1), max: Date.UTC(2040, 0, 1) }

describe("SchoolTime", () => {
  it("agrees with the time-zone database on the school's offset", () => {
    fc.assert(
      fc.property(fc.integer(years), (instant) => {
        expect(SchoolTime.offsetMinutes(instant)).toBe(intlOffsetMinutes(instant))
      }),
      { numRuns: 2000 }
    )
  })

  it("places wall-clock times on the right school day, across daylight-saving changes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 13_900, max: 25_500 }), fc.integer({ min: 0, max: 1439 }), (day, minute) => {
        fc.pre(minute < 120 || minute >= 180) // 2:00–3:00 does not exist on the spring-forward day
        const instant = SchoolTime.at(day, minute)
        expect(SchoolTime.schoolDay(instant)).toBe(day)
        const local = new Date(instant + SchoolTime.offsetMinutes(instant) * 60_000)
        expect(local.getUTCHours() * 60 + local.getUTCMinutes()).toBe(minute)
      })
    )
  })

  it("writes every style as RFC 3339 naming the same instant", () => {
    fc.assert(
      fc.property(fc.integer(years), (raw) => {
        const instant = raw - (raw % 1000) + 123
        for (const style of ["utc", "utc-ms", "offset", "offset-ms"] as const) {
          const text = SchoolTime.formatInstant(instant, style)
          expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?(Z|[+-]\d{2}:\d{2})$/)
          expect(Date.parse(text)).toBe(style.endsWith("-ms") ? instant : instant - 123)
        }
      })
    )
  })

  it("finds the nth weekday of a month", () => {
    // 2026: the last Monday of July is the 27th; the third Friday of May is the 15th.
    expect(SchoolTime.isoDate(SchoolTime.nthWeekday(2026, 7, 1, -1))).toBe("2026-07-27")
    expect(SchoolTime.isoDate(SchoolTime.nthWeekday(2026, 5, 5, 3))).toBe("2026-05-15")
    expect(SchoolTime.weekday(SchoolTime.mondayOnOrAfter(SchoolTime.dayOf(2026, 7, 1)))).toBe(1)
  })
})
