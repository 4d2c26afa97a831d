import { describe, expect, it } from "vitest"
import * as Change from "../src/lib/Change.js"

const hidden = { suppressed: true, reason: "small-group", threshold: 10 } as const

describe("Change", () => {
  it("writes counts and shares as a dean reads them", () => {
    expect(Change.between(12, 9, "count")).toEqual({ delta: 3, direction: "up", text: "+3" })
    expect(Change.between(9, 12, "count")?.text).toBe("−3")
    expect(Change.between(0.44, 0.4, "share")?.text).toBe("+4.0 points")
    expect(Change.between(0.4, 0.4, "share")?.text).toBe("no change")
  })
  it("never compares a hidden or missing value", () => {
    expect(Change.between(hidden, 3, "count")).toBeNull()
    expect(Change.between(3, null, "count")).toBeNull()
  })
  it("keeps the month under way apart from the full months", () => {
    const months = [{ month: "2026-10" }, { month: "2026-11" }, { month: "2026-12" }]
    const { full, partial } = Change.splitPartial(months, "2026-12")
    expect(full.map((m) => m.month)).toEqual(["2026-10", "2026-11"])
    expect(partial?.month).toBe("2026-12")
  })
  it("counts months back across years", () => {
    expect(Change.monthBefore("2026-01", 1)).toBe("2025-12")
    expect(Change.monthBefore("2026-11", 12)).toBe("2025-11")
  })
})
