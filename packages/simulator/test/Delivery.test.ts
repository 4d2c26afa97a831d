/**
 * What the delivery stage promises, checked over a whole small school: flags say exactly
 * what happened to each delivery.
 */
import { Event } from "@rapport/core"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { describe as describeSchool } from "../src/Simulation.js"
import { sourceSystems } from "../src/Sources.js"
import { school } from "./school.js"

const options = { seed: 1, size: "small" } as const
const { items, stats } = school(options)
const DAY = 86_400_000
const share = (n: number) => n / items.length

describe("Delivery over a small school", () => {
  it("delivers in order of delivery, never before occurrence", () => {
    let previous = ""
    for (const item of items) {
      expect(item.deliveredAt >= previous).toBe(true)
      previous = item.deliveredAt
      const occurred = Date.parse(item.event.occurredAt)
      if (Number.isFinite(occurred)) expect(Date.parse(item.deliveredAt)).toBeGreaterThanOrEqual(occurred)
    }
  })

  it("flags late exactly the deliveries two days or more after occurrence, about 5% of them", () => {
    let late = 0
    let outOfOrder = 0
    let latest = 0
    for (const item of items) {
      const occurred = Date.parse(item.event.occurredAt)
      if (!Number.isFinite(occurred)) continue
      const delay = Date.parse(item.deliveredAt) - occurred
      expect(item.flags.late === true, `${item.event.id} delayed ${delay / DAY} days`).toBe(delay >= 2 * DAY)
      if (item.flags.late === true) late++
      if (occurred < latest) outOfOrder++
      latest = Math.max(latest, occurred)
    }
    expect(share(late)).toBeGreaterThan(0.04)
    expect(share(late)).toBeLessThan(0.06)
    expect(outOfOrder).toBeGreaterThan(items.length / 100)
  })

  it("sends about 1% twice, byte for byte, the copy flagged duplicate", () => {
    const first = new Map<string, string>()
    let duplicates = 0
    for (const item of items) {
      const text = JSON.stringify(item.event)
      const earlier = first.get(item.event.id)
      if (item.flags.duplicate === true) {
        duplicates++
        expect(earlier).toBe(text)
      } else {
        expect(earlier, `id ${item.event.id} reused`).toBeUndefined()
        first.set(item.event.id, text)
      }
    }
    expect(share(duplicates)).toBeGreaterThan(0.007)
    expect(share(duplicates)).toBeLessThan(0.013)
  })

  it("retracts a few events, each named by exactly one EventRetracted", () => {
    const retracted = new Set(items.filter((i) => i.flags.retracted === true).map((i) => i.event.id))
    const named = items
      .filter((i) => i.event.type === "EventRetracted" && i.flags.duplicate !== true)
      .map((i) => String(i.event.data.eventId))
    expect(retracted.size).toBeGreaterThan(3)
    expect(share(retracted.size)).toBeLessThan(0.001)
    expect(new Set(named).size).toBe(named.length)
    expect(new Set(named)).toEqual(retracted)
  })

  it("breaks a few events in each of the documented ways", () => {
    const kinds = new Map<string, number>()
    for (const item of items) {
      const kind = item.flags.malformed
      if (kind !== undefined) kinds.set(kind, (kinds.get(kind) ?? 0) + 1)
    }
    expect([...kinds.keys()].sort()).toEqual([
      "duration-out-of-range",
      "invalid-date",
      "invalid-occurred-at",
      "unknown-field"
    ])
    const malformed = [...kinds.values()].reduce((a, b) => a + b, 0)
    expect(share(malformed)).toBeLessThan(0.002)
    const typo = items.find((i) => i.flags.malformed === "unknown-field")
    expect(typo?.event.data).toHaveProperty("studentID")
    expect(typo?.event.data).not.toHaveProperty("studentId")
  })

  it("goes silent from the gap's source during the coverage gap, and only then", () => {
    const gap = Result.getOrThrow(describeSchool(options)).coverageGap
    const [from, to] = [Date.parse(gap.from), Date.parse(gap.to)]
    let before = 0
    for (const item of items) {
      if (item.event.source !== gap.source) continue
      const at = Date.parse(item.event.occurredAt)
      expect(at >= from && at < to).toBe(false)
      if (at < from && at > from - (to - from)) before++
    }
    expect(before).toBeGreaterThan(100)
    expect(stats.droppedInGap).toBeGreaterThan(100)
  })

  it("uses every event type and every source system", () => {
    const types = new Set(items.map((i) => i.event.type))
    expect([...types].sort()).toEqual([...Event.eventTypes].sort())
    expect(new Set(items.map((i) => i.event.source))).toEqual(new Set(sourceSystems.map((s) => s.name)))
    const erasures = items.filter((i) => i.event.type === "StudentErasureRequested").length
    expect(erasures).toBeGreaterThan(0)
    expect(erasures).toBeLessThan(10)
  })

  it("sends the registrar's events without v and the legacy advising app's mentorships as version 1", () => {
    for (const item of items) if (item.event.source === "registrar") expect(item.event.v).toBeUndefined()
    const v1 = items.filter((i) => i.event.type === "MentorAssigned" && i.event.v === 1)
    const v2 = items.filter((i) => i.event.type === "MentorAssigned" && i.event.v === 2)
    expect(v1.length).toBeGreaterThan(0)
    expect(v2.length).toBeGreaterThan(0)
    for (const item of v1) expect(item.event.data).not.toHaveProperty("program")
  })
})
