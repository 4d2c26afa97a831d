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
    const bearer = async (scope: "events:write" | "dashboards:read") => {
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
    const answer = await running.app.request("/v1/dashboard/follow-ups", { headers: reader })
    expect(answer.status).toBe(200)
    const view: { rows: ReadonlyArray<{ ruleId: string; dueOn: string }> } = await answer.json()
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
