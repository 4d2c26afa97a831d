/**
 * Data coverage: events per source system per month (school time zone), with the last
 * event from each, so that "isolated" is not mistaken for "a clerkship site that sends
 * no data". Counts are kept per student as well as per school so that an erasure can
 * take a student's events out exactly, keeping incremental projection equal to a rebuild.
 *
 * @since 0.1.0
 */
import { Calendar, type Event } from "@rapport/core"
import type { RecordedEvent } from "@rapport/event-store"
import type { CoverageCell } from "./Writer.js"

interface Bucket {
  events: number
  lastOccurredMs: number
  lastReceivedMs: number
}

/**
 * The source label of events posted without one.
 *
 * @since 0.1.0
 * @category constants
 */
export const unnamedSource = "(no source)"

/**
 * @since 0.1.0
 * @category models
 */
export class Coverage {
  /** cell key (source, month) → owner (student id or "") → bucket */
  private readonly cells = new Map<string, Map<string, Bucket>>()
  /** student → the cell keys they contributed to */
  private readonly byStudent = new Map<string, Set<string>>()
  private readonly dirty = new Set<string>()

  constructor(private readonly calendar: Calendar.Calendar) {}

  /**
   * Counts one event.
   *
   * @since 0.1.0
   */
  add(event: Event.RapportEvent, recorded: RecordedEvent, studentId: string | undefined): void {
    const occurredMs = Date.parse(event.occurredAt)
    const key = `${event.source ?? unnamedSource}\u0000${Calendar.formatMonth(this.calendar.monthOf(occurredMs))}`
    const owner = studentId ?? ""
    let owners = this.cells.get(key)
    if (owners === undefined) {
      owners = new Map()
      this.cells.set(key, owners)
    }
    let bucket = owners.get(owner)
    if (bucket === undefined) {
      bucket = { events: 0, lastOccurredMs: 0, lastReceivedMs: 0 }
      owners.set(owner, bucket)
    }
    bucket.events += 1
    bucket.lastOccurredMs = Math.max(bucket.lastOccurredMs, occurredMs)
    bucket.lastReceivedMs = Math.max(bucket.lastReceivedMs, Date.parse(recorded.recordedAt))
    if (studentId !== undefined) {
      let keys = this.byStudent.get(studentId)
      if (keys === undefined) {
        keys = new Set()
        this.byStudent.set(studentId, keys)
      }
      keys.add(key)
    }
    this.dirty.add(key)
  }

  /**
   * Takes an erased student's events out.
   *
   * @since 0.1.0
   */
  erase(studentId: string): void {
    for (const key of this.byStudent.get(studentId) ?? []) {
      this.cells.get(key)?.delete(studentId)
      this.dirty.add(key)
    }
    this.byStudent.delete(studentId)
  }

  /**
   * The cells changed since the last drain, summed over owners.
   *
   * @since 0.1.0
   */
  drain(): ReadonlyArray<CoverageCell> {
    const out: Array<CoverageCell> = []
    for (const key of this.dirty) {
      const [source = unnamedSource, month = ""] = key.split("\u0000")
      let events = 0
      let lastOccurredMs = 0
      let lastReceivedMs = 0
      for (const bucket of this.cells.get(key)?.values() ?? []) {
        events += bucket.events
        lastOccurredMs = Math.max(lastOccurredMs, bucket.lastOccurredMs)
        lastReceivedMs = Math.max(lastReceivedMs, bucket.lastReceivedMs)
      }
      out.push({
        source,
        month,
        events,
        lastOccurredMs: lastOccurredMs > 0 ? lastOccurredMs : null,
        lastReceivedMs: lastReceivedMs > 0 ? lastReceivedMs : null
      })
    }
    this.dirty.clear()
    return out
  }

  /**
   * Whether anything changed since the last drain.
   *
   * @since 0.1.0
   */
  get isDirty(): boolean {
    return this.dirty.size > 0
  }
}
