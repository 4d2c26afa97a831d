/**
 * How the school's events reach Rapport. Each event that occurred is given its id and
 * written the way its source system writes it (the wire JSON, exactly as posted), then:
 *
 * - dropped if its source is in its coverage gap (the system was silent then);
 * - or sent malformed (a typo'd `studentID`, a duration out of range, a date that does not
 *   exist, an `occurredAt` without an offset) — flag `malformed`, and the good event is
 *   lost;
 * - or marked for retraction: an `EventRetracted` naming it follows days later — flag
 *   `retracted` on the retracted event;
 * - delivered on time (minutes, or the next nightly batch) or late (2–42 days) — flag
 *   `late` whenever it arrives two days or more after it occurred;
 * - and sometimes sent twice, byte for byte — flag `duplicate` on the second copy.
 *
 * Items come out in delivery order. Only the window of events not yet delivered is held.
 *
 * @since 0.1.0
 */
import { Heap } from "./internal/Heap.js"
import { eventId } from "./EventIds.js"
import type { Random } from "./Random.js"
import { DAY, formatInstant, WEEK } from "./SchoolTime.js"
import { lateDelay, lateThreshold, onTimeDelay, system } from "./Sources.js"
import type { OccurredEvent, World } from "./World.js"

/**
 * How a malformed event is broken.
 *
 * @since 0.1.0
 * @category models
 */
export type Malformation = "unknown-field" | "duration-out-of-range" | "invalid-date" | "invalid-occurred-at"

/**
 * What happened to a delivered item (absent flags are false).
 *
 * @since 0.1.0
 * @category models
 */
export interface Flags {
  readonly late?: true
  readonly duplicate?: true
  readonly malformed?: Malformation
  readonly retracted?: true
}

/**
 * An event as posted: `id`, `type`, `v` (omitted by systems that send only version 1),
 * `occurredAt` (RFC 3339 with the source's offset style), `source`, `data`.
 *
 * @since 0.1.0
 * @category models
 */
export interface WireEvent {
  readonly id: string
  readonly type: string
  readonly v?: number
  readonly occurredAt: string
  readonly source: string
  readonly data: Readonly<Record<string, unknown>>
}

/**
 * One delivery: the event as posted, when it was delivered (ISO 8601 UTC) and its flags.
 *
 * @since 0.1.0
 * @category models
 */
export interface SimulatedEvent {
  readonly event: WireEvent
  readonly deliveredAt: string
  readonly flags: Flags
}

/**
 * A source system's silence: events it should have sent for `[from, to)` never arrive.
 *
 * @since 0.1.0
 * @category models
 */
export interface CoverageGap {
  readonly source: string
  readonly from: number
  readonly to: number
}

/** The event types each way of breaking an event applies to. */
const malformable: { readonly [K in Malformation]: ReadonlySet<string> } = {
  "unknown-field": new Set([
    "OfficeHoursVisited",
    "LectureEngagementRecorded",
    "ClinicalFeedbackGiven",
    "FollowUpSent"
  ]),
  "duration-out-of-range": new Set(["OfficeHoursVisited", "MentorshipMeetingHeld"]),
  "invalid-date": new Set(["RotationCompleted", "CourseCompleted"]),
  "invalid-occurred-at": new Set(["OfficeHoursVisited", "LectureEngagementRecorded", "MentorshipMeetingHeld"])
}
const malformations: ReadonlyArray<Malformation> = [
  "unknown-field",
  "duration-out-of-range",
  "invalid-date",
  "invalid-occurred-at"
]

const retractable = new Set([
  "OfficeHoursVisited",
  "MentorshipMeetingHeld",
  "LectureEngagementRecorded",
  "ClinicalFeedbackGiven",
  "FollowUpSent"
])

/** The flags of an ordinary delivery (shared: most deliveries have none). */
const noFlags: Flags = Object.freeze({})

const reasons = ["recorded for the wrong student", "entered in error", "the meeting did not take place"]

/** Renames `studentId` to `studentID`, keeping the key order. */
const typo = (data: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(data)) out[key === "studentId" ? "studentID" : key] = value
  return out
}

const malform = (rng: Random, event: WireEvent, kind: Malformation): WireEvent => {
  switch (kind) {
    case "unknown-field":
      return { ...event, data: typo(event.data) }
    case "duration-out-of-range":
      return { ...event, data: { ...event.data, durationMinutes: rng.pick([0, 720, 1440, -15]) ?? 0 } }
    case "invalid-date": {
      const year = event.occurredAt.slice(0, 4)
      return { ...event, data: { ...event.data, endedOn: rng.chance(0.5) ? `${year}-02-30` : `${year}-06-31` } }
    }
    case "invalid-occurred-at":
      return { ...event, occurredAt: event.occurredAt.slice(0, 19) }
  }
}

/**
 * The delivery stage of a simulation.
 *
 * @since 0.1.0
 * @category models
 */
export class Delivery {
  private readonly queue = new Heap<SimulatedEvent>()
  private counter = 0
  private readonly perSource = new Map<string, number>()
  private released = 0
  /** Breakages decided and waiting for an event they apply to (so every kind occurs evenly). */
  private readonly breakages: Array<Malformation> = []
  private latenessSum = 0
  /** Events dropped by the coverage gap. */
  dropped = 0

  constructor(
    private readonly world: World,
    private readonly rng: Random,
    readonly gap: CoverageGap
  ) {}

  private inGap(source: string, instant: number): boolean {
    return source === this.gap.source && instant >= this.gap.from && instant < this.gap.to
  }

  /** Releases every occurred event before `until` to delivery, in order of occurrence. */
  release(until: number): void {
    const occurred = this.world.occurred
    while (occurred.peekAt() < until) {
      const next = occurred.pop()
      if (next !== undefined) this.deliver(next)
    }
  }

  private deliver(occurred: OccurredEvent): void {
    const rng = this.rng
    const { delivery } = this.world
    const id = eventId(this.world.seedKey, ++this.counter, occurred.at)
    if (this.inGap(occurred.source, occurred.at)) {
      this.dropped++
      return
    }
    const source = system(occurred.source)
    const occurredAt = formatInstant(occurred.at, source.style)
    const wire: WireEvent =
      source.sendsVersion || occurred.v !== 1
        ? { id, type: occurred.type, v: occurred.v, occurredAt, source: occurred.source, data: occurred.data }
        : { id, type: occurred.type, occurredAt, source: occurred.source, data: occurred.data }
    let flags: { malformed?: Malformation; retracted?: true } = noFlags
    let event = wire
    if (rng.chance(delivery.malformedShare)) this.breakages.push(rng.pick(malformations) ?? "unknown-field")
    const breakage = this.breakages.findIndex((kind) => malformable[kind].has(occurred.type))
    const kind = breakage < 0 ? undefined : this.breakages[breakage]
    if (kind !== undefined) {
      this.breakages.splice(breakage, 1)
      event = malform(rng, wire, kind)
      flags = { malformed: kind }
    } else if (retractable.has(occurred.type) && rng.chance(delivery.retractedShare)) {
      const retractAt = occurred.at + rng.between(1, 20) * DAY
      if (retractAt < this.world.end && !this.inGap(occurred.source, retractAt)) {
        flags = { retracted: true }
        this.world.occurred.push(retractAt, {
          type: "EventRetracted",
          v: 1,
          at: retractAt,
          source: occurred.source,
          data: { eventId: id, reason: rng.pick(reasons) ?? "entered in error" }
        })
      }
    }
    // Lateness by source, normalised by the mix seen so far so the school-wide share holds.
    this.perSource.set(source.name, (this.perSource.get(source.name) ?? 0) + 1)
    this.released++
    this.latenessSum += source.lateness
    const average = this.latenessSum / this.released
    const late = rng.chance(Math.min(0.9, (delivery.lateShare * source.lateness) / average))
    const delay = late ? lateDelay(rng) : onTimeDelay(source, occurred.at, rng)
    this.enqueue(event, occurred.at, occurred.at + delay, flags, false)
    if (flags.malformed === undefined && rng.chance(delivery.duplicateShare)) {
      const retry = occurred.at + delay + rng.between(0.5, 36 * 60) * 60_000
      this.enqueue(event, occurred.at, retry, flags, true)
    }
  }

  private enqueue(
    event: WireEvent,
    occurredAt: number,
    deliveredAt: number,
    base: { malformed?: Malformation; retracted?: true },
    duplicate: boolean
  ): void {
    const late = deliveredAt - occurredAt >= lateThreshold
    const flags: Flags =
      base === noFlags && !late && !duplicate
        ? noFlags
        : {
            ...(late ? { late: true as const } : {}),
            ...(duplicate ? { duplicate: true as const } : {}),
            ...base
          }
    this.queue.push(deliveredAt, { event, deliveredAt: new Date(deliveredAt).toISOString(), flags })
  }

  /** The items delivered before `until`, in delivery order. */
  *drain(until: number): Generator<SimulatedEvent> {
    while (this.queue.peekAt() < until) {
      const item = this.queue.pop()
      if (item !== undefined) yield item
    }
  }

  /** Items still waiting for delivery. */
  get waiting(): number {
    return this.queue.size
  }
}

/**
 * The coverage gap of a school: `weeks` of silence from the given source, starting on a
 * Monday between 35% and 60% of the way through the simulated span.
 *
 * @since 0.1.0
 * @category constructors
 */
export const coverageGap = (rng: Random, source: string, weeks: number, start: number, end: number): CoverageGap => {
  const from = start + Math.floor(((end - start) * rng.between(0.35, 0.6)) / WEEK) * WEEK
  return { source, from, to: Math.min(end, from + weeks * WEEK) }
}
