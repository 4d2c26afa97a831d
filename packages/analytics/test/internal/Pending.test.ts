/**
 * The owner of pending rows on its own: what is marked is planned, planning changes
 * nothing (a failed write loses nothing), and settling forgets what was written and
 * remembers it.
 */
import { type Event, RuleEngine, SchoolFold } from "@rapport/core"
import { describe, expect, it } from "vitest"
import { Coverage } from "../../src/internal/Coverage.js"
import { Memo } from "../../src/internal/Memo.js"
import { Pending } from "../../src/internal/Pending.js"
import type * as Plan from "../../src/internal/Plan.js"
import { config } from "../harness.js"
import { event, officeHours } from "../people.js"

const enrol = (studentId: string) =>
  event({
    type: "StudentEnrolled",
    occurredAt: "2025-08-01T12:00:00Z",
    data: { studentId, program: "MD", graduationYear: 2027 }
  })
const joins = (facultyId: string) =>
  event({ type: "FacultyJoined", occurredAt: "2025-01-01T12:00:00Z", data: { facultyId, department: "Medicine" } })

/** A school's fold and what a plan reads beside it, with a Pending marked as the fold would mark it. */
const school = () => {
  const fold = SchoolFold.make(config)
  const rules = RuleEngine.make()
  const coverage = new Coverage(fold.state.calendar)
  const source: Plan.Source = { fold, memo: new Memo(), coverage, positions: new Map() }
  const pending = new Pending(fold.state.calendar)
  const apply = (e: Event.RapportEvent, studentId: string | undefined, facultyIds: ReadonlyArray<string>) => {
    fold.apply(e)
    rules.apply(e)
    for (const facultyId of facultyIds) pending.markFaculty(facultyId)
    if (studentId !== undefined) pending.markEvent(e, studentId, facultyIds)
  }
  const plan = () => pending.plan("school-a", source, undefined)
  return { fold, source, pending, apply, plan }
}

describe("Pending", () => {
  it("plans what was marked, and planning again without settling plans the same rows", () => {
    const { pending, apply, plan } = school()
    apply(joins("f-1"), undefined, ["f-1"])
    apply(enrol("s-1"), "s-1", [])
    apply(officeHours("s-2", "f-1", "2026-03-10T14:00:00Z"), "s-2", ["f-1"])
    expect(pending.hasChanges(false)).toBe(true)
    const first = plan()
    expect(first.wholeStudents.map((whole) => whole.student.studentId)).toEqual(["s-1"])
    expect(first.students.map((row) => row.studentId)).toEqual(["s-2"])
    expect(first.pairs.map((row) => [row.studentId, row.facultyId])).toEqual([["s-2", "f-1"]])
    expect(first.months.map((row) => [row.studentId, row.month.month])).toEqual([["s-2", "2026-03"]])
    expect(first.faculty.map((row) => row.facultyId)).toEqual(["f-1"])
    // the write failed: nothing was settled, the next plan writes it all again
    expect(pending.hasChanges(false)).toBe(true)
    expect(plan()).toEqual(first)
  })

  it("forgets what a settled plan wrote, and skips a faculty row that would be written unchanged", () => {
    const { pending, apply, plan } = school()
    apply(joins("f-1"), undefined, ["f-1"])
    apply(officeHours("s-2", "f-1", "2026-03-10T14:00:00Z"), "s-2", ["f-1"])
    pending.settle(plan())
    expect(pending.hasChanges(false)).toBe(false)
    const empty = plan()
    expect([empty.students, empty.pairs, empty.faculty, empty.wholeStudents]).toEqual([[], [], [], []])
    // marked again but unchanged: its row is not written again
    pending.markFaculty("f-1")
    expect(plan().faculty).toEqual([])
  })

  it("keeps follow-ups due until they are settled apart, and remembers the rows written", () => {
    const { pending, apply, plan } = school()
    apply(officeHours("s-2", "f-1", "2026-03-10T14:00:00Z"), "s-2", ["f-1"])
    pending.settle(plan())
    expect(pending.hasChanges(false)).toBe(false)
    expect(pending.hasChanges(true)).toBe(true)
    expect(pending.followUpsDue()).toEqual(["s-2"])
    expect(pending.followUpsUnchanged("s-2", "[]")).toBe(false)
    pending.settleFollowUps(["s-2"], new Map([["s-2", "[]"]]))
    expect(pending.followUpsDue()).toEqual([])
    expect(pending.followUpsUnchanged("s-2", "[]")).toBe(true)
    expect(pending.hasChanges(true)).toBe(false)
  })

  it("rewrites the whole school after markEverything, and its follow-ups are due once the plan is settled", () => {
    const { source, pending, apply, plan } = school()
    apply(enrol("s-1"), "s-1", [])
    apply(officeHours("s-2", "f-1", "2026-03-10T14:00:00Z"), "s-2", ["f-1"])
    pending.settle(plan())
    pending.settleFollowUps(["s-1", "s-2"], new Map([["s-2", "[]"]]))
    pending.markEverything()
    expect(pending.rewritesEverything).toBe(true)
    expect(pending.followUpsUnchanged("s-2", "[]")).toBe(false)
    const whole = pending.plan("school-a", source, { students: ["s-gone"], faculty: [] })
    expect(whole.removedStudents).toEqual(["s-gone"])
    expect(whole.wholeStudents.map((row) => row.student.studentId).sort()).toEqual(["s-1", "s-2"])
    // planning changed nothing
    expect(pending.followUpsDue()).toEqual([])
    pending.settle(whole)
    expect(pending.rewritesEverything).toBe(false)
    expect([...pending.followUpsDue()].sort()).toEqual(["s-1", "s-2"])
  })

  it("carries erasures until they are written", () => {
    const { pending, plan } = school()
    pending.markErasure("s-3")
    expect(pending.pendingErasures()).toEqual(["s-3"])
    expect(pending.hasChanges(false)).toBe(true)
    const changes = plan()
    expect(changes.erasures).toEqual(["s-3"])
    expect(pending.pendingErasures()).toEqual(["s-3"])
    pending.settle(changes)
    expect(pending.pendingErasures()).toEqual([])
  })
})
