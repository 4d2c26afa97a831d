import { describe, expect, it } from "vitest"
import * as Cell from "../src/lib/Cell.js"

const small: Cell.Suppressed = { suppressed: true, reason: "small-group", threshold: 10 }
const sensitive: Cell.Suppressed = { suppressed: true, reason: "sensitive", threshold: 10 }
const complementary: Cell.Suppressed = { suppressed: true, reason: "complementary", threshold: 10 }

describe("Cell formatting", () => {
  it("formats counts, shares, decimals and days", () => {
    expect(Cell.formatNumber(1204, "count")).toBe("1,204")
    expect(Cell.formatNumber(0.423, "share")).toBe("42%")
    expect(Cell.formatNumber(0.042, "share")).toBe("4.2%")
    expect(Cell.formatNumber(0, "share")).toBe("0%")
    expect(Cell.formatNumber(0.3142, "decimal")).toBe("0.31")
    expect(Cell.formatNumber(1, "days")).toBe("1 day")
    expect(Cell.formatNumber(12, "days")).toBe("12 days")
    expect(Cell.formatNumber(Number.POSITIVE_INFINITY, "count")).toBe("—")
  })

  it("says why a cell is hidden, on screen and in exports", () => {
    expect(Cell.formatCell(small, "count")).toBe("hidden (<10)")
    expect(Cell.formatCell(sensitive, "count")).toBe("hidden (sensitive)")
    expect(Cell.suppressedSpoken(small)).toBe("hidden: fewer than 10 people")
    expect(Cell.csvCell(small)).toBe("suppressed (small group < 10)")
    expect(Cell.csvCell(sensitive)).toBe("suppressed (sensitive)")
    expect(Cell.suppressedReason(small)).toContain("fewer than 10 people")
    expect(Cell.suppressedReason(sensitive)).toContain("sensitive")
    // a large group hidden to protect a small one says so, never "fewer than 10"
    expect(Cell.formatCell(complementary, "count")).toBe("hidden (protects a small group)")
    expect(Cell.csvCell(complementary)).toBe("suppressed (protects a group < 10)")
    expect(Cell.suppressedReason(complementary)).toContain("subtracting")
    expect(Cell.suppressedSpoken(complementary)).not.toContain("hidden: fewer than")
  })

  it("never turns a hidden cell into a number", () => {
    expect(Cell.numberOf(small)).toBeNull()
    expect(Cell.numberOf(7)).toBe(7)
    expect(Cell.csvCell(7)).toBe(7)
    expect(Cell.csvCell(null)).toBe("")
  })

  it("hides a derived share when either input is hidden", () => {
    expect(Cell.share(small, 40)).toEqual(small)
    expect(Cell.share(12, small)).toEqual(small)
    expect(Cell.share(10, 40)).toBe(0.25)
    expect(Cell.share(0, 0)).toBeNull()
  })

  it("lists each reason once", () => {
    const reasons = Cell.suppressionsIn([1, small, small, null, sensitive, { ...small, threshold: 5 }])
    expect(reasons).toHaveLength(3)
  })
})
