/**
 * The school-wide picture as of a date: how active students' best relationships are
 * distributed over the tiers, how many are isolated, monthly trends, breakdowns by
 * graduation year and by department, mentoring concentration and letter readiness per
 * application cycle.
 *
 * Denominators count active students only (State.isActiveStudent: not on leave, withdrawn
 * or graduated); faculty who left are not
 * peers. Monthly counts are additive over events in the school's time zone, so a late
 * event lands in its own month; they include every student the state holds (a student
 * who graduated still had their contact), up to the month of `asOf`.
 *
 * Read-only; `asOf` is an argument. Groups are not suppressed here: small-cell
 * suppression belongs to the views that show them.
 *
 * @since 0.1.0
 */
import { formatMonth } from "./Calendar.js"
import type { Concentration } from "./Concentration.js"
import { concentration } from "./Concentration.js"
import { loads } from "./Faculty.js"
import type { SchoolState } from "./State.js"
import { isActiveStudent } from "./State.js"
import type { Instant } from "./Strength.js"
import { standing } from "./Student.js"
import type { TierCounts, TierTally } from "./Tier.js"
import { atLeast, emptyCounts, tiers } from "./Tier.js"
import { asOfMsIn } from "./internal/asOf.js"

/**
 * Active students of a group and their best tiers.
 *
 * @since 0.1.0
 * @category models
 */
export interface StudentDistribution {
  readonly activeStudents: number
  /** Active students by the best tier of their relationships. */
  readonly byBestTier: TierCounts
  /** Active students with no developing-or-better relationship. */
  readonly isolated: number
  readonly isolatedShare: number
  /** Active students with at least one strong-or-better relationship. */
  readonly withStrong: number
  readonly withStrongShare: number
}

/**
 * One month of additive counts.
 *
 * @since 0.1.0
 * @category models
 */
export interface MonthlyCounts {
  /** `YYYY-MM` in the school's time zone. */
  readonly month: string
  /** Scored interaction events (an event with three faculty counts once). */
  readonly interactions: number
  /** Student–faculty pairs with scored contact that month. */
  readonly pairsWithContact: number
  /** Students with scored contact that month. */
  readonly studentsWithContact: number
  /** Support check-ins (aggregate only). */
  readonly supportCheckIns: number
}

/**
 * One graduation year.
 *
 * @since 0.1.0
 * @category models
 */
export interface GraduationYearRow extends StudentDistribution {
  readonly graduationYear: number
}

/**
 * One department (faculty without a FacultyJoined have `department` undefined).
 *
 * @since 0.1.0
 * @category models
 */
export interface DepartmentRow {
  readonly department: string | undefined
  readonly activeFaculty: number
  /** Pairs between the department's active faculty and active students, by tier. */
  readonly pairsByTier: TierCounts
  readonly activeMentoringPairs: number
  readonly concentration: Concentration
}

/**
 * Letter readiness of one application cycle (the students graduating that year).
 *
 * @since 0.1.0
 * @category models
 */
export interface LetterReadinessRow {
  readonly cycle: number
  readonly activeStudents: number
  /** With at least `letters.advocatesNeeded` advocates, `letters.inSpecialtyNeeded` in specialty. */
  readonly ready: number
  readonly readyShare: number
  /** With at least one advocate. */
  readonly withAnyAdvocate: number
}

/**
 * The school-wide summary.
 *
 * @since 0.1.0
 * @category models
 */
export interface SchoolSummary {
  readonly asOf: string
  readonly activeFaculty: number
  readonly students: StudentDistribution
  /** Pairs of active students with scored contact, by tier. */
  readonly pairsByTier: TierCounts
  readonly monthly: ReadonlyArray<MonthlyCounts>
  readonly byGraduationYear: ReadonlyArray<GraduationYearRow>
  readonly byDepartment: ReadonlyArray<DepartmentRow>
  readonly concentration: Concentration
  readonly letterReadiness: ReadonlyArray<LetterReadinessRow>
}

interface Tally {
  active: number
  best: TierTally
  isolated: number
  withStrong: number
  ready: number
  withAnyAdvocate: number
}

const tally = (): Tally => ({
  active: 0,
  best: emptyCounts(),
  isolated: 0,
  withStrong: 0,
  ready: 0,
  withAnyAdvocate: 0
})

const share = (n: number, d: number): number => (d > 0 ? n / d : 0)

const distribution = (t: Tally): StudentDistribution => ({
  activeStudents: t.active,
  byBestTier: t.best,
  isolated: t.isolated,
  isolatedShare: share(t.isolated, t.active),
  withStrong: t.withStrong,
  withStrongShare: share(t.withStrong, t.active)
})

const bump = <K>(map: Map<K, number>, key: K, by = 1): void => {
  map.set(key, (map.get(key) ?? 0) + by)
}

const monthly = (state: SchoolState, lastMonth: number): ReadonlyArray<MonthlyCounts> => {
  const interactions = new Map<number, number>()
  const students = new Map<number, number>()
  const pairs = new Map<number, number>()
  const support = new Map<number, number>()
  for (const s of state.students.values()) {
    for (const [m, n] of s.months) {
      bump(interactions, m, n)
      bump(students, m)
    }
    for (const [m, n] of s.supportMonths) bump(support, m, n)
    for (const p of s.pairs.values()) for (const m of p.months.keys()) bump(pairs, m)
  }
  const months = new Set([...interactions.keys(), ...support.keys()])
  return [...months]
    .filter((m) => m <= lastMonth)
    .sort((a, b) => a - b)
    .map((m) => ({
      month: formatMonth(m),
      interactions: interactions.get(m) ?? 0,
      pairsWithContact: pairs.get(m) ?? 0,
      studentsWithContact: students.get(m) ?? 0,
      supportCheckIns: support.get(m) ?? 0
    }))
}

/**
 * Summarises the school as of `asOf`.
 *
 * @throws InvalidAsOf when `asOf` is neither an instant nor a calendar date (see `AsOf`).
 * @since 0.1.0
 * @category constructors
 */
export const summarize = (state: SchoolState, asOf: Instant): SchoolSummary => {
  const asOfMs = asOfMsIn(asOf, state.calendar)
  const all = tally()
  const byYear = new Map<number, Tally>()
  const pairsByTier = emptyCounts()
  for (const s of state.students.values()) {
    if (!isActiveStudent(s)) continue
    const st = standing(s, asOfMs, state)
    const year = s.graduationYear ?? 0
    const y = byYear.get(year) ?? tally()
    byYear.set(year, y)
    for (const t of [all, y]) {
      t.active++
      t.best[st.bestTier]++
      if (st.isolated) t.isolated++
      if (atLeast(st.bestTier, "strong")) t.withStrong++
      if (st.letterReady) t.ready++
      if (st.advocatesInSpecialty.length + st.advocatesOutOfSpecialty.length > 0) t.withAnyAdvocate++
    }
    for (const t of tiers) pairsByTier[t] += st.tiers[t]
  }
  const facultyLoads = loads(state, asOfMs)
  const departments = new Map<
    string | undefined,
    { pairs: Array<number>; developing: Array<number>; byTier: TierTally }
  >()
  for (const l of facultyLoads.values()) {
    const department = state.faculty.get(l.facultyId)?.department
    const d = departments.get(department) ?? { pairs: [], developing: [], byTier: emptyCounts() }
    departments.set(department, d)
    d.pairs.push(l.activeMentoringPairs)
    d.developing.push(l.developingMentees)
    for (const t of tiers) d.byTier[t] += l.mentees[t]
  }
  const share10 = state.config.topFacultyShare
  const allLoads = [...facultyLoads.values()]
  const years = [...byYear].filter(([year]) => year !== 0).sort(([a], [b]) => a - b)
  return {
    asOf: new Date(asOfMs).toISOString(),
    activeFaculty: facultyLoads.size,
    students: distribution(all),
    pairsByTier,
    monthly: monthly(state, state.calendar.monthOf(asOfMs)),
    byGraduationYear: years.map(([graduationYear, t]) => ({ graduationYear, ...distribution(t) })),
    byDepartment: [...departments]
      .sort(([a], [b]) => (a === b ? 0 : a === undefined ? 1 : b === undefined ? -1 : a < b ? -1 : 1))
      .map(([department, d]) => ({
        department,
        activeFaculty: d.pairs.length,
        pairsByTier: d.byTier,
        activeMentoringPairs: d.pairs.reduce((a, b) => a + b, 0),
        concentration: concentration(d.pairs, d.developing, share10)
      })),
    concentration: concentration(
      allLoads.map((l) => l.activeMentoringPairs),
      allLoads.map((l) => l.developingMentees),
      share10
    ),
    letterReadiness: years.map(([cycle, t]) => ({
      cycle,
      activeStudents: t.active,
      ready: t.ready,
      readyShare: share(t.ready, t.active),
      withAnyAdvocate: t.withAnyAdvocate
    }))
  }
}
