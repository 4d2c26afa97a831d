/// <reference types="node" />
/**
 * Keeps docs/scoring.md honest: its tables of weights, tiers and defaults are the code's,
 * and its worked example is recomputed here, number by number.
 */
import { readFileSync } from "node:fs"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Config from "../src/Config.js"
import * as Contribution from "../src/Contribution.js"
import type { RapportEvent } from "../src/Event.js"
import * as Pair from "../src/Pair.js"
import * as SchoolFold from "../src/SchoolFold.js"
import * as Strength from "../src/Strength.js"
import { event } from "./scoringFixtures.js"

const doc = readFileSync(new URL("../../../docs/scoring.md", import.meta.url), "utf8")

const section = (heading: string): string => {
  const start = doc.indexOf(`## ${heading}\n`)
  expect(start, heading).toBeGreaterThanOrEqual(0)
  const end = doc.indexOf("\n## ", start + 1)
  return doc.slice(start, end < 0 ? undefined : end)
}

/** The cells of every table row of a section (header and rule excluded). */
const rows = (text: string): Array<Array<string>> =>
  text
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| ---"))
    .slice(1)
    .map((line) =>
      line
        .slice(2, -2)
        .split(" | ")
        .map((cell) => cell.trim())
    )

const leaves = (value: unknown, path: string): Array<[string, unknown]> =>
  typeof value === "object" && value !== null
    ? Object.entries(value).flatMap(([k, v]) => leaves(v, path === "" ? k : `${path}.${k}`))
    : [[path, value]]

describe("docs/scoring.md", () => {
  it("lists every default of the configuration, with its value, in one table", () => {
    const table = new Map(rows(section("Configuration")).map(([name, value]) => [name, value]))
    const defaults = leaves(Config.defaultConfig, "")
    expect(table.size).toBe(defaults.length)
    for (const [path, value] of defaults) expect(table.get(`\`${path}\``), path).toBe(String(value))
  })

  it("gives each interaction the weight the code gives it", () => {
    const table = rows(section("What counts"))
    expect(table).toHaveLength(Contribution.interactionTypes.length)
    for (const type of Contribution.interactionTypes) {
      const row = table.find(([name]) => name?.includes(`(\`${type}\``))
      expect(row, type).toBeDefined()
      expect(row?.[1], type).toBe(String(Config.defaultConfig.weights[Contribution.kindOfType[type]]))
    }
  })

  it("gives each tier the thresholds the code gives it", () => {
    const table = rows(section("The tiers"))
    for (const tier of ["acquainted", "developing", "strong", "advocate"] as const) {
      const t = Config.defaultConfig.tiers[tier]
      expect(table.find(([name]) => name === tier)?.slice(1, 4), tier).toEqual([
        String(t.strength),
        String(t.breadth),
        String(t.weeks)
      ])
    }
  })

  describe("worked example", () => {
    const s = "s-1001"
    const f = "f-204"
    const events: ReadonlyArray<RapportEvent> = [
      event("MentorAssigned", "2026-01-12T15:00:00Z", { studentId: s, facultyId: f, program: "advisory-college" }),
      event("OfficeHoursVisited", "2026-01-20T15:30:00Z", {
        studentId: s,
        facultyId: f,
        durationMinutes: 20,
        topic: "career",
        initiatedBy: "student"
      }),
      event("MentorshipMeetingHeld", "2026-02-17T14:00:00Z", {
        studentId: s,
        facultyId: f,
        durationMinutes: 45,
        topics: ["specialty-selection", "clinical-practice"]
      }),
      event("ClinicalFeedbackGiven", "2026-03-10T19:00:00Z", {
        studentId: s,
        facultyId: f,
        setting: "clerkship",
        domains: ["diagnostic-reasoning"]
      }),
      event("FollowUpSent", "2026-03-31T13:00:00Z", {
        studentId: s,
        facultyId: f,
        kind: "thank-you",
        channel: "email"
      }),
      event("MentorshipMeetingHeld", "2026-04-21T14:00:00Z", {
        studentId: s,
        facultyId: f,
        durationMinutes: 30,
        topics: ["residency-application"]
      }),
      event("ResearchRoleStarted", "2026-05-19T16:00:00Z", {
        studentId: s,
        facultyId: f,
        projectId: "sepsis-registry",
        role: "assistant"
      })
    ]
    const config = Result.getOrThrow(Config.makeConfig({ timeZone: "America/New_York" }))
    const state = SchoolFold.fromEvents(events, config)
    const pair = state.students.get(s)?.pairs.get(f)
    const text = section("Worked example")
    const june = "2026-06-01T04:00:00Z"
    const december = "2026-12-01T05:00:00Z"
    const bold = (pattern: string): string | undefined => new RegExp(pattern).exec(text)?.[1]

    it("lists the events with their weights, ages and faded weights", () => {
      if (pair === undefined) throw new Error("no pair")
      const table = rows(text)
      expect(table).toHaveLength(events.length)
      const asOfMs = Date.parse(june)
      const sorted = [...pair.contributions].sort(Contribution.byTime)
      sorted.forEach((c, i) => {
        const age = (asOfMs - c.atMs) / Strength.msPerDay
        const faded = Strength.fadedWeight(c.weight, c.atMs, asOfMs, state.lambda)
        expect(table[i]?.[0]).toBe(c.event.occurredAt)
        expect(table[i]?.[1]?.startsWith(c.event.type)).toBe(true)
        expect(table[i]?.slice(2)).toEqual([c.weight.toFixed(2), age.toFixed(1), faded.toFixed(2)])
      })
      expect(text).toContain(`\`${june}\``)
      expect(text).toContain(`\`${december}\``)
    })

    it("states the strength, score, breadth, weeks and tier as of 1 June", () => {
      if (pair === undefined) throw new Error("no pair")
      const r = Pair.relationshipScore(pair, june, state)
      expect(bold("strength: \\*\\*([0-9.]+)\\*\\*")).toBe(r.strength.toFixed(2))
      expect(bold("score: \\*\\*([0-9.]+)\\*\\*")).toBe(r.score.toFixed(1))
      expect(bold("research — \\*\\*(\\d)\\*\\*")).toBe(String(r.breadth))
      expect(bold("weeks with contact: \\*\\*(\\d+)\\*\\*")).toBe(String(r.weeks))
      expect(bold("tier: \\*\\*([a-z]+)\\*\\*")).toBe(r.tier)
      expect(r.explanation.missingDimensions).toEqual(["letters"])
      expect(r.explanation.nextTier).toBeUndefined()
      expect(text).toContain("the highest tier")
      expect(
        r.explanation.topContributions.map((c) => [c.type, c.fadedWeight.toFixed(2), c.points.toFixed(1)])
      ).toEqual([
        ["ResearchRoleStarted", "2.86", "26.0"],
        ["MentorshipMeetingHeld", "1.71", "15.6"],
        ["MentorshipMeetingHeld", "1.64", "14.9"]
      ])
      expect(text).toContain(`everything else adds\n  ${r.explanation.otherPoints.toFixed(1)} points`)
    })

    it("states how it has faded by 1 December", () => {
      if (pair === undefined) throw new Error("no pair")
      const r = Pair.relationshipScore(pair, december, state)
      const [strength, score, tier] = /strength \*\*([0-9.]+)\*\*, score \*\*([0-9.]+)\*\*, tier \*\*([a-z]+)\*\*/
        .exec(text)
        ?.slice(1) ?? ["", "", ""]
      expect([strength, score, tier]).toEqual([r.strength.toFixed(2), r.score.toFixed(1), r.tier])
      expect(r.explanation.sentence).toBe("Score 37, developing; strong needs 0.9 more strength (recent contact).")
      expect(text).toContain('"strong needs 0.9\nmore strength (recent contact)"')
    })
  })
})
