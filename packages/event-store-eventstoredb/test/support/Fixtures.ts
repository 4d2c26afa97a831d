/**
 * What the tests over the simulated server share: settings, events, streams, running
 * effects, the ids a stream holds, and a connection that holds an append back.
 */
import { ExpectedState, type NewEvent, type StreamId } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import type { Connection } from "../../src/internal/Connection.js"
import { assemble } from "../../src/internal/Store.js"
import { naming } from "./Naming.js"
import type { SimulatedServer } from "./SimulatedServer.js"

export const settings = { maxAppendSize: 1_048_576, scanBudget: 4096, concurrency: 8, naming }

let counter = 0

/** A new event, a second after the previous one. */
export const event = (overrides: Partial<NewEvent> = {}): NewEvent => ({
  id: crypto.randomUUID(),
  type: "OfficeHoursVisited",
  v: 1,
  occurredAt: new Date(Date.UTC(2026, 0, 1) + ++counter * 1000).toISOString(),
  data: { n: counter },
  ...overrides
})

export const student = (id: string, school = "sim"): StreamId => ({ school, kind: "student", id })

export const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)

export const flip = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(Effect.flip(effect))

/** The Rapport event ids a stream holds on the server, in order. */
export const idsIn = (server: SimulatedServer, stream: StreamId): Array<unknown> =>
  (server.streams.get(naming.encode(stream))?.records ?? []).map((record) =>
    typeof record.data === "object" && record.data !== null
      ? Object.getOwnPropertyDescriptor(record.data, "id")?.value
      : undefined
  )

/** A connection whose first append to `streamName` waits until `open()`; `reached` resolves when it waits. */
export const heldBefore = (connection: Connection, streamName: string) => {
  let open = () => {}
  const gate = new Promise<void>((resolve) => {
    open = resolve
  })
  let arrived = () => {}
  const reached = new Promise<void>((resolve) => {
    arrived = resolve
  })
  let holding = true
  const held: Connection = {
    ...connection,
    append: async (name, events, expected) => {
      if (holding && name === streamName) {
        holding = false
        arrived()
        await gate
      }
      return connection.append(name, events, expected)
    }
  }
  return { connection: held, reached, open }
}

/** An attempt that reserves the ids of `events` for `stream` and dies before writing them. */
export const diedBeforeWriting = async (server: SimulatedServer, stream: StreamId, events: ReadonlyArray<NewEvent>) => {
  server.faults.next = (op, name) => (op === "append" && name === naming.encode(stream) ? "before" : undefined)
  await flip(assemble(server.connect(), settings).append({ stream, expected: ExpectedState.any, events }))
  server.faults.next = () => undefined
}

/** A retry of `events` to `stream` with `Any`, held just before its write until `open()`. */
export const heldRetry = async (server: SimulatedServer, stream: StreamId, events: ReadonlyArray<NewEvent>) => {
  const held = heldBefore(server.connect(), naming.encode(stream))
  const result = Effect.runPromise(
    assemble(held.connection, settings).append({ stream, expected: ExpectedState.any, events })
  )
  await held.reached
  return { result, open: held.open }
}
