/**
 * The `RuleContext` that follow-up rules read, built over the scoring fold (SchoolFold):
 * student status, graduation year and specialties, the tier and last contact of every
 * pair, faculty departments and specialties, and the school's calendar.
 *
 * Time semantics: a context describes one `asOf`. `fromEvents` folds only the events that
 * occurred at or before `asOf` (late arrivals included), so every answer is as of that
 * instant. `fromState` reads a state folded elsewhere (a projector's): tiers and last
 * contacts still ignore contributions after `asOf`, but statuses, specialties and
 * departments are the latest the state knows — use it for "now", `fromEvents` for a date
 * in the past.
 *
 * Tiers at an earlier instant (`tier(s, f, at)`) are recomputed from the pair's
 * contributions up to `at`, exactly as the scoring computes them (Tier.tierOf), so that a
 * rule asking "was this pair strong at its last contact?" gets the scoring's answer.
 *
 * This module reads nothing but its arguments and never changes the state it is given.
 *
 * @since 0.1.0
 */
import { dayOfDate, formatDay, parseInstant } from "../Calendar.js"
import type { ScoringConfig } from "../Config.js"
import { defaultConfig } from "../Config.js"
import { isSupport } from "../Contribution.js"
import type { RapportEvent } from "../Event.js"
import * as Pair from "../Pair.js"
import type { RuleContext } from "../Rule.js"
import * as SchoolFold from "../SchoolFold.js"
import type { PairState, SchoolState } from "../State.js"
import { facultySpecialties, studentSpecialties } from "../State.js"
import type { Tier } from "../Tier.js"
import { tierOf } from "../Tier.js"
import { asOfInstant, calendarStart } from "../internal/asOf.js"

/**
 * What rules need from the wider state (declared in Rule.ts, re-exported here).
 *
 * @since 0.1.0
 * @category models
 */
export type { RuleContext } from "../Rule.js"

// The tier of a pair from its scored contributions up to `atMs` only (Pair.featuresUpTo).
const tierUpTo = (pair: PairState, atMs: number, state: SchoolState): Tier =>
  tierOf(Pair.featuresUpTo(pair, atMs, state), state.config)

const lastContactUpTo = (pair: PairState, atMs: number): number => {
  if (atMs >= pair.lastContactMs) return pair.lastContactMs
  let last = Number.NEGATIVE_INFINITY
  for (const c of pair.contributions) if (!isSupport(c) && c.atMs <= atMs && c.atMs > last) last = c.atMs
  return last
}

/**
 * The context of a folded school state as of `asOf` (see the module notes on which
 * answers are as of `asOf` and which are the latest known).
 *
 * @throws InvalidAsOf when `asOf` is neither an instant nor a calendar date (see `AsOf`).
 * @since 0.1.0
 * @category constructors
 */
export const fromState = (state: SchoolState, asOf: string): RuleContext => {
  const instant = asOfInstant(asOf, calendarStart(state.calendar))
  const asOfMs = parseInstant(instant)
  const pairOf = (studentId: string, facultyId: string) => state.students.get(studentId)?.pairs.get(facultyId)
  // Instants are many, calendar days few: cache the text of each day, not of each instant.
  const days = new Map<number, string>()
  return {
    asOf: instant,
    timeZone: state.calendar.timeZone,
    dateOf: (at) => {
      const day = state.calendar.dayOf(parseInstant(at))
      let text = days.get(day)
      if (text === undefined) {
        text = formatDay(day)
        days.set(day, text)
      }
      return text
    },
    startOfDay: (date) => new Date(state.calendar.startOfDay(dayOfDate(date))).toISOString(),
    studentStatus: (studentId) => {
      const status = state.students.get(studentId)?.status
      return status === undefined || status === "unknown" ? undefined : status
    },
    graduationYear: (studentId) => state.students.get(studentId)?.graduationYear,
    specialties: (studentId) => {
      const student = state.students.get(studentId)
      return student === undefined ? [] : studentSpecialties(student)
    },
    facultyOf: (studentId) => {
      const student = state.students.get(studentId)
      if (student === undefined) return []
      const out: Array<string> = []
      for (const [facultyId, pair] of student.pairs) {
        if (Number.isFinite(lastContactUpTo(pair, asOfMs))) out.push(facultyId)
      }
      return out.sort()
    },
    tier: (studentId, facultyId, at) => {
      const pair = pairOf(studentId, facultyId)
      if (pair === undefined) return "none"
      const atMs = at === undefined ? asOfMs : Math.min(parseInstant(at), asOfMs)
      return tierUpTo(pair, atMs, state)
    },
    lastContact: (studentId, facultyId) => {
      const pair = pairOf(studentId, facultyId)
      const last = pair === undefined ? Number.NEGATIVE_INFINITY : lastContactUpTo(pair, asOfMs)
      return Number.isFinite(last) ? new Date(last).toISOString() : undefined
    },
    department: (facultyId) => state.faculty.get(facultyId)?.department,
    facultySpecialties: (facultyId) => facultySpecialties(state.faculty.get(facultyId)),
    facultyHasLeft: (facultyId) => state.faculty.get(facultyId)?.status === "left"
  }
}

/**
 * The context as of `asOf` of a school's events: folds those that occurred at or before
 * `asOf` with the scoring configuration (its time zone decides calendar days).
 *
 * @throws InvalidAsOf when `asOf` is neither an instant nor a calendar date (see `AsOf`).
 * @since 0.1.0
 * @category constructors
 */
export const fromEvents = (
  events: Iterable<RapportEvent>,
  asOf: string,
  config: ScoringConfig = defaultConfig
): RuleContext => {
  const fold = SchoolFold.make(config)
  const instant = asOfInstant(asOf, calendarStart(fold.state.calendar))
  for (const event of events) {
    // Retractions and erasures apply whenever they occurred: a correction is not history.
    const always = event.type === "EventRetracted" || event.type === "StudentErasureRequested"
    if (always || event.occurredAt <= instant) fold.apply(event)
  }
  return fromState(fold.state, instant)
}
