/**
 * Built-in rule `mentor-cadence`: meet an assigned mentor as often as the mentoring
 * program means them to meet, for as long as the assignment lasts.
 *
 * - the cadence is the program's (`programs`, by program name), else `everyDays`. The
 *   default, every 120 days, is the published norm: assigned advisors meet their students
 *   once to a few times a year (one required meeting a year at some schools, individual
 *   meetings plus group sessions at others), not monthly;
 * - fires: while a `MentorAssigned` (student, faculty, program) is not followed by a
 *   `MentorshipEnded` for the same three, a meeting is due a cadence after the later of
 *   the assignment and the last `MentorshipMeetingHeld` with that mentor; the follow-up
 *   opens `noticeDays` before it is due;
 * - done: the next meeting with the mentor (any program) by the day it expires
 *   (`expiresAfterDays` after it was due). Past that, it is expired and the next meeting
 *   is due a cadence after the missed one: a student who never meets their mentor is
 *   asked about again each cadence, never about a backlog of missed meetings;
 * - at most one open cadence follow-up per student: the one due first (a student with two
 *   mentors needs one meeting arranged, then the next);
 * - an assignment that ends drops its open follow-up: there is no cadence to keep.
 *   An assignment and an end at the same instant count as ended. A mentor who left the
 *   school is no one to meet.
 *
 * This module must never read a clock.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type { EventOf } from "../Event.js"
import type { Draft } from "../FollowUp.js"
import * as Rule from "../Rule.js"
import * as Upcast from "../Upcast.js"
import { addDays, Days, DaysOrZero, ExpiresAfterDays, Priority } from "./Schedule.js"

/**
 * One program's cadence: calendar days between meetings and, optionally, its own notice.
 *
 * @since 0.3.0
 * @category schemas
 */
export const ProgramCadence = Schema.Struct({ everyDays: Days, noticeDays: Schema.optionalKey(DaysOrZero) })

/**
 * The parameters of `mentor-cadence`.
 *
 * - `everyDays` (default 120): calendar days between meetings, for programs not listed;
 * - `noticeDays` (default 14): how many days before a meeting is due the follow-up opens;
 * - `programs` (default none): per mentoring program, its own `everyDays` (and
 *   `noticeDays`), e.g. `{ "advisory-college": { "everyDays": 60 } }`;
 * - `priority` (default 4);
 * - `expiresAfterDays` (default 60).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Parameters = Schema.Struct({
  everyDays: Days,
  noticeDays: DaysOrZero,
  programs: Schema.Record(Schema.String, ProgramCadence),
  priority: Priority,
  expiresAfterDays: ExpiresAfterDays
}).check(
  Schema.makeFilter(
    (p: {
      readonly everyDays: number
      readonly noticeDays: number
      readonly programs: Readonly<Record<string, { readonly everyDays: number; readonly noticeDays?: number }>>
    }) => {
      if (p.noticeDays >= p.everyDays)
        return { path: ["noticeDays"], issue: "Expected noticeDays to be less than everyDays" }
      for (const [program, cadence] of Object.entries(p.programs)) {
        if ((cadence.noticeDays ?? Math.min(p.noticeDays, cadence.everyDays - 1)) >= cadence.everyDays)
          return {
            path: ["programs", program, "noticeDays"],
            issue: "Expected noticeDays to be less than everyDays"
          }
      }
      return undefined
    }
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
export const defaults: Parameters = { everyDays: 120, noticeDays: 14, programs: {}, priority: 4, expiresAfterDays: 60 }

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
 * The cadence of a program: its own, else the rule's.
 *
 * @since 0.3.0
 * @category operations
 */
export const cadenceOf = (
  params: Parameters,
  program: string
): { readonly everyDays: number; readonly noticeDays: number } => {
  const own = Object.hasOwn(params.programs, program) ? params.programs[program] : undefined
  if (own === undefined) return { everyDays: params.everyDays, noticeDays: params.noticeDays }
  return { everyDays: own.everyDays, noticeDays: own.noticeDays ?? Math.min(params.noticeDays, own.everyDays - 1) }
}

// Legacy assignments (MentorAssigned v1) carry no program: name none rather than "unspecified".
const mentorWords = (program: string): string =>
  program === Upcast.unspecifiedProgram ? "mentor" : `${program} mentor`

interface Gap extends Draft {
  readonly dueOn: string
  readonly expiresOn: string
}

/**
 * The `mentor-cadence` rule with its defaults.
 *
 * @since 0.1.0
 * @category rules
 */
export const rule = Rule.make({
  id,
  description: "Meet an assigned mentor as often as the mentoring program means, while the assignment lasts.",
  events: ["MentorAssigned", "MentorshipEnded", "MentorshipMeetingHeld"],
  parameters: Parameters,
  defaults,
  evaluate: ({ studentId, events, today, context }, params) => {
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
    const gaps: Array<Gap> = []
    for (const lifecycle of lifecycles.values()) {
      for (const assignment of assignments(lifecycle)) {
        const { facultyId, program, from, until } = assignment
        const { everyDays, noticeDays } = cadenceOf(params, program)
        const within = (at: string) => at >= from && (until === undefined || at < until)
        const assignedOn = context.dateOf(from)
        const endedOn = until === undefined ? undefined : context.dateOf(until)
        // Days with a meeting in the assignment, in order (events come sorted).
        const met: Array<string> = []
        for (const at of meetings.get(facultyId) ?? []) {
          const day = context.dateOf(at)
          if (within(at) && day > assignedOn && day !== met[met.length - 1]) met.push(day)
        }
        let anchor = assignedOn
        let lastMet: string | undefined
        let next = 0
        // Each pass is one gap; a gap ends with a meeting, an expiry or the assignment's end.
        for (let guard = 0; guard < 4000; guard++) {
          const dueOn = addDays(anchor, everyDays)
          const opensOn = addDays(dueOn, -noticeDays)
          if (opensOn > today || (endedOn !== undefined && anchor >= endedOn)) break
          const expiresOn = addDays(dueOn, params.expiresAfterDays)
          while (next < met.length && (met[next] ?? "") <= anchor) next++
          const meeting = met[next]
          const settled = meeting !== undefined && meeting <= expiresOn
          if (!settled && endedOn !== undefined && endedOn <= expiresOn) break
          const since = lastMet === undefined ? `assigned on ${assignedOn}` : `last met on ${lastMet}`
          gaps.push({
            facultyIds: [facultyId],
            subject: program,
            occasion: anchor,
            opensOn,
            dueOn,
            expiresOn,
            doneOn: settled ? meeting : undefined,
            sentence: `Arrange a meeting between ${studentId} and their ${mentorWords(program)}, faculty ${facultyId} (${since}; due by ${dueOn}).`
          })
          if (settled) {
            anchor = meeting
            lastMet = meeting
          } else anchor = dueOn
        }
      }
    }
    // One open cadence follow-up per student: the one due first, with a mentor still here.
    const isOpenGap = (gap: Gap) => gap.doneOn === undefined && gap.opensOn <= today && today <= gap.expiresOn
    let first: Gap | undefined
    for (const gap of gaps) {
      if (!isOpenGap(gap) || gap.facultyIds.some((f) => context.facultyHasLeft?.(f) === true)) continue
      if (
        first === undefined ||
        gap.dueOn < first.dueOn ||
        (gap.dueOn === first.dueOn &&
          JSON.stringify([gap.facultyIds, gap.subject]) < JSON.stringify([first.facultyIds, first.subject]))
      )
        first = gap
    }
    return gaps.filter((gap) => !isOpenGap(gap) || gap === first)
  }
})
