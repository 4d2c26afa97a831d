import { describe, expect, it } from "vitest"
import * as Labels from "../src/lib/Labels.js"

describe("Labels", () => {
  it("names tiers, rules and events in the school's words, and unknown ids readably", () => {
    expect(Labels.tierLabel("advocate")).toBe("Advocate")
    expect(Labels.ruleLabel("thank-you")).toBe("Thank-you after a rotation or course")
    expect(Labels.ruleLabel("our-own-rule")).toBe("Our own rule")
    expect(Labels.eventLabel("OfficeHoursVisited")).toBe("Office hours")
    expect(Labels.eventLabel("SomethingNew")).toBe("Something new")
  })

  it("writes dates and months without shifting the calendar day", () => {
    expect(Labels.formatDate("2026-06-01")).toBe("Jun 1, 2026")
    expect(Labels.formatMonth("2026-09")).toBe("Sep 2026")
    expect(Labels.formatInstant(null)).toBe("never")
  })

  it("counts days between calendar dates", () => {
    expect(Labels.daysBetween("2026-01-30", "2026-03-01")).toBe(30)
    expect(Labels.daysBetween("2026-03-01", "2026-01-30")).toBe(-30)
  })
})
