import { describe, expect, it } from "vitest"
import type { RapportEvent } from "../src/Event.js"
import * as Nudge from "../src/Nudge.js"
import * as Rules from "../src/rules/BuiltinRules.js"
import * as RuleContext from "../src/rules/Context.js"
import * as FollowUps from "../src/rules/RuleEngine.js"
import { at, enrolled, ev, meeting, shuffle, visit } from "./rules/given.js"

const rotation = ev("RotationCompleted", "2026-10-02", {
  studentId: "s-1",
  facultyIds: ["f-204"],
  rotationId: "rot-7",
  specialty: "cardiology",
  startedOn: "2026-09-07",
  endedOn: "2026-10-02"
})

const followUpsAt = (events: ReadonlyArray<RapportEvent>, when: string) =>
  FollowUps.evaluate(Rules.all, events, at(when), RuleContext.fromEvents(events, at(when)))

const thankYouId = (() => {
  const [followUp] = followUpsAt([enrolled(), rotation], "2026-10-05").filter((f) => f.ruleId === "thank-you")
  if (followUp === undefined) throw new Error("the scenario has a thank-you follow-up")
  return followUp.id
})()

const nudge = (when: string, followUpId = thankYouId, ruleId = "thank-you", facultyId?: string) =>
  ev(
    "NudgeSent",
    when,
    facultyId === undefined
      ? { studentId: "s-1", followUpId, ruleId, channel: "email" }
      : { studentId: "s-1", followUpId, ruleId, channel: "email", facultyId }
  )

const measure = (events: ReadonlyArray<RapportEvent>, when: string, options: Nudge.Options = {}) => {
  const context = RuleContext.fromEvents(events, at(when))
  const followUps = FollowUps.evaluate(Rules.all, events, at(when), context)
  return Nudge.outcomes(events, at(when), context, { followUps, ...options })
}

describe("Nudge.outcomes", () => {
  it("measures from a nudge to the next contact with the follow-up's faculty", () => {
    const thanks = ev("FollowUpSent", "2026-10-08", {
      studentId: "s-1",
      facultyId: "f-204",
      kind: "thank-you",
      channel: "email"
    })
    const events = [enrolled(), rotation, visit("2026-10-06", "f-9"), nudge("2026-10-05"), thanks]
    const [outcome] = measure(events, "2026-11-30")
    expect(outcome).toMatchObject({
      followUpId: thankYouId,
      ruleId: "thank-you",
      facultyIds: ["f-204"],
      followedByContact: true,
      pending: false,
      daysToContact: 3,
      contactAt: at("2026-10-08")
    })
  })

  it("does not count contact before the nudge, or after asOf", () => {
    const events = [
      enrolled(),
      rotation,
      visit("2026-10-04", "f-204"),
      nudge("2026-10-05"),
      visit("2026-12-01", "f-204")
    ]
    const [outcome] = measure(events, "2026-11-30")
    expect(outcome?.followedByContact).toBe(false)
    expect(outcome?.pending).toBe(false)
    expect(outcome?.contactAt).toBeUndefined()
  })

  it("counts only contact strictly after the nudge: one at the same instant is not its answer", () => {
    // several contacts at the nudge's instant and before it, with other faculty in between
    const events = [
      enrolled(),
      rotation,
      visit("2026-10-05", "f-204"),
      visit("2026-10-05", "f-9"),
      nudge("2026-10-05"),
      visit("2026-10-06", "f-9"),
      visit("2026-10-07", "f-9"),
      visit("2026-10-09", "f-204")
    ]
    const [outcome] = measure(events, "2026-11-30")
    expect(outcome).toMatchObject({ followedByContact: true, daysToContact: 4, contactAt: at("2026-10-09") })
  })

  it("is pending while the window is open, and late contact is not 'followed'", () => {
    const events = [enrolled(), rotation, nudge("2026-10-05")]
    expect(measure(events, "2026-10-20")[0]?.pending).toBe(true)
    const late = [...events, visit("2026-12-01", "f-204")]
    const [outcome] = measure(late, "2026-12-31")
    expect(outcome).toMatchObject({ followedByContact: false, pending: false, daysToContact: 57 })
    expect(measure(late, "2026-12-31", { withinDays: 60 })[0]?.followedByContact).toBe(true)
  })

  it("falls back to the nudge's faculty, then to any faculty, when the follow-up is unknown", () => {
    const events = [enrolled(), nudge("2026-10-05", "custom~1", "custom", "f-1"), visit("2026-10-07", "f-2")]
    expect(measure(events, "2026-11-30")[0]?.followedByContact).toBe(false)
    const anyone = [enrolled(), nudge("2026-10-05", "custom~1", "custom"), visit("2026-10-07", "f-2")]
    expect(measure(anyone, "2026-11-30")[0]).toMatchObject({
      facultyIds: [],
      followedByContact: true,
      daysToContact: 2
    })
  })

  it("does not count a support check-in as contact", () => {
    const support = ev("SupportCheckInHeld", "2026-10-06", { studentId: "s-1", facultyId: "f-204", kind: "wellbeing" })
    expect(measure([enrolled(), rotation, nudge("2026-10-05"), support], "2026-12-31")[0]?.followedByContact).toBe(
      false
    )
  })

  it("gives the same outcomes in any order, and drops retracted nudges", () => {
    const sent = nudge("2026-10-05")
    const events = [enrolled(), rotation, sent, meeting("2026-10-09", "f-204"), nudge("2026-10-20")]
    const expected = measure(events, "2026-12-31")
    expect(expected).toHaveLength(2)
    expect(measure(shuffle(events, 3), "2026-12-31")).toEqual(expected)
    const retraction = ev("EventRetracted", "2026-10-06", { eventId: sent.id, reason: "sent in error" })
    expect(measure([retraction, ...events], "2026-12-31")).toHaveLength(1)
  })
})

describe("Nudge.summarize", () => {
  it("sums up per rule: sent, followed, pending, share of decided nudges, median days", () => {
    const events = [
      enrolled(),
      rotation,
      nudge("2026-10-05"),
      visit("2026-10-07", "f-204"),
      nudge("2026-10-10"),
      visit("2026-10-14", "f-204"),
      nudge("2026-11-01", "custom~1", "custom", "f-1"),
      nudge("2026-12-20", "custom~2", "custom", "f-1")
    ]
    expect(Nudge.summarize(measure(events, "2026-12-31"))).toEqual([
      { ruleId: "custom", sent: 2, followedByContact: 0, pending: 1, share: 0, medianDaysToContact: undefined },
      { ruleId: "thank-you", sent: 2, followedByContact: 2, pending: 0, share: 1, medianDaysToContact: 3 }
    ])
  })

  it("has no share while every nudge is pending", () => {
    const [summary] = Nudge.summarize(measure([enrolled(), rotation, nudge("2026-10-05")], "2026-10-06"))
    expect(summary?.share).toBeUndefined()
    expect(summary?.pending).toBe(1)
  })
})
