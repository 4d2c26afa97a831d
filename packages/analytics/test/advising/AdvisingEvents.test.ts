/**
 * The advising events live in the students' streams but are no contact: projected with them,
 * every read model is row for row what it is without them, and the projector logs nothing
 * about them (they are records kept for the server, `recordTypes`).
 */
import { Advising } from "@rapport/core"
import { InMemoryEventStore } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import * as Projector from "../../src/Projector.js"
import * as ReadModel from "../../src/ReadModel.js"
import * as SchoolSettings from "../../src/SchoolSettings.js"
import * as Sql from "../../src/Sql.js"
import * as Streams from "../../src/Streams.js"
import { load, simulatedEvents } from "../fixtures.js"
import { defaultNow, schoolId, timeZone } from "../harness.js"

const dump = async (db: Sql.SqlDatabase): Promise<Record<string, ReadonlyArray<string>>> => {
  const out: Record<string, ReadonlyArray<string>> = {}
  for (const table of ReadModel.tables) {
    if (table === "rm_meta" || table === "rm_checkpoint") continue
    // when an event was received is the wall clock of each run, not something events decide
    out[table] = (await db.all(`SELECT * FROM ${table}`))
      .map((row) => JSON.stringify({ ...row, last_received_ms: null }))
      .sort()
  }
  return out
}

const projected = async (withAdvising: boolean) => {
  const store = InMemoryEventStore.make()
  const events = simulatedEvents(7)
  await load(store, schoolId, events, 500)
  const students = [...new Set(events.flatMap((e) => ("studentId" in e.data ? [e.data.studentId] : [])))].slice(0, 5)
  if (withAdvising) {
    let n = 0
    const id = () => `0193a1c4-5e2b-7c1d-9f00-${(n++).toString(16).padStart(12, "0")}`
    for (const studentId of students) {
      const caseId = `case-${studentId}`
      const advising = [
        {
          type: "ConcernRaised",
          data: {
            caseId,
            studentId,
            category: "wellbeing",
            note: "Seemed exhausted",
            raisedBy: "f-x",
            ownerRole: "student-affairs"
          }
        },
        { type: "CaseNoteAdded", data: { caseId, studentId, noteId: "n-1", text: "Met", author: "sa-1" } },
        { type: "CaseClosed", data: { caseId, studentId, closedBy: "sa-1" } },
        { type: "FollowUpDismissed", data: { studentId, followUpId: "fu", reason: "Done elsewhere", by: "f-x" } },
        { type: "FollowUpMarkedDone", data: { studentId, followUpId: "fu2", by: "f-x" } }
      ]
      for (const a of advising)
        expect(
          Advising.AdvisingEvent.fromStored({ id: "x", occurredAt: "2026-09-01T00:00:00.000Z", ...a })
        ).toBeDefined()
      await Effect.runPromise(
        store.append({
          stream: Streams.student(schoolId, studentId),
          expected: { _tag: "Any" },
          events: advising.map((a) => ({ id: id(), v: 1, occurredAt: "2026-09-01T12:00:00.000Z", ...a }))
        })
      )
    }
  }
  const db = Sql.openSqlite(":memory:")
  const logs: Array<unknown> = []
  const projector = Projector.make({
    store,
    db,
    schools: SchoolSettings.inZone(timeZone),
    now: () => defaultNow,
    log: (line) => logs.push(line)
  })
  await projector.catchUp()
  return { rows: await dump(db), logs }
}

describe("advising events", () => {
  it("leave every read model as it is without them, and the projector says nothing about them", async () => {
    const without = await projected(false)
    const withThem = await projected(true)
    expect(withThem.rows).toEqual(without.rows)
    expect(JSON.stringify(withThem.logs)).not.toMatch(/ConcernRaised|CaseNoteAdded|Seemed exhausted/)
  })
})
