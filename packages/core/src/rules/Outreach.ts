/**
 * Built-in rule `outreach`: reach out to a student who has had no discretionary contact
 * with any faculty member for N days — what Rapport is for: finding students who lack
 * faculty connections, before the silence becomes isolation.
 *
 * The other rules follow up on something a student did (a rotation ended, a role started,
 * a letter was asked for), so a student who does nothing gets fewer of them than one who
 * does a lot. This one is about the student alone, and asks the person who acts — an
 * advisor or a dean — to make the first move.
 *
 * - contact is discretionary contact (Contact.ts `isDiscretionary`) without letters, as
 *   isolation counts it (Student.isolatedFromMs): meetings, office hours, notes, research.
 *   Rotations, lecture questions and feedback cards are schedules, not connections; letters
 *   every applicant asks for, connected or not;
 * - fires: `withinDays` after the student's last discretionary contact with anyone, or
 *   after enrolment when there was none; it opens on its due date (a silence is not a
 *   problem before it is one);
 * - done: the next discretionary contact with any faculty member by the day it expires;
 * - expires `expiresAfterDays` after it is due; while the silence lasts, a new one is due
 *   the day after (with the same last contact), so a student who stays alone is never out
 *   of sight, never more than one open follow-up, and never a backlog.
 *
 * This module must never read a clock.
 *
 * @since 0.3.0
 */
import * as Schema from "effect/Schema"
import type { Draft } from "../FollowUp.js"
import * as Rule from "../Rule.js"
import { discretionaryTypes } from "./Contact.js"
import { addDays, Days, ExpiresAfterDays, Priority } from "./Schedule.js"

// Letters are left out, as isolation leaves them out (Student.isolatedFromMs): every
// applicant asks for letters, connected or not, so a request ends no silence.
const outreachContactTypes = discretionaryTypes.filter(
  (type) => type !== "LetterRequested" && type !== "LetterCommitted" && type !== "LetterDeclined"
)

/**
 * The parameters of `outreach`.
 *
 * - `withinDays` (default 90, a term): days without discretionary contact after which it is due;
 * - `priority` (default 3);
 * - `expiresAfterDays` (default 30).
 *
 * @since 0.3.0
 * @category schemas
 */
export const Parameters = Schema.Struct({ withinDays: Days, priority: Priority, expiresAfterDays: ExpiresAfterDays })

/**
 * @since 0.3.0
 * @category models
 */
export type Parameters = typeof Parameters.Type

/**
 * The defaults of `outreach`.
 *
 * @since 0.3.0
 * @category constants
 */
export const defaults: Parameters = { withinDays: 90, priority: 3, expiresAfterDays: 30 }

/**
 * The rule id.
 *
 * @since 0.3.0
 * @category constants
 */
export const id = "outreach"

/**
 * The `outreach` rule with its defaults.
 *
 * @since 0.3.0
 * @category rules
 */
export const rule = Rule.make({
  id,
  description: "Reach out to a student with no discretionary faculty contact in N days.",
  events: ["StudentEnrolled", ...outreachContactTypes],
  parameters: Parameters,
  defaults,
  evaluate: ({ studentId, events, today, context }, params) => {
    let enrolledOn: string | undefined
    const contacts: Array<string> = []
    for (const event of events) {
      const day = context.dateOf(event.occurredAt)
      if (event.type === "StudentEnrolled") enrolledOn ??= day
      else if (contacts[contacts.length - 1] !== day) contacts.push(day)
    }
    const first = enrolledOn ?? contacts[0]
    if (first === undefined) return []
    const drafts: Array<Draft> = []
    let anchor = first
    let lastContact: string | undefined
    let next = 0
    for (let guard = 0; guard < 4000; guard++) {
      while (next < contacts.length && (contacts[next] ?? "") <= anchor) {
        lastContact = contacts[next]
        next++
      }
      const dueOn = addDays(anchor, params.withinDays)
      if (dueOn > today) break
      const expiresOn = addDays(dueOn, params.expiresAfterDays)
      const contact = contacts[next]
      // A contact before the due date ends the silence: the next one starts there.
      if (contact !== undefined && contact < dueOn) {
        anchor = contact
        continue
      }
      const settled = contact !== undefined && contact <= expiresOn
      const since = lastContact === undefined ? `since enrolling on ${first}` : `since ${lastContact}`
      drafts.push({
        facultyIds: [],
        subject: anchor,
        opensOn: dueOn,
        dueOn,
        expiresOn,
        doneOn: settled ? contact : undefined,
        sentence: `Reach out to ${studentId}: no meeting, office-hours visit, note or research with any faculty member ${since} (due by ${dueOn}).`
      })
      // Unsettled: the same silence, asked about again from the day after it expired.
      anchor = settled && contact !== undefined ? contact : addDays(expiresOn, 1 - params.withinDays)
    }
    return drafts
  }
})
