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
import type { StudentStatus } from "./EventField.js"
import type { LetterState } from "./Letter.js"
import { letters } from "./Letter.js"
import type { RelationshipScore } from "./Pair.js"
import { relationshipScore, tier as pairTier } from "./Pair.js"
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
  /** Relationships with scored contact, by tier. */
  readonly tiers: TierCounts
  /** Advocates whose specialty matches the student's (declared, else interests). */
  readonly advocatesInSpecialty: ReadonlyArray<string>
  readonly advocatesOutOfSpecialty: ReadonlyArray<string>
  /** Active and without any developing-or-better relationship. */
  readonly isolated: boolean
  /** At least `letters.advocatesNeeded` advocates, `letters.inSpecialtyNeeded` of them in specialty. */
  readonly letterReady: boolean
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
  for (const [facultyId, pair] of student.pairs) {
    if (pair.interactions === 0) continue
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
  return {
    bestTier,
    tiers,
    advocatesInSpecialty: inSpecialty,
    advocatesOutOfSpecialty: outOfSpecialty,
    isolated: isActiveStudent(student) && !atLeast(bestTier, "developing"),
    letterReady:
      inSpecialty.length + outOfSpecialty.length >= advocatesNeeded && inSpecialty.length >= inSpecialtyNeeded
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
  /** Relationships with scored contact, strongest first (ties by faculty id). */
  readonly relationships: ReadonlyArray<RelationshipScore>
  /** Departments of the faculty with an acquainted-or-better relationship, sorted. */
  readonly departmentsReached: ReadonlyArray<string>
  /** Share of the student's interactions they initiated, 0–1; undefined without any. */
  readonly proactivity: number | undefined
  readonly lastContactAt: string | undefined
  /** Calendar days (school time zone) since the last faculty contact; 0 at the earliest. */
  readonly daysSinceLastContact: number | undefined
  /** No faculty contact ever, or none for more than `staleContactDays`. */
  readonly noRecentContact: boolean
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
  for (const [facultyId, pair] of student.pairs) {
    studentLetters.push(...letters(pair))
    if (pair.interactions === 0) continue
    const score = relationshipScore(pair, asOfMs, state)
    relationships.push(score)
    const department = state.faculty.get(facultyId)?.department
    if (department !== undefined && atLeast(score.tier, "acquainted")) departments.add(department)
  }
  relationships.sort(
    (a, b) => b.score - a.score || (a.facultyId < b.facultyId ? -1 : a.facultyId > b.facultyId ? 1 : 0)
  )
  studentLetters.sort((a, b) => (a.facultyId < b.facultyId ? -1 : a.facultyId > b.facultyId ? 1 : 0))
  const days = daysSince(student.lastContactMs, asOfMs, state)
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
    ...standing(student, asOfMs, state),
    relationships,
    departmentsReached: [...departments].sort(),
    proactivity: student.interactions > 0 ? student.studentInitiated / student.interactions : undefined,
    lastContactAt: Number.isFinite(student.lastContactMs) ? new Date(student.lastContactMs).toISOString() : undefined,
    daysSinceLastContact: days,
    noRecentContact: days === undefined || days > state.config.staleContactDays,
    letters: studentLetters
  }
}
