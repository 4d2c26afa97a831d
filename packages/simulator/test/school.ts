/**
 * Test fixture: one simulated school, generated once per test file and kept in memory
 * (the `small` preset is about 150,000 deliveries), with its run counters.
 */
import type { SimulatedEvent } from "../src/Delivery.js"
import { generate, type RunStats, type SimulationOptions } from "../src/Simulation.js"

export interface GeneratedSchool {
  readonly items: ReadonlyArray<SimulatedEvent>
  readonly stats: RunStats
}

const cache = new Map<string, GeneratedSchool>()

export const school = (options: SimulationOptions): GeneratedSchool => {
  const key = JSON.stringify(options)
  const known = cache.get(key)
  if (known !== undefined) return known
  const items: Array<SimulatedEvent> = []
  const run = generate(options)
  let step = run.next()
  while (step.done !== true) {
    items.push(step.value)
    step = run.next()
  }
  const generated = { items, stats: step.value }
  cache.set(key, generated)
  return generated
}

/** The data of an event as a record (every payload is an object). */
export const dataOf = (item: SimulatedEvent): Readonly<Record<string, unknown>> => item.event.data

/** A string field of an event's payload, if it is one. */
export const field = (item: SimulatedEvent, name: string): string | undefined => {
  const value = item.event.data[name]
  return typeof value === "string" ? value : undefined
}
