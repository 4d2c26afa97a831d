/**
 * How a retention policy becomes a cutoff and types (Retention.resolve): periods back
 * from today in the school's time zone (a day of month that does not exist becomes the
 * month's last), dates, and every refusal in one sentence.
 */
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import * as Retention from "../src/retention/Retention.js"

const cutoff = (policy: Retention.Policy, timeZone: string, now: string): string | undefined => {
  const resolved = Retention.resolve(policy, timeZone, new Date(now))
  if (Result.isFailure(resolved)) throw new Error(resolved.failure.sentence)
  const ms = resolved.success.cutoffMs
  return ms === undefined ? undefined : new Date(ms).toISOString()
}

const refusal = (policy: Retention.Policy): string => {
  const resolved = Retention.resolve(policy, "UTC", new Date("2026-12-07T12:00:00Z"))
  return Result.isFailure(resolved) ? resolved.failure.sentence : "accepted"
}

describe("a retention policy", () => {
  it("counts a period back from the school's today, to the start of that day in its time zone", () => {
    expect(cutoff({ olderThan: "P7Y" }, "UTC", "2026-12-07T12:00:00Z")).toBe("2019-12-07T00:00:00.000Z")
    // 02:00 UTC on the 8th is still the 7th in New York (EST, UTC−5)
    expect(cutoff({ olderThan: "P7Y" }, "America/New_York", "2026-12-08T02:00:00Z")).toBe("2019-12-07T05:00:00.000Z")
    expect(cutoff({ olderThan: "P18M" }, "UTC", "2026-12-07T12:00:00Z")).toBe("2025-06-07T00:00:00.000Z")
    expect(cutoff({ olderThan: "P1Y1M1D" }, "UTC", "2026-03-01T12:00:00Z")).toBe("2025-01-31T00:00:00.000Z")
    // 31 March minus a month is the last day of February
    expect(cutoff({ olderThan: "P1M" }, "UTC", "2026-03-31T12:00:00Z")).toBe("2026-02-28T00:00:00.000Z")
    expect(cutoff({ olderThan: "P4Y" }, "UTC", "2028-02-29T12:00:00Z")).toBe("2024-02-29T00:00:00.000Z")
    expect(cutoff({ olderThan: "P1Y" }, "UTC", "2028-02-29T12:00:00Z")).toBe("2027-02-28T00:00:00.000Z")
    expect(cutoff({ olderThan: "P30D" }, "UTC", "2026-03-01T12:00:00Z")).toBe("2026-01-30T00:00:00.000Z")
  })

  it("takes a date as the start of that day in the school's time zone", () => {
    expect(cutoff({ before: "2020-09-01" }, "Europe/Paris", "2026-12-07T12:00:00Z")).toBe("2020-08-31T22:00:00.000Z")
  })

  it("removes every kind of interaction by default, identity facts only when named, never retractions or erasures", () => {
    const resolved = Retention.resolve({ olderThan: "P7Y" }, "UTC", new Date("2026-12-07T12:00:00Z"))
    const types = Result.isSuccess(resolved) ? resolved.success.types : []
    expect(types).toContain("OfficeHoursVisited")
    expect(types).toContain("SupportCheckInHeld")
    for (const kept of [...Retention.identityFacts, "EventRetracted", "StudentErasureRequested"])
      expect(types).not.toContain(kept)
    const named = Retention.resolve({ types: ["StudentEnrolled"] }, "UTC", new Date("2026-12-07T12:00:00Z"))
    expect(Result.isSuccess(named) && named.success).toEqual({ cutoffMs: undefined, types: ["StudentEnrolled"] })
  })

  it("refuses what cannot be applied, with one sentence", () => {
    expect(refusal({})).toMatch(/Say what to remove/)
    expect(refusal({ olderThan: "P7Y", before: "2020-01-01" })).toMatch(/not both/)
    for (const period of ["7Y", "P", "P0Y", "PT5H", "P1W", "p7y", "P7Y "])
      expect(refusal({ olderThan: period }), period).toMatch(/ISO 8601 period/)
    for (const date of ["2026-02-30", "2026-13-01", "20-01-01", "2026-1-1"])
      expect(refusal({ before: date }), date).toMatch(/not a date/)
    expect(refusal({ before: "2027-01-01" })).toMatch(/in the future/)
    expect(refusal({ types: ["OfficeHoursVisted"] })).toMatch(/not an event type/)
    expect(refusal({ types: ["EventRetracted"] })).toMatch(/never removed on their own/)
    expect(refusal({ types: ["StudentErasureRequested"] })).toMatch(/never removed on their own/)
    expect(refusal({ types: [] })).toMatch(/at least one event type/)
  })
})
