import { type Event, RuleEngine } from "@rapport/core"
import { type EventStoreShape, ExpectedState, InMemoryEventStore } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import * as ReadModel from "../src/ReadModel.js"
import * as Sql from "../src/Sql.js"
import * as Streams from "../src/Streams.js"
import { load, simulatedEvents } from "./fixtures.js"
import { type Projected, project, schoolId } from "./harness.js"
import { event, officeHours } from "./people.js"

/** Every read-model row but the checkpoint (a rebuild stops at the last event left, not at the erased one). */
export const dump = async (db: Sql.SqlDatabase): Promise<Record<string, ReadonlyArray<string>>> => {
  const out: Record<string, ReadonlyArray<string>> = {}
  for (const table of ReadModel.tables) {
    if (table === "rm_meta" || table === "rm_checkpoint") continue
    const rows = await db.all(`SELECT * FROM ${table}`)
    out[table] = rows.map((row) => JSON.stringify(row)).sort()
  }
  return out
}

const rebuild = async (store: EventStoreShape): Promise<Projected> => {
  const fresh = await project(store, Sql.openSqlite(":memory:"))
  await fresh.projector.refreshFollowUps()
  return fresh
}

const append = (store: EventStoreShape, events: ReadonlyArray<Event.RapportEvent>) =>
  Effect.runPromise(
    store.appendMany(
      events.map((e) => ({ stream: Streams.streamFor(schoolId, e), expected: ExpectedState.any, events: [e] }))
    )
  )

/** The student with the most letters and faculty in a simulated school. */
const busiest = (events: ReadonlyArray<Event.RapportEvent>): string => {
  const score = new Map<string, number>()
  const erased = new Set(events.flatMap((e) => (e.type === "StudentErasureRequested" ? [e.data.studentId] : [])))
  for (const e of events) {
    const id = RuleEngine.studentIdOf(e)
    if (id === undefined || erased.has(id)) continue
    score.set(id, (score.get(id) ?? 0) + (e.type.startsWith("Letter") ? 100 : e.type === "RotationCompleted" ? 10 : 1))
  }
  return [...score].sort((a, b) => b[1] - a[1])[0]?.[0] ?? ""
}

describe("erasure", () => {
  it("leaves no trace of the student in any read model, deletes their stream, and aggregates equal a rebuild", async () => {
    const store = InMemoryEventStore.make()
    const events = simulatedEvents(23)
    const target = busiest(events)
    // A faculty member known only through this student: they must go with the student.
    const only = [officeHours(target, "f-only-theirs", "2026-05-04T14:00:00Z")]
    await load(store, schoolId, [...events, ...only], 400)
    const school = await project(store, Sql.openSqlite(":memory:"))
    const before = await school.db.all("SELECT COUNT(*) AS n FROM rm_letters WHERE student_id = ?", [target])
    expect(Number(before[0]?.n)).toBeGreaterThan(0)
    const trendsBefore = await school.dashboard().trends(schoolId, "individual", { from: "2000-01" })

    await append(store, [
      event({ type: "StudentErasureRequested", occurredAt: "2026-09-18T12:00:00Z", data: { studentId: target } })
    ])
    await school.projector.catchUp()
    await school.projector.refreshFollowUps()

    for (const table of ReadModel.tables) {
      for (const row of await school.db.all(`SELECT * FROM ${table}`)) {
        for (const [column, cell] of Object.entries(row)) {
          expect(String(cell), `${table}.${column}`).not.toContain(target)
        }
      }
    }
    expect(await Effect.runPromise(store.readStream(Streams.student(schoolId, target)))).toEqual([])
    const left = await Effect.runPromise(store.readAll({ after: 0, maxCount: 1_000_000 }))
    expect(left.events.some((r) => JSON.stringify(r.data).includes(target))).toBe(false)

    const fresh = await rebuild(store)
    expect(await dump(school.db)).toEqual(await dump(fresh.db))
    const trends = await school.dashboard().trends(schoolId, "individual", { from: "2000-01" })
    expect(trends).toEqual(await fresh.dashboard().trends(schoolId, "individual", { from: "2000-01" }))
    expect(trends.months).not.toEqual(trendsBefore.months)
    const coverage = await school.dashboard().coverage(schoolId, "individual")
    expect(coverage.sources).toEqual((await fresh.dashboard().coverage(schoolId, "individual")).sources)
    expect(coverage.sources.reduce((n, s) => n + s.events, 0)).toBe(left.events.length)
  })

  it("a restarted projector finishes an erasure whose stream deletion did not happen", async () => {
    const store = InMemoryEventStore.make()
    const events = simulatedEvents(29)
    const target = busiest(events)
    await load(store, schoolId, events, 400)
    const db = Sql.openSqlite(":memory:")
    // Then the store refuses deletions (it is unreachable at that moment): the erasure stays pending.
    let refuse = false
    const failing: EventStoreShape = {
      ...store,
      deleteStream: (stream) => (refuse ? Effect.die(new Error("store unreachable")) : store.deleteStream(stream))
    }
    const first = await project(failing, db)
    refuse = true
    await append(store, [
      event({ type: "StudentErasureRequested", occurredAt: "2026-09-18T12:00:00Z", data: { studentId: target } })
    ])
    await expect(first.projector.catchUp()).rejects.toThrow("store unreachable")
    const pending = await db.all("SELECT student_id FROM rm_pending_erasures")
    expect(pending.map((row) => row.student_id)).toEqual([target])
    expect(await db.all("SELECT student_id FROM rm_students WHERE student_id = ?", [target])).toEqual([])
    await first.projector.stop()

    const second = await project(store, db)
    expect(await db.all("SELECT student_id FROM rm_pending_erasures")).toEqual([])
    expect(await Effect.runPromise(store.readStream(Streams.student(schoolId, target)))).toEqual([])
    await second.projector.refreshFollowUps()
    expect(await dump(db)).toEqual(await dump((await rebuild(store)).db))
  })
})

describe("retractions", () => {
  it("a student and a faculty member whose only events are retracted disappear, as in a rebuild", async () => {
    const store = InMemoryEventStore.make()
    const visit = officeHours("s-mistyped", "f-mistyped", "2026-06-01T14:00:00Z")
    await load(store, schoolId, [...simulatedEvents(31), visit], 400)
    const school = await project(store, Sql.openSqlite(":memory:"))
    expect(await school.db.all("SELECT student_id FROM rm_students WHERE student_id = 's-mistyped'")).toHaveLength(1)
    await append(store, [
      event({
        type: "EventRetracted",
        occurredAt: "2026-09-19T12:00:00Z",
        data: { eventId: visit.id, reason: "wrong student id" }
      })
    ])
    await school.projector.catchUp()
    await school.projector.refreshFollowUps()
    expect(await school.db.all("SELECT student_id FROM rm_students WHERE student_id = 's-mistyped'")).toEqual([])
    expect(await school.db.all("SELECT faculty_id FROM rm_faculty WHERE faculty_id = 'f-mistyped'")).toEqual([])
    expect(await dump(school.db)).toEqual(await dump((await rebuild(store)).db))
  })

  it("a retraction rewrites what its target touched: a pair or month left empty loses its row, as in a rebuild", async () => {
    const store = InMemoryEventStore.make()
    const events = simulatedEvents(31)
    const target = busiest(events)
    // A pair and a month known only through one event each: retracting it must remove both rows.
    const lone = officeHours(target, "f-met-once", "2021-02-10T14:00:00Z")
    // ...and a letter and a rotation, each the only one with its faculty member
    const letter = event({
      type: "LetterRequested",
      occurredAt: "2026-03-02T14:00:00Z",
      data: { studentId: target, facultyId: "f-letter", letterId: "l-once", cycle: 2026, specialty: "surgery" }
    })
    const rotation = event({
      type: "RotationCompleted",
      occurredAt: "2026-04-30T14:00:00Z",
      data: {
        studentId: target,
        facultyIds: ["f-rotation"],
        rotationId: "r-once",
        specialty: "surgery",
        startedOn: "2026-04-01",
        endedOn: "2026-04-28"
      }
    })
    await load(store, schoolId, [...events, lone, letter, rotation], 400)
    const school = await project(store, Sql.openSqlite(":memory:"))
    const rowsOf = (table: string, facultyId: string) =>
      school.db.all(`SELECT * FROM ${table} WHERE student_id = ? AND faculty_id = ?`, [target, facultyId])
    const pairOf = () =>
      school.db.all("SELECT faculty_id FROM rm_pairs WHERE student_id = ? AND faculty_id = 'f-met-once'", [target])
    const monthOf = () =>
      school.db.all("SELECT month FROM rm_student_months WHERE student_id = ? AND month = '2021-02'", [target])
    expect(await pairOf()).toHaveLength(1)
    expect(await monthOf()).toHaveLength(1)
    expect(await rowsOf("rm_letters", "f-letter")).toHaveLength(1)
    expect(await rowsOf("rm_rotations", "f-rotation")).toHaveLength(1)
    const retract = (eventId: string) =>
      event({ type: "EventRetracted", occurredAt: "2026-09-19T12:00:00Z", data: { eventId, reason: "entered twice" } })
    // one append each (they share the school's retractions stream)
    const retractions = [lone, letter, rotation].map((e) => retract(e.id))
    await load(store, schoolId, retractions, 1)
    await school.projector.catchUp()
    await school.projector.refreshFollowUps()
    expect(await pairOf()).toEqual([])
    expect(await monthOf()).toEqual([])
    expect(await rowsOf("rm_letters", "f-letter")).toEqual([])
    expect(await rowsOf("rm_rotations", "f-rotation")).toEqual([])
    expect(await dump(school.db)).toEqual(await dump((await rebuild(store)).db))
  })
  it("a withdrawn student whose every event is retracted disappears, as in a rebuild", async () => {
    const store = InMemoryEventStore.make()
    const visit = officeHours("s-left", "f-204", "2026-06-01T14:00:00Z")
    const left = event({
      type: "StudentStatusChanged",
      occurredAt: "2026-06-02T14:00:00Z",
      data: { studentId: "s-left", status: "withdrawn" }
    })
    await load(store, schoolId, [...simulatedEvents(31), visit, left], 400)
    const school = await project(store, Sql.openSqlite(":memory:"))
    expect(await school.db.all("SELECT active FROM rm_students WHERE student_id = 's-left'")).toEqual([{ active: 0 }])
    const retract = (eventId: string) =>
      event({ type: "EventRetracted", occurredAt: "2026-09-19T12:00:00Z", data: { eventId, reason: "wrong student" } })
    await load(store, schoolId, [retract(visit.id), retract(left.id)], 1)
    await school.projector.catchUp()
    await school.projector.refreshFollowUps()
    for (const table of ["rm_students", "rm_pairs", "rm_student_months"]) {
      expect(await school.db.all(`SELECT * FROM ${table} WHERE student_id = 's-left'`)).toEqual([])
    }
    expect(await dump(school.db)).toEqual(await dump((await rebuild(store)).db))
  })
})
