/**
 * The state of a running simulation: the seeded random streams, the people on the roster,
 * the agenda of things that will happen, and the events that have happened but are not
 * yet released to delivery. Every generator module acts on the school through a `World`.
 *
 * `emit` is the single door through which events enter: it refuses (and counts) any event
 * that would involve a student who is not present (not yet enrolled, on leave, withdrawn,
 * graduated) or a faculty member outside their tenure, so the calendar stays sane by
 * construction, and it keeps the simulator's own ties between people up to date. The
 * world must never hold more than a bounded window of events: released events leave it.
 *
 * @since 0.1.0
 */
import type { Event } from "@rapport/core"
import type { Behaviour, DeliveryProfile } from "./Behaviour.js"
import { Recorder } from "./GroundTruth.js"
import { Heap } from "./internal/Heap.js"
import { type Faculty, facultyPresent, facultyPresentThroughout, type Student, studentPresent } from "./People.js"
import { impactOf, strengthAt, strengthen, type Tie } from "./Ties.js"
import type { Random } from "./Random.js"
import { DAY } from "./SchoolTime.js"
import { currentVersion, sourceOfType } from "./Sources.js"

/**
 * An event that has occurred in the simulation and waits to be released (given its id and
 * delivery) in order of occurrence.
 *
 * @since 0.1.0
 * @category models
 */
export interface OccurredEvent {
  readonly type: Event.EventType
  readonly v: number
  readonly at: number
  readonly source: string
  readonly data: Readonly<Record<string, unknown>>
}

/**
 * Options of one emission: skip the presence check (status changes and erasure, which are
 * about a person rather than with them), another version or source than the usual.
 *
 * @since 0.1.0
 * @category models
 */
export interface EmitOptions {
  /** `true`: no presence check; `"student"`: check the faculty only (closing records during a leave). */
  readonly unchecked?: boolean | "student"
  readonly v?: number
  readonly source?: string
}

/**
 * The simulation state.
 *
 * @since 0.1.0
 * @category models
 */
export class World {
  /** Things that will happen, in order of time. */
  readonly agenda = new Heap<() => void>()
  /** Events that have occurred and wait for release. */
  readonly occurred = new Heap<OccurredEvent>()
  /** Students on the roster (compacted now and then: graduated and withdrawn leave it). */
  students: Array<Student> = []
  /** How many students each class enrolled, by graduation year (teams grow with classes). */
  readonly classSizes = new Map<number, number>()
  /** What the simulator knows and the events never say (ground truth for checks). */
  readonly truth: Recorder
  /** Every faculty member ever on staff, in order of creation. */
  readonly faculty: Array<Faculty> = []
  /** Faculty by department (compacted now and then). */
  readonly byDepartment = new Map<string, Array<Faculty>>()
  /** The faculty team of each course and rotation offering, until the offering ends. */
  readonly teams = new Map<string, { readonly members: ReadonlyArray<Faculty>; readonly ends: number }>()
  /** The current time of the simulation (the agenda's clock). */
  now: number
  /** Events refused by the presence check (a measure of the generators' own care). */
  refused = 0
  /** Sequence numbers for opaque ids (letters, follow-ups, publications …). */
  private readonly serials = new Map<string, number>()
  readonly halfLifeMs: number

  constructor(
    readonly seedKey: number,
    readonly rng: Random,
    readonly behaviour: Behaviour,
    readonly delivery: DeliveryProfile,
    readonly start: number,
    readonly end: number
  ) {
    this.now = start
    this.truth = new Recorder(start, end)
    this.halfLifeMs = behaviour.tieHalfLifeDays * DAY
  }

  /** Runs `action` at `at` (never before the current time). */
  schedule(at: number, action: () => void): void {
    this.agenda.push(Math.max(at, this.now), action)
  }

  /** The next serial number of a kind of id, from 1. */
  serial(kind: string): number {
    const next = (this.serials.get(kind) ?? 0) + 1
    this.serials.set(kind, next)
    return next
  }

  /**
   * Records that an event occurred at `at`, involving `student` (if any) and `faculty`.
   * Returns false, recording nothing, when the instant is outside the simulated span or
   * someone involved is not present then (unless `unchecked`).
   */
  emit<T extends Event.EventType>(
    type: T,
    at: number,
    data: Event.DataOf<T>,
    student: Student | undefined,
    faculty: ReadonlyArray<Faculty>,
    options?: EmitOptions
  ): boolean {
    return this.emitData(type, at, data, student, faculty, options)
  }

  /** `emit` for payloads of an older version (typed by the caller). */
  emitData(
    type: Event.EventType,
    at: number,
    data: Readonly<Record<string, unknown>>,
    student: Student | undefined,
    faculty: ReadonlyArray<Faculty>,
    options?: EmitOptions
  ): boolean {
    if (at < this.now) throw new Error(`simulator defect: ${type} emitted in the past`)
    if (at >= this.end || at < this.start) return false
    if (options?.unchecked !== true) {
      if (student !== undefined && options?.unchecked !== "student" && !studentPresent(student, at)) {
        this.refused++
        return false
      }
      for (const member of faculty) {
        if (!facultyPresent(member, at)) {
          this.refused++
          return false
        }
      }
    }
    if (student !== undefined && faculty.length > 0) {
      const impact = impactOf(type, data)
      if (impact.weight > 0 || impact.contact) {
        for (const member of faculty) strengthen(student.ties, member, at, impact, this.halfLifeMs)
      }
    }
    this.occurred.push(at, {
      type,
      v: options?.v ?? currentVersion(type),
      at,
      source: options?.source ?? sourceOfType[type],
      data
    })
    return true
  }

  /** The strength of a student's tie with a faculty member at an instant. */
  strength(student: Student, faculty: Faculty, at: number): number {
    return strengthAt(student.ties.get(faculty), at, this.halfLifeMs)
  }

  /** A student's faculty, strongest tie first, among those present throughout `[from, until)`. */
  strongest(student: Student, from: number, until: number): Array<readonly [Faculty, number]> {
    const ranked: Array<readonly [Faculty, number]> = []
    student.ties.forEach((tie: Tie, member: Faculty) => {
      if (facultyPresentThroughout(member, from, until)) ranked.push([member, strengthAt(tie, from, this.halfLifeMs)])
    })
    return ranked.sort((a, b) => b[1] - a[1] || a[0].index - b[0].index)
  }

  /**
   * One faculty member among `pool`, chosen with probability proportional to `weight`,
   * among those on staff for the whole of `[from, until)`; `undefined` if none.
   */
  pickFaculty(
    pool: ReadonlyArray<Faculty>,
    from: number,
    until: number,
    weight: (member: Faculty) => number,
    rng: Random = this.rng
  ): Faculty | undefined {
    const eligible: Array<Faculty> = []
    const weights: Array<number> = []
    for (const member of pool) {
      if (!facultyPresentThroughout(member, from, until)) continue
      const w = weight(member)
      if (w > 0) {
        eligible.push(member)
        weights.push(w)
      }
    }
    const chosen = rng.weightedIndex(weights)
    return chosen < 0 ? undefined : eligible[chosen]
  }

  /** The team of an offering, built on first use and kept until the offering ends. */
  team(id: string, ends: number, build: () => ReadonlyArray<Faculty>): ReadonlyArray<Faculty> {
    const known = this.teams.get(id)
    if (known !== undefined) return known.members
    const members = build()
    this.teams.set(id, { members, ends })
    return members
  }

  /**
   * `size` faculty of `departments` on staff for the whole of `[from, until)`, falling back
   * to the clinical faculty (or anyone) when the departments have too few people.
   */
  chooseTeam(departments: ReadonlyArray<string>, from: number, until: number, size: number): Array<Faculty> {
    const onStaff = (list: ReadonlyArray<Faculty>) => list.filter((f) => facultyPresentThroughout(f, from, until))
    const own = onStaff(departments.flatMap((name) => this.department(name)))
    const chosen = this.rng.sample(own, size)
    if (chosen.length < Math.min(2, size)) {
      const others = onStaff(this.faculty.filter((f) => f.clinical && !chosen.includes(f)))
      chosen.push(...this.rng.sample(others, Math.min(2, size) - chosen.length))
    }
    return chosen
  }

  /** The faculty of a department (empty for an unknown one). */
  department(name: string): ReadonlyArray<Faculty> {
    return this.byDepartment.get(name) ?? []
  }

  /** Adds a faculty member to the staff lists. */
  addFaculty(member: Faculty): void {
    this.faculty.push(member)
    const list = this.byDepartment.get(member.department)
    if (list === undefined) this.byDepartment.set(member.department, [member])
    else list.push(member)
  }

  /** Drops people who can no longer appear in events from the working lists. */
  compact(): void {
    const now = this.now
    this.students = this.students.filter((s) => now < s.graduatesAt + DAY && now < s.withdrawsAt + DAY)
    this.byDepartment.forEach((list, name) => {
      this.byDepartment.set(
        name,
        list.filter((member) => member.leavesAt > now)
      )
    })
    this.teams.forEach((team, id) => {
      if (team.ends < now) this.teams.delete(id)
    })
  }
}
