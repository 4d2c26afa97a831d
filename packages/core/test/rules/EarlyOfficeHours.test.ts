import { describe, expect, it } from "vitest"
import { acceptance } from "./acceptance.js"
import { enrolled, ev, given, meeting, visit } from "./given.js"

const course = ev("CourseStarted", "2026-09-01", {
  studentId: "s-1",
  courseId: "c-101",
  facultyIds: ["f-2", "f-1"],
  startedOn: "2026-09-01"
})

acceptance({
  ruleId: "early-office-hours",
  history: [enrolled(), course],
  before: "2026-08-31",
  due: "2026-09-10",
  overdue: "2026-10-01",
  settle: visit("2026-10-05", "f-2"),
  settled: "2026-10-06",
  expired: "2026-10-20",
  later: [meeting("2026-10-20", "f-9")],
  dueOn: "2026-09-29",
  statusOn: "2026-08-15"
})

describe("early-office-hours", () => {
  it("names the course's faculty and is settled by a visit to any of them", () => {
    const [open] = given([enrolled(), course]).at("2026-09-02").followUps("early-office-hours")
    expect(open?.facultyIds).toEqual(["f-1", "f-2"])
    expect(open?.sentence).toBe(
      "Encourage s-1 to visit the office hours of faculty f-1 or f-2 early in course c-101, started on 2026-09-01 (due by 2026-09-29)."
    )
    const [done] = given([enrolled(), course, visit("2026-09-08", "f-1")])
      .at("2026-09-09")
      .followUps("early-office-hours")
    expect(done?.state).toBe("done")
  })

  it("does not count a visit from before the course or to another faculty member", () => {
    const events = [enrolled(), course, visit("2026-08-20", "f-1"), visit("2026-09-03", "f-9")]
    const [followUp] = given(events).at("2026-09-05").followUps("early-office-hours")
    expect(followUp?.state).toBe("due")
  })
})
