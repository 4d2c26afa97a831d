import { describe, expect, it } from "vitest"
import { acceptance } from "./acceptance.js"
import { enrolled, ev, given, meeting } from "./given.js"

const requested = ev("LetterRequested", "2026-05-01", {
  studentId: "s-1",
  facultyId: "f-1",
  letterId: "L-1",
  cycle: 2027,
  specialty: "Cardiology"
})
const committed = (when: string) => ev("LetterCommitted", when, { studentId: "s-1", facultyId: "f-1", letterId: "L-1" })
const submitted = (when: string) => ev("LetterSubmitted", when, { studentId: "s-1", facultyId: "f-1", letterId: "L-1" })
const declined = (when: string) => ev("LetterDeclined", when, { studentId: "s-1", facultyId: "f-1", letterId: "L-1" })

const isCommit = (f: { readonly dueOn: string }) => f.dueOn === "2026-05-15"
const isSubmit = (f: { readonly dueOn: string }) => f.dueOn === "2026-09-15"

// Step one: requested, not committed after 14 days.
acceptance({
  ruleId: "letter-pipeline",
  history: [enrolled(), requested],
  before: "2026-04-30",
  due: "2026-05-05",
  overdue: "2026-05-16",
  settle: committed("2026-05-20"),
  settled: "2026-05-21",
  expired: "2026-06-20",
  later: [meeting("2026-06-01", "f-2")],
  dueOn: "2026-05-15",
  pick: isCommit,
  statusOn: "2026-04-01"
})

// Step two: committed, not submitted close to the deadline (2026-09-15 for cycle 2027).
acceptance({
  ruleId: "letter-pipeline",
  history: [enrolled(), requested, committed("2026-05-10")],
  before: "2026-08-10",
  due: "2026-08-20",
  settle: submitted("2026-09-10"),
  settled: "2026-09-11",
  expired: "2026-09-16",
  later: [meeting("2026-10-01", "f-2")],
  dueOn: "2026-09-15",
  pick: isSubmit,
  statusOn: "2026-04-01"
})

describe("letter-pipeline", () => {
  it("reads as a person would say it", () => {
    const found = given([enrolled(), requested, committed("2026-05-10")])
      .at("2026-08-20")
      .followUps("letter-pipeline")
    expect(found.find(isCommit)?.sentence).toBe(
      "Ask faculty f-1 whether they can write s-1's letter L-1 (Cardiology), requested on 2026-05-01 (due by 2026-05-15)."
    )
    expect(found.find(isSubmit)?.sentence).toBe(
      "Remind faculty f-1 that s-1's letter L-1 (Cardiology), committed on 2026-05-10, is due by 2026-09-15."
    )
    expect(found.find(isCommit)?.state).toBe("done")
  })

  it("drops a declined letter", () => {
    const events = [enrolled(), requested, committed("2026-05-10"), declined("2026-06-01")]
    expect(given(events).at("2026-09-01").followUps("letter-pipeline")).toEqual([])
  })

  it("does not report a submission made before the reminder would have opened", () => {
    const events = [enrolled(), requested, submitted("2026-06-01")]
    const found = given(events).at("2026-09-01").followUps("letter-pipeline")
    expect(found.map((f) => [f.dueOn, f.state])).toEqual([["2026-05-15", "done"]])
  })

  it("takes the cycle from the graduation year when the request is missing", () => {
    const events = [enrolled("s-1", 2028), committed("2027-08-20")]
    const found = given(events).at("2027-08-21").followUps("letter-pipeline")
    expect(found.map((f) => [f.dueOn, f.state])).toEqual([["2027-09-15", "due"]])
  })
})
