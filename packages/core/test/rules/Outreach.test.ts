import { describe, expect, it } from "vitest"
import * as FollowUp from "../../src/FollowUp.js"
import { enrolled, ev, given, visit } from "./given.js"

const letterRequest = ev("LetterRequested", "2025-10-01", {
  studentId: "s-1",
  facultyId: "f-1",
  letterId: "l-1",
  cycle: 2027,
  specialty: "Medicine"
})

describe("outreach", () => {
  it("is due 90 days after enrolment when no discretionary contact came", () => {
    const open = given([enrolled()]).at("2025-11-05").followUps("outreach").filter(FollowUp.isOpen)
    expect(open.map((f) => f.dueOn)).toEqual(["2025-10-30"])
  })

  it("is not answered by a letter request, which every applicant makes (as isolation leaves letters out)", () => {
    const open = given([enrolled(), letterRequest]).at("2025-11-05").followUps("outreach").filter(FollowUp.isOpen)
    expect(open.map((f) => f.dueOn)).toEqual(["2025-10-30"])
  })

  it("is answered by an office-hours visit: the silence starts again from it", () => {
    const all = given([enrolled(), visit("2025-10-01", "f-1")])
      .at("2025-11-05")
      .followUps("outreach")
    expect(all).toEqual([])
  })
})
