/**
 * Every school's settings resolved once: what `*` states reaches every school that does
 * not state otherwise, a wrong statement is refused whole (never a silent default), and a
 * school's rule parameters reach the follow-ups the projector writes and the ones a
 * student's page shows.
 */
import { BuiltinRules } from "@rapport/core"
import { InMemoryEventStore } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import * as Dashboard from "../src/Dashboard.js"
import * as Projector from "../src/Projector.js"
import * as SchoolSettings from "../src/SchoolSettings.js"
import * as Sql from "../src/Sql.js"
import { load, simulatedEvents } from "./fixtures.js"
import { defaultNow, schoolId } from "./harness.js"

const dayMs = 86_400_000

describe("SchoolSettings.resolve", () => {
  it("gives each school what it states, and what `*` states for the rest", () => {
    const settings = SchoolSettings.resolveOrThrow({
      "*": { timeZone: "America/New_York", rules: { "thank-you": { withinDays: 10 }, "stay-in-touch": false } },
      "school-b": { rules: { "thank-you": false } },
      "school-c": { timeZone: "Europe/Paris" }
    })
    const ids = (school: string) => settings.of(school).rules.map((rule) => rule.id)
    expect(settings.of("school-a").timeZone).toBe("America/New_York")
    expect(settings.of("school-a").scoring.timeZone).toBe("America/New_York")
    expect(settings.of("school-c").timeZone).toBe("Europe/Paris")
    expect(settings.of("school-c").scoring.timeZone).toBe("Europe/Paris")
    expect(ids("school-a")).not.toContain("stay-in-touch")
    expect(settings.of("school-a").rules.find((rule) => rule.id === "thank-you")?.params).toEqual({
      ...BuiltinRules.thankYou.defaults,
      withinDays: 10
    })
    // school-b names thank-you itself; stay-in-touch stays off as `*` says
    expect(ids("school-b")).not.toContain("thank-you")
    expect(ids("school-b")).not.toContain("stay-in-touch")
    expect(SchoolSettings.inZone("UTC").of("anyone").rules.length).toBe(BuiltinRules.all.length)
  })

  it("refuses a wrong statement whole, naming the school and the field", () => {
    const zone = SchoolSettings.resolve({ "*": {}, "school-b": { timeZone: "Mars/Olympus" } })
    expect(Result.isFailure(zone) && zone.failure.school).toBe("school-b")
    const rule = SchoolSettings.resolve({ "*": { rules: { "thank-you": { withinDays: -1 } } } })
    expect(Result.isFailure(rule) && rule.failure.school).toBe("*")
    expect(Result.isFailure(rule) && rule.failure.problems[0]?.path).toEqual(["rules", "thank-you", "withinDays"])
    const unknown = SchoolSettings.resolve({ "school-b": { rules: { "thank-yuo": false } } })
    expect(Result.isFailure(unknown) && unknown.failure.message).toMatch(/school school-b .*thank-yuo/)
    expect(() => SchoolSettings.inZone("Nowhere/Atall")).toThrow(/every school/)
  })
})

describe("a school's rule parameters", () => {
  const projected = async (statements: SchoolSettings.Statements) => {
    const store = InMemoryEventStore.make()
    await load(store, schoolId, simulatedEvents(5), 500)
    const db = Sql.openSqlite(":memory:")
    const schools = SchoolSettings.resolveOrThrow(statements)
    const projector = Projector.make({ store, db, schools, now: () => defaultNow })
    await projector.catchUp()
    await projector.refreshFollowUps()
    await projector.stop()
    const rows = await db.all("SELECT follow_up_id, rule_id, student_id, due_on FROM rm_follow_ups WHERE school = ?", [
      schoolId
    ])
    const dashboard = Dashboard.make({ db, store, schools, threshold: 1, now: () => defaultNow })
    return { store, db, rows, dashboard }
  }

  it("reach the follow-ups the projector writes and those a student's page shows", async () => {
    const defaults = await projected({ "*": { timeZone: "America/New_York" } })
    const later = await projected({ "*": { timeZone: "America/New_York", rules: { "thank-you": { withinDays: 30 } } } })
    const off = await projected({ [schoolId]: { timeZone: "America/New_York", rules: { "thank-you": false } } })

    const thanks = (rows: ReadonlyArray<Record<string, unknown>>) =>
      new Map(
        rows.filter((row) => row.rule_id === "thank-you").map((row) => [String(row.follow_up_id), String(row.due_on)])
      )
    const byDefault = thanks(defaults.rows)
    expect(byDefault.size).toBeGreaterThan(0)
    // the same follow-ups (ids do not depend on parameters), due 23 days later; which are
    // shown may differ (a later due date leaves a pair's follow-up open, hiding another)
    const postponed = thanks(later.rows)
    const both = [...byDefault.keys()].filter((id) => postponed.has(id))
    expect(both.length).toBeGreaterThan(byDefault.size / 2)
    for (const id of both) {
      expect(Date.parse(postponed.get(id) ?? "") - Date.parse(byDefault.get(id) ?? ""), id).toBe(23 * dayMs)
    }
    expect(thanks(off.rows).size).toBe(0)
    expect(off.rows.length).toBeGreaterThan(0)

    const student = String(defaults.rows.find((row) => row.rule_id === "thank-you")?.student_id)
    const pageRules = async (run: typeof defaults) => {
      const page = await Effect.runPromise(run.dashboard.studentPage(schoolId, student, undefined))
      return new Set(page?.followUps.map((followUp) => followUp.ruleId))
    }
    expect(await pageRules(defaults)).toContain("thank-you")
    expect(await pageRules(off)).not.toContain("thank-you")
    for (const run of [defaults, later, off]) await run.db.close()
  }, 120_000)
})
