/**
 * Data coverage: events per source system per month (school time zone), with the last
 * event from each, so that "isolated" is not mistaken for "a clerkship site that sends
 * no data"; and the same per rotation specialty (from `RotationCompleted`), so that a
 * specialty whose rotations stopped arriving shows whichever system records them. Counts are kept per student as well as per school so that an erasure can
 * take a student's events out exactly, keeping incremental projection equal to a rebuild.
 *
 * @since 0.1.0
 */
import { Calendar, type Event } from "@rapport/core"
import type { CoverageCell, CoverageDimension } from "./Rows.js"

interface Bucket {
  events: number
  lastOccurredMs: number
  lastReceivedMs: number
  /** the days of the month (school time zone) with an event: bit d − 1 for day d */
  days: number
}

/** One (dimension, name, month) cell: a bucket per owner (a student id, or "" for events about no student). */
interface Cell {
  readonly dimension: CoverageDimension
  readonly name: string
  readonly month: number
  readonly owners: Map<string, Bucket>
}

/**
 * The day number of the first day of a month key (`year·12 + month − 1`).
 *
 * @since 0.4.0
 * @category operations
 */
export const firstDayOf = (monthKey: number): number =>
  Calendar.daysFromCivil(Math.floor(monthKey / 12), (monthKey % 12) + 1, 1)

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
  /** dimension and name → month key → cell */
  private readonly cells = new Map<string, Map<number, Cell>>()
  /** student → the cells they contributed to */
  private readonly byStudent = new Map<string, Set<Cell>>()
  private readonly dirty = new Set<Cell>()

  private readonly calendar: Calendar.Calendar

  constructor(calendar: Calendar.Calendar) {
    this.calendar = calendar
  }

  /**
   * Counts one event, received (committed to the store) at `receivedMs`.
   *
   * @since 0.1.0
   */
  add(event: Event.RapportEvent, receivedMs: number, studentId: string | undefined): void {
    const occurredMs = Date.parse(event.occurredAt)
    const month = this.calendar.monthOf(occurredMs)
    const day = this.calendar.dayOf(occurredMs) - firstDayOf(month)
    this.count("source", event.source ?? unnamedSource, month, day, occurredMs, receivedMs, studentId)
    if (event.type === "RotationCompleted")
      this.count("rotation-specialty", event.data.specialty, month, day, occurredMs, receivedMs, studentId)
  }

  private count(
    dimension: CoverageDimension,
    name: string,
    month: number,
    day: number,
    occurredMs: number,
    receivedMs: number,
    studentId: string | undefined
  ): void {
    const key = `${dimension}\u0000${name}`
    let months = this.cells.get(key)
    if (months === undefined) {
      months = new Map()
      this.cells.set(key, months)
    }
    let cell = months.get(month)
    if (cell === undefined) {
      cell = { dimension, name, month, owners: new Map() }
      months.set(month, cell)
    }
    const owner = studentId ?? ""
    let bucket = cell.owners.get(owner)
    if (bucket === undefined) {
      bucket = { events: 0, lastOccurredMs: 0, lastReceivedMs: 0, days: 0 }
      cell.owners.set(owner, bucket)
      if (studentId !== undefined) {
        let own = this.byStudent.get(studentId)
        if (own === undefined) {
          own = new Set()
          this.byStudent.set(studentId, own)
        }
        own.add(cell)
      }
    }
    bucket.events += 1
    bucket.days |= 1 << day
    if (occurredMs > bucket.lastOccurredMs) bucket.lastOccurredMs = occurredMs
    if (receivedMs > bucket.lastReceivedMs) bucket.lastReceivedMs = receivedMs
    this.dirty.add(cell)
  }

  /**
   * Takes an erased student's events out.
   *
   * @since 0.1.0
   */
  erase(studentId: string): void {
    for (const cell of this.byStudent.get(studentId) ?? []) {
      cell.owners.delete(studentId)
      this.dirty.add(cell)
    }
    this.byStudent.delete(studentId)
  }

  /**
   * The cells changed since the last drain, summed over owners. They stay marked until
   * {@link Coverage.settle} (after the write commits), so a failed write loses none.
   *
   * @since 0.1.0
   */
  pending(): ReadonlyArray<CoverageCell> {
    const out: Array<CoverageCell> = []
    for (const cell of this.dirty) {
      let events = 0
      let lastOccurredMs = 0
      let lastReceivedMs = 0
      let days = 0
      for (const bucket of cell.owners.values()) {
        events += bucket.events
        days |= bucket.days
        lastOccurredMs = Math.max(lastOccurredMs, bucket.lastOccurredMs)
        lastReceivedMs = Math.max(lastReceivedMs, bucket.lastReceivedMs)
      }
      out.push({
        dimension: cell.dimension,
        name: cell.name,
        month: Calendar.formatMonth(cell.month),
        events,
        lastOccurredMs: lastOccurredMs > 0 ? lastOccurredMs : null,
        lastReceivedMs: lastReceivedMs > 0 ? lastReceivedMs : null,
        days
      })
    }
    return out
  }

  /**
   * Forgets the changes {@link Coverage.pending} reported (they are written).
   *
   * @since 0.1.0
   */
  settle(): void {
    this.dirty.clear()
  }

  /**
   * Whether anything changed since the last settle.
   *
   * @since 0.1.0
   */
  get isDirty(): boolean {
    return this.dirty.size > 0
  }
}
