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
 * - done: once the student has had at least `advocatesNeeded` advocates, `inSpecialtyNeeded`
 *   of them in the specialty, at some instant from the day it opened — `doneOn` is the day
 *   they first had them. Strength only rises at a contact, so readiness is checked on
 *   the opening day and at each contact after it; a follow-up once done stays done (it
 *   was achieved), while the student's page keeps showing today's advocates.
 *
 * - closes on the deadline (the programs-review date the school works to): met when the
 *   student was ready by then (done), missed otherwise (expired). Readiness reached after
 *   it does not count for that season; the follow-up is never overdue.
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
import type { EventOf } from "../Event.js"
import { type ContactType, contactTypes, facultyOf } from "./Contact.js"
import { addDays, addMonths, ExpiresAfterDays, later, MonthDay, Months, Priority, seasonDate } from "./Schedule.js"

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
 * - `warnMonthsAhead` (default 5): months before the deadline the follow-up opens —
 *   mid-April for a September deadline, before the season opens in June;
 * - `priority` (default 2: the current cycle's letters come first, after a letter in flight);
 * - `expiresAfterDays` (default 0): it closes on the deadline.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Parameters = Schema.Struct({
  advocatesNeeded: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: maxLettersPerProgram })),
  inSpecialtyNeeded: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: maxLettersPerProgram })),
  deadline: MonthDay,
  warnMonthsAhead: Months,
  priority: Priority,
  expiresAfterDays: ExpiresAfterDays
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
export const defaults: Parameters = {
  advocatesNeeded: 3,
  inSpecialtyNeeded: 2,
  deadline: "09-15",
  warnMonthsAhead: 5,
  priority: 2,
  expiresAfterDays: 0
}

/**
 * The rule id.
 *
 * @since 0.1.0
 * @category constants
 */
export const id = "letter-readiness"

type Scored = EventOf<ContactType | "LetterSubmitted" | "MentorAssigned" | "CourseCompleted">

const facultyIdsOf = (event: Scored): ReadonlyArray<string> =>
  event.type === "LetterSubmitted" || event.type === "MentorAssigned"
    ? [event.data.facultyId]
    : event.type === "CourseCompleted"
      ? event.data.facultyIds
      : facultyOf(event)

/**
 * The `letter-readiness` rule with its defaults.
 *
 * @since 0.1.0
 * @category rules
 */
export const rule = Rule.make({
  id,
  description: "Have N advocates, some in the chosen specialty, months before residency applications.",
  events: [...contactTypes, "LetterSubmitted", "MentorAssigned", "CourseCompleted"],
  parameters: Parameters,
  defaults,
  evaluate: ({ studentId, events, asOf, today, context }, params): Array<Draft> => {
    let cycle: number | undefined
    for (const event of events) {
      if (event.type === "LetterRequested" && (cycle === undefined || event.data.cycle > cycle))
        cycle = event.data.cycle
    }
    cycle ??= context.graduationYear(studentId)
    if (cycle === undefined) return []
    const dueOn = seasonDate(cycle, params.deadline)
    const opensOn = addMonths(dueOn, -params.warnMonthsAhead)
    if (today < opensOn) return []

    const specialties = context.specialties(studentId)
    const inSpecialty = (facultyId: string) =>
      context.facultySpecialties(facultyId).some((specialty) => specialties.includes(specialty))
    const opensAt = context.startOfDay(opensOn)

    // A pair's strength peaks at its own contacts, so a faculty member who is an advocate
    // at some instant of the window is one at the window's start or at one of their own
    // contacts in it. Only those candidates can count; most students have too few of them
    // to need the instant-by-instant search below.
    const contactsWith = new Map<string, Array<string>>()
    for (const event of events) {
      if (event.occurredAt < opensAt) continue
      for (const facultyId of facultyIdsOf(event)) {
        const instants = contactsWith.get(facultyId) ?? []
        instants.push(event.occurredAt)
        contactsWith.set(facultyId, instants)
      }
    }
    const candidates = context
      .facultyOf(studentId)
      .filter((facultyId) =>
        [opensAt, ...(contactsWith.get(facultyId) ?? [])].some(
          (at) => at <= asOf && context.tier(studentId, facultyId, at) === "advocate"
        )
      )
    const countAt = (at: string) => {
      let advocates = 0
      let inTheSpecialty = 0
      for (const facultyId of candidates) {
        if (context.tier(studentId, facultyId, at) !== "advocate") continue
        advocates += 1
        if (inSpecialty(facultyId)) inTheSpecialty += 1
      }
      return { advocates, inSpecialty: inTheSpecialty }
    }
    const isReady = (c: { readonly advocates: number; readonly inSpecialty: number }) =>
      c.advocates >= params.advocatesNeeded && c.inSpecialty >= params.inSpecialtyNeeded

    // Readiness can only begin at the window's start or at a candidate's contact.
    let readyAt: string | undefined
    let counts = { advocates: 0, inSpecialty: 0 }
    const couldBeReady = isReady({ advocates: candidates.length, inSpecialty: candidates.filter(inSpecialty).length })
    const checkpoints = couldBeReady
      ? [opensAt, ...candidates.flatMap((facultyId) => contactsWith.get(facultyId) ?? [])].sort()
      : []
    for (const checkpoint of checkpoints) {
      if (checkpoint > asOf) break
      const atCheckpoint = countAt(checkpoint)
      if (isReady(atCheckpoint)) {
        readyAt = checkpoint
        counts = atCheckpoint
        break
      }
    }
    if (readyAt === undefined) {
      counts = { advocates: 0, inSpecialty: 0 }
      for (const facultyId of context.facultyOf(studentId)) {
        if (context.tier(studentId, facultyId) !== "advocate") continue
        counts.advocates += 1
        if (inSpecialty(facultyId)) counts.inSpecialty += 1
      }
    }

    const where =
      specialties.length > 0 ? [...specialties].sort().join(" or ") : "their chosen specialty (none declared yet)"
    const doneOn = readyAt === undefined ? undefined : later(context.dateOf(readyAt), opensOn)
    const expiresOn = addDays(dueOn, params.expiresAfterDays)
    const met = doneOn !== undefined && doneOn <= expiresOn
    const inWhere = params.inSpecialtyNeeded > 0 ? `, ${counts.inSpecialty} in ${where}` : ""
    const ofNeeded =
      params.inSpecialtyNeeded > 0 ? `, ${counts.inSpecialty} of ${params.inSpecialtyNeeded} in ${where}` : ""
    return [
      {
        facultyIds: [],
        subject: String(cycle),
        opensOn,
        dueOn,
        doneOn,
        expiresOn,
        sentence: met
          ? `${studentId} had letters lined up for the ${cycle} Match on ${doneOn}: ${counts.advocates} advocates${inWhere} (needed by ${dueOn}).`
          : today > expiresOn
            ? `${studentId} did not have letters lined up for the ${cycle} Match by ${dueOn}: ${counts.advocates} of ${params.advocatesNeeded} advocates${ofNeeded}.`
            : `Help ${studentId} line up letters for the ${cycle} Match by ${dueOn}: ${counts.advocates} of ${params.advocatesNeeded} advocates so far${ofNeeded}.`
      }
    ]
  }
})
