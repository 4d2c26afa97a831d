/**
 * Where a simulated school goes: NDJSON (one wire event per line, as `rapport import` and
 * `POST /v1/events` with `application/x-ndjson` read it), CSV (columns
 * `id,type,v,occurredAt,source,data`, the payload as JSON text in one quoted column), or
 * any asynchronous sink in batches (for posting to a server).
 *
 * Files are written in delivery order, streamed with back-pressure (memory stays bounded
 * however large the school), to `<path>.partial` first and renamed when complete, so a
 * failed run never leaves a file that looks whole. A failure is a typed `WriteFailed`.
 *
 * @since 0.1.0
 */
import { once } from "node:events"
import { createWriteStream } from "node:fs"
import { rename, rm } from "node:fs/promises"
import * as Data from "effect/Data"
import type { SimulatedEvent } from "./Delivery.js"
import { generate, type RunStats, type SimulationOptions } from "./Simulation.js"

/**
 * Writing a school to a file failed (the path, and the underlying error).
 *
 * @since 0.1.0
 * @category errors
 */
export class WriteFailed extends Data.TaggedError("WriteFailed")<{
  readonly path: string
  readonly cause: unknown
}> {
  override get message(): string {
    return `Could not write ${this.path}: ${this.cause instanceof Error ? this.cause.message : String(this.cause)}`
  }
}

/**
 * What a write produced.
 *
 * @since 0.1.0
 * @category models
 */
export interface WriteSummary extends RunStats {
  /** Items written (duplicates and malformed events included: they are part of the feed). */
  readonly events: number
  readonly bytes: number
}

/**
 * The CSV header line.
 *
 * @since 0.1.0
 * @category constants
 */
export const csvHeader = "id,type,v,occurredAt,source,data\n"

/**
 * One NDJSON line (with its newline): the wire event exactly as posted.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toNdjsonLine = (item: SimulatedEvent): string => `${JSON.stringify(item.event)}\n`

const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)

/**
 * One CSV row (with its newline), RFC 4180 quoting: `v` is empty when the source did not
 * send it (which means version 1), `data` is the payload as JSON text.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toCsvRow = (item: SimulatedEvent): string => {
  const e = item.event
  return `${csvField(e.id)},${csvField(e.type)},${e.v === undefined ? "" : String(e.v)},${csvField(e.occurredAt)},${csvField(e.source)},${csvField(JSON.stringify(e.data))}\n`
}

/** Resolves when a stream can take more, or has closed (on error): never leaves listeners behind. */
const drained = (stream: NodeJS.WritableStream): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done)
      stream.off("close", done)
      resolve()
    }
    stream.on("drain", done)
    stream.on("close", done)
  })

const writeLines = async (
  path: string,
  header: string,
  options: SimulationOptions,
  encode: (item: SimulatedEvent) => string
): Promise<WriteSummary> => {
  const partial = `${path}.partial`
  // A deep buffer lets generation run while the disk writes (no wait on every chunk).
  const stream = createWriteStream(partial, { highWaterMark: 8 << 20 })
  let failure: unknown
  stream.on("error", (error) => {
    failure = error
  })
  let events = 0
  let bytes = 0
  let buffer = header
  const flush = async () => {
    bytes += Buffer.byteLength(buffer)
    if (!stream.write(buffer)) await drained(stream)
    buffer = ""
  }
  try {
    const run = generate(options)
    let step = run.next()
    while (step.done !== true) {
      buffer += encode(step.value)
      events++
      if (buffer.length >= 1 << 18) await flush()
      if (failure !== undefined) throw failure
      step = run.next()
    }
    await flush()
    stream.end()
    await once(stream, "close")
    if (failure !== undefined) throw failure
    await rename(partial, path)
    return { events, bytes, ...step.value }
  } catch (cause) {
    // The file is opened asynchronously: wait until the stream has closed, or the open can
    // land after the removal and leave the partial file behind.
    if (!stream.closed) {
      const closed = once(stream, "close")
      stream.destroy()
      await closed
    }
    await rm(partial, { force: true })
    throw cause instanceof Error && "_tag" in cause ? cause : new WriteFailed({ path, cause })
  }
}

/**
 * Writes a school to an NDJSON file (one wire event per line, delivery order).
 *
 * @since 0.1.0
 * @category sinks
 */
export const writeNdjson = (path: string, options: SimulationOptions): Promise<WriteSummary> =>
  writeLines(path, "", options, toNdjsonLine)

/**
 * Writes a school to a CSV file (header `id,type,v,occurredAt,source,data`).
 *
 * @since 0.1.0
 * @category sinks
 */
export const writeCsv = (path: string, options: SimulationOptions): Promise<WriteSummary> =>
  writeLines(path, csvHeader, options, toCsvRow)

/**
 * A consumer of batches of deliveries (for instance a client posting them to
 * `POST /v1/events`, which takes at most 1,000 events per JSON request).
 *
 * @since 0.1.0
 * @category models
 */
export type Sink = (batch: ReadonlyArray<SimulatedEvent>) => void | Promise<void>

/**
 * Feeds a school to a sink in batches of `batchSize` (default 500), in delivery order,
 * waiting for each batch before generating the next.
 *
 * @since 0.1.0
 * @category sinks
 */
export const toSink = async (
  sink: Sink,
  options: SimulationOptions & { readonly batchSize?: number }
): Promise<RunStats & { readonly events: number }> => {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 500))
  const run = generate(options)
  let batch: Array<SimulatedEvent> = []
  let events = 0
  let step = run.next()
  while (step.done !== true) {
    batch.push(step.value)
    events++
    if (batch.length >= batchSize) {
      await sink(batch)
      batch = []
    }
    step = run.next()
  }
  if (batch.length > 0) await sink(batch)
  return { events, ...step.value }
}
