/**
 * Built-in rule `letter-pipeline`: keep each requested letter moving — from request to
 * commitment, and from commitment to submission before the deadline.
 *
 * Two follow-ups per letter, told apart by their occasion:
 * - `commit`: fires on the day of the `LetterRequested`, due `commitWithinDays` later;
 *   done by a `LetterCommitted` (or a `LetterSubmitted`, which implies it);
 * - `submit`: once the letter is committed, fires `submitNoticeDays` before the deadline
 *   (or on the day of commitment, if later), due on the deadline (`deadline` of the year
 *   before the letter's cycle); done by the `LetterSubmitted`.
 * The submission follow-up expires on the deadline: programs are reading by then, and
 * `letter-readiness` closes the season as met or missed. The commitment follow-up expires
 * `expiresAfterDays` after its due date: a writer silent for six weeks has in effect said
 * no, and finding another is `letter-readiness`'s question.
 * A letter that was declined drops out of the pipeline: finding another writer is what
 * `letter-readiness` is for. Whichever order the events arrive in, they settle the same.
 *
 * This module must never read a clock.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type { Draft } from "../FollowUp.js"
import * as Rule from "../Rule.js"
import { addDays, Days, ExpiresAfterDays, later, MonthDay, Priority, seasonDate } from "./Schedule.js"

/**
 * The parameters of `letter-pipeline`.
 *
 * - `commitWithinDays` (default 14): days after a request by which the writer should
 *   have committed;
 * - `submitNoticeDays` (default 30): days before the deadline that a committed, unsent
 *   letter is flagged;
 * - `deadline` (default `09-15`): month and day, in the year before the cycle, by which
 *   letters should be in;
 * - `priority` (default 1: a letter in flight for this season comes first);
 * - `expiresAfterDays` (default 30): for the commitment follow-up.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Parameters = Schema.Struct({
  commitWithinDays: Days,
  submitNoticeDays: Days,
  deadline: MonthDay,
  priority: Priority,
  expiresAfterDays: ExpiresAfterDays
})

/**
 * @since 0.1.0
 * @category models
 */
export type Parameters = typeof Parameters.Type

/**
 * The defaults of `letter-pipeline`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults: Parameters = {
  commitWithinDays: 14,
  submitNoticeDays: 30,
  deadline: "09-15",
  priority: 1,
  expiresAfterDays: 30
}

/**
 * The rule id.
 *
 * @since 0.1.0
 * @category constants
 */
export const id = "letter-pipeline"

interface Letter {
  readonly letterId: string
  facultyId: string
  requestedOn: string | undefined
  cycle: number | undefined
  specialty: string | undefined
  committedOn: string | undefined
  submittedOn: string | undefined
  declined: boolean
}

const earliest = (a: string | undefined, b: string): string => (a === undefined || b < a ? b : a)

/**
 * The `letter-pipeline` rule with its defaults.
 *
 * @since 0.1.0
 * @category rules
 */
export const rule = Rule.make({
  id,
  description: "Follow a requested letter until it is committed, then until it is submitted before the deadline.",
  events: ["LetterRequested", "LetterCommitted", "LetterSubmitted", "LetterDeclined"],
  parameters: Parameters,
  defaults,
  evaluate: ({ studentId, events, context }, params) => {
    const letters = new Map<string, Letter>()
    for (const event of events) {
      const { letterId, facultyId } = event.data
      const letter = letters.get(letterId) ?? {
        letterId,
        facultyId,
        requestedOn: undefined,
        cycle: undefined,
        specialty: undefined,
        committedOn: undefined,
        submittedOn: undefined,
        declined: false
      }
      const day = context.dateOf(event.occurredAt)
      switch (event.type) {
        case "LetterRequested":
          if (letter.requestedOn === undefined) {
            letter.requestedOn = day
            letter.facultyId = facultyId
            letter.cycle = event.data.cycle
            letter.specialty = event.data.specialty
          }
          break
        case "LetterCommitted":
          letter.committedOn = earliest(letter.committedOn, day)
          break
        case "LetterSubmitted":
          letter.submittedOn = earliest(letter.submittedOn, day)
          letter.committedOn = earliest(letter.committedOn, day)
          break
        case "LetterDeclined":
          letter.declined = true
          break
      }
      letters.set(letterId, letter)
    }
    const drafts: Array<Draft> = []
    for (const letter of letters.values()) {
      if (letter.declined) continue
      const { letterId, facultyId } = letter
      const about = letter.specialty === undefined ? `letter ${letterId}` : `letter ${letterId} (${letter.specialty})`
      if (letter.requestedOn !== undefined) {
        const dueOn = addDays(letter.requestedOn, params.commitWithinDays)
        drafts.push({
          facultyIds: [facultyId],
          subject: letterId,
          occasion: "commit",
          opensOn: letter.requestedOn,
          dueOn,
          doneOn: letter.committedOn === undefined ? undefined : later(letter.committedOn, letter.requestedOn),
          sentence: `Ask faculty ${facultyId} whether they can write ${studentId}'s ${about}, requested on ${letter.requestedOn} (due by ${dueOn}).`
        })
      }
      const cycle = letter.cycle ?? context.graduationYear(studentId)
      if (letter.committedOn !== undefined && cycle !== undefined) {
        const dueOn = seasonDate(cycle, params.deadline)
        const opensOn = later(addDays(dueOn, -params.submitNoticeDays), letter.committedOn)
        drafts.push({
          facultyIds: [facultyId],
          subject: letterId,
          occasion: "submit",
          opensOn,
          dueOn,
          doneOn: letter.submittedOn,
          expiresOn: dueOn,
          sentence: `Remind faculty ${facultyId} that ${studentId}'s ${about}, committed on ${letter.committedOn}, is due by ${dueOn}.`
        })
      }
    }
    return drafts
  }
})
