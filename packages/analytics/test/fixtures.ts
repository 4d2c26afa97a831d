/**
 * A simulated school loaded into an event store, as the server would store it.
 */
import { Decode, type Event } from "@rapport/core"
import { type EventStoreShape, ExpectedState, type NewEvent } from "@rapport/event-store"
import { Simulation } from "@rapport/simulator"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Streams from "../src/Streams.js"

export const simulatedEvents = (seed: number, size: "tiny" | "small" = "tiny"): ReadonlyArray<Event.RapportEvent> => {
  const events: Array<Event.RapportEvent> = []
  for (const item of Simulation.generate({ seed, size })) {
    const decoded = Decode.decodeEvent(item.event)
    if (Result.isSuccess(decoded)) events.push(decoded.success)
  }
  return events
}

const toNew = (event: Event.RapportEvent): NewEvent => ({
  id: event.id,
  type: event.type,
  v: event.v,
  occurredAt: event.occurredAt,
  source: event.source,
  data: event.data
})

/** appends in batches of `batch` events (each batch one appendMany), returning the last position */
export const load = async (
  store: EventStoreShape,
  school: string,
  events: ReadonlyArray<Event.RapportEvent>,
  batch: number
): Promise<number> => {
  let position = 0
  for (let i = 0; i < events.length; i += batch) {
    const byStream = new Map<string, { stream: ReturnType<typeof Streams.streamFor>; events: Array<NewEvent> }>()
    for (const event of events.slice(i, i + batch)) {
      const stream = Streams.streamFor(school, event)
      const key = `${stream.kind}/${stream.id}`
      const entry = byStream.get(key) ?? { stream, events: [] }
      entry.events.push(toNew(event))
      byStream.set(key, entry)
    }
    const result = await Effect.runPromise(
      store.appendMany([...byStream.values()].map((entry) => ({ ...entry, expected: ExpectedState.any })))
    )
    position = Math.max(position, result.position)
  }
  return position
}
