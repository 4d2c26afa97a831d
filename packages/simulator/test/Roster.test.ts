/**
 * Calendar sanity over a whole small school: nobody appears in an event outside the time
 * they belong to the school.
 */
import { describe, expect, it } from "vitest"
import { schoolDay, isoDate } from "../src/SchoolTime.js"
import { school } from "./school.js"

interface Seen {
  readonly type: string
  readonly at: number
  readonly studentId: string | undefined
  readonly facultyIds: ReadonlyArray<string>
  readonly data: Readonly<Record<string, unknown>>
}

const { items } = school({ seed: 1, size: "small" })
const events: Array<Seen> = []
for (const item of items) {
  if (item.flags.malformed !== undefined || item.flags.duplicate === true) continue
  const data = item.event.data
  const facultyIds = Array.isArray(data.facultyIds)
    ? data.facultyIds.filter((id): id is string => typeof id === "string")
    : typeof data.facultyId === "string"
      ? [data.facultyId]
      : []
  events.push({
    type: item.event.type,
    at: Date.parse(item.event.occurredAt),
    studentId: typeof data.studentId === "string" ? data.studentId : undefined,
    facultyIds,
    data
  })
}
const firstOf = (type: string, status?: string) => {
  const out = new Map<string, number>()
  for (const e of events) {
    if (e.type !== type || (status !== undefined && e.data.status !== status)) continue
    const id = e.studentId ?? (typeof e.data.facultyId === "string" ? e.data.facultyId : "")
    out.set(id, Math.min(out.get(id) ?? Number.POSITIVE_INFINITY, e.at))
  }
  return out
}
const enrolled = firstOf("StudentEnrolled")
const graduated = firstOf("StudentStatusChanged", "graduated")
const withdrawn = firstOf("StudentStatusChanged", "withdrawn")
const joined = firstOf("FacultyJoined")
const left = firstOf("FacultyLeft")
const about = (e: Seen) => e.type === "StudentStatusChanged" || e.type === "StudentErasureRequested"

describe("Roster: calendar sanity over a small school", () => {
  it("has withdrawals, graduations, departures and arrivals to check", () => {
    expect(enrolled.size).toBeGreaterThan(200)
    expect(graduated.size).toBeGreaterThan(50)
    expect(withdrawn.size).toBeGreaterThan(0)
    expect(left.size).toBeGreaterThan(5)
    expect([...joined.values()].some((at) => at > Math.min(...joined.values()) + 86_400_000)).toBe(true)
  })

  it("names only students after their enrolment, and no rotation before it", () => {
    for (const e of events) {
      if (e.studentId === undefined) continue
      const since = enrolled.get(e.studentId)
      expect(since, `${e.type} for ${e.studentId}`).toBeDefined()
      expect(e.at).toBeGreaterThanOrEqual(since ?? 0)
      if (e.type === "RotationCompleted" || e.type === "CourseStarted") {
        const startedOn = String(e.data.startedOn)
        expect(startedOn >= isoDate(schoolDay(since ?? 0)), `${e.type} ${startedOn} for ${e.studentId}`).toBe(true)
      }
    }
  })

  it("has no letter after graduation and nothing from a student after graduating or withdrawing", () => {
    let letters = 0
    for (const e of events) {
      if (e.studentId === undefined || about(e)) continue
      const until = Math.min(graduated.get(e.studentId) ?? Infinity, withdrawn.get(e.studentId) ?? Infinity)
      expect(e.at, `${e.type} for ${e.studentId}`).toBeLessThan(until)
      if (e.type.startsWith("Letter") && graduated.has(e.studentId)) letters++
    }
    expect(letters).toBeGreaterThan(100)
  })

  it("names faculty only while they are on staff", () => {
    for (const e of events) {
      for (const facultyId of e.facultyIds) {
        const from = joined.get(facultyId)
        expect(from, `${e.type} names ${facultyId}`).toBeDefined()
        expect(e.at).toBeGreaterThanOrEqual(from ?? 0)
        if (e.type !== "FacultyLeft") expect(e.at).toBeLessThan(left.get(facultyId) ?? Infinity)
      }
    }
  })

  it("keeps students on leave out of events until they return", () => {
    const status = events.filter((e) => e.type === "StudentStatusChanged").sort((a, b) => a.at - b.at)
    const leaves = new Map<string, Array<readonly [number, number]>>()
    const open = new Map<string, number>()
    for (const e of status) {
      const id = e.studentId ?? ""
      if (e.data.status === "leave") open.set(id, e.at)
      else if (open.has(id)) {
        leaves.set(id, [...(leaves.get(id) ?? []), [open.get(id) ?? 0, e.at]])
        open.delete(id)
      }
    }
    expect(leaves.size).toBeGreaterThan(0)
    for (const e of events) {
      if (e.studentId === undefined || about(e)) continue
      for (const [from, to] of leaves.get(e.studentId) ?? []) {
        const closing = e.type === "MentorshipEnded" || e.type === "ResearchRoleEnded"
        if (!closing) expect(e.at >= from && e.at < to, `${e.type} for ${e.studentId} on leave`).toBe(false)
      }
    }
  })
})
