import { describe, expect, it } from "vitest"
import { acceptance } from "./acceptance.js"
import { enrolled, ev, given, meeting, visit } from "./given.js"

const started = ev("ResearchRoleStarted", "2026-09-01", {
  studentId: "s-1",
  facultyId: "f-7",
  projectId: "p-9",
  role: "assistant"
})

acceptance({
  ruleId: "research-follow-through",
  history: [enrolled(), started],
  before: "2026-08-31",
  due: "2026-09-10",
  overdue: "2026-09-16",
  settle: meeting("2026-09-20", "f-7"),
  settled: "2026-09-21",
  expired: "2026-10-20",
  later: [visit("2026-10-01", "f-1")],
  dueOn: "2026-09-15",
  statusOn: "2026-08-15"
})

describe("research-follow-through", () => {
  it("is settled by office hours with the lead, not with someone else", () => {
    const [other] = given([enrolled(), started, visit("2026-09-05", "f-1")])
      .at("2026-09-06")
      .followUps("research-follow-through")
    expect(other?.state).toBe("due")
    const [lead] = given([enrolled(), started, visit("2026-09-05", "f-7")])
      .at("2026-09-06")
      .followUps("research-follow-through")
    expect(lead?.state).toBe("done")
    expect(lead?.doneOn).toBe("2026-09-05")
    expect(lead?.sentence).toBe(
      "Check that s-1 has met faculty f-7 about research project p-9, started on 2026-09-01 (due by 2026-09-15)."
    )
  })

  it("drops the follow-up when the role ended before any meeting", () => {
    const ended = ev("ResearchRoleEnded", "2026-09-10", {
      studentId: "s-1",
      facultyId: "f-7",
      projectId: "p-9",
      role: "assistant"
    })
    expect(given([enrolled(), started, ended]).at("2026-09-20").followUps("research-follow-through")).toEqual([])
  })
})
