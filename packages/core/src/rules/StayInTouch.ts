/**
 * Built-in rule `stay-in-touch`: keep strong relationships alive — get back in touch with
 * a faculty member when there has been no contact for N days.
 *
 * - fires: for a pair whose tier at its last contact was at least `minTier`, when no
 *   further contact followed within `withinDays`; the follow-up opens `noticeDays` before
 *   it is due, and is due `withinDays` after the last contact. The tier is taken at the
 *   last contact, not at `asOf`: without contact a strong pair fades, and the rule is
 *   there to catch it before it does;
 * - contact here is discretionary contact (Contact.ts `isDiscretionary`): meetings,
 *   office hours, notes, letters, research. A lecture question or a feedback card does not
 *   keep a relationship alive, and does not settle the follow-up either;
 * - done: the next discretionary contact between the two, whenever it arrives.
 * - expires `expiresAfterDays` after it is due: by then the relationship has faded, and
 *   asking again about a silence months old helps no one. Each silence is its own follow-up (its subject is the day of the contact
 *   before it), so a pair's history keeps its done follow-ups while a new silence opens
 *   a new one.
 *
 * This module must never read a clock.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type { Draft } from "../FollowUp.js"
import * as Rule from "../Rule.js"
import { atLeast } from "../Tier.js"
import { discretionaryTypes, facultyOf } from "./Contact.js"
import { dateOfDayNumber, dayNumber, Days, DaysOrZero, ExpiresAfterDays, Priority } from "./Schedule.js"

/**
 * The parameters of `stay-in-touch`.
 *
 * - `withinDays` (default 90): calendar days without contact after which it is due;
 * - `noticeDays` (default 14): how many days before that it opens;
 * - `minTier` (default `strong`): the weakest tier it watches;
 * - `priority` (default 6);
 * - `expiresAfterDays` (default 60).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Parameters = Schema.Struct({
  withinDays: Days,
  noticeDays: DaysOrZero,
  minTier: Schema.Literals(["acquainted", "developing", "strong", "advocate"]),
  priority: Priority,
  expiresAfterDays: ExpiresAfterDays
}).check(
  Schema.makeFilter((p: { readonly withinDays: number; readonly noticeDays: number }) =>
    p.noticeDays < p.withinDays
      ? undefined
      : { path: ["noticeDays"], issue: "Expected noticeDays to be less than withinDays" }
  )
)

/**
 * @since 0.1.0
 * @category models
 */
export type Parameters = typeof Parameters.Type

/**
 * The defaults of `stay-in-touch`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults: Parameters = {
  withinDays: 90,
  noticeDays: 14,
  minTier: "strong",
  priority: 6,
  expiresAfterDays: 60
}

/**
 * The rule id.
 *
 * @since 0.1.0
 * @category constants
 */
export const id = "stay-in-touch"

interface Contact {
  readonly day: string
  /** `day` as a day number, for arithmetic. */
  readonly number: number
  /** The last instant of contact on that day. */
  readonly at: string
}

/**
 * The `stay-in-touch` rule with its defaults.
 *
 * @since 0.1.0
 * @category rules
 */
export const rule = Rule.make({
  id,
  description: "Get back in touch with a strong relationship after N days without contact.",
  events: discretionaryTypes,
  parameters: Parameters,
  defaults,
  evaluate: ({ studentId, events, context }, params) => {
    // Per faculty member, one entry per day of contact, in order (events come sorted).
    const contacts = new Map<string, Array<Contact>>()
    for (const event of events) {
      const day = context.dateOf(event.occurredAt)
      for (const facultyId of facultyOf(event)) {
        const days = contacts.get(facultyId) ?? []
        const last = days[days.length - 1]
        if (last !== undefined && last.day === day) days[days.length - 1] = { ...last, at: event.occurredAt }
        else days.push({ day, number: dayNumber(day), at: event.occurredAt })
        contacts.set(facultyId, days)
      }
    }
    const drafts: Array<Draft> = []
    for (const [facultyId, days] of contacts) {
      if (context.facultyHasLeft?.(facultyId) === true) continue
      days.forEach((contact, i) => {
        const opensAt = contact.number + params.withinDays - params.noticeDays
        const next = days[i + 1]
        if (next !== undefined && next.number < opensAt) return
        if (!atLeast(context.tier(studentId, facultyId, contact.at), params.minTier)) return
        const dueOn = dateOfDayNumber(contact.number + params.withinDays)
        const opensOn = dateOfDayNumber(opensAt)
        drafts.push({
          facultyIds: [facultyId],
          subject: contact.day,
          opensOn,
          dueOn,
          doneOn: next?.day,
          sentence: `Encourage ${studentId} to get back in touch with faculty ${facultyId}: no meeting, note or visit since ${contact.day} (due by ${dueOn}).`
        })
      })
    }
    return drafts
  }
})
