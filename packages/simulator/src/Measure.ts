/**
 * The simulated school held against published figures for real medical schools: feedback
 * per clerkship week, attendings and feedback-giving faculty per rotation, mentoring
 * meetings and sustained mentoring, letters of recommendation and the residency calendar,
 * the weight of lecture engagement, and how the hidden behaviour types differ and overlap.
 * Each measurement names its target range, its source and whether it holds.
 *
 * The measures are computed from the evidence of the feed (`Evidence`: the accepted
 * events) joined, where a check needs it, with the ground truth (`GroundTruth`: who is of
 * which type, which rotation a week belonged to, when programs review). Other benchmarks
 * build on the same pieces: `measure` returns the evidence and the truth with the report,
 * and `toMarkdown` prints any list of measurements.
 *
 * The figures and their sources are listed in docs/simulator.md.
 *
 * @since 0.2.0
 */
import * as Result from "effect/Result"
import { commencementDay, yearStarts } from "./AcademicCalendar.js"
import type { SimulatedEvent } from "./Delivery.js"
import * as Evidence from "./Evidence.js"
import type { BehaviourType, GroundTruth, RotationTruth } from "./GroundTruth.js"
import { type BehaviourRow, behaviourMeasurements, behaviourRows } from "./internal/BehaviourMeasures.js"
import { fraction, judge, type Measurement, number, quantile } from "./internal/Judge.js"
import {
  letterMeasurements,
  mentoringMeasurements,
  type StudentYear,
  volumeMeasurements
} from "./internal/SchoolMeasures.js"
import { at, DAY } from "./SchoolTime.js"
import { describe, generate, type RunStats, type School, type SimulationOptions } from "./Simulation.js"
import { sourceOfType } from "./Sources.js"

export type { BehaviourRow } from "./internal/BehaviourMeasures.js"
export { judge, mean, quantile } from "./internal/Judge.js"
export type { Measurement, Verdict } from "./internal/Judge.js"
export type { StudentYear } from "./internal/SchoolMeasures.js"

/**
 * A report: the school, every measurement, the behaviour types side by side, and whether
 * every judged measurement holds.
 *
 * @since 0.2.0
 * @category models
 */
export interface Report {
  readonly school: School
  readonly measurements: ReadonlyArray<Measurement>
  readonly behaviour: ReadonlyArray<BehaviourRow>
  readonly passes: boolean
}

const dayOfIso = (date: string): number => Math.floor(Date.parse(date) / DAY)
const windowOf = (r: RotationTruth) => [at(dayOfIso(r.startedOn), 0), at(dayOfIso(r.endedOn) + 1, 0)] as const

/**
 * The years of study the measures count, for every student of the truth.
 *
 * @since 0.2.0
 * @category measures
 */
export const studentYears = (truth: GroundTruth, school: School): Array<StudentYear> => {
  const start = Date.parse(school.start)
  const end = Date.parse(school.end)
  const years: Array<StudentYear> = []
  truth.students.forEach((student) => {
    const graduates = Date.parse(student.graduatesAt)
    const bounds = [...yearStarts(student.classOf).map((day) => at(day, 0)), at(commencementDay(student.classOf), 0)]
    const leaves = student.leaves.map((l) => [Date.parse(l.from), Date.parse(l.to)] as const)
    const departs = Math.min(graduates, student.withdrawsAt === undefined ? end : Date.parse(student.withdrawsAt))
    for (const year of [1, 2, 3, 4] as const) {
      const from = Math.max(bounds[year - 1] ?? end, start, Date.parse(student.enrolledAt))
      const until = Math.min(bounds[year] ?? end, end, departs)
      if (until - from < 240 * DAY || leaves.some(([a, b]) => a < until && b > from)) continue
      years.push({ student, year, from, until })
    }
  })
  return years
}

const sources = {
  feedback: "J Surg Res 2007: 7,308 cards from 201 students in 12 weeks, about 3 a week each (residents included)",
  attendings: "Teaching and Learning in Medicine 2015: 3.7 attendings per 4-week inpatient block",
  team: "the studies above: the raters of a student's feedback work on the student's rotation",
  meetings: "Med Educ Online 2013; SUNY Upstate; Acad Med 2002: one to a few advisor meetings a year",
  mentor: "Aagaard & Hauer 2003 (26% M3, 45% M4); Sephien et al. (69%, studies 26–77%)",
  letters: "Powers et al., JBJS Open Access 2020: 3.6 letters per applicant",
  perProgram: "AAFP; SUNY Upstate: ERAS takes at most 4 letters per program",
  specialty: "NRMP Program Director Survey 2018, 2021: specialty letters weighed by 85–86%",
  calendar: "AAMC ERAS 2023 timeline: programs review from about 28 September",
  volume: "no published figure: volume, not relationships (DESIGN.md, 'Measured against reality')",
  design: "simulator design: Rapport's population of concern (no published share)",
  selfCalibrated:
    "self-calibrated, no published figure: Behaviour.mentoringSpread tunes core's measure (open assignments and developing ties) to about half"
} as const

/** Rotations that lost feedback to the coverage gap of the clinical-evaluation system. */
const gapOf = (school: School) => {
  const gap = school.coverageGap
  if (gap.source !== sourceOfType.ClinicalFeedbackGiven) return () => false
  const from = Date.parse(gap.from)
  const to = Date.parse(gap.to)
  return (r: RotationTruth) => {
    const [a, b] = windowOf(r)
    return a < to && b > from
  }
}

const clinicalMeasurements = (evidence: Evidence.Evidence, truth: GroundTruth, school: School): Array<Measurement> => {
  const inGap = gapOf(school)
  const perWeek: Array<number> = []
  const facultyPer4: Array<number> = []
  const attendingsPer4: Array<number> = []
  const distinctByGraduation: Array<number> = []
  let fromTeam = 0
  let clinicalFeedback = 0
  const end = Date.parse(school.end)
  truth.students.forEach((student, id) => {
    const seen = evidence.students.get(id)
    const feedback = seen?.feedback ?? []
    let clerkshipWeeks = 0
    let clerkshipFeedback = 0
    for (const rotation of student.rotations) {
      const [from, until] = windowOf(rotation)
      const within = feedback.filter((f) => f.at >= from && f.at < until && f.setting === rotation.kind)
      const weeks = rotation.attendingsByWeek.length
      if (!rotation.completed || inGap(rotation) || weeks < 2) continue
      if (rotation.kind === "clerkship") {
        clerkshipWeeks += weeks
        clerkshipFeedback += within.length
      }
      facultyPer4.push((new Set(within.map((f) => f.facultyId)).size * 4) / weeks)
      const named = seen?.rotations.get(rotation.rotationId)
      if (named !== undefined) attendingsPer4.push((named.length * 4) / weeks)
    }
    if (clerkshipWeeks >= 4) perWeek.push(clerkshipFeedback / clerkshipWeeks)
    for (const f of feedback) {
      if (f.setting !== "clerkship" && f.setting !== "rotation") continue
      clinicalFeedback++
      const rotation = student.rotations.find((r) => {
        const [from, until] = windowOf(r)
        return f.at >= from && f.at < until
      })
      if (rotation?.attendingsByWeek.includes(f.facultyId) === true) fromTeam++
    }
    const thirdYear = at(yearStarts(student.classOf)[2], 0)
    if (thirdYear >= Date.parse(school.start) && Date.parse(student.graduatesAt) < end) {
      if (student.withdrawsAt === undefined && student.leaves.length === 0) {
        distinctByGraduation.push(new Set(feedback.map((f) => f.facultyId)).size)
      }
    }
  })
  const mean = attendingsPer4.reduce((a, b) => a + b, 0) / Math.max(1, attendingsPer4.length)
  const fromTeamShare = fromTeam / Math.max(1, clinicalFeedback)
  const maxPer4 = Math.max(0, ...facultyPer4)
  return [
    judge({
      id: "feedback-per-clerkship-week",
      measure: "faculty feedback events per clerkship week per student (median)",
      value: quantile(perWeek, 0.5),
      shown: `${number(quantile(perWeek, 0.5))} (p10 ${number(quantile(perWeek, 0.1))}, p90 ${number(quantile(perWeek, 0.9))}; ${perWeek.length} students)`,
      target: "2–4",
      min: 2,
      max: 4,
      source: sources.feedback
    }),
    judge({
      id: "feedback-faculty-per-4-weeks",
      measure: "faculty giving a student feedback per 4 weeks of rotation (most)",
      value: maxPer4,
      shown: `${number(maxPer4)} (median ${number(quantile(facultyPer4, 0.5))}; ${facultyPer4.length} rotations)`,
      target: "at most 4",
      max: 4,
      source: sources.attendings
    }),
    judge({
      id: "feedback-from-rotation-team",
      measure: "clinical feedback from an attending of the student's own rotation",
      value: fromTeamShare,
      shown: `${fraction(fromTeamShare)} of ${clinicalFeedback.toLocaleString("en-US")}`,
      target: "100%",
      min: 1,
      source: sources.team
    }),
    judge({
      id: "attendings-per-4-weeks",
      measure: "supervising attendings per 4-week rotation (mean, from RotationCompleted)",
      value: mean,
      shown: `${number(mean)} (median ${number(quantile(attendingsPer4, 0.5))}; ${attendingsPer4.length} rotations)`,
      target: "3–4",
      min: 3,
      max: 4,
      source: sources.attendings
    }),
    judge({
      id: "feedback-faculty-by-graduation",
      measure: "distinct faculty giving a student feedback over years 3–4 (median; residents excluded)",
      value: distinctByGraduation.length === 0 ? undefined : quantile(distinctByGraduation, 0.5),
      shown:
        distinctByGraduation.length === 0
          ? "no class did years 3–4 within the span"
          : `${number(quantile(distinctByGraduation, 0.5), 0)} (${distinctByGraduation.length} graduates)`,
      target: "about 48 implied (13 blocks × 3.7 attendings)",
      source: sources.attendings
    })
  ]
}

/**
 * Every measurement of a school from its evidence and ground truth.
 *
 * @since 0.2.0
 * @category measures
 */
export const report = (evidence: Evidence.Evidence, truth: GroundTruth, school: School): Report => {
  const years = studentYears(truth, school)
  const byType = new Map<BehaviourType, number>()
  for (const s of truth.students.values()) byType.set(s.behaviour, (byType.get(s.behaviour) ?? 0) + 1)
  const behaviour = behaviourRows(
    evidence,
    years.map((w) => ({
      studentId: w.student.studentId,
      behaviour: w.student.behaviour,
      from: w.from,
      until: w.until
    })),
    byType
  )
  const measurements = [
    ...clinicalMeasurements(evidence, truth, school),
    ...mentoringMeasurements(evidence, years, sources),
    ...letterMeasurements(evidence, truth, sources, school.size.students >= 400 ? 8 : undefined),
    ...volumeMeasurements(evidence, truth, Date.parse(school.end), sources),
    ...behaviourMeasurements(behaviour)
  ]
  return { school, measurements, behaviour, passes: measurements.every((m) => m.verdict !== "fail") }
}

/**
 * A measured run: the report, the evidence and the run's result (ground truth included).
 *
 * @since 0.2.0
 * @category models
 */
export interface Measured {
  readonly report: Report
  readonly evidence: Evidence.Evidence
  readonly stats: RunStats
}

/**
 * Simulates a school and measures it, streaming (the deliveries are not kept). `observe`
 * sees every delivery too, for callers that measure more (core's folds, tallies). Throws
 * `InvalidSize` like `generate`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const measure = (options: SimulationOptions, observe?: (item: SimulatedEvent) => void): Measured => {
  const school = describe(options)
  if (Result.isFailure(school)) throw school.failure
  const evidence = Evidence.make()
  const run = generate(options)
  let step = run.next()
  while (step.done !== true) {
    Evidence.add(evidence, step.value)
    observe?.(step.value)
    step = run.next()
  }
  return { report: report(evidence, step.value.truth, school.success), evidence, stats: step.value }
}

const cell = (text: string): string => text.replaceAll("|", "\\|")

/**
 * Measurements as a Markdown table: measure, target, measured, source, holds.
 *
 * @since 0.2.0
 * @category formatting
 */
export const table = (measurements: ReadonlyArray<Measurement>): string =>
  [
    "| measure | target | measured | source | holds |",
    "| --- | --- | --- | --- | --- |",
    ...measurements.map(
      (m) =>
        `| ${cell(m.measure)} | ${cell(m.target)} | ${cell(m.shown)} | ${cell(m.source)} | ${m.verdict === "pass" ? "yes" : m.verdict === "fail" ? "**no**" : "(reported)"} |`
    )
  ].join("\n")

/**
 * A report as Markdown: a heading line, the measurements and the behaviour types.
 *
 * @since 0.2.0
 * @category formatting
 */
export const toMarkdown = (r: Report): string => {
  const { school } = r
  const rows = r.behaviour.map(
    (b) =>
      `| ${b.behaviour} | ${b.students} | ${b.studentYears} | ${number(b.discretionaryMedian)} (${number(b.discretionaryPerYear)}) | ${fraction(b.withDiscretionary, 0)} | ${fraction(b.withoutDiscretionary, 0)} | ${number(b.studentInitiatedMedian)} (${number(b.studentInitiatedPerYear)}) | ${number(b.meetingsPerYear)} |`
  )
  return [
    `${school.size.students.toLocaleString("en-US")} students, ${school.size.faculty.toLocaleString("en-US")} faculty, ${school.size.years} year${school.size.years === 1 ? "" : "s"}, seed ${JSON.stringify(school.seed)}: ${school.start.slice(0, 10)} to ${school.end.slice(0, 10)}; ${r.passes ? "every measure holds" : "**some measures do not hold**"}.`,
    "",
    table(r.measurements),
    "",
    "**Behaviour types** (ground truth; per year of study measured):",
    "",
    "| type | students | years | discretionary contacts a year: median (mean) | years with some | years with none | student-initiated a year: median (mean) | mentoring meetings a year (mean) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows
  ].join("\n")
}
