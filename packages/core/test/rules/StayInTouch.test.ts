import { describe, expect, it } from "vitest"
import * as RuleContext from "../../src/rules/Context.js"
import { acceptance } from "./acceptance.js"
import { at, enrolled, ev, given, meeting, visit } from "./given.js"

// Four monthly one-hour meetings on research: a strong relationship by 2026-04-15.
const strong = [
  meeting("2026-01-15", "f-3"),
  meeting("2026-02-15", "f-3"),
  meeting("2026-03-15", "f-3"),
  meeting("2026-04-15", "f-3")
]

acceptance({
  ruleId: "stay-in-touch",
  history: [enrolled(), ...strong],
  before: "2026-06-20",
  due: "2026-07-01",
  overdue: "2026-07-16",
  settle: visit("2026-07-18", "f-3"),
  settled: "2026-07-25",
  expired: "2026-09-20",
  later: [meeting("2026-08-01", "f-8")],
  dueOn: "2026-07-14",
  statusOn: "2026-05-01"
})

describe("stay-in-touch", () => {
  it("watches pairs that were strong at their last contact", () => {
    const context = RuleContext.fromEvents([enrolled(), ...strong], at("2026-07-01"))
    expect(["strong", "advocate"]).toContain(context.tier("s-1", "f-3", at("2026-04-15")))
    const [followUp] = given([enrolled(), ...strong])
      .at("2026-07-01")
      .followUps("stay-in-touch")
    expect(followUp?.sentence).toBe(
      "Encourage s-1 to get back in touch with faculty f-3: no meeting, note or visit since 2026-04-15 (due by 2026-07-14)."
    )
    expect(followUp?.subject).toBe("2026-04-15")
  })

  it("judges silence on discretionary contact: a lecture question neither resets nor settles it", () => {
    const question = ev("LectureEngagementRecorded", "2026-07-01", {
      studentId: "s-1",
      facultyId: "f-3",
      courseId: "c-1",
      kind: "question"
    })
    const [followUp] = given([enrolled(), ...strong, question])
      .at("2026-07-16")
      .followUps("stay-in-touch")
    expect(followUp?.subject).toBe("2026-04-15")
    expect(followUp?.state).toBe("overdue")
  })

  it("ignores weaker relationships", () => {
    const weak = [enrolled(), meeting("2026-04-15", "f-4"), meeting("2026-05-15", "f-4")]
    expect(given(weak).at("2026-09-01").followUps("stay-in-touch")).toEqual([])
  })

  it("is not needed while contact keeps coming", () => {
    const kept = [enrolled(), ...strong, visit("2026-06-01", "f-3")]
    expect(given(kept).at("2026-07-01").followUps("stay-in-touch")).toEqual([])
  })

  it("keeps the settled silence done and opens a new one after the next silence", () => {
    const events = [enrolled(), ...strong, visit("2026-07-18", "f-3")]
    const found = given(events).at("2026-10-10").followUps("stay-in-touch")
    expect(found.map((f) => [f.subject, f.state])).toEqual([
      ["2026-04-15", "done"],
      ["2026-07-18", "due"]
    ])
    expect(found[0]?.doneOn).toBe("2026-07-18")
  })
})
