// The events of the benchmark: the simulator's school, generated lazily (never all in
// memory) and written to a file as the bodies of the POSTs, one JSON array of `batch`
// events a line. Generating ahead keeps the simulator's CPU out of the measured window.
// Events the simulator breaks on purpose (malformed) are left out: a JSON batch is
// all-or-nothing, and the benchmark measures storing, not rejecting.
import { closeSync, openSync, writeSync } from "node:fs"
import { Simulation } from "@rapport/simulator"
import * as Result from "effect/Result"

/**
 * Writes the batches to `file`; returns the counts and the school's time zone.
 * `limit` caps the number of events (0: the whole school).
 */
export const generateBatches = (file, { seed, size, batch, limit }) => {
  const today = new Date()
  const options = {
    seed,
    size,
    endYear: today.getUTCFullYear(),
    end: { month: today.getUTCMonth() + 1, day: today.getUTCDate() }
  }
  const described = Simulation.describe(options)
  if (Result.isFailure(described)) throw new Error(`simulator options: ${String(described.failure)}`)
  const fd = openSync(file, "w")
  let events = 0
  let malformed = 0
  let batches = 0
  let line = []
  let buffer = ""
  const flushLine = () => {
    if (line.length === 0) return
    buffer += `[${line.join(",")}]\n`
    line = []
    batches++
    if (buffer.length > 4_000_000) {
      writeSync(fd, buffer)
      buffer = ""
    }
  }
  for (const item of Simulation.generate(options)) {
    if (item.flags.malformed !== undefined) {
      malformed++
      continue
    }
    line.push(JSON.stringify(item.event))
    events++
    if (line.length === batch) flushLine()
    if (limit > 0 && events >= limit) break
  }
  flushLine()
  writeSync(fd, buffer)
  closeSync(fd)
  return { events, malformed, batches, timeZone: described.success.timeZone }
}
