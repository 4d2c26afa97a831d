import { describe, expect, it } from "vitest"
import * as Faculty from "../src/Faculty.js"
import * as Pair from "../src/Pair.js"
import * as SchoolFold from "../src/SchoolFold.js"
import { event } from "./scoringFixtures.js"
import { asOf, schoolEvents } from "./summaryScenario.js"

const state = SchoolFold.fromEvents(schoolEvents)

describe("Faculty.summarize", () => {
  it("counts active mentees by tier, leaving out students who are not active", () => {
    const ped = Faculty.summarize(state, "f-ped", asOf)
    expect(ped?.mentees).toEqual({ none: 1, acquainted: 0, developing: 0, strong: 0, advocate: 1 })
    expect(ped?.activeMentoringPairs).toBe(1)
    expect(Faculty.summarize(state, "f-left", asOf)?.mentees.advocate).toBe(0)
  })

  it("tallies letters by stage", () => {
    expect(Faculty.summarize(state, "f-ped", asOf)?.letters).toEqual({
      requested: 1,
      committed: 1,
      submitted: 0,
      declined: 0,
      pending: 1
    })
    expect(Faculty.summarize(state, "f-med", asOf)?.letters.declined).toBe(1)
  })

  it("compares the load with active peers only", () => {
    const all = Faculty.summarizeAll(state, asOf)
    expect(all.map((f) => f.facultyId)).toEqual(["f-left", "f-med", "f-ped", "f-sur"])
    const ped = all.find((f) => f.facultyId === "f-ped")
    expect(ped?.load).toEqual({ activeMentoringPairs: 1, peers: 3, peerMedian: 1, ratioToMedian: 1, percentile: 50 })
    expect(all.find((f) => f.facultyId === "f-left")?.status).toBe("left")
  })

  it("takes a faculty member's specialty from the rotations they supervised, else their department", () => {
    expect(Faculty.summarize(state, "f-sur", asOf)?.specialties).toEqual(["General Surgery"])
    expect(Faculty.summarize(state, "f-ped", asOf)?.specialties).toEqual(["Pediatrics"])
  })

  it("keeps a mentor assignment open until it ends, whatever the order events arrive in", () => {
    const assigned = event("MentorAssigned", "2026-01-05T00:00:00Z", {
      studentId: "s-x",
      facultyId: "f-x",
      program: "college"
    })
    const ended = event("MentorshipEnded", "2026-03-05T00:00:00Z", {
      studentId: "s-x",
      facultyId: "f-x",
      program: "college"
    })
    const open = SchoolFold.fromEvents([assigned]).students.get("s-x")?.pairs.get("f-x")
    const closed = SchoolFold.fromEvents([ended, assigned]).students.get("s-x")?.pairs.get("f-x")
    expect(open && Pair.mentorAssignments(open).map((a) => a.open)).toEqual([true])
    expect(closed && Pair.mentorAssignments(closed).map((a) => a.open)).toEqual([false])
  })

  it("lists research roles, open until ended", () => {
    const pair = state.students.get("s-a")?.pairs.get("f-ped")
    expect(pair && Pair.researchRoles(pair).map((r) => [r.projectId, r.open])).toEqual([["p-1", true]])
  })
})
