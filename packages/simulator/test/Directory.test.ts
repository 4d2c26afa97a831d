import { describe, expect, it } from "vitest"
import * as Directory from "../src/Directory.js"

describe("Directory", () => {
  it("gives the same name for the same seed, kind and id", () => {
    expect(Directory.displayName(2026, "student", "s-1")).toBe(Directory.displayName(2026, "student", "s-1"))
  })
  it("spreads names: most of 1,000 students have a name of their own", () => {
    const names = new Set(Array.from({ length: 1000 }, (_, i) => Directory.displayName(2026, "student", `s-${i}`)))
    expect(names.size).toBeGreaterThan(980)
  })
  it("calls faculty doctors and another seed other names", () => {
    expect(Directory.displayName(2026, "faculty", "f-1")).toMatch(/^Dr\. \w+ [A-Z]\. \w+$/)
    const a = Array.from({ length: 20 }, (_, i) => Directory.displayName(1, "student", `s-${i}`))
    const b = Array.from({ length: 20 }, (_, i) => Directory.displayName(2, "student", `s-${i}`))
    expect(a).not.toEqual(b)
  })
  it("finds the person an enrolment or a faculty member joining introduces", () => {
    expect(Directory.personOf({ type: "StudentEnrolled", data: { studentId: "s-9" } })).toEqual({
      kind: "student",
      id: "s-9"
    })
    expect(Directory.personOf({ type: "FacultyJoined", data: { facultyId: "f-2" } })).toEqual({
      kind: "faculty",
      id: "f-2"
    })
    expect(Directory.personOf({ type: "OfficeHoursVisited", data: { studentId: "s-9" } })).toBeUndefined()
  })
})
