/**
 * What every view must say, computed by `@rapport/core` directly from the events (never
 * from the read models): the reference the SQL is checked against.
 */
import {
  Calendar,
  type Event,
  type FollowUp,
  RuleEngine,
  Letter,
  Nudge,
  RuleContext,
  BuiltinRules,
  School,
  SchoolFold,
  State,
  Student
} from "@rapport/core"
import type { RecordedEvent } from "@rapport/event-store"
import { unnamedSource } from "../src/internal/Coverage.js"
import { config, decodeRecorded } from "./harness.js"

export type SchoolState = State.SchoolState

/** The label the views group a student's specialty under. */
export const specialtyOf = (student: State.StudentState): string | null =>
  student.declaredSpecialty ?? student.specialtyInterests[0] ?? null

/** Core's monthly counts of the students `keep` selects, from their events only (counts are additive). */
export const monthlyOf = (
  events: ReadonlyArray<Event.RapportEvent>,
  asOf: string,
  keep: (studentId: string) => boolean
): ReadonlyArray<School.MonthlyCounts> => {
  const studentOf = (e: Event.RapportEvent): string | undefined => RuleEngine.studentIdOf(e)
  const mine = events.filter((e) => {
    const id = studentOf(e)
    return id === undefined || keep(id)
  })
  return School.summarize(SchoolFold.fromEvents(mine, config), asOf).monthly
}

/** Every follow-up core evaluates as of `asOf`, and the nudges' outcomes. */
export const followUpsOf = (
  events: ReadonlyArray<Event.RapportEvent>,
  state: SchoolState,
  asOf: string
): {
  readonly followUps: ReadonlyArray<FollowUp.FollowUp>
  readonly byRule: ReturnType<typeof RuleEngine.countByRule>
  readonly nudges: ReadonlyArray<Nudge.RuleSummary>
} => {
  const context = RuleContext.fromState(state, asOf)
  const followUps = RuleEngine.evaluate(BuiltinRules.all, events, asOf, context)
  const nudges = Nudge.summarize(Nudge.outcomes(events, asOf, context, { followUps }))
  return { followUps, byRule: RuleEngine.countByRule(followUps), nudges }
}

export interface LetterCell {
  students: number
  ready: number
  withSpecialtyAdvocate: number
  lettersRequested: number
  lettersCommitted: number
  lettersSubmitted: number
}

/** Letter readiness of one cycle per specialty label, from core's standings and letters. */
export const lettersOf = (state: SchoolState, cycle: number, asOfMs: number): Map<string, LetterCell> => {
  const out = new Map<string, LetterCell>()
  for (const student of state.students.values()) {
    if (!State.isActiveStudent(student) || student.graduationYear !== cycle) continue
    const label = specialtyOf(student) ?? "(undeclared)"
    const cell = out.get(label) ?? {
      students: 0,
      ready: 0,
      withSpecialtyAdvocate: 0,
      lettersRequested: 0,
      lettersCommitted: 0,
      lettersSubmitted: 0
    }
    out.set(label, cell)
    const standing = Student.standing(student, asOfMs, state)
    cell.students++
    if (standing.letterReady) cell.ready++
    if (standing.advocatesInSpecialty.length > 0) cell.withSpecialtyAdvocate++
    for (const pair of student.pairs.values()) {
      for (const letter of Letter.letters(pair)) {
        if (letter.requestedAtMs !== undefined) cell.lettersRequested++
        if (letter.committedAtMs !== undefined) cell.lettersCommitted++
        if (letter.submittedAtMs !== undefined) cell.lettersSubmitted++
      }
    }
  }
  return out
}

export interface CoverageSource {
  source: string
  events: number
  lastOccurredAt: string | null
  lastReceivedAt: string | null
  months: Array<{ month: string; events: number }>
}

/** Events per source and month (school time zone) of what the store holds. */
export const coverageOf = (
  recorded: ReadonlyArray<RecordedEvent>,
  clock: { readonly nowMs: number; readonly today: string; readonly month: string },
  by: "source" | "specialty" = "source"
): ReadonlyArray<Record<string, unknown>> => {
  const calendar = Calendar.make(config.timeZone)
  // the usual gaps: between distinct days with events (school time zone), from the first day of the month a year before this one
  const [year = 0, month = 0] = clock.month.split("-").map(Number)
  const windowStart = Calendar.daysFromCivil(year - 1, month, 1)
  const groups = new Map<
    string,
    { occurred: number; received: number; months: Map<string, number>; days: Set<number> }
  >()
  for (const r of recorded) {
    const event = decodeRecorded(r)
    if (event === undefined) continue
    const name =
      by === "source"
        ? (event.source ?? unnamedSource)
        : event.type === "RotationCompleted"
          ? event.data.specialty
          : undefined
    if (name === undefined) continue
    const occurred = Date.parse(event.occurredAt)
    const entry = groups.get(name) ?? {
      occurred: 0,
      received: 0,
      months: new Map<string, number>(),
      days: new Set<number>()
    }
    const day = calendar.dayOf(occurred)
    if (day >= windowStart) entry.days.add(day)
    groups.set(name, entry)
    entry.occurred = Math.max(entry.occurred, occurred)
    entry.received = Math.max(entry.received, Date.parse(r.recordedAt))
    const month = Calendar.formatMonth(calendar.monthOf(occurred))
    entry.months.set(month, (entry.months.get(month) ?? 0) + 1)
  }
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, e]) => {
      const months = [...e.months].sort(([a], [b]) => (a < b ? -1 : 1)).map(([month, events]) => ({ month, events }))
      // the school's date of the last event, and whole days from it to the school's today
      const lastOccurredOn = Calendar.formatDay(calendar.dayOf(e.occurred))
      const daysSilent = Math.round((Date.parse(clock.today) - Date.parse(lastOccurredOn)) / 86_400_000)
      const days = [...e.days].sort((a, b) => a - b)
      const gaps = days.slice(1).map((day, index) => day - (days[index] ?? day))
      const longestGapDays = gaps.length === 0 ? null : Math.max(...gaps)
      return {
        [by]: name,
        events: months.reduce((sum, m) => sum + m.events, 0),
        lastOccurredAt: new Date(e.occurred).toISOString(),
        lastReceivedAt: new Date(e.received).toISOString(),
        lastOccurredOn,
        daysSilent,
        longestGapDays,
        unusualSilence: daysSilent > Math.max(14, longestGapDays ?? 0),
        months
      }
    })
}

/** The students table's view of one student, from core. */
export interface StudentFacts {
  readonly studentId: string
  readonly status: string
  readonly active: boolean
  readonly graduationYear: number | null
  readonly specialty: string | null
  readonly highestTier: "none" | "acquainted" | "developing" | "strong" | "advocate"
  readonly relationships: {
    readonly acquainted: number
    readonly developing: number
    readonly strong: number
    readonly advocate: number
  }
  /** developing-or-better relationships now */
  readonly relationshipCount: number
  readonly advocates: number
  readonly isolated: boolean
  readonly stage: "new" | "pre-clinical" | "clinical" | "applying" | null
  readonly noRecentMentoring: boolean
  readonly yearTwoOrLater: boolean
  readonly lastContactMs: number | null
  readonly lastContactAt: string | null
  readonly daysSinceContact: number | null
  readonly departmentsReached: number
}

// Core's summary decides "years 2–4" inside noRecentMentoring; the same reading, to count the population.
const yearTwoOrLater = (summary: Student.StudentSummary, student: State.StudentState, asOfMs: number): boolean =>
  summary.stage === "clinical" ||
  summary.stage === "applying" ||
  (summary.stage === "pre-clinical" &&
    student.enrolledAtMs !== undefined &&
    asOfMs - student.enrolledAtMs >= 300 * 86_400_000)

export const studentFacts = (state: SchoolState, student: State.StudentState, asOfMs: number): StudentFacts => {
  const summary = Student.summarize(state, student.studentId, asOfMs)
  if (summary === undefined) throw new Error(`core does not know ${student.studentId}`)
  // what the list's "Developing or better" column shows, and its `relationships` sort sorts by
  const relationships = summary.tiers.developing + summary.tiers.strong + summary.tiers.advocate
  return {
    studentId: student.studentId,
    status: student.status,
    active: State.isActiveStudent(student),
    graduationYear: student.graduationYear ?? null,
    specialty: specialtyOf(student),
    highestTier: summary.bestTier,
    relationships: {
      acquainted: summary.tiers.acquainted,
      developing: summary.tiers.developing,
      strong: summary.tiers.strong,
      advocate: summary.tiers.advocate
    },
    relationshipCount: relationships,
    advocates: summary.tiers.advocate,
    isolated: summary.isolated,
    stage: summary.stage ?? null,
    noRecentMentoring: summary.noRecentMentoring,
    yearTwoOrLater: yearTwoOrLater(summary, student, asOfMs),
    lastContactMs: Number.isFinite(student.lastDiscretionaryMs) ? student.lastDiscretionaryMs : null,
    lastContactAt: summary.lastContactAt ?? null,
    daysSinceContact: summary.daysSinceLastContact ?? null,
    departmentsReached: summary.departmentsReached.length
  }
}
