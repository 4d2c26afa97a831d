/**
 * The ground truth a run exposes agrees with its events where the events speak (who
 * enrolled, who left, which rotations completed under whom, when programs review) and adds
 * what they never say (behaviour types, the specialty chosen), which no event carries.
 */
import { describe, expect, it } from "vitest"
import { applicationSeason } from "../src/AcademicCalendar.js"
import { archetypes } from "../src/Behaviour.js"
import { generate } from "../src/Simulation.js"
import { isoDate, weekday } from "../src/SchoolTime.js"
import { field, school } from "./school.js"

const options = { seed: 3, size: "tiny" } as const
const { items, stats } = school(options)
const truth = stats.truth
const kept = items.filter((i) => i.flags.malformed === undefined && i.flags.duplicate !== true)
const ofType = (type: string) => kept.filter((i) => i.event.type === type)

describe("GroundTruth", () => {
  it("knows every enrolled student and every faculty member hired, and no one else", () => {
    const enrolled = new Set(ofType("StudentEnrolled").map((i) => field(i, "studentId")))
    expect([...truth.students.keys()].sort()).toEqual([...enrolled].sort())
    const joined = new Set(ofType("FacultyJoined").map((i) => field(i, "facultyId")))
    expect([...truth.faculty.keys()].sort()).toEqual([...joined].sort())
  })

  it("names the faculty who left, when they left", () => {
    const left = new Map(ofType("FacultyLeft").map((i) => [field(i, "facultyId"), Date.parse(i.event.occurredAt)]))
    expect(left.size).toBeGreaterThan(0)
    const known = [...truth.faculty.values()].filter((f) => f.leftAt !== undefined)
    expect(new Set(known.map((f) => f.facultyId))).toEqual(new Set(left.keys()))
    for (const f of known) expect(Date.parse(f.leftAt ?? "")).toBe(left.get(f.facultyId))
  })

  it("gives every student a behaviour type and the specialty they apply to", () => {
    const requested = new Map<string, Set<string>>()
    for (const i of ofType("LetterRequested")) {
      const specialties = requested.get(field(i, "studentId") ?? "") ?? new Set<string>()
      specialties.add(field(i, "specialty") ?? "")
      requested.set(field(i, "studentId") ?? "", specialties)
    }
    expect(requested.size).toBeGreaterThan(10)
    for (const student of truth.students.values()) {
      expect(archetypes).toContain(student.behaviour)
      const asked = requested.get(student.studentId)
      if (asked === undefined) continue
      expect(student.appliedTo).toContain(student.specialty)
      expect(new Set(student.appliedTo)).toEqual(asked)
    }
  })

  it("records each completed rotation with the attendings RotationCompleted names", () => {
    const completed = ofType("RotationCompleted")
    expect(completed.length).toBeGreaterThan(100)
    for (const i of completed) {
      const rotation = truth.students
        .get(field(i, "studentId") ?? "")
        ?.rotations.find((r) => r.rotationId === field(i, "rotationId"))
      expect(rotation?.completed).toBe(true)
      const facultyIds = i.event.data.facultyIds
      expect(Array.isArray(facultyIds)).toBe(true)
      for (const id of Array.isArray(facultyIds) ? facultyIds : []) expect(rotation?.attendingsByWeek).toContain(id)
    }
  })

  it("dates every cycle's programs review on the last Wednesday of September", () => {
    expect(truth.cycles.length).toBeGreaterThan(0)
    for (const cycle of truth.cycles) {
      expect(cycle.programsReview).toBe(isoDate(applicationSeason(cycle.cycle).reviewFrom))
      const day = Date.parse(cycle.programsReview) / 86_400_000
      expect(weekday(day)).toBe(3)
      expect(cycle.programsReview.slice(5, 7)).toBe("09")
      expect(Number(cycle.programsReview.slice(8))).toBeGreaterThan(23)
    }
    expect(truth.cycles.some((c) => c.reviewed)).toBe(true)
  })

  it("never lets the ground truth into the events", () => {
    const leaks = items.filter((i) => /archetype|behaviou?r|proactive|passive|isolated/i.test(JSON.stringify(i.event)))
    expect(leaks).toEqual([])
  })

  it("is the same for the same seed", () => {
    const run = generate(options)
    let step = run.next()
    while (step.done !== true) step = run.next()
    expect(step.value.truth).toEqual(truth)
  })
})
