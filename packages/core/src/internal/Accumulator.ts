/**
 * The mutable side of the folded state: the same shapes as State.ts with writable fields,
 * and the few operations that keep each pair's and student's aggregates equal to what
 * their contributions imply, whatever order contributions arrive or leave in.
 *
 * Only SchoolFold writes through these; every reader gets the read-only view of State.ts.
 * Removing a contribution recomputes the pair's real aggregates from what is left instead
 * of subtracting in floating point, so that a retraction leaves exactly the state of never
 * having seen the event (reals to rounding, counts exactly).
 *
 * @since 0.1.0
 */
import type { Contribution } from "../Contribution.js"
import { isMentoringContact, isSupport } from "../Contribution.js"
import type { RapportEvent } from "../Event.js"
import type { StudentStatus } from "../EventField.js"
import { addKeys, emptyKey, sumKeys } from "../Strength.js"

/** One dated fact of a register: the latest by (instant, event id) is current. */
export interface Dated<A> {
  readonly atMs: number
  readonly event: RapportEvent
  readonly value: A
}

/** A latest-wins register that forgets an entry exactly. */
export interface Register<A> {
  readonly entries: Array<Dated<A>>
  current: Dated<A> | undefined
}

export const register = <A>(): Register<A> => ({ entries: [], current: undefined })

const later = <A>(a: Dated<A>, b: Dated<A>): boolean =>
  a.atMs > b.atMs || (a.atMs === b.atMs && a.event.id > b.event.id)

export const put = <A>(reg: Register<A>, entry: Dated<A>): void => {
  reg.entries.push(entry)
  if (reg.current === undefined || later(entry, reg.current)) reg.current = entry
}

/** Removes the entry of an event; true when there was one. */
export const forget = <A>(reg: Register<A>, eventId: string): boolean => {
  const i = reg.entries.findIndex((e) => e.event.id === eventId)
  if (i < 0) return false
  reg.entries.splice(i, 1)
  reg.current = undefined
  for (const entry of reg.entries) if (reg.current === undefined || later(entry, reg.current)) reg.current = entry
  return true
}

export interface PairAcc {
  readonly studentId: string
  readonly facultyId: string
  key: number
  supportKey: number
  touched: number
  readonly months: Map<number, number>
  lastContactMs: number
  lastSupportMs: number
  lastMentoringMs: number
  interactions: number
  readonly contributions: Array<Contribution>
  readonly lifecycle: Array<RapportEvent>
}

export interface EnrolmentFacts {
  readonly graduationYear: number
  readonly program: string
  readonly specialtyInterests: ReadonlyArray<string>
}

export interface StudentAcc {
  readonly studentId: string
  status: StudentStatus | "unknown"
  graduationYear: number | undefined
  program: string | undefined
  specialtyInterests: ReadonlyArray<string>
  declaredSpecialty: string | undefined
  readonly pairs: Map<string, PairAcc>
  readonly months: Map<number, number>
  readonly supportMonths: Map<number, number>
  interactions: number
  studentInitiated: number
  lastContactMs: number
  readonly statusRegister: Register<StudentStatus>
  readonly enrolmentRegister: Register<EnrolmentFacts>
  readonly specialtyRegister: Register<string>
}

export interface FacultyProfile {
  readonly department: string
  readonly rank: string | undefined
}

export interface FacultyAcc {
  readonly facultyId: string
  status: "active" | "left"
  department: string | undefined
  rank: string | undefined
  readonly students: Map<string, PairAcc>
  readonly rotationSpecialties: Map<string, number>
  readonly presenceRegister: Register<"active" | "left">
  readonly profileRegister: Register<FacultyProfile>
}

export const newPair = (studentId: string, facultyId: string): PairAcc => ({
  studentId,
  facultyId,
  key: emptyKey,
  supportKey: emptyKey,
  touched: 0,
  months: new Map(),
  lastContactMs: Number.NEGATIVE_INFINITY,
  lastSupportMs: Number.NEGATIVE_INFINITY,
  lastMentoringMs: Number.NEGATIVE_INFINITY,
  interactions: 0,
  contributions: [],
  lifecycle: []
})

export const newStudent = (studentId: string): StudentAcc => ({
  studentId,
  status: "unknown",
  graduationYear: undefined,
  program: undefined,
  specialtyInterests: [],
  declaredSpecialty: undefined,
  pairs: new Map(),
  months: new Map(),
  supportMonths: new Map(),
  interactions: 0,
  studentInitiated: 0,
  lastContactMs: Number.NEGATIVE_INFINITY,
  statusRegister: register(),
  enrolmentRegister: register(),
  specialtyRegister: register()
})

export const newFaculty = (facultyId: string): FacultyAcc => ({
  facultyId,
  status: "active",
  department: undefined,
  rank: undefined,
  students: new Map(),
  rotationSpecialties: new Map(),
  presenceRegister: register(),
  profileRegister: register()
})

export const increment = <K>(map: Map<K, number>, key: K): void => {
  map.set(key, (map.get(key) ?? 0) + 1)
}

export const decrement = <K>(map: Map<K, number>, key: K): void => {
  const n = (map.get(key) ?? 0) - 1
  if (n > 0) map.set(key, n)
  else map.delete(key)
}

/** Adds a contribution: O(1), one log-sum-exp. */
export const addContribution = (pair: PairAcc, c: Contribution): void => {
  pair.contributions.push(c)
  if (isSupport(c)) {
    pair.supportKey = addKeys(pair.supportKey, c.key)
    if (c.atMs > pair.lastSupportMs) pair.lastSupportMs = c.atMs
    return
  }
  pair.key = addKeys(pair.key, c.key)
  pair.touched |= c.dimensions
  increment(pair.months, c.month)
  pair.interactions++
  if (c.atMs > pair.lastContactMs) pair.lastContactMs = c.atMs
  if (c.atMs > pair.lastMentoringMs && isMentoringContact(c)) pair.lastMentoringMs = c.atMs
}

/** Removes the contribution of an event and recomputes what it touched; O(size of the pair). */
export const removeContribution = (pair: PairAcc, eventId: string): Contribution | undefined => {
  const list = pair.contributions
  let i = list.length - 1
  while (i >= 0 && list[i]?.event.id !== eventId) i--
  const removed = list[i]
  if (removed === undefined) return undefined
  list.splice(i, 1)
  if (isSupport(removed)) {
    pair.supportKey = sumKeys(list.filter(isSupport).map((c) => c.key))
    pair.lastSupportMs = Number.NEGATIVE_INFINITY
    for (const c of list) if (isSupport(c) && c.atMs > pair.lastSupportMs) pair.lastSupportMs = c.atMs
    return removed
  }
  decrement(pair.months, removed.month)
  pair.interactions--
  const keys: Array<number> = []
  pair.touched = 0
  pair.lastContactMs = Number.NEGATIVE_INFINITY
  pair.lastMentoringMs = Number.NEGATIVE_INFINITY
  for (const c of list) {
    if (isSupport(c)) continue
    keys.push(c.key)
    pair.touched |= c.dimensions
    if (c.atMs > pair.lastContactMs) pair.lastContactMs = c.atMs
    if (c.atMs > pair.lastMentoringMs && isMentoringContact(c)) pair.lastMentoringMs = c.atMs
  }
  pair.key = sumKeys(keys)
  return removed
}

export const pairIsEmpty = (pair: PairAcc): boolean => pair.contributions.length === 0 && pair.lifecycle.length === 0

export const studentIsEmpty = (s: StudentAcc): boolean =>
  s.pairs.size === 0 &&
  s.statusRegister.entries.length === 0 &&
  s.enrolmentRegister.entries.length === 0 &&
  s.specialtyRegister.entries.length === 0

// Rotation specialties outlive the faculty's pairs only when a fold's seed gave them
// (SchoolFold.Seed): the fold's own rotations leave with the pairs they belong to.
export const facultyIsEmpty = (f: FacultyAcc): boolean =>
  f.students.size === 0 &&
  f.rotationSpecialties.size === 0 &&
  f.presenceRegister.entries.length === 0 &&
  f.profileRegister.entries.length === 0

/** Re-reads a student's current facts from their registers. */
export const resolveStudent = (s: StudentAcc): void => {
  s.status = s.statusRegister.current?.value ?? "unknown"
  const enrolment = s.enrolmentRegister.current?.value
  s.graduationYear = enrolment?.graduationYear
  s.program = enrolment?.program
  s.specialtyInterests = enrolment?.specialtyInterests ?? []
  s.declaredSpecialty = s.specialtyRegister.current?.value
}

/** Re-reads a faculty member's current facts from their registers. */
export const resolveFaculty = (f: FacultyAcc): void => {
  f.status = f.presenceRegister.current?.value ?? "active"
  const profile = f.profileRegister.current?.value
  f.department = profile?.department
  f.rank = profile?.rank
}

/** The student's last scored contact: the latest over their pairs. */
export const recomputeStudentLastContact = (s: StudentAcc): void => {
  s.lastContactMs = Number.NEGATIVE_INFINITY
  for (const pair of s.pairs.values()) if (pair.lastContactMs > s.lastContactMs) s.lastContactMs = pair.lastContactMs
}
