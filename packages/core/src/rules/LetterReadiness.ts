/**
 * Built-in rule `letter-readiness`: before residency applications, have enough faculty
 * who can write a strong letter — some of them in the chosen specialty — months ahead.
 *
 * The calendar: the Match year is the cycle; the season opens in June of the year before
 * and programs start reviewing in late September. So by default a student of cycle 2027
 * is warned from March 15, 2026 and should be ready by September 15, 2026.
 *
 * - the cycle: the latest `cycle` of the student's letter requests, else their graduation
 *   year; no follow-up without either;
 * - advocates and "in the chosen specialty" mean exactly what they mean on the student's
 *   page and in the school's letter readiness (Student.standing): faculty at the
 *   `advocate` tier as of `asOf`, in the specialty when one of the specialties they count
 *   for (the rotations they supervise, else their department) is one of the student's
 *   (the declared one, else their interests). A dean never sees "ready" on one screen
 *   and "not ready" on another;
 * - fires: `warnMonthsAhead` months before the deadline (`deadline` of the year before
 *   the cycle), due on the deadline;
 * - done: while the student has at least `advocatesNeeded` advocates, `inSpecialtyNeeded`
 *   of them in the specialty. Readiness is a state, not an event: should a relationship
 *   fade below advocate, the follow-up turns back to due.
 *
 * Programs read at most four letters each, so more than four advocates are never asked
 * for. Set `advocatesNeeded` and `inSpecialtyNeeded` to the scoring's `letters` settings
 * so that both agree. This module must never read a clock.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type { Draft } from "../FollowUp.js"
import * as Rule from "../Rule.js"
import { addMonths, MonthDay, Months, seasonDate } from "./Schedule.js"

/**
 * Letters a residency program reads at most.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxLettersPerProgram = 4

/**
 * The parameters of `letter-readiness`.
 *
 * - `advocatesNeeded` (default 3, at most 4): advocates a student needs;
 * - `inSpecialtyNeeded` (default 2): how many of them in the chosen specialty;
 * - `deadline` (default `09-15`): month and day, in the year before the cycle, by which
 *   to be ready (programs start reviewing in late September);
 * - `warnMonthsAhead` (default 6): months before the deadline the follow-up opens.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Parameters = Schema.Struct({
  advocatesNeeded: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: maxLettersPerProgram })),
  inSpecialtyNeeded: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: maxLettersPerProgram })),
  deadline: MonthDay,
  warnMonthsAhead: Months
}).check(
  Schema.makeFilter((p: { readonly advocatesNeeded: number; readonly inSpecialtyNeeded: number }) =>
    p.inSpecialtyNeeded <= p.advocatesNeeded
      ? undefined
      : { path: ["inSpecialtyNeeded"], issue: "Expected inSpecialtyNeeded to be at most advocatesNeeded" }
  )
)

/**
 * @since 0.1.0
 * @category models
 */
export type Parameters = typeof Parameters.Type

/**
 * The defaults of `letter-readiness`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults: Parameters = { advocatesNeeded: 3, inSpecialtyNeeded: 2, deadline: "09-15", warnMonthsAhead: 6 }

/**
 * The rule id.
 *
 * @since 0.1.0
 * @category constants
 */
export const id = "letter-readiness"

/**
 * The `letter-readiness` rule with its defaults.
 *
 * @since 0.1.0
 * @category rules
 */
export const rule = Rule.make({
  id,
  description: "Have N advocates, some in the chosen specialty, months before residency applications.",
  events: ["LetterRequested"],
  parameters: Parameters,
  defaults,
  evaluate: ({ studentId, events, context }, params): Array<Draft> => {
    let cycle: number | undefined
    for (const event of events) if (cycle === undefined || event.data.cycle > cycle) cycle = event.data.cycle
    cycle ??= context.graduationYear(studentId)
    if (cycle === undefined) return []

    const specialties = context.specialties(studentId)
    let advocates = 0
    let inSpecialty = 0
    for (const facultyId of context.facultyOf(studentId)) {
      if (context.tier(studentId, facultyId) !== "advocate") continue
      advocates += 1
      if (context.facultySpecialties(facultyId).some((s) => specialties.includes(s))) inSpecialty += 1
    }

    const dueOn = seasonDate(cycle, params.deadline)
    const ready = advocates >= params.advocatesNeeded && inSpecialty >= params.inSpecialtyNeeded
    const where =
      specialties.length > 0 ? [...specialties].sort().join(" or ") : "your chosen specialty (none declared yet)"
    const counted = params.inSpecialtyNeeded > 0 ? `, ${inSpecialty} in ${where}` : ""
    const needed = params.inSpecialtyNeeded > 0 ? `, ${inSpecialty} of ${params.inSpecialtyNeeded} in ${where}` : ""
    return [
      {
        facultyIds: [],
        subject: String(cycle),
        opensOn: addMonths(dueOn, -params.warnMonthsAhead),
        dueOn,
        done: ready,
        sentence: ready
          ? `Letters for the ${cycle} Match are lined up: ${advocates} advocates${counted} (needed by ${dueOn}).`
          : `Line up letters for the ${cycle} Match by ${dueOn}: ${advocates} of ${params.advocatesNeeded} advocates so far${needed}.`
      }
    ]
  }
})
