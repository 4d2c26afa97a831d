import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Config from "../src/Config.js"
import type { RapportEvent } from "../src/Event.js"
import * as Pair from "../src/Pair.js"
import * as SchoolFold from "../src/SchoolFold.js"
import type { SchoolState } from "../src/State.js"
import * as Student from "../src/Student.js"
import * as Tier from "../src/Tier.js"
import { asOf, event, history, interaction, studentIds } from "./scoringFixtures.js"

const config = Config.defaultConfig
const fold = (events: ReadonlyArray<RapportEvent>): SchoolState => SchoolFold.fromEvents(events, config)

const everyPair = (state: SchoolState) => [...state.students.values()].flatMap((s) => [...s.pairs.values()])

const scoreOf = (state: SchoolState, studentId: string, facultyId: string, asOfMs: number) => {
  const pair = state.students.get(studentId)?.pairs.get(facultyId)
  return pair === undefined ? undefined : Pair.relationshipScore(pair, asOfMs, state)
}

const roomFor = (a: number, b: number): number => Math.max(Math.abs(a), Math.abs(b)) * 1e-12

describe("RelationshipScore", () => {
  it("stays within 0..100, with a strength of at least 0", () => {
    fc.assert(
      fc.property(history(), asOf, (events, asOfMs) => {
        const state = fold(events)
        for (const pair of everyPair(state)) {
          const r = Pair.relationshipScore(pair, asOfMs, state)
          expect(r.score).toBeGreaterThanOrEqual(0)
          expect(r.score).toBeLessThanOrEqual(100)
          expect(r.strength).toBeGreaterThanOrEqual(0)
          expect(Tier.tiers).toContain(r.tier)
        }
      }),
      { numRuns: 150 }
    )
  })

  it("never falls (score, tier, strength, dimensions, breadth, weeks) when an interaction is added", () => {
    fc.assert(
      fc.property(history(), interaction(), asOf, (events, extra, asOfMs) => {
        const before = fold(events)
        const after = fold([...events, extra])
        for (const pair of everyPair(before)) {
          const b = Pair.relationshipScore(pair, asOfMs, before)
          const a = scoreOf(after, pair.studentId, pair.facultyId, asOfMs)
          expect(a).toBeDefined()
          if (a === undefined) continue
          expect(a.score).toBeGreaterThanOrEqual(b.score - roomFor(a.score, b.score))
          expect(a.strength).toBeGreaterThanOrEqual(b.strength - roomFor(a.strength, b.strength))
          expect(Tier.rank(a.tier)).toBeGreaterThanOrEqual(Tier.rank(b.tier))
          expect(a.breadth).toBeGreaterThanOrEqual(b.breadth)
          expect(a.weeks).toBeGreaterThanOrEqual(b.weeks)
          for (const d of ["mentorship", "research", "letters", "clinical"] as const) {
            const [x, y] = [a.dimensions[d].strength, b.dimensions[d].strength]
            expect(x).toBeGreaterThanOrEqual(y - roomFor(x, y))
          }
        }
      }),
      { numRuns: 150 }
    )
  })

  it("never gains strength as asOf advances with no new events", () => {
    fc.assert(
      fc.property(history(), asOf, fc.nat(3_000 * 86_400_000), (events, asOfMs, later) => {
        const state = fold(events)
        for (const pair of everyPair(state)) {
          const now = Pair.strength(pair, asOfMs, state.lambda, state.config.repeatRatio)
          const then = Pair.strength(pair, asOfMs + later, state.lambda, state.config.repeatRatio)
          expect(then).toBeLessThanOrEqual(now + roomFor(now, then))
          expect(Pair.supportStrength(pair, asOfMs + later, state.lambda)).toBeLessThanOrEqual(
            Pair.supportStrength(pair, asOfMs, state.lambda) * (1 + 1e-12)
          )
        }
      }),
      { numRuns: 150 }
    )
  })

  it("halves a single interaction's strength every half-life", () => {
    const visit = event("OfficeHoursVisited", "2026-01-10T12:00:00Z", {
      studentId: "s-1",
      facultyId: "f-1",
      durationMinutes: 30,
      topic: "career",
      initiatedBy: "faculty"
    })
    const state = fold([visit])
    const pair = state.students.get("s-1")?.pairs.get("f-1")
    if (pair === undefined) throw new Error("no pair")
    const at = Date.parse(visit.occurredAt)
    expect(Pair.strength(pair, at, state.lambda, state.config.repeatRatio)).toBeCloseTo(1, 12)
    expect(Pair.strength(pair, at + 180 * 86_400_000, state.lambda, state.config.repeatRatio)).toBeCloseTo(0.5, 12)
    // An asOf before the event clamps its age at zero: never more than its weight.
    expect(Pair.strength(pair, at - 86_400_000, state.lambda, state.config.repeatRatio)).toBe(1)
  })

  it("keeps support check-ins out of letters, tiers, advocates and scores", () => {
    fc.assert(
      fc.property(
        history(),
        fc.array(interaction(["SupportCheckInHeld"]), { maxLength: 30 }),
        asOf,
        (events, supports, asOfMs) => {
          const without = fold(events)
          const withSupport = fold([...events, ...supports])
          for (const pair of everyPair(withSupport)) {
            const a = Pair.relationshipScore(pair, asOfMs, withSupport)
            const b = scoreOf(without, pair.studentId, pair.facultyId, asOfMs)
            expect(a.dimensions.letters.strength).toBe(b?.dimensions.letters.strength ?? 0)
            expect(a.tier).toBe(b?.tier ?? "none")
            expect(a.score).toBe(b?.score ?? 0)
            expect(a.explanation.topContributions.every((c) => c.type !== "SupportCheckInHeld")).toBe(true)
          }
          for (const s of studentIds) {
            const a = Student.summarize(withSupport, s, asOfMs)
            const b = Student.summarize(without, s, asOfMs)
            expect(a?.advocatesInSpecialty ?? []).toEqual(b?.advocatesInSpecialty ?? [])
            expect(a?.advocatesOutOfSpecialty ?? []).toEqual(b?.advocatesOutOfSpecialty ?? [])
            // A student known only from support check-ins is isolated: support never counts.
            expect(a?.isolated ?? true).toBe(b?.isolated ?? true)
          }
        }
      ),
      { numRuns: 100 }
    )
  })

  it("explains with the largest contributions first, ties by occurredAt then id", () => {
    const at = "2026-04-01T09:00:00Z"
    const data = { studentId: "s-1", facultyId: "f-1", kind: "thank-you", channel: "email" } as const
    const b = event("FollowUpSent", at, data, "00000000-0000-4000-8000-00000000000b")
    const a = event("FollowUpSent", at, data, "00000000-0000-4000-8000-00000000000a")
    const earlier = event("FollowUpSent", "2026-03-01T09:00:00Z", data, "00000000-0000-4000-8000-000000000009")
    const paper = event("PublicationCoauthored", "2025-01-01T00:00:00Z", {
      studentId: "s-1",
      facultyIds: ["f-1"],
      publicationId: "p-1"
    })
    const state = fold([b, earlier, paper, a])
    const r = scoreOf(state, "s-1", "f-1", Date.parse("2026-04-02T00:00:00Z"))
    // a and b repeat a thank-you in the same month: b (the larger id) counts half (repeatRatio),
    // so the March note outweighs it.
    expect(r?.explanation.topContributions.map((c) => c.eventId)).toEqual([paper.id, a.id, earlier.id])
    const listed = r?.explanation.topContributions.reduce((sum, c) => sum + c.points, 0) ?? 0
    expect(listed + (r?.explanation.otherPoints ?? 0)).toBeCloseTo(r?.score ?? -1, 9)
    expect(r?.explanation.otherContributions).toBe(1)
    expect(r?.explanation.missingDimensions).toEqual(["letters", "clinical"])
    expect(r?.explanation.lastContactAt).toBe("2026-04-01T09:00:00.000Z")
    expect(r?.explanation.daysSinceLastContact).toBe(1)
  })
})
