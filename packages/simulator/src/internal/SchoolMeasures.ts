/**
 * The measures of mentoring, letters, event volume and the make-up of classes: mentoring
 * meetings per student per year, sustained mentoring in years 3–4, letters per applicant
 * and per specialty, letters from the chosen specialty and in by the programs-review date,
 * lecture engagement's share of events, course rosters, isolated students per class, and
 * the (self-calibrated) mentoring concentration.
 *
 * @since 0.2.0
 */
import type { Evidence } from "../Evidence.js"
import type { GroundTruth, StudentTruth } from "../GroundTruth.js"
import { at, DAY } from "../SchoolTime.js"
import { fraction, judge, type Measurement, number, quantile } from "./Judge.js"

/**
 * A student's year of study as a window of time, clipped to the span, the student's
 * enrolment and departure; only windows of eight months or more without a leave (see
 * `Measure.studentYears`).
 *
 * @since 0.2.0
 * @category models
 */
export interface StudentYear {
  readonly student: StudentTruth
  readonly year: 1 | 2 | 3 | 4
  readonly from: number
  readonly until: number
}

/** Where a measure's target comes from. */
export interface Sources {
  readonly meetings: string
  readonly mentor: string
  readonly letters: string
  readonly perProgram: string
  readonly specialty: string
  readonly calendar: string
  readonly volume: string
  readonly design: string
  readonly selfCalibrated: string
}

const YEAR = 365.25 * DAY

/**
 * Mentoring meetings per student per year (median, p90) and the share of years 3–4 with two
 * or more meetings with one faculty member.
 *
 * @since 0.2.0
 * @category measures
 */
export const mentoringMeasurements = (
  evidence: Evidence,
  years: ReadonlyArray<StudentYear>,
  sources: Sources
): Array<Measurement> => {
  const perYear: Array<number> = []
  const sustained = { 3: [0, 0], 4: [0, 0] }
  for (const w of years) {
    const meetings = (evidence.students.get(w.student.studentId)?.meetings ?? []).filter(
      (m) => m.at >= w.from && m.at < w.until
    )
    perYear.push((meetings.length * YEAR) / (w.until - w.from))
    if (w.year === 3 || w.year === 4) {
      const byFaculty = new Map<string, number>()
      for (const m of meetings) byFaculty.set(m.facultyId, (byFaculty.get(m.facultyId) ?? 0) + 1)
      const tally = sustained[w.year]
      tally[1] = (tally[1] ?? 0) + 1
      if ([...byFaculty.values()].some((n) => n >= 2)) tally[0] = (tally[0] ?? 0) + 1
    }
  }
  const share = (n: number, of: number) => (of === 0 ? Number.NaN : n / of)
  const y3 = share(sustained[3][0] ?? 0, sustained[3][1] ?? 0)
  const y4 = share(sustained[4][0] ?? 0, sustained[4][1] ?? 0)
  const both = share((sustained[3][0] ?? 0) + (sustained[4][0] ?? 0), (sustained[3][1] ?? 0) + (sustained[4][1] ?? 0))
  const median = quantile(perYear, 0.5)
  const p90 = quantile(perYear, 0.9)
  return [
    judge({
      id: "mentoring-meetings-per-year",
      measure: "mentoring meetings per student per year (median)",
      value: median,
      shown: `${number(median)} (${perYear.length} student-years)`,
      target: "2–6",
      min: 2,
      max: 6,
      source: sources.meetings
    }),
    judge({
      id: "mentoring-meetings-per-year-p90",
      measure: "mentoring meetings per student per year (90th percentile)",
      value: p90,
      shown: `${number(p90)} (max ${number(Math.max(0, ...perYear))})`,
      target: "at most 12",
      max: 12,
      source: sources.meetings
    }),
    judge({
      id: "sustained-mentoring-years-3-4",
      measure: "students in years 3–4 with ≥ 2 meetings with one faculty member in the year",
      value: both,
      shown: `${fraction(both)} (year 3 ${fraction(y3)} of ${sustained[3][1]}, year 4 ${fraction(y4)} of ${sustained[4][1]})`,
      target: "26%–70%",
      min: 0.26,
      max: 0.7,
      source: sources.mentor
    })
  ]
}

/**
 * The letters of every applicant of a cycle whose programs-review date falls within the
 * span: letters per applicant, per specialty, from the chosen specialty, and in by the
 * programs-review date; and the isolated students among the applicants.
 *
 * @since 0.2.0
 * @category measures
 */
export const letterMeasurements = (
  evidence: Evidence,
  truth: GroundTruth,
  sources: Sources,
  isolatedApplicantsNeeded: number | undefined
): Array<Measurement> => {
  const reviewed = new Map(truth.cycles.filter((c) => c.reviewed).map((c) => [c.cycle, c.programsReview]))
  const applicants = new Map<string, { cycle: number; studentId: string; letters: Array<string> }>()
  evidence.letters.forEach((letter) => {
    if (!reviewed.has(letter.cycle)) return
    const key = `${letter.cycle}/${letter.studentId}`
    const applicant = applicants.get(key) ?? { cycle: letter.cycle, studentId: letter.studentId, letters: [] }
    applicant.letters.push(letter.letterId)
    applicants.set(key, applicant)
  })
  const submittedPer: Array<number> = []
  let mostPerSpecialty = 0
  let withSpecialtyLetters = 0
  let inByReview = 0
  const isolatedByCycle = new Map<number, number>([...reviewed.keys()].map((cycle) => [cycle, 0]))
  applicants.forEach((applicant) => {
    const student = truth.students.get(applicant.studentId)
    const review = at(Math.floor(Date.parse(reviewed.get(applicant.cycle) ?? "") / DAY), 0)
    const submitted = applicant.letters.flatMap((id) => {
      const letter = evidence.letters.get(id)
      const when = evidence.submitted.get(id)
      return letter === undefined || when === undefined ? [] : [{ ...letter, when }]
    })
    submittedPer.push(submitted.length)
    const perSpecialty = new Map<string, number>()
    for (const l of submitted) perSpecialty.set(l.specialty, (perSpecialty.get(l.specialty) ?? 0) + 1)
    mostPerSpecialty = Math.max(mostPerSpecialty, ...perSpecialty.values())
    const chosen = student?.specialty
    if (submitted.filter((l) => evidence.departments.get(l.facultyId) === chosen).length >= 2) withSpecialtyLetters++
    if (submitted.filter((l) => l.when < review).length >= 3) inByReview++
    if (student?.behaviour === "isolated") {
      isolatedByCycle.set(applicant.cycle, (isolatedByCycle.get(applicant.cycle) ?? 0) + 1)
    }
  })
  const n = applicants.size
  const cycles = [...reviewed.keys()].join(", ")
  const median = quantile(submittedPer, 0.5)
  const fewestIsolated = Math.min(...isolatedByCycle.values())
  return [
    judge({
      id: "letters-per-applicant",
      measure: "letters submitted per applicant (median)",
      value: median,
      shown: `${number(median)} (mean ${number(submittedPer.reduce((a, b) => a + b, 0) / Math.max(1, n), 2)}; ${n} applicants, cycles ${cycles})`,
      target: "3–4",
      min: 3,
      max: 4,
      source: sources.letters
    }),
    judge({
      id: "letters-per-specialty",
      measure: "letters submitted for one specialty by one applicant (most)",
      value: n === 0 ? undefined : mostPerSpecialty,
      shown: String(mostPerSpecialty),
      target: "at most 4",
      max: 4,
      source: sources.perProgram
    }),
    judge({
      id: "letters-from-specialty",
      measure: "applicants with ≥ 2 letters from writers in their chosen specialty",
      value: n === 0 ? undefined : withSpecialtyLetters / n,
      shown: `${fraction(withSpecialtyLetters / n)} (${withSpecialtyLetters} of ${n})`,
      target: "at least 85%",
      min: 0.85,
      source: sources.specialty
    }),
    judge({
      id: "letters-in-by-review",
      measure: "applicants with ≥ 3 letters in before programs start reviewing",
      value: n === 0 ? undefined : inByReview / n,
      shown: `${fraction(inByReview / n)} (${inByReview} of ${n})`,
      target: "at least 90%",
      min: 0.9,
      source: sources.calendar
    }),
    judge({
      id: "isolated-applicants",
      measure: "isolated students among the applicants of a cycle (fewest)",
      value: Number.isFinite(fewestIsolated) ? fewestIsolated : undefined,
      shown: [...isolatedByCycle].map(([cycle, count]) => `${cycle}: ${count}`).join(", "),
      target:
        isolatedByCycle.size === 0
          ? ""
          : isolatedApplicantsNeeded === undefined
            ? "(mid and large: at least 8)"
            : `at least ${isolatedApplicantsNeeded}`,
      ...(isolatedApplicantsNeeded === undefined ? {} : { min: isolatedApplicantsNeeded }),
      source: sources.design
    })
  ]
}

/**
 * Lecture engagement's share of events, course rosters, isolated students per class and
 * the mentoring concentration as of the end.
 *
 * @since 0.2.0
 * @category measures
 */
export const volumeMeasurements = (
  evidence: Evidence,
  truth: GroundTruth,
  end: number,
  sources: Sources
): Array<Measurement> => {
  const share = (types: ReadonlyArray<string>) =>
    types.reduce((sum, type) => sum + (evidence.byType.get(type) ?? 0), 0) / Math.max(1, evidence.accepted)
  const lectures = share(["LectureEngagementRecorded"])
  const rosters = share(["CourseStarted", "CourseCompleted"])
  const classes = new Map<number, [number, number]>()
  truth.students.forEach((s) => {
    const c = classes.get(s.classOf) ?? [0, 0]
    classes.set(s.classOf, [c[0] + (s.behaviour === "isolated" ? 1 : 0), c[1] + 1])
  })
  const shares = [...classes.values()].map(([isolated, all]) => isolated / all)
  const onStaff = [...truth.faculty.values()].filter(
    (f) => Date.parse(f.joinedAt) < end && (f.leftAt === undefined || Date.parse(f.leftAt) > end)
  ).length
  const loads: Array<number> = []
  evidence.mentoring.forEach((mentees) => {
    loads.push([...mentees.values()].filter((open) => open > 0).length)
  })
  loads.sort((a, b) => b - a)
  const top = Math.max(1, Math.ceil(onStaff / 10))
  const pairs = loads.reduce((a, b) => a + b, 0)
  const held = loads.slice(0, top).reduce((a, b) => a + b, 0)
  return [
    judge({
      id: "lecture-engagement-share",
      measure: "lecture engagement's share of events",
      value: lectures,
      shown: fraction(lectures),
      target: "a minor share: at most 20% (our threshold)",
      max: 0.2,
      source: sources.volume
    }),
    judge({
      id: "course-rosters",
      measure: "course rosters' share of events (never counted as contact here, no weight in the simulator's ties)",
      value: rosters,
      shown: fraction(rosters),
      target: "not contact",
      source: sources.volume
    }),
    judge({
      id: "isolated-per-class",
      measure: "classes whose isolated students are outside 10%–20% of the class",
      value: shares.length === 0 ? undefined : shares.filter((x) => x < 0.1 || x > 0.2).length,
      shown: `${shares.filter((x) => x < 0.1 || x > 0.2).length} (${fraction(Math.min(...shares))}–${fraction(Math.max(...shares))} over ${shares.length} classes)`,
      target: "none: 10%–20% of every class",
      max: 0,
      source: sources.design
    }),
    judge({
      id: "mentoring-concentration",
      measure: "open mentor assignments held by the top 10% of faculty on staff",
      value: pairs === 0 ? undefined : held / pairs,
      shown: `${fraction(held / Math.max(1, pairs))} (${held} of ${pairs}, ${top} faculty)`,
      target: "self-calibrated, not a target",
      source: sources.selfCalibrated
    })
  ]
}
