/**
 * Built-in rule `mentor-cadence`: meet an assigned mentor every N days for as long as
 * the assignment lasts.
 *
 * - fires: while a `MentorAssigned` (student, faculty, program) is not followed by a
 *   `MentorshipEnded` for the same three, a meeting is due `everyDays` after the later of
 *   the assignment and the last `MentorshipMeetingHeld` with that mentor; the follow-up
 *   opens `noticeDays` before it is due;
 * - done: the next meeting with the mentor (any program), whenever it arrives. Each gap
 *   between meetings is its own follow-up (its occasion is the day the gap began), so
 *   history keeps its done follow-ups while the next gap opens a new one;
 * - an assignment that ends drops its open follow-up: there is no cadence to keep.
 *   An assignment and an end at the same instant count as ended.
 *
 * This module must never read a clock.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type { EventOf } from "../Event.js"
import type { Draft } from "../FollowUp.js"
import * as Rule from "../Rule.js"
import { addDays, Days, DaysOrZero } from "./Schedule.js"

/**
 * The parameters of `mentor-cadence`.
 *
 * - `everyDays` (default 30): calendar days between meetings;
 * - `noticeDays` (default 7): how many days before a meeting is due the follow-up opens.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Parameters = Schema.Struct({ everyDays: Days, noticeDays: DaysOrZero }).check(
  Schema.makeFilter((p: { readonly everyDays: number; readonly noticeDays: number }) =>
    p.noticeDays < p.everyDays
      ? undefined
      : { path: ["noticeDays"], issue: "Expected noticeDays to be less than everyDays" }
  )
)

/**
 * @since 0.1.0
 * @category models
 */
export type Parameters = typeof Parameters.Type

/**
 * The defaults of `mentor-cadence`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults: Parameters = { everyDays: 30, noticeDays: 7 }

/**
 * The rule id.
 *
 * @since 0.1.0
 * @category constants
 */
export const id = "mentor-cadence"

interface Assignment {
  readonly facultyId: string
  readonly program: string
  readonly from: string
  /** The instant it ended, when it did. */
  readonly until: string | undefined
}

type Lifecycle = EventOf<"MentorAssigned" | "MentorshipEnded">

// The assignments of one (faculty, program), from its lifecycle events in time order
// (an end sorts after an assignment at the same instant).
const assignments = (lifecycle: ReadonlyArray<Lifecycle>): Array<Assignment> => {
  const sorted = [...lifecycle].sort((a, b) =>
    a.occurredAt !== b.occurredAt
      ? a.occurredAt < b.occurredAt
        ? -1
        : 1
      : a.type === b.type
        ? 0
        : a.type === "MentorAssigned"
          ? -1
          : 1
  )
  const out: Array<Assignment> = []
  let open: { facultyId: string; program: string; from: string } | undefined
  for (const event of sorted) {
    if (event.type === "MentorAssigned") {
      open ??= { facultyId: event.data.facultyId, program: event.data.program, from: event.occurredAt }
    } else if (open !== undefined) {
      out.push({ ...open, until: event.occurredAt })
      open = undefined
    }
  }
  if (open !== undefined) out.push({ ...open, until: undefined })
  return out
}

/**
 * The `mentor-cadence` rule with its defaults.
 *
 * @since 0.1.0
 * @category rules
 */
export const rule = Rule.make({
  id,
  description: "Meet an assigned mentor every N days while the assignment lasts.",
  events: ["MentorAssigned", "MentorshipEnded", "MentorshipMeetingHeld"],
  parameters: Parameters,
  defaults,
  evaluate: ({ events, context }, params) => {
    const lifecycles = new Map<string, Array<Lifecycle>>()
    const meetings = new Map<string, Array<string>>()
    for (const event of events) {
      if (event.type === "MentorshipMeetingHeld") {
        const instants = meetings.get(event.data.facultyId) ?? []
        instants.push(event.occurredAt)
        meetings.set(event.data.facultyId, instants)
      } else {
        const key = JSON.stringify([event.data.facultyId, event.data.program])
        const list = lifecycles.get(key) ?? []
        list.push(event)
        lifecycles.set(key, list)
      }
    }
    const drafts: Array<Draft> = []
    for (const lifecycle of lifecycles.values()) {
      for (const assignment of assignments(lifecycle)) {
        const { facultyId, program, from, until } = assignment
        const within = (at: string) => at >= from && (until === undefined || at < until)
        // Days on which a gap begins: the assignment, then each day with a meeting.
        let last = context.dateOf(from)
        const anchors = [last]
        for (const at of meetings.get(facultyId) ?? []) {
          const day = context.dateOf(at)
          if (within(at) && day > last) {
            anchors.push(day)
            last = day
          }
        }
        anchors.forEach((anchor, i) => {
          const next = anchors[i + 1]
          if (next === undefined && until !== undefined) return
          const dueOn = addDays(anchor, params.everyDays)
          const since = i === 0 ? `assigned on ${anchor}` : `last met on ${anchor}`
          drafts.push({
            facultyIds: [facultyId],
            subject: program,
            occasion: anchor,
            opensOn: addDays(dueOn, -params.noticeDays),
            dueOn,
            doneOn: next,
            sentence: `Meet your ${program} mentor, faculty ${facultyId} (${since}; due by ${dueOn}).`
          })
        })
      }
    }
    return drafts
  }
})
