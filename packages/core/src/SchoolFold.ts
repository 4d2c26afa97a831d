/**
 * The fold of a school's events into the state every summary reads: students, faculty and
 * their relationships (State.ts). `make(config)` returns a mutable accumulator; `apply`
 * takes one decoded event in O(1) amortised time (a retraction costs the size of the
 * pairs it touches, an erasure the size of the student's history).
 *
 * Laws (each property-tested):
 * - order does not matter: any permutation of the same events gives the same state —
 *   counts, ids and instants exactly, log keys within 1e-9;
 * - `EventRetracted` removes its target's contribution whether it arrives before or after
 *   the target, leaving the state of never having seen it (retractions and erasure
 *   requests themselves cannot be retracted);
 * - `StudentErasureRequested` drops the student, every pair of theirs and everything they
 *   added to faculty records, and ignores their later-arriving events;
 * - each event is assumed to arrive once (stores deduplicate; see Dedupe for raw input).
 *
 * The accumulator is deterministic and reads nothing outside its arguments: no clock, no
 * randomness, no I/O. It is plain TypeScript over Maps; Effect stays at the edges.
 *
 * @since 0.1.0
 */
import * as Calendar from "./Calendar.js"
import type { ScoringConfig } from "./Config.js"
import { defaultConfig } from "./Config.js"
import * as Contribution from "./Contribution.js"
import type { RapportEvent } from "./Event.js"
import * as Acc from "./internal/Accumulator.js"
import type { SchoolState } from "./State.js"
import { decayRate } from "./Strength.js"

/**
 * A school's fold: feed it events, read its state.
 *
 * @since 0.1.0
 * @category models
 */
export interface SchoolFold {
  /** The state so far. The same object throughout; read it, never write it. */
  readonly state: SchoolState
  /**
   * Folds one decoded event. Throws a RangeError for an `occurredAt` that is not an
   * instant: events must come through Decode, which never lets one through.
   */
  readonly apply: (event: RapportEvent) => void
  /** Folds events in the order given (any order gives the same state). */
  readonly applyAll: (events: Iterable<RapportEvent>) => SchoolState
  /** Ids of every event retracted so far (whether or not the event itself has arrived). */
  readonly retracted: ReadonlySet<string>
  /** Whether a student's data was erased (their later events are ignored). */
  readonly isErased: (studentId: string) => boolean
}

class Fold implements SchoolFold {
  readonly state: SchoolState
  private readonly config: ScoringConfig
  private readonly lambda: number
  private readonly logRatio: number
  private readonly calendar: Calendar.Calendar
  private readonly students = new Map<string, Acc.StudentAcc>()
  private readonly faculty = new Map<string, Acc.FacultyAcc>()
  /** Events whose effects are in the state, by id: what a retraction needs to undo. */
  private readonly applied = new Map<string, RapportEvent>()
  readonly retracted = new Set<string>()
  private readonly erased = new Set<string>()

  constructor(config: ScoringConfig, seed: Seed) {
    this.config = config
    this.lambda = decayRate(config)
    this.logRatio = Math.log(config.repeatRatio)
    this.calendar = Calendar.make(config.timeZone)
    this.state = {
      config,
      lambda: this.lambda,
      calendar: this.calendar,
      students: this.students,
      faculty: this.faculty
    }
    for (const rotation of seed.rotationsElsewhere ?? []) {
      Acc.increment(this.facultyMember(rotation.facultyId).rotationSpecialties, rotation.specialty)
    }
  }

  isErased = (studentId: string): boolean => this.erased.has(studentId)

  applyAll = (events: Iterable<RapportEvent>): SchoolState => {
    for (const event of events) this.apply(event)
    return this.state
  }

  apply = (event: RapportEvent): void => {
    switch (event.type) {
      case "EventRetracted":
        this.retract(event.data.eventId)
        return
      case "StudentErasureRequested":
        this.erase(event.data.studentId)
        return
      case "NudgeSent":
      case "CourseStarted":
        return
    }
    if (this.retracted.size > 0 && this.retracted.has(event.id)) return
    switch (event.type) {
      case "StudentEnrolled": {
        const d = event.data
        const facts = {
          graduationYear: d.graduationYear,
          program: d.program,
          specialtyInterests: d.specialtyInterests ?? []
        }
        this.studentFact(event, d.studentId, (s, atMs) => {
          Acc.put(s.statusRegister, { atMs, event, value: "active" })
          Acc.put(s.enrolmentRegister, { atMs, event, value: facts })
        })
        return
      }
      case "StudentStatusChanged":
        this.studentFact(event, event.data.studentId, (s, atMs) =>
          Acc.put(s.statusRegister, { atMs, event, value: event.data.status })
        )
        return
      case "SpecialtyDeclared":
        this.studentFact(event, event.data.studentId, (s, atMs) =>
          Acc.put(s.specialtyRegister, { atMs, event, value: event.data.specialty })
        )
        return
      case "FacultyJoined": {
        const profile = { department: event.data.department, rank: event.data.rank }
        this.facultyFact(event, event.data.facultyId, (f, atMs) => {
          Acc.put(f.presenceRegister, { atMs, event, value: "active" })
          Acc.put(f.profileRegister, { atMs, event, value: profile })
        })
        return
      }
      case "FacultyLeft":
        this.facultyFact(event, event.data.facultyId, (f, atMs) =>
          Acc.put(f.presenceRegister, { atMs, event, value: "left" })
        )
        return
      case "MentorshipEnded":
      case "ResearchRoleEnded":
      case "LetterDeclined": {
        if (this.erased.has(event.data.studentId)) return
        this.pair(this.student(event.data.studentId), event.data.facultyId).lifecycle.push(event)
        this.applied.set(event.id, event)
        return
      }
      default:
        this.interaction(event)
        return
    }
  }

  private student(studentId: string): Acc.StudentAcc {
    let s = this.students.get(studentId)
    if (s === undefined) {
      s = Acc.newStudent(studentId)
      this.students.set(studentId, s)
    }
    return s
  }

  private facultyMember(facultyId: string): Acc.FacultyAcc {
    let f = this.faculty.get(facultyId)
    if (f === undefined) {
      f = Acc.newFaculty(facultyId)
      this.faculty.set(facultyId, f)
    }
    return f
  }

  private pair(student: Acc.StudentAcc, facultyId: string): Acc.PairAcc {
    let p = student.pairs.get(facultyId)
    if (p === undefined) {
      p = Acc.newPair(student.studentId, facultyId)
      student.pairs.set(facultyId, p)
      this.facultyMember(facultyId).students.set(student.studentId, p)
    }
    return p
  }

  private instant(event: RapportEvent): number {
    const atMs = Calendar.parseInstant(event.occurredAt)
    if (Number.isNaN(atMs)) throw new RangeError(`Event ${event.id} has no valid occurredAt: ${event.occurredAt}`)
    return atMs
  }

  private studentFact(event: RapportEvent, studentId: string, put: (s: Acc.StudentAcc, atMs: number) => void): void {
    if (this.erased.has(studentId)) return
    const s = this.student(studentId)
    put(s, this.instant(event))
    Acc.resolveStudent(s)
    this.applied.set(event.id, event)
  }

  private facultyFact(event: RapportEvent, facultyId: string, put: (f: Acc.FacultyAcc, atMs: number) => void): void {
    const f = this.facultyMember(facultyId)
    put(f, this.instant(event))
    Acc.resolveFaculty(f)
    this.applied.set(event.id, event)
  }

  private interaction(event: Contribution.InteractionEvent): void {
    const studentId = event.data.studentId
    if (this.erased.size > 0 && this.erased.has(studentId)) return
    const atMs = this.instant(event)
    const day = this.calendar.dayOf(atMs)
    const month = Calendar.monthOfDay(day)
    const c = Contribution.contributionOf(event, atMs, day, month, this.config, this.lambda)
    const s = this.student(studentId)
    const data = event.data
    if ("facultyIds" in data) {
      const ids = data.facultyIds
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]
        if (id !== undefined) Acc.addContribution(this.pair(s, id), c, this.logRatio)
      }
    } else {
      Acc.addContribution(this.pair(s, data.facultyId), c, this.logRatio)
    }
    if (event.type === "RotationCompleted") {
      for (const id of event.data.facultyIds) {
        Acc.increment(this.facultyMember(id).rotationSpecialties, event.data.specialty)
      }
    }
    if (c.dimensions === Contribution.dimensionBits.support) {
      Acc.increment(s.supportMonths, month)
    } else {
      Acc.increment(s.months, month)
      s.interactions++
      if (c.studentInitiated) s.studentInitiated++
      if (atMs > s.lastContactMs) s.lastContactMs = atMs
      if (c.discretionary) {
        s.discretionary++
        if (c.studentInitiated) s.discretionaryInitiated++
        if (atMs > s.lastDiscretionaryMs) s.lastDiscretionaryMs = atMs
      }
    }
    this.applied.set(event.id, event)
  }

  private retract(eventId: string): void {
    this.retracted.add(eventId)
    const target = this.applied.get(eventId)
    if (target === undefined) return
    this.applied.delete(eventId)
    switch (target.type) {
      case "StudentEnrolled":
      case "StudentStatusChanged":
      case "SpecialtyDeclared": {
        const s = this.students.get(target.data.studentId)
        if (s === undefined) return
        Acc.forget(s.statusRegister, eventId)
        Acc.forget(s.enrolmentRegister, eventId)
        Acc.forget(s.specialtyRegister, eventId)
        Acc.resolveStudent(s)
        this.dropIfEmpty(s)
        return
      }
      case "FacultyJoined":
      case "FacultyLeft": {
        const f = this.faculty.get(target.data.facultyId)
        if (f === undefined) return
        Acc.forget(f.presenceRegister, eventId)
        Acc.forget(f.profileRegister, eventId)
        Acc.resolveFaculty(f)
        if (Acc.facultyIsEmpty(f)) this.faculty.delete(f.facultyId)
        return
      }
      case "MentorshipEnded":
      case "ResearchRoleEnded":
      case "LetterDeclined": {
        const s = this.students.get(target.data.studentId)
        const p = s?.pairs.get(target.data.facultyId)
        if (s === undefined || p === undefined) return
        const i = p.lifecycle.findIndex((e) => e.id === eventId)
        if (i >= 0) p.lifecycle.splice(i, 1)
        this.dropPairIfEmpty(s, p)
        this.dropIfEmpty(s)
        return
      }
      default:
        if (Contribution.isInteraction(target)) this.unapplyInteraction(target)
    }
  }

  private unapplyInteraction(event: Contribution.InteractionEvent): void {
    const s = this.students.get(event.data.studentId)
    if (s === undefined) return
    const faculty = Contribution.facultyOf(event)
    let removed: Contribution.Contribution | undefined
    for (const id of typeof faculty === "string" ? [faculty] : faculty) {
      const p = s.pairs.get(id)
      if (p === undefined) continue
      removed = Acc.removeContribution(p, event.id, this.logRatio) ?? removed
      this.dropPairIfEmpty(s, p)
    }
    if (removed === undefined) return
    if (event.type === "RotationCompleted") {
      for (const id of event.data.facultyIds) {
        const f = this.faculty.get(id)
        if (f === undefined) continue
        Acc.decrement(f.rotationSpecialties, event.data.specialty)
        if (Acc.facultyIsEmpty(f)) this.faculty.delete(id)
      }
    }
    if (Contribution.isSupport(removed)) {
      Acc.decrement(s.supportMonths, removed.month)
    } else {
      Acc.decrement(s.months, removed.month)
      s.interactions--
      if (removed.studentInitiated) s.studentInitiated--
      if (Contribution.isDiscretionary(removed)) {
        s.discretionary--
        if (removed.studentInitiated) s.discretionaryInitiated--
      }
      Acc.recomputeStudentLastContact(s)
    }
    this.dropIfEmpty(s)
  }

  private dropPairIfEmpty(s: Acc.StudentAcc, p: Acc.PairAcc): void {
    if (!Acc.pairIsEmpty(p)) return
    s.pairs.delete(p.facultyId)
    const f = this.faculty.get(p.facultyId)
    if (f === undefined) return
    f.students.delete(s.studentId)
    if (Acc.facultyIsEmpty(f)) this.faculty.delete(f.facultyId)
  }

  private dropIfEmpty(s: Acc.StudentAcc): void {
    if (Acc.studentIsEmpty(s)) this.students.delete(s.studentId)
  }

  private erase(studentId: string): void {
    this.erased.add(studentId)
    const s = this.students.get(studentId)
    if (s === undefined) return
    for (const p of s.pairs.values()) {
      for (const c of p.contributions) this.applied.delete(c.event.id)
      for (const e of p.lifecycle) this.applied.delete(e.id)
      const f = this.faculty.get(p.facultyId)
      if (f === undefined) continue
      f.students.delete(studentId)
      for (const c of p.contributions) {
        if (c.event.type === "RotationCompleted") Acc.decrement(f.rotationSpecialties, c.event.data.specialty)
      }
      if (Acc.facultyIsEmpty(f)) this.faculty.delete(f.facultyId)
    }
    for (const reg of [s.statusRegister, s.enrolmentRegister, s.specialtyRegister]) {
      for (const entry of reg.entries) this.applied.delete(entry.event.id)
    }
    this.students.delete(studentId)
  }
}

/**
 * A rotation a faculty member supervised that the fold will not see as an event: another
 * student's, read from the read models by a page that folds one student's events.
 *
 * @since 0.2.0
 * @category models
 */
export interface RotationElsewhere {
  readonly facultyId: string
  readonly specialty: string
}

/**
 * What a fold knows before its first event. `rotationsElsewhere` teach faculty their
 * specialties (State.facultySpecialties: a faculty member counts for every specialty they
 * supervised a rotation in, not only the rotations this fold sees) and nothing else: no
 * student, pair, contribution or score comes of them, and no retraction or erasure undoes
 * them.
 *
 * @since 0.2.0
 * @category models
 */
export interface Seed {
  readonly rotationsElsewhere?: Iterable<RotationElsewhere> | undefined
}

/**
 * A new fold, empty but for its seed.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (config: ScoringConfig = defaultConfig, seed: Seed = {}): SchoolFold => new Fold(config, seed)

/**
 * Folds events into a fresh state.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromEvents = (events: Iterable<RapportEvent>, config: ScoringConfig = defaultConfig): SchoolState =>
  make(config).applyAll(events)
