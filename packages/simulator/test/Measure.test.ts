/**
 * The tiny school held against the published figures: every judged measure of the report
 * lands in its range (the fast version of `bench/measure.mjs`, which measures the mid and
 * large schools over several seeds), and the pieces of the report behave as documented.
 */
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import * as Evidence from "../src/Evidence.js"
import { judge, quantile } from "../src/internal/Judge.js"
import * as Measure from "../src/Measure.js"
import type { SimulatedEvent } from "../src/Delivery.js"
import * as Simulation from "../src/Simulation.js"
import { school } from "./school.js"

const options = { seed: 1, size: "tiny" } as const
const { items, stats } = school(options)
const evidence = Evidence.make()
for (const item of items) Evidence.add(evidence, item)
const report = Measure.report(evidence, stats.truth, Result.getOrThrow(Simulation.describe(options)))
const measured = (id: string) => {
  const found = report.measurements.find((m) => m.id === id)
  if (found === undefined) throw new Error(`no measurement ${id}`)
  return found
}
const value = (id: string) => measured(id).value ?? Number.NaN

describe("Measure: the tiny school against published figures (seed 1)", () => {
  it("passes every judged measure", () => {
    const failing = report.measurements.filter((m) => m.verdict === "fail").map((m) => `${m.id}: ${m.shown}`)
    expect(failing).toEqual([])
    expect(report.passes).toBe(true)
  })

  it("has clinical feedback at 2–4 a clerkship week, from at most 4 faculty a rotation, all on its team", () => {
    expect(value("feedback-per-clerkship-week")).toBeGreaterThanOrEqual(2)
    expect(value("feedback-per-clerkship-week")).toBeLessThanOrEqual(4)
    expect(value("feedback-faculty-per-4-weeks")).toBeLessThanOrEqual(4)
    expect(value("feedback-from-rotation-team")).toBe(1)
    expect(value("attendings-per-4-weeks")).toBeGreaterThanOrEqual(3)
    expect(value("attendings-per-4-weeks")).toBeLessThanOrEqual(4)
  })

  it("has 2–6 mentoring meetings a student-year (p90 at most 12), sustained for 26%–70% in years 3–4", () => {
    expect(value("mentoring-meetings-per-year")).toBeGreaterThanOrEqual(2)
    expect(value("mentoring-meetings-per-year")).toBeLessThanOrEqual(6)
    expect(value("mentoring-meetings-per-year-p90")).toBeLessThanOrEqual(12)
    expect(value("sustained-mentoring-years-3-4")).toBeGreaterThanOrEqual(0.26)
    expect(value("sustained-mentoring-years-3-4")).toBeLessThanOrEqual(0.7)
  })

  it("gives applicants 3–4 letters, at most 4 a specialty, mostly 2+ from the specialty and in before review", () => {
    expect(value("letters-per-applicant")).toBeGreaterThanOrEqual(3)
    expect(value("letters-per-applicant")).toBeLessThanOrEqual(4)
    expect(value("letters-per-specialty")).toBeLessThanOrEqual(4)
    expect(value("letters-from-specialty")).toBeGreaterThanOrEqual(0.85)
    expect(value("letters-in-by-review")).toBeGreaterThanOrEqual(0.9)
  })

  it("keeps lecture engagement a minor share and isolated students 10%–20% of every class", () => {
    expect(value("lecture-engagement-share")).toBeLessThanOrEqual(0.2)
    expect(value("isolated-per-class")).toBe(0)
    const byClass = new Map<number, Array<string>>()
    for (const s of stats.truth.students.values())
      byClass.set(s.classOf, [...(byClass.get(s.classOf) ?? []), s.behaviour])
    for (const types of byClass.values()) {
      const share = types.filter((t) => t === "isolated").length / types.length
      expect(share).toBeGreaterThanOrEqual(0.1)
      expect(share).toBeLessThanOrEqual(0.2)
    }
  })

  it("tells the behaviour types apart, yet lets them overlap", () => {
    const row = (behaviour: string) => report.behaviour.find((r) => r.behaviour === behaviour)
    expect(value("isolated-seek-least")).toBeLessThan(1)
    expect(value("proactive-initiate-most")).toBeGreaterThan(1)
    expect(row("isolated")?.withDiscretionary).toBeGreaterThanOrEqual(0.25)
    expect(row("passive")?.withoutDiscretionary).toBeGreaterThanOrEqual(0.1)
    expect(row("proactive")?.discretionaryPerYear).toBeGreaterThan(row("engaged")?.discretionaryPerYear ?? 0)
  })

  it("reports the mentoring concentration without judging it (self-calibrated)", () => {
    expect(measured("mentoring-concentration").verdict).toBe("reported")
    expect(measured("mentoring-concentration").target).toContain("self-calibrated")
  })

  it("prints every measurement with its target, source and verdict", () => {
    const markdown = Measure.toMarkdown(report)
    for (const m of report.measurements) {
      expect(markdown).toContain(m.measure)
      expect(m.source.length).toBeGreaterThan(10)
    }
    expect(markdown).toContain("every measure holds")
  })
})

describe("Measure: the pieces", () => {
  it("judges inclusive ranges, fails what could not be measured, and only reports without a range", () => {
    const base = { id: "x", measure: "x", shown: "", target: "", source: "" }
    expect(judge({ ...base, value: 2, min: 2, max: 4 }).verdict).toBe("pass")
    expect(judge({ ...base, value: 4.0001, min: 2, max: 4 }).verdict).toBe("fail")
    expect(judge({ ...base, value: undefined, max: 4 }).verdict).toBe("fail")
    expect(judge({ ...base, value: Number.NaN, min: 0 }).verdict).toBe("fail")
    expect(judge({ ...base, value: 99 }).verdict).toBe("reported")
  })

  it("takes quantiles by linear interpolation", () => {
    expect(quantile([3, 1, 2], 0.5)).toBe(2)
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1)
    expect(quantile([], 0.5)).toBeNaN()
  })

  it("keeps only what a store keeps: no malformed, duplicate or retracted event", () => {
    const event = (id: string, flags: SimulatedEvent["flags"]): SimulatedEvent => ({
      event: {
        id,
        type: "MentorshipMeetingHeld",
        occurredAt: "2026-01-05T15:00:00Z",
        source: "advising-app",
        data: { studentId: "s-1", facultyId: "f-1", durationMinutes: 30, topics: ["other"] }
      },
      deliveredAt: "2026-01-05T15:01:00.000Z",
      flags
    })
    const seen = Evidence.make()
    for (const item of [
      event("a", {}),
      event("a", { duplicate: true }),
      event("b", { malformed: "unknown-field" }),
      event("c", { retracted: true })
    ]) {
      Evidence.add(seen, item)
    }
    expect(seen.items).toBe(4)
    expect(seen.accepted).toBe(1)
    expect(seen.students.get("s-1")?.meetings).toHaveLength(1)
    expect(seen.students.get("s-1")?.contacts.map((c) => c.type)).toEqual(["MentorshipMeetingHeld"])
  })

  it("counts neither course rosters nor lecture engagement as discretionary contact", () => {
    expect(Evidence.discretionaryTypes.has("CourseStarted")).toBe(false)
    expect(Evidence.discretionaryTypes.has("CourseCompleted")).toBe(false)
    expect(Evidence.discretionaryTypes.has("LectureEngagementRecorded")).toBe(false)
    expect(Evidence.discretionaryTypes.has("ClinicalFeedbackGiven")).toBe(false)
    for (const [, student] of evidence.students) {
      for (const contact of student.contacts) expect(Evidence.discretionaryTypes.has(contact.type)).toBe(true)
    }
  })
})
