import { RuleEngine } from "@rapport/core"
import { InMemoryEventStore } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import * as Sql from "../src/Sql.js"
import { load, simulatedEvents } from "./fixtures.js"
import { project, schoolId } from "./harness.js"
import { walkIn, walkInEvents } from "./people.js"
import { everyView } from "./views.js"

describe("schools sharing one store and one read-model database", () => {
  it("see only their own events: a school's views equal those of the school projected alone", async () => {
    const events = simulatedEvents(47)
    const alone = InMemoryEventStore.make()
    await load(alone, schoolId, events, 400)
    const shared = InMemoryEventStore.make()
    // The same event ids in another school are that school's own events.
    await load(shared, schoolId, events, 400)
    await load(shared, "school-b", [...events, ...walkInEvents], 400)
    const [one, both] = [
      await project(alone, Sql.openSqlite(":memory:")),
      await project(shared, Sql.openSqlite(":memory:"))
    ]
    const students = [...new Set(events.flatMap((e) => RuleEngine.studentIdOf(e) ?? []))].sort().slice(0, 1)
    const faculty = ["f-10001"]
    const [a, b] = [
      await everyView(one.dashboard(), students, faculty),
      await everyView(both.dashboard(), students, faculty)
    ]
    // Log positions and receiving times differ between the two stores; nothing else may.
    const comparable = (view: unknown) =>
      JSON.parse(
        JSON.stringify(view)
          .replace(/"position":\d+/g, '"position":0')
          .replace(/"lastReceivedAt":"[^"]*"/g, '"lastReceivedAt":""')
      )
    for (const key of Object.keys(a)) expect(comparable(b[key]), key).toEqual(comparable(a[key]))
    expect(await Effect.runPromise(both.dashboard().studentPage(schoolId, walkIn, undefined))).toBeUndefined()
    const other = await both.dashboard().students("school-b", { q: walkIn, status: "all" })
    expect(other.rows.map((r) => r.studentId)).toEqual([walkIn])
    const overviews = [
      await both.dashboard().overview(schoolId, "individual"),
      await both.dashboard().overview("school-b", "individual")
    ]
    expect(overviews[1]?.activeStudents).toBe(Number(overviews[0]?.activeStudents) + 1)
  })
})
