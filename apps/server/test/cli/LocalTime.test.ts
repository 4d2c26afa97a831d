/**
 * Local times read in a zone: ordinary times, both formats, offsets kept, the hour a
 * daylight-saving change skips (an error) and the hour it repeats (the first occurrence).
 */
import { Calendar } from "@rapport/core"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { toInstant } from "../../src/cli/LocalTime.js"

const newYork = Calendar.make("America/New_York")
const instant = (text: string, format: "iso" | "us" = "iso") => {
  const result = toInstant(text, format, newYork)
  return Result.isSuccess(result) ? result.success : `error: ${result.failure}`
}

describe("LocalTime.toInstant", () => {
  it("reads local times in the zone, in summer and in winter", () => {
    expect(instant("2026-10-01 15:30")).toBe("2026-10-01T19:30:00.000Z")
    expect(instant("2026-12-01T09:05:10")).toBe("2026-12-01T14:05:10.000Z")
    expect(instant("10/1/2026 3:30 PM", "us")).toBe("2026-10-01T19:30:00.000Z")
    expect(instant("12/1/2026 12:15 AM", "us")).toBe("2026-12-01T05:15:00.000Z")
    expect(instant("12/1/2026 00:15", "us")).toBe("2026-12-01T05:15:00.000Z")
    expect(instant("2026-10-01")).toBe("2026-10-01T04:00:00.000Z")
  })

  it("keeps an offset the text gives", () => {
    expect(instant("2026-10-01 15:30Z")).toBe("2026-10-01T15:30:00.000Z")
    expect(instant("2026-10-01T15:30:00+02:00")).toBe("2026-10-01T13:30:00.000Z")
  })

  it("refuses a time the clocks skip, and takes the first of a repeated hour", () => {
    expect(instant("2026-03-08 02:30")).toMatch(/^error: .*does not exist in America\/New_York/)
    expect(instant("2026-11-01 01:30")).toBe("2026-11-01T05:30:00.000Z")
  })

  it("refuses what is not a date and time, with the text", () => {
    expect(instant("2026-02-30 10:00")).toMatch(/^error: "2026-02-30 10:00" is not a date and time that exists/)
    expect(instant("tomorrow")).toMatch(/^error: Expected a date and time such as 2026-10-01 15:30, got "tomorrow"/)
    expect(instant("13/1/2026 3:30 PM", "us")).toMatch(/^error: /)
    expect(instant("1/1/2026 13:30 PM", "us")).toMatch(/^error: Expected an hour from 1 to 12/)
  })
})
