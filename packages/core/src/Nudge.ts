/**
 * Whether nudges work: from each `NudgeSent` to the next contact between the people of
 * its follow-up.
 *
 * The people: the student is the nudge's `studentId`. The faculty are, in this order of
 * preference, those of the follow-up the nudge names (when the caller passes the
 * evaluated follow-ups: ids are stable, so any evaluation that still lists it will do), else the nudge's own `facultyId`, else — for follow-ups about the
 * student alone, such as letter readiness — any faculty member.
 *
 * The next contact: the earliest contact event (Contact.ts) between the student and one
 * of those faculty that occurred after the nudge and at or before `asOf`. A nudge is
 * followed by contact when that came within `withinDays` calendar days; it is pending
 * while no contact came and the window is still open at `asOf`, and pending nudges are
 * left out of the share, which would otherwise look worse the more recent the nudges.
 *
 * Folding is the engine's (RuleEngine.fold): order-independent, retractions honoured. This
 * module must never read a clock.
 *
 * @since 0.1.0
 */
import type { EventOf, RapportEvent } from "./Event.js"
import type { FollowUp } from "./FollowUp.js"
import { asOfInstant, contextStart } from "./internal/asOf.js"
import type { RuleContext } from "./Rule.js"
import { type ContactEvent, facultyOf, isContact } from "./rules/Contact.js"
import * as RuleEngine from "./rules/RuleEngine.js"
import { addDays, daysBetween } from "./rules/Schedule.js"

/**
 * What became of one nudge.
 *
 * @since 0.1.0
 * @category models
 */
export interface Outcome {
  /** The id of the `NudgeSent` event. */
  readonly nudgeId: string
  readonly studentId: string
  readonly followUpId: string
  readonly ruleId: string
  readonly channel: string
  readonly sentAt: string
  /** The faculty whose contact counts; empty when any faculty member's does. */
  readonly facultyIds: ReadonlyArray<string>
  /** Contact came within `withinDays` calendar days of the nudge. */
  readonly followedByContact: boolean
  /** No contact yet, and the window is still open at `asOf`. */
  readonly pending: boolean
  /** The next contact after the nudge (at or before `asOf`), whenever it came. */
  readonly contactAt?: string
  /** Calendar days (school time zone) from the nudge to that contact. */
  readonly daysToContact?: number
}

/**
 * The nudges of one rule, summed up.
 *
 * @since 0.1.0
 * @category models
 */
export interface RuleSummary {
  readonly ruleId: string
  readonly sent: number
  readonly followedByContact: number
  readonly pending: number
  /** `followedByContact / (sent − pending)`; undefined when every nudge is pending. */
  readonly share: number | undefined
  /** The median days to contact of the nudges followed by contact; undefined without any. */
  readonly medianDaysToContact: number | undefined
}

/**
 * How nudges are measured.
 *
 * - `followUps`: evaluated follow-ups, to find the faculty of each nudge's follow-up;
 * - `withinDays` (default 30): the window in which contact counts as following the nudge.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly followUps?: Iterable<FollowUp>
  readonly withinDays?: number
}

/**
 * The default window, in calendar days, in which contact counts as following a nudge.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultWithinDays = 30

const byTime = (a: RapportEvent, b: RapportEvent): number =>
  a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/** The index of the first contact after `instant` in contacts sorted by time (binary search). */
const firstAfter = (contacts: ReadonlyArray<ContactEvent>, instant: string): number => {
  let low = 0
  let high = contacts.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((contacts[middle]?.occurredAt ?? "") > instant) high = middle
    else low = middle + 1
  }
  return low
}

/**
 * The outcome of every nudge sent at or before `asOf`, in the order they were sent.
 *
 * @throws InvalidAsOf when `asOf` is neither an instant nor a calendar date (see `AsOf`).
 * @since 0.1.0
 * @category operations
 */
export const outcomes = (
  input: RuleEngine.State | Iterable<RapportEvent>,
  asOf: string,
  context: Pick<RuleContext, "dateOf" | "startOfDay">,
  options: Options = {}
): ReadonlyArray<Outcome> => {
  const instant = asOfInstant(asOf, contextStart(context))
  const state = RuleEngine.isState(input) ? input : RuleEngine.fold(input)
  const followUps = RuleEngine.byId(options.followUps ?? [])
  const withinDays = options.withinDays ?? defaultWithinDays
  const today = context.dateOf(instant)
  const out: Array<Outcome> = []
  for (const [studentId, own] of state.students) {
    if (state.erased.has(studentId)) continue
    const nudges: Array<EventOf<"NudgeSent">> = []
    const contacts: Array<ContactEvent> = []
    for (const event of own.values()) {
      if (event.occurredAt > instant || state.retracted.has(event.id)) continue
      if (event.type === "NudgeSent") nudges.push(event)
      else if (isContact(event)) contacts.push(event)
    }
    if (nudges.length === 0) continue
    contacts.sort(byTime)
    for (const nudge of nudges) {
      const { followUpId, ruleId, channel } = nudge.data
      const facultyIds =
        followUps.get(followUpId)?.facultyIds ?? (nudge.data.facultyId === undefined ? [] : [nudge.data.facultyId])
      let next: ContactEvent | undefined
      for (let i = firstAfter(contacts, nudge.occurredAt); i < contacts.length && next === undefined; i++) {
        const c = contacts[i]
        if (c !== undefined && (facultyIds.length === 0 || facultyOf(c).some((id) => facultyIds.includes(id)))) next = c
      }
      const sentOn = context.dateOf(nudge.occurredAt)
      const base = { nudgeId: nudge.id, studentId, followUpId, ruleId, channel, sentAt: nudge.occurredAt, facultyIds }
      if (next === undefined) {
        out.push({ ...base, followedByContact: false, pending: today < addDays(sentOn, withinDays) })
        continue
      }
      const daysToContact = daysBetween(sentOn, context.dateOf(next.occurredAt))
      out.push({
        ...base,
        followedByContact: daysToContact <= withinDays,
        pending: false,
        contactAt: next.occurredAt,
        daysToContact
      })
    }
  }
  return out.sort((a, b) =>
    a.sentAt < b.sentAt ? -1 : a.sentAt > b.sentAt ? 1 : a.nudgeId < b.nudgeId ? -1 : a.nudgeId > b.nudgeId ? 1 : 0
  )
}

const median = (values: ReadonlyArray<number>): number | undefined => {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  const upper = sorted[middle] ?? 0
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2
}

/**
 * Outcomes summed up per rule, ordered by rule id.
 *
 * @since 0.1.0
 * @category operations
 */
export const summarize = (results: Iterable<Outcome>): ReadonlyArray<RuleSummary> => {
  const groups = new Map<string, Array<Outcome>>()
  for (const outcome of results) {
    const group = groups.get(outcome.ruleId) ?? []
    group.push(outcome)
    groups.set(outcome.ruleId, group)
  }
  return [...groups.keys()].sort().map((ruleId) => {
    const group = groups.get(ruleId) ?? []
    const followed = group.filter((o) => o.followedByContact)
    const pending = group.filter((o) => o.pending).length
    const decided = group.length - pending
    return {
      ruleId,
      sent: group.length,
      followedByContact: followed.length,
      pending,
      share: decided > 0 ? followed.length / decided : undefined,
      medianDaysToContact: median(followed.flatMap((o) => (o.daysToContact === undefined ? [] : [o.daysToContact])))
    }
  })
}
