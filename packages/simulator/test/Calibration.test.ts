/**
 * The numbers the simulator promises, measured by @rapport/core itself over a small
 * school: decode every delivery with core's decoder, fold the accepted ones once each with
 * core's SchoolFold, and read core's summaries and follow-up rules as of the end. (The
 * published figures are `Measure`'s, tested over the tiny school in Measure.test.ts.)
 */
import {
  Config,
  Decode,
  RuleEngine,
  Nudge,
  RuleContext,
  BuiltinRules,
  School,
  SchoolFold,
  Student
} from "@rapport/core"
import type { Event } from "@rapport/core"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { describe as describeSchool } from "../src/Simulation.js"
import { timeZone } from "../src/SchoolTime.js"
import { school } from "./school.js"

const options = { seed: 1, size: "small" } as const
const { items, stats } = school(options)
const asOf = Result.getOrThrow(describeSchool(options)).end
const fold = SchoolFold.make(Result.getOrThrow(Config.makeConfig({ timeZone })))
const accepted: Array<Event.RapportEvent> = []
const disagreements: Array<string> = []
for (const item of items) {
  const decoded = Decode.decodeEvent(item.event)
  if (Result.isSuccess(decoded) === (item.flags.malformed !== undefined)) {
    disagreements.push(`${item.event.id} ${item.flags.malformed ?? "well-formed"}`)
  }
  if (Result.isFailure(decoded) || item.flags.duplicate === true) continue
  fold.apply(decoded.success)
  accepted.push(decoded.success)
}
const summary = School.summarize(fold.state, asOf)
const context = RuleContext.fromState(fold.state, asOf)
const followUps = RuleEngine.evaluate(BuiltinRules.all, accepted, asOf, context)

describe("Calibration against @rapport/core (small school, seed 1)", () => {
  it("flags as malformed exactly the deliveries core's decodeEvent rejects", () => {
    expect(disagreements).toEqual([])
    expect(items.some((i) => i.flags.malformed !== undefined)).toBe(true)
  })

  it("has between 10% and 20% of every class isolated by behaviour (the ground truth)", () => {
    expect(summary.students.activeStudents).toBeGreaterThan(140)
    const byClass = new Map<number, Array<string>>()
    for (const student of stats.truth.students.values()) {
      byClass.set(student.classOf, [...(byClass.get(student.classOf) ?? []), student.behaviour])
    }
    expect(byClass.size).toBeGreaterThanOrEqual(6)
    for (const [classOf, types] of byClass) {
      const share = types.filter((t) => t === "isolated").length / types.length
      expect(share, `class of ${classOf}`).toBeGreaterThanOrEqual(0.1)
      expect(share, `class of ${classOf}`).toBeLessThanOrEqual(0.2)
    }
  })

  // Core's current scoring also flags first-years without two months of contact (a third of
  // active students, bench/measure.mjs); issue #16 recalibrates isolation against the truth.
  it("isolates the students whose habits are isolated far more often than proactive ones", () => {
    const rate = (archetype: string) => {
      let n = 0
      let isolated = 0
      for (const s of fold.state.students.values()) {
        if (s.status !== "active" || stats.truth.students.get(s.studentId)?.behaviour !== archetype) continue
        n++
        if (Student.standing(s, Date.parse(asOf), fold.state).isolated) isolated++
      }
      return isolated / Math.max(1, n)
    }
    expect(rate("isolated")).toBeGreaterThan(0.3)
    expect(rate("proactive")).toBeLessThan(0.1)
  })

  it("has the top 10% of faculty holding between 40% and 60% of active mentoring pairs (self-calibrated)", () => {
    const { top } = summary.concentration
    expect(top.total).toBeGreaterThan(300)
    expect(top.share).toBeGreaterThanOrEqual(0.4)
    expect(top.share).toBeLessThanOrEqual(0.6)
  })

  it("makes every built-in follow-up rule fire (open follow-ups as of the end, and done ones)", () => {
    const counts = RuleEngine.countByRule(followUps)
    for (const rule of BuiltinRules.all) {
      const c = counts.get(rule.id)
      expect(c, rule.id).toBeDefined()
      // letter readiness closes on the programs-review date as met (done) or missed
      // (expired), so past it none is open; counted by letters committed or submitted, every
      // applicant of this small school was ready by then: done is what it shows
      if (rule.id !== "letter-readiness") {
        const open = (c?.due ?? 0) + (c?.overdue ?? 0)
        expect(open, `${rule.id} open`).toBeGreaterThan(0)
      }
      expect(c?.done ?? 0, `${rule.id} done`).toBeGreaterThan(0)
    }
  })

  it("sends nudges that name core's follow-ups, some followed by contact", () => {
    const outcomes = Nudge.outcomes(accepted, asOf, context, { followUps })
    const known = new Set(followUps.map((f) => f.id))
    const current = outcomes.filter((o) => fold.state.students.get(o.studentId)?.status === "active")
    const matched = current.filter((o) => known.has(o.followUpId)).length
    expect(matched / current.length).toBeGreaterThan(0.7)
    const byRule = Nudge.summarize(outcomes)
    // every rule but outreach (issue #17), which the simulated messaging system does not nudge about yet
    expect(byRule.map((r) => r.ruleId).sort()).toEqual(
      BuiltinRules.all
        .map((r) => r.id)
        .filter((id) => id !== BuiltinRules.ids.outreach)
        .sort()
    )
    for (const rule of byRule) expect(rule.followedByContact, rule.ruleId).toBeGreaterThan(0)
  })
})
