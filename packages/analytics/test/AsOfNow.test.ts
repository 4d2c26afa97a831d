import { School, Student, Tier } from "@rapport/core"
import { beforeAll, describe, expect, it } from "vitest"
import * as Clock from "../src/Clock.js"
import * as ReadModel from "../src/ReadModel.js"
import type * as Sql from "../src/Sql.js"
import { type SchoolState, studentFacts } from "./expected.js"
import { coreState, days, defaultNow, type Projected, schoolId, simulatedSchool, timeZone, value } from "./harness.js"

/** Every read-model row, to prove that time passing rewrites none of them. */
const snapshot = async (db: Sql.SqlDatabase): Promise<string> => {
  const out: Array<string> = []
  for (const table of ReadModel.tables) {
    if (table === "rm_meta") continue
    for (const row of await db.all(`SELECT * FROM ${table}`)) out.push(`${table} ${JSON.stringify(row)}`)
  }
  return out.sort().join("\n")
}

describe("views as of now follow the clock without rewriting a row", () => {
  let school: Projected
  let state: SchoolState
  let rows: string

  beforeAll(async () => {
    school = await simulatedSchool(17)
    state = await coreState(school.store)
    rows = await snapshot(school.db)
  }, 60_000)

  const agreesWithCore = async (at: Date) => {
    school.clock.now = at
    const asOf = at.toISOString()
    const summary = School.summarize(state, asOf)
    const overview = await school.dashboard().overview(schoolId, "individual")
    expect(overview.meta.asOf).toBe(asOf)
    expect(value(overview.activeStudents)).toBe(summary.students.activeStudents)
    expect(value(overview.withStrongRelationship), `strong at ${asOf}`).toBe(summary.students.withStrong)
    expect(value(overview.isolated), `isolated at ${asOf}`).toBe(summary.students.isolated)
    const cycle = Clock.at(at, timeZone).nextCycle
    const readiness = summary.letterReadiness.find((r) => r.cycle === cycle)
    expect(value(overview.nextCycle.ready), `ready at ${asOf}`).toBe(readiness?.ready ?? 0)

    const faculty = await school.dashboard().faculty(schoolId, "individual", {})
    expect(faculty.concentration.activeMentoringPairs, `mentoring at ${asOf}`).toBe(summary.concentration.top.total)
    expect(faculty.concentration.topDecileShare).toBeCloseTo(summary.concentration.top.share, 12)
    expect(faculty.concentration.gini ?? 0).toBeCloseTo(summary.concentration.gini, 12)

    const students = await school.dashboard().students(schoolId, { status: "all", pageSize: 200 })
    const facts = [...state.students.values()].map((s) => studentFacts(state, s, at.getTime()))
    const byTier = { none: 0, acquainted: 0, developing: 0, strong: 0, advocate: 0 }
    for (const s of facts) byTier[s.highestTier]++
    expect(students.byTier, `tiers at ${asOf}`).toEqual(byTier)
    for (const row of students.rows) {
      const expected = facts.find((s) => s.studentId === row.studentId)
      expect(
        { tier: row.highestTier, relationships: row.relationships, isolated: row.isolated },
        row.studentId
      ).toEqual({ tier: expected?.highestTier, relationships: expected?.relationships, isolated: expected?.isolated })
    }
    return summary
  }

  it("moving now forward by days and months changes tiers, isolation and strong counts exactly as core says", async () => {
    const seen = new Set<string>()
    const pairs = new Set<number>()
    for (const offset of [0, 1, 7, 30, 61, 92, 183, 365, 730, 3650]) {
      const summary = await agreesWithCore(new Date(defaultNow.getTime() + days(offset)))
      seen.add(`${summary.students.withStrong}/${summary.students.isolated}`)
      pairs.add(summary.concentration.top.total)
    }
    // Relationships fade: the counts really moved, and the rows stayed as they were.
    expect(seen.size).toBeGreaterThan(3)
    expect(pairs.size).toBeGreaterThan(1)
    expect(await snapshot(school.db)).toBe(rows)
  })

  it("a relationship loses its tier at the instant its until-column says, to the minute", async () => {
    const nowMs = defaultNow.getTime()
    const candidates = await school.db.all(
      "SELECT student_id, strong_until_ms FROM rm_students WHERE school = ? AND strong_until_ms > ? AND active = 1 ORDER BY strong_until_ms LIMIT 3",
      [schoolId, nowMs]
    )
    expect(candidates.length).toBeGreaterThan(0)
    for (const candidate of candidates) {
      const studentId = String(candidate.student_id)
      const until = Number(candidate.strong_until_ms)
      const student = state.students.get(studentId)
      if (student === undefined) throw new Error(`core does not know ${studentId}`)
      for (const [at, holds] of [
        [until - 60_000, true],
        [until + 60_000, false]
      ] as const) {
        const best = Student.standing(student, at, state).bestTier
        expect(Tier.atLeast(best, "strong"), `${studentId} at ${new Date(at).toISOString()}`).toBe(holds)
        school.clock.now = new Date(at)
        const view = await school.dashboard().students(schoolId, { q: studentId, status: "all" })
        expect(Tier.atLeast(view.rows[0]?.highestTier ?? "none", "strong")).toBe(holds)
      }
    }
    expect(await snapshot(school.db)).toBe(rows)
  })
})
