/**
 * The ground truth of a simulated school: what the simulator knows and the events never
 * say. Each student's behaviour type (the hidden habits Rapport is meant to discover), the
 * specialty they choose and the ones they apply to, their plan (enrolment, leaves,
 * withdrawal, graduation); each faculty member's department and tenure; each clinical
 * rotation a student did, with the attendings who supervised it week by week; and the
 * calendar of every residency application cycle (when programs start reviewing).
 *
 * Checks and benchmarks read it from the run's result (`RunStats.truth`), never from the
 * events: a Rapport that scored students by peeking at it would be cheating. The simulator
 * records it as people are created and as rotations and letter seasons happen; this
 * module owns that record, and nothing else writes it.
 *
 * @since 0.2.0
 */
import { applicationSeason } from "./AcademicCalendar.js"
import type { Archetype } from "./Behaviour.js"
import type { Faculty, Student } from "./People.js"
import { isoDate, schoolDay } from "./SchoolTime.js"

/**
 * A student's behaviour type: `proactive`, `engaged`, `passive` or `isolated` (the
 * simulator's archetypes).
 *
 * @since 0.2.0
 * @category models
 */
export type BehaviourType = Archetype

/**
 * A clinical block a student worked in: a year-3 core clerkship (`clerkship`) or another
 * rotation (`rotation`: electives, sub-internships, year 4), in `specialty`, scheduled from
 * `startedOn` to `endedOn` (local dates, inclusive), with the attending on service each
 * week the student worked (`attendingsByWeek[k]` supervised the k-th week worked; winter
 * break and weeks away are not worked) — the rotation's team as the student met it.
 * `completed` is false for a block cut short (a leave, a withdrawal, the end of the span).
 * Residents are not faculty and are not simulated.
 *
 * @since 0.2.0
 * @category models
 */
export interface RotationTruth {
  readonly rotationId: string
  readonly kind: "clerkship" | "rotation"
  readonly specialty: string
  readonly startedOn: string
  readonly endedOn: string
  readonly attendingsByWeek: ReadonlyArray<string>
  readonly completed: boolean
}

/**
 * A clinical block as the clinical module describes it to the recorder.
 *
 * @since 0.2.0
 * @category models
 */
export type RotationPlan = Omit<RotationTruth, "attendingsByWeek" | "completed">

/**
 * What the simulator knows about a student. Instants are ISO 8601 UTC; `undefined` when
 * the thing does not happen within the simulated span.
 *
 * - `behaviour`: the hidden behaviour type;
 * - `classOf`: graduation year, which is also the residency cycle they apply in;
 * - `specialty`: the specialty they choose and apply to; `backupSpecialty`: a fallback
 *   some also apply to;
 * - `appliedTo`: the specialties they asked letters for, in the span (empty if none);
 * - `rotations`: the clinical blocks they did, in order.
 *
 * @since 0.2.0
 * @category models
 */
export interface StudentTruth {
  readonly studentId: string
  readonly behaviour: BehaviourType
  readonly classOf: number
  readonly program: string
  readonly specialty: string
  readonly backupSpecialty: string | undefined
  readonly enrolledAt: string
  readonly graduatesAt: string
  readonly withdrawsAt: string | undefined
  readonly leaves: ReadonlyArray<{ readonly from: string; readonly to: string }>
  readonly appliedTo: ReadonlyArray<string>
  readonly rotations: ReadonlyArray<RotationTruth>
}

/**
 * What the simulator knows about a faculty member: department, whether it is clinical,
 * rank, when they joined and left (`leftAt` undefined if they stay), and whether they
 * volunteer as an advisory-college mentor.
 *
 * @since 0.2.0
 * @category models
 */
export interface FacultyTruth {
  readonly facultyId: string
  readonly department: string
  readonly clinical: boolean
  readonly rank: string | undefined
  readonly joinedAt: string
  readonly leftAt: string | undefined
  readonly advisor: boolean
}

/**
 * One residency application cycle (the Match year) whose season meets the span: local
 * dates when letter requests open, the application service opens, letters are due, and
 * programs start reviewing; `reviewed` tells whether the programs-review date falls within
 * the simulated span (only such cycles can be judged).
 *
 * @since 0.2.0
 * @category models
 */
export interface CycleTruth {
  readonly cycle: number
  readonly requestsFrom: string
  readonly opens: string
  readonly lettersDue: string
  readonly programsReview: string
  readonly reviewed: boolean
}

/**
 * The ground truth of a run.
 *
 * @since 0.2.0
 * @category models
 */
export interface GroundTruth {
  readonly students: ReadonlyMap<string, StudentTruth>
  readonly faculty: ReadonlyMap<string, FacultyTruth>
  readonly cycles: ReadonlyArray<CycleTruth>
}

const iso = (instant: number): string => new Date(instant).toISOString()
const isoOrNone = (instant: number): string | undefined => (Number.isFinite(instant) ? iso(instant) : undefined)

interface RotationRecord {
  readonly plan: RotationPlan
  readonly attendingsByWeek: Array<string>
  completed: boolean
}

interface StudentRecord {
  readonly truth: Omit<StudentTruth, "appliedTo" | "rotations">
  readonly appliedTo: Array<string>
  readonly rotations: Array<RotationRecord>
}

/**
 * The record the simulation keeps as it runs (owned by the `World`). Its methods are the
 * only way to change it; `snapshot` gives the read-only ground truth.
 *
 * @since 0.2.0
 * @category models
 */
export class Recorder {
  private readonly students = new Map<string, StudentRecord>()
  private readonly faculty = new Map<string, FacultyTruth>()

  constructor(
    private readonly start: number,
    private readonly end: number
  ) {}

  /** A student, as planned at enrolment. */
  enrolled(student: Student): void {
    this.students.set(student.id, {
      truth: {
        studentId: student.id,
        behaviour: student.archetype,
        classOf: student.classOf,
        program: student.program,
        specialty: student.specialty,
        backupSpecialty: student.backupSpecialty,
        enrolledAt: iso(student.enrolledAt),
        graduatesAt: iso(student.graduatesAt),
        withdrawsAt: isoOrNone(student.withdrawsAt),
        leaves: student.leaves.map((leave) => ({ from: iso(leave.from), to: iso(leave.to) }))
      },
      appliedTo: [],
      rotations: []
    })
  }

  /** A faculty member, as hired (their departure is planned then). */
  hired(member: Faculty): void {
    this.faculty.set(member.id, {
      facultyId: member.id,
      department: member.department,
      clinical: member.clinical,
      rank: member.rank,
      joinedAt: iso(member.joinsAt),
      leftAt: isoOrNone(member.leavesAt),
      advisor: member.advisor
    })
  }

  /** A student asked for a letter for `specialty`. */
  applied(student: Student, specialty: string): void {
    const record = this.students.get(student.id)
    if (record !== undefined && !record.appliedTo.includes(specialty)) record.appliedTo.push(specialty)
  }

  /** A student worked a week of a clinical block under `attending`. */
  onService(student: Student, rotation: RotationPlan, attending: Faculty): void {
    const rotations = this.students.get(student.id)?.rotations
    if (rotations === undefined) return
    let current = rotations[rotations.length - 1]
    if (current?.plan.rotationId !== rotation.rotationId) {
      current = { plan: rotation, attendingsByWeek: [], completed: false }
      rotations.push(current)
    }
    current.attendingsByWeek.push(attending.id)
  }

  /** A student completed the clinical block they were working in. */
  completed(student: Student, rotationId: string): void {
    const rotations = this.students.get(student.id)?.rotations
    const current = rotations?.[rotations.length - 1]
    if (current?.plan.rotationId === rotationId) current.completed = true
  }

  /** The ground truth as of now. */
  snapshot(): GroundTruth {
    const students = new Map<string, StudentTruth>()
    this.students.forEach((record, id) => {
      students.set(id, {
        ...record.truth,
        appliedTo: [...record.appliedTo],
        rotations: record.rotations.map((r) => ({
          ...r.plan,
          attendingsByWeek: [...r.attendingsByWeek],
          completed: r.completed
        }))
      })
    })
    const cycles: Array<CycleTruth> = []
    const first = new Date(this.start).getUTCFullYear()
    const last = new Date(this.end).getUTCFullYear() + 1
    for (let cycle = first; cycle <= last; cycle++) {
      const season = applicationSeason(cycle)
      if (season.requestsFrom > schoolDay(this.end) || season.reviewFrom < schoolDay(this.start)) continue
      cycles.push({
        cycle,
        requestsFrom: isoDate(season.requestsFrom),
        opens: isoDate(season.opens),
        lettersDue: isoDate(season.lettersDue),
        programsReview: isoDate(season.reviewFrom),
        reviewed: season.reviewFrom < schoolDay(this.end)
      })
    }
    return { students, faculty: new Map(this.faculty), cycles }
  }
}
