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
 * - ready means exactly what it means on the student's page and in the school's letter
 *   readiness (Letter.readiness): faculty with a letter committed or submitted, or
 *   advocates, whichever is higher — some in the chosen specialty (a letter requested for
 *   one of the student's specialties; an advocate whose rotations or department are one).
 *   A dean never sees "ready" on one screen and "not ready" on another;
 * - fires: `warnMonthsAhead` months before the deadline (`deadline` of the year before
 *   the cycle), due on the deadline;
 * - done: once the student was ready at some instant from the day it opened — `doneOn` is
 *   the day they first were. Readiness only rises at a contact or a letter, so it is checked
 *   on the opening day and at each of those after it; a follow-up once done stays done (it
 *   was achieved), while the student's page keeps showing today's readiness.
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
import * as Letter from "../Letter.js"
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
    // Letters committed or submitted count as readiness does on the student's page
    // (Letter.readiness): the student is ready by letter writers or by advocates,
    // whichever is higher.
    const letterStates = lettersOf(studentId, events)
    const writerInstants = letterStates.flatMap((l) =>
      [l.committedAtMs, l.submittedAtMs].flatMap((ms) => (ms === undefined ? [] : [new Date(ms).toISOString()]))
    )
    const readinessAt = (at: string, advocates: ReadonlyArray<string>): Letter.Readiness =>
      Letter.readiness({
        letters: letterStates,
        advocates: { total: advocates.length, inSpecialty: advocates.filter(inSpecialty).length },
        specialties,
        asOfMs: Date.parse(at),
        needed: params.advocatesNeeded,
        inSpecialtyNeeded: params.inSpecialtyNeeded
      })
    const advocatesAt = (at: string) =>
      candidates.filter((facultyId) => context.tier(studentId, facultyId, at) === "advocate")

    // Readiness can only begin at the window's start, at a candidate's contact or at a letter.
    let readyAt: string | undefined
    let counts: Letter.Readiness | undefined
    const checkpoints = [opensAt, ...candidates.flatMap((facultyId) => contactsWith.get(facultyId) ?? [])]
      .concat(writerInstants.map((at) => later(at, opensAt)))
      .sort()
    for (const checkpoint of checkpoints) {
      if (checkpoint > asOf) break
      const atCheckpoint = readinessAt(checkpoint, advocatesAt(checkpoint))
      if (atCheckpoint.ready) {
        readyAt = checkpoint
        counts = atCheckpoint
        break
      }
    }
    counts ??= readinessAt(
      asOf,
      context.facultyOf(studentId).filter((facultyId) => context.tier(studentId, facultyId) === "advocate")
    )

    const where =
      specialties.length > 0 ? [...specialties].sort().join(" or ") : "their chosen specialty (none declared yet)"
    const doneOn = readyAt === undefined ? undefined : later(context.dateOf(readyAt), opensOn)
    const expiresOn = addDays(dueOn, params.expiresAfterDays)
    const met = doneOn !== undefined && doneOn <= expiresOn
    const progress = progressOf(counts, where)
    const progressSoFar = progressOf(counts, where, " so far")
    return [
      {
        facultyIds: [],
        subject: String(cycle),
        opensOn,
        dueOn,
        doneOn,
        expiresOn,
        sentence: met
          ? `${studentId} had letters lined up for the ${cycle} Match on ${doneOn}: ${progress} (needed by ${dueOn}).`
          : today > expiresOn
            ? `${studentId} did not have letters lined up for the ${cycle} Match by ${dueOn}: ${progress}.`
            : `Help ${studentId} line up letters for the ${cycle} Match by ${dueOn}: ${progressSoFar}.`
      }
    ]
  }
})

// A rule sees the student's events, not the fold's letters: the same letters, built from
// them as the fold builds them (Letter.letters), for every faculty member at once.
const lettersOf = (studentId: string, events: ReadonlyArray<Scored>): ReadonlyArray<Letter.LetterState> => {
  const drafts = new Map<
    string,
    {
      facultyId: string
      specialty: string | undefined
      requestedAtMs?: number
      requestId: string
      committedAtMs?: number
      submittedAtMs?: number
      declinedAtMs?: number
    }
  >()
  const earliest = (current: number | undefined, ms: number) => (current === undefined || ms < current ? ms : current)
  for (const event of events) {
    if (
      event.type !== "LetterRequested" &&
      event.type !== "LetterCommitted" &&
      event.type !== "LetterSubmitted" &&
      event.type !== "LetterDeclined"
    )
      continue
    const ms = Date.parse(event.occurredAt)
    const draft = drafts.get(event.data.letterId) ?? {
      facultyId: event.data.facultyId,
      specialty: undefined,
      requestId: ""
    }
    drafts.set(event.data.letterId, draft)
    switch (event.type) {
      case "LetterRequested":
        // the earliest request names the specialty (ties: the smaller event id), as in Letter.letters
        if (
          draft.requestedAtMs === undefined ||
          ms < draft.requestedAtMs ||
          (ms === draft.requestedAtMs && event.id < draft.requestId)
        ) {
          draft.specialty = event.data.specialty
          draft.requestId = event.id
        }
        draft.requestedAtMs = earliest(draft.requestedAtMs, ms)
        break
      case "LetterCommitted":
        draft.committedAtMs = earliest(draft.committedAtMs, ms)
        break
      case "LetterSubmitted":
        draft.submittedAtMs = earliest(draft.submittedAtMs, ms)
        break
      case "LetterDeclined":
        draft.declinedAtMs = earliest(draft.declinedAtMs, ms)
        break
    }
  }
  return [...drafts].map(([letterId, d]) => ({
    letterId,
    studentId,
    facultyId: d.facultyId,
    cycle: undefined,
    specialty: d.specialty,
    requestedAtMs: d.requestedAtMs,
    committedAtMs: d.committedAtMs,
    submittedAtMs: d.submittedAtMs,
    declinedAtMs: d.declinedAtMs,
    stage: d.submittedAtMs !== undefined ? "submitted" : d.declinedAtMs !== undefined ? "declined" : "committed"
  }))
}

// "2 of 3 letter writers, 1 of 2 in Surgery" — right for every count: past what is
// needed, the count and what was needed ("4 advocates (3 needed)"), never "4 of 3".
const progressOf = (r: Letter.Readiness, where: string, soFar = ""): string => {
  const noun = r.basis === "letters" ? "letter writers" : "advocates"
  const one = r.basis === "letters" ? "letter writer" : "advocate"
  const total =
    r.count >= r.needed
      ? `${r.count} ${r.count === 1 ? one : noun}${r.count > r.needed ? ` (${r.needed} needed)` : ""}`
      : `${r.count} of ${r.needed} ${r.needed === 1 ? one : noun}`
  if (r.inSpecialtyNeeded === 0) return `${total}${soFar}`
  const special =
    r.inSpecialty >= r.inSpecialtyNeeded
      ? `${r.inSpecialty} in ${where}`
      : `${r.inSpecialty} of ${r.inSpecialtyNeeded} in ${where}`
  return `${total}${soFar}, ${special}`
}
