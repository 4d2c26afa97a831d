import { describe, expect, it } from "vitest"
import * as Result from "effect/Result"
import * as Rule from "../../src/Rule.js"
import * as LetterReadiness from "../../src/rules/LetterReadiness.js"
import { acceptance } from "./acceptance.js"
import { enrolled, ev, given, meeting, visit } from "./given.js"

const months = ["01", "02", "03", "04", "05", "06", "07", "08", "09"]
const joined = (facultyId: string, department: string) => ev("FacultyJoined", "2020-01-01", { facultyId, department })

// f-1 and f-2 (Cardiology) meet the student monthly all year: advocates throughout.
// f-3 (Medicine) meets them June to August: strong, one publication short of advocate.
const history = [
  enrolled(),
  ev("SpecialtyDeclared", "2025-12-01", { studentId: "s-1", specialty: "Cardiology" }),
  joined("f-1", "Cardiology"),
  joined("f-2", "Cardiology"),
  joined("f-3", "Medicine"),
  ...months.map((m) => meeting(`2026-${m}-10`, "f-1")),
  ...months.map((m) => meeting(`2026-${m}-12`, "f-2")),
  ...["06", "07", "08"].map((m) => meeting(`2026-${m}-14`, "f-3"))
]
const publication = ev("PublicationCoauthored", "2026-09-20", {
  studentId: "s-1",
  facultyIds: ["f-3"],
  publicationId: "pub-1"
})

acceptance({
  ruleId: "letter-readiness",
  history,
  before: "2026-03-10",
  due: "2026-05-01",
  settle: ev("PublicationCoauthored", "2026-09-05", { studentId: "s-1", facultyIds: ["f-3"], publicationId: "pub-1" }),
  settled: "2026-09-06",
  expired: "2026-09-16",
  later: [visit("2026-10-01", "f-9")],
  dueOn: "2026-09-15",
  statusOn: "2026-02-01"
})

describe("letter-readiness", () => {
  it("counts advocates in and out of the chosen specialty", () => {
    const [open] = given(history).at("2026-09-10").followUps("letter-readiness")
    expect(open?.subject).toBe("2027")
    expect(open?.facultyIds).toEqual([])
    expect(open?.sentence).toBe(
      "Help s-1 line up letters for the 2027 Match by 2026-09-15: 2 of 3 advocates so far, 2 in Cardiology."
    )
    const onTime = ev("PublicationCoauthored", "2026-09-05", {
      studentId: "s-1",
      facultyIds: ["f-3"],
      publicationId: "p"
    })
    const [done] = given([...history, onTime])
      .at("2026-09-21")
      .followUps("letter-readiness")
    expect(done?.state).toBe("done")
    expect(done?.doneOn).toBe("2026-09-05")
    expect(done?.sentence).toBe(
      "s-1 had letters lined up for the 2027 Match on 2026-09-05: 3 advocates, 2 in Cardiology (needed by 2026-09-15)."
    )
  })

  it("closes on the programs-review date as met or missed, never overdue", () => {
    const [missed] = given(history).at("2026-09-16").followUps("letter-readiness")
    expect(missed?.state).toBe("expired")
    expect(missed?.sentence).toBe(
      "s-1 did not have letters lined up for the 2027 Match by 2026-09-15: 2 of 3 advocates, 2 in Cardiology."
    )
    // Ready five days after programs started reading: missed for this season.
    const [late] = given([...history, publication])
      .at("2026-09-21")
      .followUps("letter-readiness")
    expect(late?.state).toBe("expired")
    expect(late?.id).toBe(missed?.id)
  })

  it("is done from the day it opens for a student who was ready before, and stays done", () => {
    const early = ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04"]
    const events = [
      ...history.slice(0, 5),
      ...early.flatMap((m) => [meeting(`${m}-10`, "f-1"), meeting(`${m}-11`, "f-2"), meeting(`${m}-12`, "f-3")])
    ]
    const [opening] = given(events).at("2026-04-16").followUps("letter-readiness")
    expect(opening?.state).toBe("done")
    expect(opening?.doneOn).toBe("2026-04-15")
    // Months later, without contact, the relationships have faded; the follow-up was achieved.
    const [later] = given(events).at("2026-12-01").followUps("letter-readiness")
    expect(later?.id).toBe(opening?.id)
    expect(later?.state).toBe("done")
  })

  it("is not done without enough advocates in the specialty", () => {
    const strict = Result.getOrThrow(Rule.configure(LetterReadiness.rule, { inSpecialtyNeeded: 3 }))
    const [followUp] = given([...history, publication], { rules: [strict] })
      .at("2026-09-21")
      .followUps("letter-readiness")
    expect(followUp?.state).toBe("expired")
  })

  it("takes the cycle from the latest letter request over the graduation year", () => {
    const request = ev("LetterRequested", "2026-02-01", {
      studentId: "s-1",
      facultyId: "f-1",
      letterId: "L-1",
      cycle: 2028,
      specialty: "Cardiology"
    })
    const [followUp] = given([...history, request])
      .at("2027-05-01")
      .followUps("letter-readiness")
    expect(followUp?.subject).toBe("2028")
    expect(followUp?.dueOn).toBe("2027-09-15")
  })

  it("counts letters committed or submitted as the student's page does, whichever is higher", () => {
    // three writers known only from a rotation each, two letters requested for Cardiology
    const letter = (n: number, facultyId: string, specialty: string, committed: string) => [
      ev("LetterRequested", "2026-05-01", { studentId: "s-1", facultyId, letterId: `l-${n}`, cycle: 2027, specialty }),
      ev("LetterCommitted", committed, { studentId: "s-1", facultyId, letterId: `l-${n}` })
    ]
    const writers = [
      enrolled(),
      ev("SpecialtyDeclared", "2025-12-01", { studentId: "s-1", specialty: "Cardiology" }),
      joined("f-4", "Surgery"),
      joined("f-5", "Medicine"),
      joined("f-6", "Pediatrics"),
      ...letter(1, "f-4", "Cardiology", "2026-06-01"),
      ...letter(2, "f-5", "Cardiology", "2026-06-10"),
      ...letter(3, "f-6", "Internal Medicine", "2026-07-01")
    ]
    const [before] = given(writers).at("2026-06-20").followUps("letter-readiness")
    expect(before?.sentence).toBe(
      "Help s-1 line up letters for the 2027 Match by 2026-09-15: 2 of 3 letter writers so far, 2 in Cardiology."
    )
    const [ready] = given(writers).at("2026-09-20").followUps("letter-readiness")
    expect(ready?.state).toBe("done")
    expect(ready?.doneOn).toBe("2026-07-01")
    expect(ready?.sentence).toBe(
      "s-1 had letters lined up for the 2027 Match on 2026-07-01: 3 letter writers, 2 in Cardiology (needed by 2026-09-15)."
    )
  })

  it("names the missing specialty when none was declared", () => {
    const [followUp] = given([enrolled()]).at("2026-04-20").followUps("letter-readiness")
    expect(followUp?.sentence).toBe(
      "Help s-1 line up letters for the 2027 Match by 2026-09-15: 0 of 3 letter writers so far, 0 of 2 in their chosen specialty (none declared yet)."
    )
  })

  it("never asks for more letters than a program reads", () => {
    expect(Result.isFailure(Rule.configure(LetterReadiness.rule, { advocatesNeeded: 5 }))).toBe(true)
    expect(Result.isFailure(Rule.configure(LetterReadiness.rule, { advocatesNeeded: 2, inSpecialtyNeeded: 3 }))).toBe(
      true
    )
    expect(Result.isFailure(Rule.configure(LetterReadiness.rule, { deadline: "02-29" }))).toBe(true)
  })
})
