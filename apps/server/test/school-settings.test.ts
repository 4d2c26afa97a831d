/**
 * A school's rule parameters reach the projector: resolved once in the configuration,
 * they go from `Server.start` to the projector's thread (ProjectorWorker, on SQLite
 * files) and decide the follow-ups it writes, which the dashboard then serves. Until
 * issue #14 the projector always evaluated the defaults.
 */
import { SchoolSettings } from "@rapport/analytics"
import * as Effect from "effect/Effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import * as Config from "../src/Config.js"
import * as Installation from "../src/Installation.js"
import * as Server from "../src/Server.js"

const folders: Array<string> = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

const school = "school-settings"
const today = Date.now()
const day = (offset: number) => new Date(today + offset * 86_400_000).toISOString().slice(0, 10)

/** Serves an embedded installation whose schools run thank-you with `statements`, and asks for the follow-ups of one rotation. */
const thankYouDue = async (statements: SchoolSettings.Statements) => {
  const folder = mkdtempSync(join(tmpdir(), "rapport-school-settings-"))
  folders.push(folder)
  const loaded = Config.load({ db: join(folder, "rapport.db"), port: "0" }, {})
  const config = { ...loaded, schools: SchoolSettings.resolveOrThrow(statements) }
  const installation = await Installation.open(config)
  const running = await Server.start(installation, { log: () => undefined, port: 0 })
  try {
    const now = new Date()
    const bearer = async (scope: "events:write" | "dashboards:read" | "admin") => {
      const created = await Effect.runPromise(
        installation.control.createKey({ school, name: `k-${scope}`, scopes: [scope], now })
      )
      return { authorization: `Bearer ${created.key}` }
    }
    const writer = await bearer("events:write")
    const reader = await bearer("dashboards:read")
    const events = [
      {
        id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e01",
        type: "RotationCompleted",
        v: 1,
        occurredAt: `${day(-3)}T18:00:00.000Z`,
        data: {
          studentId: "s-1",
          facultyIds: ["f-1"],
          rotationId: "rot-1",
          specialty: "Surgery",
          startedOn: day(-30),
          endedOn: day(-3)
        }
      }
    ]
    const posted = await running.app.request("/v1/events", {
      method: "POST",
      headers: { ...writer, "content-type": "application/json" },
      body: JSON.stringify(events)
    })
    expect(posted.status).toBe(200)
    const head = await Effect.runPromise(installation.store.headPosition)
    expect(await running.projector?.waitFor(head, 120_000)).toBe(true)
    await running.projector?.refreshFollowUps()
    const answer = await running.app.request("/v1/dashboard/follow-ups?window=all", { headers: reader })
    expect(answer.status).toBe(200)
    const view: { rows: ReadonlyArray<{ ruleId: string; dueOn: string }> } = await answer.json()
    // what an admin is shown agrees with what the projector evaluated
    const admin = await bearer("admin")
    const inForce = await running.app.request("/v1/admin/rules", { headers: admin })
    expect(inForce.status).toBe(200)
    const shown: { rules: ReadonlyArray<{ id: string; params: unknown }> } = await inForce.json()
    const thankYou = config.schools.of(school).rules.find((rule) => rule.id === "thank-you")
    expect(shown.rules.find((rule) => rule.id === "thank-you")?.params).toEqual(thankYou?.params)
    expect(shown.rules.map((rule) => rule.id)).toEqual(config.schools.of(school).rules.map((rule) => rule.id))
    return view.rows.filter((row) => row.ruleId === "thank-you").map((row) => row.dueOn)
  } finally {
    await running.stop()
  }
}

describe("a school's rule parameters", () => {
  it("decide the follow-ups the server's projector writes", async () => {
    expect(await thankYouDue({ "*": {} })).toEqual([day(4)])
    expect(await thankYouDue({ [school]: { rules: { "thank-you": { withinDays: 30 } } } })).toEqual([day(27)])
    expect(await thankYouDue({ "*": { rules: { "thank-you": false } } })).toEqual([])
  }, 300_000)
})

describe("RAPPORT_RULES_FILE", () => {
  const load = (text: string) =>
    Config.load({ db: "unused.db", port: "0" }, { RAPPORT_RULES_FILE: "rules.json" }, (path) => {
      expect(path).toBe("rules.json")
      return text
    })
  const sentence = (text: string) => {
    try {
      load(text)
      return "loaded"
    } catch (error) {
      return error instanceof Config.ConfigError ? error.sentence : String(error)
    }
  }

  it("is a school's rule parameters as data: keyed by school, * for every other", () => {
    const config = load(
      JSON.stringify({
        "*": { "thank-you": { withinDays: 10 } },
        "school-a": { "mentor-cadence": { programs: { "advisory-college": { everyDays: 60 } } }, outreach: false }
      })
    )
    const a = config.schools.of("school-a").rules
    expect(a.find((rule) => rule.id === "thank-you")?.params).toMatchObject({ withinDays: 10 })
    expect(a.find((rule) => rule.id === "mentor-cadence")?.params).toMatchObject({
      programs: { "advisory-college": { everyDays: 60 } }
    })
    expect(a.map((rule) => rule.id)).not.toContain("outreach")
    expect(config.schools.of("school-b").rules.map((rule) => rule.id)).toContain("outreach")
  })

  it("is validated when the server starts, one sentence naming the file, the school and the path", () => {
    expect(sentence(JSON.stringify({ "school-a": { "thank-you": { withinDays: 0 } } }))).toBe(
      "RAPPORT_RULES_FILE rules.json: the settings of school school-a do not validate: rules.thank-you.withinDays: Expected a whole number of days between 1 and 3650."
    )
    expect(sentence(JSON.stringify({ "*": { "thank-yuo": {} } }))).toMatch(
      /^RAPPORT_RULES_FILE rules\.json: the settings of every school do not validate: rules\.thank-yuo: Unknown rule/
    )
    expect(sentence("{ nope")).toMatch(/^RAPPORT_RULES_FILE rules\.json is not JSON: /)
    expect(sentence("[]")).toMatch(/must hold an object keyed by school id/)
    expect(sentence(JSON.stringify({ "school-a": false }))).toBe(
      "RAPPORT_RULES_FILE rules.json: the settings of school school-a must be an object keyed by rule id."
    )
  })
})
