import { RuleEngine, School } from "@rapport/core"
import { type EventStoreShape, InMemoryEventStore } from "@rapport/event-store"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Sql from "../src/Sql.js"
import { followUpsOf, type SchoolState, studentFacts } from "./expected.js"
import { load, simulatedEvents } from "./fixtures.js"
import { coreState, defaultNow, type Projected, project, schoolId, storedEvents, value } from "./harness.js"
import { walkInEvents } from "./people.js"
import { openSchema, unavailable } from "./postgres.js"
import { everyView, rows } from "./views.js"

describe.skipIf(unavailable !== undefined)("read models on PostgreSQL", () => {
  let store: EventStoreShape
  let sqlite: Projected
  let pg: Projected
  let state: SchoolState

  beforeAll(async () => {
    store = InMemoryEventStore.make()
    await load(store, schoolId, [...simulatedEvents(37), ...walkInEvents], 400)
    sqlite = await project(store, Sql.openSqlite(":memory:"))
    pg = await project(store, await openSchema("rapport_views"))
    state = await coreState(store)
  }, 180_000)

  afterAll(async () => {
    await pg?.projector.stop()
    await pg?.db.close()
  })

  it("the projector writes the same rows as on SQLite", async () => {
    const [a, b] = [await rows(sqlite.db), await rows(pg.db)]
    expect(b.rm_students?.length).toBeGreaterThan(10)
    expect(b).toEqual(a)
  })

  it("views on PostgreSQL agree with core", async () => {
    const asOf = defaultNow.toISOString()
    const summary = School.summarize(state, asOf)
    const overview = await pg.dashboard().overview(schoolId, "individual")
    expect(value(overview.activeStudents)).toBe(summary.students.activeStudents)
    expect(value(overview.withStrongRelationship)).toBe(summary.students.withStrong)
    expect(value(overview.isolated)).toBe(summary.students.isolated)
    const trends = await pg.dashboard().trends(schoolId, "individual", { from: "2000-01" })
    expect(trends.months.map((m) => [m.month, m.interactions, m.pairsWithContact, m.studentsWithContact])).toEqual(
      summary.monthly.map((m) => [m.month, m.interactions, m.pairsWithContact, m.studentsWithContact])
    )
    const students = await pg.dashboard().students(schoolId, { status: "all", pageSize: 200 })
    const facts = [...state.students.values()]
      .map((s) => studentFacts(state, s, defaultNow.getTime()))
      .sort((a, b) => (a.studentId < b.studentId ? -1 : 1))
    expect(students.rows.map((r) => [r.studentId, r.highestTier, r.isolated, r.stage, r.departmentsReached])).toEqual(
      facts.map((s) => [s.studentId, s.highestTier, s.isolated, s.stage, s.departmentsReached])
    )
    const { byRule } = followUpsOf(await storedEvents(store), state, asOf)
    const followUps = await pg.dashboard().followUps(schoolId, "individual", {})
    expect(
      Object.fromEntries(
        followUps.byRule.map((r) => [r.ruleId, { due: r.due, overdue: r.overdue, done: r.done, expired: r.expired }])
      )
    ).toEqual(Object.fromEntries(byRule))
    const faculty = await pg.dashboard().faculty(schoolId, "individual", {})
    expect(faculty.concentration.gini).toBeCloseTo(summary.concentration.gini, 12)
    expect(faculty.concentration.topDecileShare).toBeCloseTo(summary.concentration.top.share, 12)
  })

  it("every view and person page is identical on SQLite and PostgreSQL (reals to 1e-9)", async () => {
    const events = await storedEvents(store)
    const students = [...new Set(events.flatMap((e) => RuleEngine.studentIdOf(e) ?? []))].sort().slice(0, 6)
    const faculty = [...state.faculty.keys()].sort().slice(0, 3)
    const [a, b] = [
      await everyView(sqlite.dashboard(), students, faculty),
      await everyView(pg.dashboard(), students, faculty)
    ]
    expect(Object.keys(a).length).toBeGreaterThan(80)
    for (const key of Object.keys(a)) expect(b[key], key).toEqual(a[key])
  })

  it("text sorts bytewise on PostgreSQL whatever the database's collation, as on SQLite", async () => {
    const columns = await pg.db.all(
      `SELECT table_name, column_name, collation_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND data_type = 'text' AND table_name LIKE 'rm_%'`
    )
    expect(columns.length).toBeGreaterThan(20)
    for (const column of columns) {
      expect(column.collation_name, `${column.table_name}.${column.column_name}`).toBe("C")
    }
  })
})
