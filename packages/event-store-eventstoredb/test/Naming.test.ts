/**
 * Keyed stream names over a SIMULATED server: what the log shows of a person, the key a
 * store was first written with, and stores written with names in clear (by the adapter's first build).
 */
import { ExpectedState, type NewEvent, type StreamId } from "@rapport/event-store"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { describe, expect, it } from "vitest"
import * as StreamName from "../src/EventStoreDbStreamName.js"
import * as Layout from "../src/internal/Layout.js"
import { assemble } from "../src/internal/Store.js"
import { naming } from "./support/Naming.js"
import { makeSimulatedServer } from "./support/SimulatedServer.js"

const settings = { maxAppendSize: 1_048_576, scanBudget: 4096, concurrency: 8, naming }
let counter = 0
const event = (studentId: string): NewEvent => ({
  id: crypto.randomUUID(),
  type: "OfficeHoursVisited",
  v: 1,
  occurredAt: new Date(Date.UTC(2026, 0, 1) + ++counter * 1000).toISOString(),
  data: { studentId, facultyId: "f-9" }
})
const student = (id: string): StreamId => ({ school: "sim", kind: "student", id })
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)
const defect = async <A, E>(effect: Effect.Effect<A, E>): Promise<string> => {
  const exit = await Effect.runPromiseExit(effect)
  return Exit.isFailure(exit) && Cause.hasDies(exit.cause) ? String(Cause.squash(exit.cause)) : "no defect"
}

describe("keyed stream names", () => {
  it("no stream name, tombstone or claim in the log shows a person's id, before or after erasure", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), settings)
    const person = "s-2027-0001"
    const s = student(person)
    await run(store.append({ stream: s, expected: ExpectedState.any, events: [event(person), event(person)] }))
    // An attempt that dies after reserving leaves a reservation that names the stream.
    server.faults.next = (op, name) => (op === "append" && name === naming.encode(s) ? "before" : undefined)
    await run(Effect.flip(store.append({ stream: s, expected: ExpectedState.any, events: [event(person)] })))
    server.faults.next = () => undefined
    expect((await run(store.readStream(s))).map((e) => e.stream)).toEqual([s, s])
    await run(store.deleteStream(s))
    expect(server.log.some((r) => r.type === "$streamDeleted" && r.streamName === naming.encode(s))).toBe(true)
    for (const record of server.log) {
      expect(record.streamName).not.toContain(person)
      if (record.type.startsWith("rapport.")) expect(JSON.stringify(record.data)).not.toContain(person)
    }
  })

  it("a store keeps the key it was first written with: another key stops before reading or writing anything", async () => {
    const server = makeSimulatedServer()
    const first = assemble(server.connect(), settings)
    await run(first.append({ stream: student("a"), expected: ExpectedState.any, events: [event("a")] }))
    const before = server.log.length
    const other = assemble(server.connect(), { ...settings, naming: StreamName.make(`${"x".repeat(32)}-another-key`) })
    for (const operation of [
      other.append({ stream: student("b"), expected: ExpectedState.any, events: [event("b")] }),
      other.readStream(student("a")),
      other.readAll({ after: 0 }),
      other.deleteStream(student("a"))
    ]) {
      expect(await defect(operation)).toContain("EVENTSTOREDB_STREAM_KEY (streamKey) must be the key")
    }
    expect(server.log.length).toBe(before)
    const same = assemble(server.connect(), settings)
    expect((await run(same.readStream(student("a")))).length).toBe(1)
    expect(server.log.filter((r) => r.streamName === Layout.streamName)).toHaveLength(1)
  })

  it("an event whose name is not its stream's under the key is a defect, never read as another stream's", async () => {
    const server = makeSimulatedServer()
    const store = assemble(server.connect(), settings)
    const e = event("a")
    await run(store.append({ stream: student("a"), expected: ExpectedState.any, events: [e] }))
    // The same body copied into another stream: its name does not match the id it carries.
    const copy = server.log.find((r) => r.streamName === naming.encode(student("a")))
    await server
      .connect()
      .append(
        naming.encode(student("b")),
        [{ eventId: crypto.randomUUID(), type: "OfficeHoursVisited", data: { ...Object(copy?.data) } }],
        "no_stream"
      )
    expect(await defect(store.readAll({ after: 0 }))).toContain("is not named as its stream is under this key")
  })

  it("a store written with names in clear, by the adapter's first build, is refused, never half read", async () => {
    const server = makeSimulatedServer()
    server.foreign("rapport-student-3.sim-6.s-1001", "OfficeHoursVisited")
    const store = assemble(server.connect(), settings)
    expect(await defect(store.readAll({ after: 0 }))).toContain(
      "is named in clear, by an earlier build of @rapport/event-store-eventstoredb"
    )
    expect(await defect(store.headPosition)).toContain('"Stores written with names in clear"')
  })
})
