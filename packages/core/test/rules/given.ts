/**
 * Given/when/then for follow-up rules: given events, at an `asOf`, then the follow-ups.
 *
 *   given(events).at("2026-10-05").followUps("thank-you")
 *
 * The context is the real one (RuleContext.fromEvents over the scoring fold), so statuses,
 * tiers and specialties come from events exactly as in production. Dates written as
 * `YYYY-MM-DD` mean noon UTC that day, so that tests read as calendar days.
 */
import type { ScoringConfig } from "../../src/Config.js"
import { defaultConfig } from "../../src/Config.js"
import type { DataOf, Envelope, EventType, RapportEvent } from "../../src/Event.js"
import type { FollowUp } from "../../src/FollowUp.js"
import type { Rule } from "../../src/Rule.js"
import * as Rules from "../../src/rules/BuiltinRules.js"
import * as RuleContext from "../../src/rules/Context.js"
import * as FollowUps from "../../src/rules/RuleEngine.js"
import { currentVersion } from "../../src/Upcast.js"

let counter = 0

/** A fresh, valid, deterministic event id. */
export const nextId = (): string => `00000000-0000-4000-8000-${(++counter).toString(16).padStart(12, "0")}`

/** An instant: `YYYY-MM-DD` becomes noon UTC of that day; anything else is taken as an instant. */
export const at = (when: string): string =>
  new Date(/^\d{4}-\d{2}-\d{2}$/.test(when) ? `${when}T12:00:00Z` : when).toISOString()

/** A decoded event of `type` that occurred `when`. */
export const ev = <T extends EventType>(
  type: T,
  when: string,
  data: DataOf<T>,
  id = nextId()
): Envelope<T, DataOf<T>> => ({
  id,
  type,
  v: currentVersion(type),
  occurredAt: at(when),
  data
})

/** What the tests ask of one evaluation. */
export interface Then {
  readonly all: ReadonlyArray<FollowUp>
  /** The follow-ups of one rule (of one student, by default "s-1"). */
  readonly followUps: (ruleId: string, studentId?: string) => ReadonlyArray<FollowUp>
}

/** Given events, at an instant (or day), with rules (default all built-ins) and a scoring configuration. */
export const given = (
  events: ReadonlyArray<RapportEvent>,
  options: { readonly rules?: ReadonlyArray<Rule>; readonly config?: ScoringConfig } = {}
) => ({
  at: (when: string): Then => {
    const asOf = at(when)
    const context = RuleContext.fromEvents(events, asOf, options.config ?? defaultConfig)
    const all = FollowUps.evaluate(options.rules ?? Rules.all, events, asOf, context)
    return {
      all,
      followUps: (ruleId, studentId = "s-1") => all.filter((f) => f.ruleId === ruleId && f.studentId === studentId)
    }
  }
})

/** A student enrolled on 2025-08-01, graduating in `graduationYear`. */
export const enrolled = (studentId = "s-1", graduationYear = 2027, specialtyInterests?: ReadonlyArray<string>) =>
  ev(
    "StudentEnrolled",
    "2025-08-01",
    specialtyInterests === undefined
      ? { studentId, graduationYear, program: "MD" }
      : { studentId, graduationYear, program: "MD", specialtyInterests }
  )

/** A status change of student "s-1". */
export const status = (when: string, value: "active" | "leave" | "withdrawn" | "graduated", studentId = "s-1") =>
  ev("StudentStatusChanged", when, { studentId, status: value })

/** A one-hour mentorship meeting on research (two dimensions, a heavy weight). */
export const meeting = (when: string, facultyId: string, studentId = "s-1") =>
  ev("MentorshipMeetingHeld", when, { studentId, facultyId, durationMinutes: 60, topics: ["research"] })

/** A 20-minute office-hours visit the student asked for. */
export const visit = (when: string, facultyId: string, studentId = "s-1") =>
  ev("OfficeHoursVisited", when, { studentId, facultyId, durationMinutes: 20, topic: "career", initiatedBy: "student" })

/** Deterministic Fisher–Yates shuffle driven by a seed. */
export const shuffle = <A>(items: ReadonlyArray<A>, seed: number): Array<A> => {
  const out = [...items]
  let state = seed >>> 0 || 1
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    const j = state % (i + 1)
    const a = out[i]
    const b = out[j]
    if (a === undefined || b === undefined) continue
    out[i] = b
    out[j] = a
  }
  return out
}
