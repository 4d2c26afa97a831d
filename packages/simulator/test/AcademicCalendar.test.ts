import { describe, expect, it } from "vitest"
import * as AcademicCalendar from "../src/AcademicCalendar.js"
import { isoDate, weekday } from "../src/SchoolTime.js"

describe("AcademicCalendar", () => {
  it("enrols at the end of July, matches in March and graduates in May", () => {
    expect(isoDate(AcademicCalendar.orientationDay(2025))).toBe("2025-07-28")
    expect(isoDate(AcademicCalendar.matchDay(2027))).toBe("2027-03-19")
    expect(isoDate(AcademicCalendar.commencementDay(2027))).toBe("2027-05-21")
  })

  it("opens the application season of cycle C in June of C−1 and reviews from late September", () => {
    const season = AcademicCalendar.applicationSeason(2027)
    expect(isoDate(season.opens)).toBe("2026-06-01")
    expect(isoDate(season.lettersDue)).toBe("2026-09-15")
    expect(isoDate(season.reviewFrom)).toBe("2026-09-30")
    expect(season.requestsFrom).toBeLessThan(season.opens)
    expect(season.reviewFrom).toBeLessThan(AcademicCalendar.commencementDay(2027))
  })

  for (const classOf of [2024, 2027, 2031]) {
    it(`lays out the curriculum of the class of ${classOf} from Monday to Friday, in order, before commencement`, () => {
      const blocks = [
        ...AcademicCalendar.preclinicalBlocks(classOf),
        ...AcademicCalendar.clinicalBlocks(classOf, classOf % 7, "Pediatrics", ["Surgery", "Radiology"])
      ]
      const sequential = blocks.filter((b) => b.kind !== "doctoring")
      sequential.forEach((block, i) => {
        expect(weekday(block.startDay)).toBe(1)
        expect(weekday(block.endDay)).toBe(5)
        expect(block.endDay).toBeGreaterThan(block.startDay)
        const next = sequential[i + 1]
        if (next !== undefined) expect(next.startDay).toBeGreaterThan(block.endDay)
      })
      expect(blocks[0]?.startDay).toBeGreaterThan(AcademicCalendar.orientationDay(classOf - 4))
      for (const block of blocks) {
        expect(block.endDay).toBeLessThan(AcademicCalendar.commencementDay(classOf))
        expect(AcademicCalendar.yearOfStudy(classOf, block.startDay)).toBe(block.yearOfStudy)
      }
      const clerkships = blocks.filter((b) => b.kind === "clerkship").map((b) => b.name)
      expect(new Set(clerkships).size).toBe(7)
      expect(blocks.some((b) => b.id.startsWith("SUBI-PEDS-"))).toBe(true)
    })
  }
})
