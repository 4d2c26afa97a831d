import { describe, expect, it } from "vitest"
import { makeConfig } from "../../src/Config.js"
import * as Result from "effect/Result"
import * as RuleContext from "../../src/rules/Context.js"
import { at, enrolled, ev, meeting, status, visit } from "./given.js"

const history = [
  enrolled("s-1", 2027, ["Pediatrics"]),
  ev("FacultyJoined", "2020-01-01", { facultyId: "f-1", department: "Pediatrics" }),
  meeting("2026-01-15", "f-1"),
  meeting("2026-02-15", "f-1"),
  meeting("2026-03-15", "f-1"),
  meeting("2026-04-15", "f-1"),
  ev("SupportCheckInHeld", "2026-05-01", { studentId: "s-1", facultyId: "f-2", kind: "wellbeing" }),
  status("2026-06-01", "leave"),
  ev("SpecialtyDeclared", "2026-06-01", { studentId: "s-1", specialty: "Neurology" })
]

describe("RuleContext.fromEvents", () => {
  it("answers as of asOf: status, specialties, relationships", () => {
    const before = RuleContext.fromEvents(history, at("2026-05-15"))
    expect(before.studentStatus("s-1")).toBe("active")
    expect(before.specialties("s-1")).toEqual(["Pediatrics"])
    expect(before.graduationYear("s-1")).toBe(2027)
    const after = RuleContext.fromEvents(history, at("2026-07-01"))
    expect(after.studentStatus("s-1")).toBe("leave")
    expect(after.specialties("s-1")).toEqual(["Neurology"])
    expect(after.studentStatus("s-404")).toBeUndefined()
  })

  it("leaves support check-ins out of relationships and last contact", () => {
    const context = RuleContext.fromEvents(history, at("2026-07-01"))
    expect(context.facultyOf("s-1")).toEqual(["f-1"])
    expect(context.lastContact("s-1", "f-1")).toBe(at("2026-04-15"))
    expect(context.lastContact("s-1", "f-2")).toBeUndefined()
    expect(context.department("f-1")).toBe("Pediatrics")
    expect(context.facultySpecialties("f-1")).toEqual(["Pediatrics"])
  })

  it("computes a tier at an earlier instant from the contributions up to it", () => {
    const context = RuleContext.fromEvents([...history, visit("2026-06-20", "f-1")], at("2026-07-01"))
    expect(context.tier("s-1", "f-1", at("2026-01-16"))).toBe("acquainted")
    // Strong or better by then (the thresholds since issue #16 make it an advocate).
    expect(["strong", "advocate"]).toContain(context.tier("s-1", "f-1", at("2026-04-15")))
    expect(context.tier("s-1", "f-9")).toBe("none")
  })

  it("puts instants on the school's calendar days", () => {
    const config = Result.getOrThrow(makeConfig({ timeZone: "America/Los_Angeles" }))
    const context = RuleContext.fromEvents([], "2026-10-02T03:00:00Z", config)
    expect(context.dateOf("2026-10-02T03:00:00.000Z")).toBe("2026-10-01")
    expect(context.startOfDay("2026-10-01")).toBe("2026-10-01T07:00:00.000Z")
    expect(context.timeZone).toBe("America/Los_Angeles")
  })
})
