/**
 * The size of a stream part, counted as KurrentDB 25.0 counts it (data + metadata +
 * 2 × type per event, against a 1 MiB `MaxAppendSize` by default), over a SIMULATED
 * server that refuses what 25.0 refuses. A part the server would refuse must be refused
 * before anything of the request is written, or a retry could never complete it.
 */
import { contentHash, ExpectedState, type NewEvent, type StreamId } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Envelope from "../src/internal/Envelope.js"
import { assemble } from "../src/internal/Store.js"
import { makeSimulatedServer, sizeOnDisk } from "./support/SimulatedServer.js"
import { naming } from "./support/Naming.js"

const limit = 64 * 1024
const settings = { maxAppendSize: limit, scanBudget: 4096, concurrency: 8, naming }
const student = (id: string): StreamId => ({ school: "sim", kind: "student", id })
const filled = (i: number, length: number): NewEvent => ({
  id: `e-${i}`,
  type: "OfficeHoursVisited",
  v: 1,
  occurredAt: "2026-01-01T00:00:00.000Z",
  data: { note: "x".repeat(length) }
})
const proposed = (events: ReadonlyArray<NewEvent>) =>
  events.map((event) => Envelope.toProposed(student("large"), event, contentHash(event), crypto.randomUUID()))

describe("the size of a stream part", () => {
  it("is never counted below what the server counts, metadata and type included", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            type: fc.string({ minLength: 1, maxLength: 40 }),
            note: fc.string({ maxLength: 300, unit: "binary" }),
            source: fc.option(fc.string({ maxLength: 30 }), { nil: undefined })
          }),
          { minLength: 1, maxLength: 20 }
        ),
        (drafts) => {
          const events = proposed(
            drafts.map((draft, i) => ({
              id: `e-${i}`,
              type: draft.type,
              v: 1,
              occurredAt: "2026-01-01T00:00:00Z",
              ...(draft.source === undefined ? {} : { source: draft.source }),
              data: { note: draft.note }
            }))
          )
          expect(Envelope.appendSize(events)).toBeGreaterThanOrEqual(
            sizeOnDisk(events) + events.length * Envelope.sizeMargin
          )
        }
      ),
      { numRuns: 50 }
    )
  })

  it("a part the server would refuse is refused before any part of the request is written", async () => {
    // The smallest filler that makes 100 events just too large for the server (each filler
    // character is one byte of each event's data).
    const events = (n: number) => Array.from({ length: 100 }, (_, i) => filled(i, n))
    const length = Math.floor((limit - sizeOnDisk(proposed(events(0)))) / 100) + 1
    expect([sizeOnDisk(proposed(events(length - 1))) <= limit, sizeOnDisk(proposed(events(length))) > limit]).toEqual([
      true,
      true
    ])
    const server = makeSimulatedServer({ maxAppendSize: limit })
    const store = assemble(server.connect(), settings)
    const error = await Effect.runPromise(
      Effect.flip(
        store.appendMany([
          { stream: student("small"), expected: ExpectedState.any, events: [filled(1000, 10)] },
          { stream: student("large"), expected: ExpectedState.any, events: events(length) }
        ])
      )
    )
    expect(error).toMatchObject({ _tag: "InvalidAppend" })
    expect(error._tag === "InvalidAppend" ? error.reason : "").toContain(naming.encode(student("large")))
    expect(server.log).toEqual([])
  })

  it("a part within the limit with the margin to spare is written whole", async () => {
    const events = (n: number) => Array.from({ length: 100 }, (_, i) => filled(i, n))
    const length = Math.floor((limit - Envelope.appendSize(proposed(events(0)))) / 100)
    expect(Envelope.appendSize(proposed(events(length)))).toBeLessThanOrEqual(limit)
    const server = makeSimulatedServer({ maxAppendSize: limit })
    const store = assemble(server.connect(), settings)
    const stored = await Effect.runPromise(
      store.append({ stream: student("large"), expected: ExpectedState.any, events: events(length) })
    )
    expect(stored.events.filter((e) => !e.duplicate)).toHaveLength(100)
  })
})
