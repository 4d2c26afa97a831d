/**
 * One student's standing with faculty as of a date: relationships by tier, advocates in
 * and out of the specialty they are aiming for, departments reached, how proactive they
 * are, how long since their last faculty contact, and whether they are isolated (an
 * active student with no developing-or-better relationship).
 *
 * Support check-ins are absent from everything here: a student's page must not reveal
 * them (see docs/scoring.md).
 *
 * Read-only; `asOf` is an argument, never the clock.
 *
 * @since 0.1.0
 */
import { isDiscretionary, isLetter, isSupport } from "./Contribution.js"
import type { StudentStatus } from "./EventField.js"
import type { LetterState, Readiness } from "./Letter.js"
import { letters, readiness } from "./Letter.js"
import type { RelationshipScore } from "./Pair.js"
import { dealtWith, relationshipScore, tier as pairTier } from "./Pair.js"
import type { Stage } from "./Stage.js"
import { firstSemesterEndDay, stageOf } from "./Stage.js"
import type { ScoringContext, SchoolState, StudentState } from "./State.js"
import { facultySpecialties, isActiveStudent, studentSpecialties } from "./State.js"
import type { Instant } from "./Strength.js"
import type { Tier, TierCounts } from "./Tier.js"
import { atLeast, emptyCounts, rank } from "./Tier.js"
import { asOfMsIn } from "./internal/asOf.js"

/**
 * The tier-level facts about a student that school-wide views aggregate (cheaper than a
 * full summary: no explanations).
 *
 * @since 0.1.0
 * @category models
 */
export interface Standing {
  /** The best tier over the student's relationships ("none" without any). */
  readonly bestTier: Tier
  /** Relationships with people the student dealt with (`dealtWith`), by tier. */
  readonly tiers: TierCounts
  /** Advocates whose specialty matches the student's (declared, else interests). */
  readonly advocatesInSpecialty: ReadonlyArray<string>
  readonly advocatesOutOfSpecialty: ReadonlyArray<string>
  /** Where the student is: new (first semester), pre-clinical, clinical, applying; undefined without enrolment. */
  readonly stage: Stage | undefined
  /** Active, past their first semester, with fewer than `isolation.minPerYear` discretionary contacts a year (letters excluded), and never took up an assigned mentor (`tookUpMentor`). */
  readonly isolated: boolean
  /** Discretionary contacts a year since enrolment (letters excluded): what isolation is judged on. */
  readonly discretionaryPerYear: number
  /** Letters committed or submitted, or advocates, whichever is higher (Letter.readiness). */
  readonly readiness: Readiness
  /** `readiness.ready`. */
  readonly letterReady: boolean
}

const msPerYear = 365.25 * 86_400_000

const msPerDay = 86_400_000

const countDiscretionary = (student: StudentState, asOfMs: number): { count: number; first: number } => {
  const seen = new Set<string>()
  let first = student.enrolledAtMs ?? Number.POSITIVE_INFINITY
  for (const pair of student.pairs.values()) {
    for (const c of pair.contributions) {
      if (isSupport(c) || c.atMs > asOfMs) continue
      if (student.enrolledAtMs === undefined && c.atMs < first) first = c.atMs
      if (isDiscretionary(c) && !isLetter(c)) seen.add(c.event.id)
    }
  }
  return { count: seen.size, first }
}

/**
 * Whether the student took up a mentor the school assigned them by `asOfMs`: met that
 * mentor within `takeUpDays` of the assignment. The school made the first move; a student
 * who answers it is reachable, however little they reach out themselves.
 *
 * @since 0.3.0
 * @category operations
 */
export const tookUpMentor = (student: StudentState, takeUpDays: number, asOfMs = Number.POSITIVE_INFINITY): boolean => {
  const window = takeUpDays * msPerDay
  for (const pair of student.pairs.values()) {
    const assigned: Array<number> = []
    const met: Array<number> = []
    for (const c of pair.contributions) {
      if (c.atMs > asOfMs) continue
      if (c.kind === "mentorAssigned") assigned.push(c.atMs)
      else if (c.kind === "mentorshipMeeting") met.push(c.atMs)
    }
    if (assigned.some((a) => met.some((m) => m >= a && m - a <= window))) return true
  }
  return false
}

/**
 * The instant from which a student counts as isolated if no further discretionary contact
 * comes (their contacts up to `asOfMs`): when fewer than `isolation.minPerYear` a year
 * since enrolment (else their first contact), over at least half a year, and not before
 * their first semester ends; never (`+Infinity`) for a student who took up an assigned
 * mentor (`tookUpMentor`). A read model stores it and compares it with "now".
 *
 * @since 0.3.0
 * @category operations
 */
export const isolatedFromMs = (
  student: StudentState,
  ctx: ScoringContext,
  asOfMs = Number.POSITIVE_INFINITY
): number => {
  if (tookUpMentor(student, ctx.config.isolation.takeUpDays, asOfMs)) return Number.POSITIVE_INFINITY
  const { count, first } = countDiscretionary(student, asOfMs)
  const m = ctx.config.isolation.minPerYear
  const start = Number.isFinite(first) ? first : Number.NEGATIVE_INFINITY
  const from = count < 0.5 * m ? start : start + (count / m) * msPerYear + 1
  if (student.enrolledAtMs === undefined) return from
  const lastNewDay = firstSemesterEndDay(ctx.calendar.dayOf(student.enrolledAtMs), ctx.config.stages.firstSemesterEnds)
  return Math.max(from, ctx.calendar.startOfDay(lastNewDay + 1))
}

/**
 * The instant from which the letters committed or submitted make a student ready
 * (Letter.readiness, by letters alone), if they stay so; `undefined` when they do not.
 *
 * @since 0.3.0
 * @category operations
 */
export const lettersReadyFromMs = (student: StudentState, ctx: ScoringContext): number | undefined => {
  const all: Array<LetterState> = []
  for (const pair of student.pairs.values()) all.push(...letters(pair))
  const specialties = studentSpecialties(student)
  const { advocatesNeeded, inSpecialtyNeeded } = ctx.config.letters
  const readyAt = (atMs: number) =>
    readiness({
      letters: all,
      advocates: { total: 0, inSpecialty: 0 },
      specialties,
      asOfMs: atMs,
      needed: advocatesNeeded,
      inSpecialtyNeeded
    }).ready
  if (!readyAt(Number.POSITIVE_INFINITY)) return undefined
  const instants = new Set<number>()
  for (const l of all)
    for (const at of [l.committedAtMs, l.submittedAtMs, l.declinedAtMs]) if (at !== undefined) instants.add(at)
  let from: number | undefined
  for (const at of [...instants].sort((a, b) => b - a)) {
    if (!readyAt(at)) break
    from = at
  }
  return from
}

/**
 * Discretionary contacts a year (letters excluded), from enrolment (else the first
 * contact) to `asOfMs`, over at least half a year; each event once.
 *
 * @since 0.3.0
 * @category operations
 */
export const discretionaryPerYear = (student: StudentState, asOfMs: number): number => {
  const { count, first } = countDiscretionary(student, asOfMs)
  const years = Number.isFinite(first) ? Math.max(0.5, (asOfMs - first) / msPerYear) : 0.5
  return count / years
}

/**
 * A student's standing at `asOfMs`.
 *
 * @since 0.1.0
 * @category operations
 */
export const standing = (student: StudentState, asOfMs: number, state: SchoolState): Standing => {
  const tiers = emptyCounts()
  let bestTier: Tier = "none"
  const inSpecialty: Array<string> = []
  const outOfSpecialty: Array<string> = []
  const specialties = studentSpecialties(student)
  const studentLetters: Array<LetterState> = []
  for (const [facultyId, pair] of student.pairs) {
    studentLetters.push(...letters(pair))
    if (!dealtWith(pair)) continue
    const t = pairTier(pair, asOfMs, state)
    tiers[t]++
    if (rank(t) > rank(bestTier)) bestTier = t
    if (t !== "advocate") continue
    const theirs = facultySpecialties(state.faculty.get(facultyId))
    if (specialties.some((s) => theirs.includes(s))) inSpecialty.push(facultyId)
    else outOfSpecialty.push(facultyId)
  }
  inSpecialty.sort()
  outOfSpecialty.sort()
  const { advocatesNeeded, inSpecialtyNeeded } = state.config.letters
  const ready = readiness({
    letters: studentLetters,
    advocates: { total: inSpecialty.length + outOfSpecialty.length, inSpecialty: inSpecialty.length },
    specialties,
    asOfMs,
    needed: advocatesNeeded,
    inSpecialtyNeeded
  })
  const stage = stageOf(student, asOfMs, state)
  const perYear = discretionaryPerYear(student, asOfMs)
  return {
    bestTier,
    tiers,
    advocatesInSpecialty: inSpecialty,
    advocatesOutOfSpecialty: outOfSpecialty,
    stage,
    isolated: isActiveStudent(student) && asOfMs >= isolatedFromMs(student, state, asOfMs),
    discretionaryPerYear: perYear,
    readiness: ready,
    letterReady: ready.ready
  }
}

/**
 * What a student's page shows.
 *
 * @since 0.1.0
 * @category models
 */
export interface StudentSummary extends Standing {
  readonly studentId: string
  readonly asOf: string
  readonly status: StudentStatus | "unknown"
  readonly graduationYear: number | undefined
  readonly program: string | undefined
  /** The declared specialty, else the interests at enrolment. */
  readonly specialties: ReadonlyArray<string>
  readonly specialtySource: "declared" | "interests" | "none"
  /** Relationships with people the student dealt with (`dealtWith`), highest score first (so by tier; ties by faculty id). */
  readonly relationships: ReadonlyArray<RelationshipScore>
  /** Departments of the faculty with an acquainted-or-better relationship, sorted. */
  readonly departmentsReached: ReadonlyArray<string>
  /** Share of the student's discretionary contacts they initiated, 0–1; undefined without any. */
  readonly proactivity: number | undefined
  /** The last discretionary contact (meetings, office hours, notes, letters, research). */
  readonly lastContactAt: string | undefined
  /** Calendar days (school time zone) since the last discretionary contact; 0 at the earliest. */
  readonly daysSinceLastContact: number | undefined
  /** Active, past their first semester, and no discretionary contact ever or none for more than `staleContactDays`. */
  readonly noRecentContact: boolean
  /** Calendar days since the last mentoring contact (meeting or office hours). */
  readonly daysSinceMentoring: number | undefined
  /** In years 2–4 (pre-clinical past year 1, clinical, applying) with no mentoring contact for more than `mentoringGapDays`. */
  readonly noRecentMentoring: boolean
  readonly letters: ReadonlyArray<LetterState>
}

/**
 * Days from a last contact to `asOfMs` in the school's calendar, clamped at 0.
 *
 * @since 0.1.0
 * @category operations
 */
export const daysSince = (lastMs: number, asOfMs: number, ctx: ScoringContext): number | undefined =>
  Number.isFinite(lastMs) ? Math.max(0, ctx.calendar.daysBetween(lastMs, asOfMs)) : undefined

/**
 * Summarises a student as of `asOf`; `undefined` for a student the state does not know.
 *
 * @throws InvalidAsOf when `asOf` is neither an instant nor a calendar date (see `AsOf`).
 * @since 0.1.0
 * @category constructors
 */
export const summarize = (state: SchoolState, studentId: string, asOf: Instant): StudentSummary | undefined => {
  const student = state.students.get(studentId)
  if (student === undefined) return undefined
  const asOfMs = asOfMsIn(asOf, state.calendar)
  const relationships: Array<RelationshipScore> = []
  const departments = new Set<string>()
  const studentLetters: Array<LetterState> = []
  let lastMentoringMs = Number.NEGATIVE_INFINITY
  for (const [facultyId, pair] of student.pairs) {
    studentLetters.push(...letters(pair))
    if (pair.lastMentoringMs > lastMentoringMs) lastMentoringMs = pair.lastMentoringMs
    if (!dealtWith(pair)) continue
    const score = relationshipScore(pair, asOfMs, state)
    relationships.push(score)
    const department = state.faculty.get(facultyId)?.department
    if (department !== undefined && atLeast(score.tier, "acquainted")) departments.add(department)
  }
  relationships.sort(
    (a, b) => b.score - a.score || (a.facultyId < b.facultyId ? -1 : a.facultyId > b.facultyId ? 1 : 0)
  )
  studentLetters.sort((a, b) => (a.facultyId < b.facultyId ? -1 : a.facultyId > b.facultyId ? 1 : 0))
  const days = daysSince(student.lastDiscretionaryMs, asOfMs, state)
  const standingNow = standing(student, asOfMs, state)
  const mentoringDays = daysSince(lastMentoringMs, asOfMs, state)
  const yearTwoOrLater =
    standingNow.stage === "clinical" ||
    standingNow.stage === "applying" ||
    (standingNow.stage === "pre-clinical" &&
      student.enrolledAtMs !== undefined &&
      asOfMs - student.enrolledAtMs >= 300 * 86_400_000)
  return {
    studentId,
    asOf: new Date(asOfMs).toISOString(),
    status: student.status,
    graduationYear: student.graduationYear,
    program: student.program,
    specialties: studentSpecialties(student),
    specialtySource:
      student.declaredSpecialty !== undefined
        ? "declared"
        : student.specialtyInterests.length > 0
          ? "interests"
          : "none",
    ...standingNow,
    relationships,
    departmentsReached: [...departments].sort(),
    proactivity: student.discretionary > 0 ? student.discretionaryInitiated / student.discretionary : undefined,
    lastContactAt: Number.isFinite(student.lastDiscretionaryMs)
      ? new Date(student.lastDiscretionaryMs).toISOString()
      : undefined,
    daysSinceLastContact: days,
    noRecentContact:
      isActiveStudent(student) &&
      standingNow.stage !== "new" &&
      (days === undefined || days > state.config.staleContactDays),
    daysSinceMentoring: mentoringDays,
    noRecentMentoring:
      isActiveStudent(student) &&
      yearTwoOrLater &&
      (mentoringDays === undefined || mentoringDays > state.config.mentoringGapDays),
    letters: studentLetters
  }
}
