/**
 * From the folded state of a school to read-model rows: pure functions, no SQL. The
 * projector calls them for the students and faculty a batch touched; a rebuild calls
 * them for everyone, so both write the same rows.
 *
 * @since 0.1.0
 */
import { Calendar, Letter, Pair, Stage, State, Strength, Student } from "@rapport/core"
import type { Memo } from "./internal/Memo.js"
import type * as Rows from "./internal/Rows.js"
import * as Tiers from "./internal/Tiers.js"

type SchoolState = State.SchoolState
type StudentState = State.StudentState
type PairState = State.PairState
type FacultyState = State.FacultyState

/**
 * "Held for good": the until-value of a tier that no passage of time takes away (an
 * open mentor assignment; a threshold of zero strength).
 *
 * @since 0.1.0
 * @category constants
 */
export const forever = Tiers.forever

/**
 * @since 0.1.0
 * @category models
 */
export type Untils = Rows.Untils

/**
 * The instant until which a pair holds each tier if no new contact comes: strength falls
 * below the tier's threshold at `(key − ln threshold)·day/λ`; `null` when the pair's
 * non-decaying features (breadth, months) do not qualify for it at all.
 *
 * @since 0.1.0
 * @category operations
 */
export const untils: (pair: PairState, state: SchoolState) => Untils = Tiers.untils

/**
 * Until when a pair counts as an active mentoring pair (see `Pair.isActiveMentoring`).
 *
 * @since 0.1.0
 * @category operations
 */
export const mentoringUntil = (pair: PairState, tiers: Untils, state: SchoolState, memo?: Memo): number | null => {
  const open =
    memo === undefined
      ? Pair.mentorAssignments(pair).some((assignment) => assignment.open)
      : memo.hasOpenAssignment(pair)
  if (open) return forever
  const { minTier, withinDays } = state.config.activeMentoring
  if (pair.lastMentoringMs <= 0 || !Number.isFinite(pair.lastMentoringMs)) return null
  const tierUntil = tiers[minTier]
  if (tierUntil === null) return null
  return Math.min(pair.lastMentoringMs + withinDays * Strength.msPerDay, tierUntil)
}

const finiteOrNull = (ms: number): number | null => (Number.isFinite(ms) && ms > 0 ? ms : null)

/**
 * @since 0.1.0
 * @category models
 */
export type PairRow = Rows.PairRow

/**
 * Whether a pair gets a row: not when it holds nothing but support check-ins, so that no
 * table says a student had a check-in with a faculty member (they count only in the
 * monthly aggregates).
 *
 * @since 0.1.0
 * @category guards
 */
export const hasRow = (pair: PairState): boolean => pair.interactions > 0 || pair.lifecycle.length > 0

/**
 * @since 0.1.0
 * @category operations
 */
export const pairRow = (pair: PairState, student: StudentState, state: SchoolState, memo?: Memo): PairRow => {
  const tiers = memo === undefined ? untils(pair, state) : memo.untils(pair, state)
  const specialties = State.studentSpecialties(student)
  const facultySpecialties =
    memo === undefined
      ? State.facultySpecialties(state.faculty.get(pair.facultyId))
      : memo.facultySpecialties(state, pair.facultyId)
  return {
    studentId: pair.studentId,
    facultyId: pair.facultyId,
    logKey: pair.key === Strength.emptyKey ? null : pair.key,
    touched: pair.touched,
    months: pair.months.size,
    interactions: pair.interactions,
    lastContactMs: finiteOrNull(pair.lastContactMs),
    untils: tiers,
    mentoringUntilMs: mentoringUntil(pair, tiers, state, memo),
    inSpecialty: specialties.some((specialty) => facultySpecialties.includes(specialty)),
    studentActive: State.isActiveStudent(student)
  }
}

/**
 * @since 0.1.0
 * @category models
 */
export type StudentRow = Rows.StudentRow

const maxUntil = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.max(a, b)

/**
 * The student row and their pair rows.
 *
 * @since 0.1.0
 * @category operations
 */
export const studentRows = (
  student: StudentState,
  state: SchoolState,
  memo?: Memo
): { readonly student: StudentRow; readonly pairs: ReadonlyArray<PairRow> } => {
  const pairs: Array<PairRow> = []
  let best: Untils = Tiers.none
  for (const pair of student.pairs.values()) {
    if (!hasRow(pair)) continue
    const row = pairRow(pair, student, state, memo)
    pairs.push(row)
    best = {
      acquainted: maxUntil(best.acquainted, row.untils.acquainted),
      developing: maxUntil(best.developing, row.untils.developing),
      strong: maxUntil(best.strong, row.untils.strong),
      advocate: maxUntil(best.advocate, row.untils.advocate)
    }
  }
  return {
    student: {
      studentId: student.studentId,
      status: student.status,
      active: State.isActiveStudent(student),
      graduationYear: student.graduationYear ?? null,
      program: student.program ?? null,
      specialty: student.declaredSpecialty ?? student.specialtyInterests[0] ?? null,
      interests: student.specialtyInterests,
      interactions: student.interactions,
      studentInitiated: student.studentInitiated,
      lastContactMs: finiteOrNull(student.lastDiscretionaryMs),
      untils: best,
      ...studentFacts(student, state)
    },
    pairs
  }
}

/**
 * The student row alone: the tier-until columns are the maxima over the student's pairs,
 * computed from each pair's key and features (cheap arithmetic, no pair rows built).
 *
 * @since 0.1.0
 * @category operations
 */
export const studentRow = (student: StudentState, state: SchoolState, memo?: Memo): StudentRow => {
  // Called for every student a batch touched, over all their pairs: no object per pair.
  let acquainted: number | null = null
  let developing: number | null = null
  let strong: number | null = null
  let advocate: number | null = null
  for (const pair of student.pairs.values()) {
    const own = memo === undefined ? untils(pair, state) : memo.untils(pair, state)
    acquainted = maxUntil(acquainted, own.acquainted)
    developing = maxUntil(developing, own.developing)
    strong = maxUntil(strong, own.strong)
    advocate = maxUntil(advocate, own.advocate)
  }
  const best: Untils = { acquainted, developing, strong, advocate }
  return {
    studentId: student.studentId,
    status: student.status,
    active: State.isActiveStudent(student),
    graduationYear: student.graduationYear ?? null,
    program: student.program ?? null,
    specialty: student.declaredSpecialty ?? student.specialtyInterests[0] ?? null,
    interests: student.specialtyInterests,
    interactions: student.interactions,
    studentInitiated: student.studentInitiated,
    lastContactMs: finiteOrNull(student.lastDiscretionaryMs),
    untils: best,
    ...studentFacts(student, state)
  }
}

// A year of study, as core's summary counts it for the no-mentoring flag (Student.summarize):
// a pre-clinical student is in year 2 once 300 days past enrolment.
const yearTwoAfterMs = 300 * 86_400_000

// Stages as instants, so that "as of now" is a comparison in SQL: the stage changes at the
// start of the local day Stage.stageOf sees change (the end of the first semester, the
// academic year's first day). Without a graduation year a student past "new" has no stage.
const stageFacts = (
  student: StudentState,
  state: SchoolState
): Pick<
  Rows.StudentRow,
  "newUntilMs" | "clinicalFromMs" | "applyingFromMs" | "yearTwoFromMs" | "mentoringLapsesMs"
> => {
  const { calendar, config } = state
  const { academicYearStarts, firstSemesterEnds } = config.stages
  const newUntilMs =
    student.enrolledAtMs === undefined
      ? null
      : calendar.startOfDay(Stage.firstSemesterEndDay(calendar.dayOf(student.enrolledAtMs), firstSemesterEnds) + 1)
  const yearStarts = (year: number): number => calendar.startOfDay(Calendar.dayOfDate(`${year}-${academicYearStarts}`))
  const graduation = student.graduationYear
  const clinicalFromMs = graduation === undefined ? null : yearStarts(graduation - 2)
  const applyingFromMs = graduation === undefined ? null : yearStarts(graduation - 1)
  const yearTwoFromMs =
    clinicalFromMs === null
      ? null
      : Math.max(
          newUntilMs ?? Number.NEGATIVE_INFINITY,
          student.enrolledAtMs === undefined
            ? clinicalFromMs
            : Math.min(clinicalFromMs, student.enrolledAtMs + yearTwoAfterMs)
        )
  let lastMentoringMs = Number.NEGATIVE_INFINITY
  for (const pair of student.pairs.values())
    if (pair.lastMentoringMs > lastMentoringMs) lastMentoringMs = pair.lastMentoringMs
  const mentoringLapsesMs = Number.isFinite(lastMentoringMs)
    ? calendar.startOfDay(calendar.dayOf(lastMentoringMs) + config.mentoringGapDays + 1)
    : null
  return { newUntilMs, clinicalFromMs, applyingFromMs, yearTwoFromMs, mentoringLapsesMs }
}

// Isolation and letter readiness as core decides them (Student.isolatedFromMs, lettersReadyFromMs).
const studentFacts = (
  student: StudentState,
  state: SchoolState
): Pick<
  Rows.StudentRow,
  | "isolatedFromMs"
  | "lettersReadyFromMs"
  | "newUntilMs"
  | "clinicalFromMs"
  | "applyingFromMs"
  | "yearTwoFromMs"
  | "mentoringLapsesMs"
> => {
  const isolated = Student.isolatedFromMs(student, state)
  return {
    ...stageFacts(student, state),
    isolatedFromMs: State.isActiveStudent(student)
      ? Number.isFinite(isolated)
        ? isolated
        : isolated < 0
          ? 0
          : null
      : null,
    lettersReadyFromMs: Student.lettersReadyFromMs(student, state) ?? null
  }
}

/**
 * @since 0.1.0
 * @category models
 */
export type MonthRow = Rows.MonthRow

/**
 * A student's additive monthly counts (school time zone): late events land in their month.
 *
 * @since 0.1.0
 * @category operations
 */
export const monthRows = (student: StudentState): ReadonlyArray<MonthRow> => {
  const keys = new Set<number>([...student.months.keys(), ...student.supportMonths.keys()])
  return [...keys].sort((a, b) => a - b).map((key) => monthRow(student, key))
}

/**
 * One month of a student (all zeros once nothing is left in it, e.g. after a retraction).
 *
 * @since 0.1.0
 * @category operations
 */
export const monthRow = (student: StudentState, key: number): MonthRow => {
  let facultyContacted = 0
  for (const pair of student.pairs.values()) if (pair.months.has(key)) facultyContacted += 1
  return {
    month: Calendar.formatMonth(key),
    interactions: student.months.get(key) ?? 0,
    facultyContacted,
    supportCheckIns: student.supportMonths.get(key) ?? 0
  }
}

/**
 * A student's letters, across all their faculty.
 *
 * @since 0.1.0
 * @category operations
 */
export const letterRows = (student: StudentState, memo?: Memo): ReadonlyArray<Letter.LetterState> => {
  const rows: Array<Letter.LetterState> = []
  for (const pair of student.pairs.values())
    rows.push(...(memo === undefined ? Letter.letters(pair) : memo.letters(pair)))
  return rows
}

/**
 * @since 0.1.0
 * @category models
 */
export type FacultyRow = Rows.FacultyRow

/**
 * @since 0.1.0
 * @category operations
 */
export const facultyRow = (faculty: FacultyState, state: SchoolState, memo?: Memo): FacultyRow => {
  let activePairs = 0
  for (const pair of faculty.students.values()) {
    if (Pair.dealtWith(pair) && State.isActiveStudent(state.students.get(pair.studentId))) activePairs++
  }
  return {
    facultyId: faculty.facultyId,
    status: faculty.status,
    department: faculty.department ?? null,
    rank: faculty.rank ?? null,
    specialties: State.facultySpecialties(faculty),
    letters: memo === undefined ? Letter.countLetters(faculty.students.values()) : memo.letterCounts(faculty),
    activePairs
  }
}

/**
 * @since 0.1.0
 * @category models
 */
export type RotationRow = Rows.RotationRow

/**
 * The rotations of one pair, one row per specialty (earliest first).
 *
 * @since 0.1.0
 * @category operations
 */
export const pairRotations = (pair: PairState): ReadonlyArray<RotationRow> => {
  const first = new Map<string, number>()
  for (const c of pair.contributions) {
    if (c.event.type !== "RotationCompleted") continue
    const specialty = c.event.data.specialty
    first.set(specialty, Math.min(first.get(specialty) ?? Number.POSITIVE_INFINITY, c.atMs))
  }
  return [...first].map(([specialty, firstMs]) => ({ facultyId: pair.facultyId, specialty, firstMs }))
}

/**
 * Every rotation row of a student.
 *
 * @since 0.1.0
 * @category operations
 */
export const rotationRows = (student: StudentState): ReadonlyArray<RotationRow> =>
  [...student.pairs.values()].flatMap(pairRotations)
