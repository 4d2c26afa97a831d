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
import { dimensionBits, isMentoringContact, isSupport } from "../Contribution.js"
import type { RapportEvent } from "../Event.js"
import type { StudentStatus } from "../EventField.js"
import { episodeKey, prependKey, ranksBefore, replaceKey } from "../Repetition.js"
import { addKeys, emptyKey, sumKeys } from "../Strength.js"
import { WeekSet } from "./WeekSet.js"

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

/** One episode of repeated contact of one kind (Repetition.ts), once it holds two or more. */
export interface EpisodeAcc {
  key: number
  top: Contribution
  readonly list: Array<Contribution>
}

/**
 * An episode of one contribution is that contribution's index in the pair's
 * `contributions` (its key is the episode's): no allocation, and a small integer stored
 * rather than a pointer to a young object in an old array, which every scavenge of the
 * fold would have to visit.
 */
export type Episode = number | EpisodeAcc

export interface PairAcc {
  readonly studentId: string
  readonly facultyId: string
  key: number
  supportKey: number
  touched: number
  readonly months: Map<number, number>
  readonly weeks: WeekSet
  /**
   * The pair's episodes, in order of first contribution, as pairs of entries: an
   * episode's id (Contribution.episode), then the episode. One array scanned from the end
   * rather than a Map per pair: a pair has a few dozen episodes, the one an event belongs
   * to is usually among the latest, and one array is one cache line to fetch, not three.
   */
  readonly episodes: Array<string | number | EpisodeAcc>
  /** Letters committed or submitted (contributions). */
  vouched: number
  /** Rotations completed and clinical feedback given (contributions). */
  rotations: number
  feedback: number
  lastContactMs: number
  lastSupportMs: number
  lastMentoringMs: number
  lastDiscretionaryMs: number
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
  enrolledAtMs: number | undefined
  readonly pairs: Map<string, PairAcc>
  readonly months: Map<number, number>
  readonly supportMonths: Map<number, number>
  interactions: number
  studentInitiated: number
  lastContactMs: number
  discretionary: number
  discretionaryInitiated: number
  lastDiscretionaryMs: number
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
  weeks: new WeekSet(),
  episodes: [],
  vouched: 0,
  rotations: 0,
  feedback: 0,
  lastContactMs: Number.NEGATIVE_INFINITY,
  lastSupportMs: Number.NEGATIVE_INFINITY,
  lastMentoringMs: Number.NEGATIVE_INFINITY,
  lastDiscretionaryMs: Number.NEGATIVE_INFINITY,
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
  enrolledAtMs: undefined,
  pairs: new Map(),
  months: new Map(),
  supportMonths: new Map(),
  interactions: 0,
  studentInitiated: 0,
  lastContactMs: Number.NEGATIVE_INFINITY,
  discretionary: 0,
  discretionaryInitiated: 0,
  lastDiscretionaryMs: Number.NEGATIVE_INFINITY,
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

// Only letters and clinical contact are counted: the dimension mask says so without
// comparing the kind's name, for the many contributions that are neither.
const countKind = (pair: PairAcc, c: Contribution, by: number): void => {
  if ((c.dimensions & (dimensionBits.letters | dimensionBits.clinical)) === 0) return
  switch (c.kind) {
    case "letterCommitted":
    case "letterSubmitted":
      pair.vouched += by
      return
    case "rotation":
      pair.rotations += by
      return
    case "clinicalFeedback":
      pair.feedback += by
      return
  }
}

const noteInstants = (pair: PairAcc, c: Contribution): void => {
  if (c.atMs > pair.lastContactMs) pair.lastContactMs = c.atMs
  if (c.atMs > pair.lastMentoringMs && isMentoringContact(c)) pair.lastMentoringMs = c.atMs
  if (c.discretionary && c.atMs > pair.lastDiscretionaryMs) pair.lastDiscretionaryMs = c.atMs
}

/**
 * Adds a contribution to its episode and the pair's key: O(1) when it is the most recent
 * of its episode (one or two log-sum-exps), O(episode) otherwise.
 */
const addToEpisode = (pair: PairAcc, c: Contribution, logRatio: number): void => {
  if (c.episode === undefined) {
    pair.key = addKeys(pair.key, c.key)
    return
  }
  const episodes = pair.episodes
  const id = c.episode
  let at = episodes.length - 2
  while (at >= 0 && episodes[at] !== id) at -= 2
  const found = at < 0 ? undefined : episodes[at + 1]
  if (found === undefined || typeof found === "string") {
    episodes.push(id, pair.contributions.length - 1)
    pair.key = addKeys(pair.key, c.key)
    return
  }
  let episode: EpisodeAcc
  if (typeof found === "number") {
    const only = pair.contributions[found]
    if (only === undefined) throw new Error("unreachable: an episode's contribution is in its pair")
    episode = { key: only.key, top: only, list: [only] }
    episodes[at + 1] = episode
  } else {
    episode = found
  }
  const before = episode.key
  episode.list.push(c)
  if (ranksBefore(c, episode.top)) {
    episode.key = prependKey(before, c, logRatio)
    episode.top = c
  } else {
    episode.key = episodeKey(episode.list, logRatio)
  }
  pair.key = replaceKey(pair.key, before, episode.key)
}

/** Adds a contribution (last of the pair's `contributions`): O(1) amortised (see `addToEpisode`). */
export const addContribution = (pair: PairAcc, c: Contribution, logRatio: number): void => {
  pair.contributions.push(c)
  if (isSupport(c)) {
    pair.supportKey = addKeys(pair.supportKey, c.key)
    if (c.atMs > pair.lastSupportMs) pair.lastSupportMs = c.atMs
    return
  }
  addToEpisode(pair, c, logRatio)
  pair.touched |= c.dimensions
  increment(pair.months, c.month)
  pair.weeks.add(c.week)
  countKind(pair, c, 1)
  pair.interactions++
  noteInstants(pair, c)
}

/** Removes the contribution of an event and recomputes what it touched; O(size of the pair). */
export const removeContribution = (pair: PairAcc, eventId: string, logRatio: number): Contribution | undefined => {
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
  countKind(pair, removed, -1)
  pair.interactions--
  pair.touched = 0
  pair.lastContactMs = Number.NEGATIVE_INFINITY
  pair.lastMentoringMs = Number.NEGATIVE_INFINITY
  pair.lastDiscretionaryMs = Number.NEGATIVE_INFINITY
  pair.episodes.length = 0
  pair.weeks.clear()
  const grouped = new Map<string | number, Array<number>>()
  const keys: Array<number> = []
  for (let i = 0; i < list.length; i++) {
    const c = list[i]
    if (c === undefined || isSupport(c)) continue
    pair.touched |= c.dimensions
    pair.weeks.add(c.week)
    noteInstants(pair, c)
    if (c.episode === undefined) {
      keys.push(c.key)
      continue
    }
    const indices = grouped.get(c.episode)
    if (indices === undefined) grouped.set(c.episode, [i])
    else indices.push(i)
  }
  for (const [id, indices] of grouped) {
    const members: Array<Contribution> = []
    for (const i of indices) {
      const c = list[i]
      if (c !== undefined) members.push(c)
    }
    const first = members[0]
    const firstIndex = indices[0]
    if (first === undefined || firstIndex === undefined) continue
    if (members.length === 1) {
      pair.episodes.push(id, firstIndex)
      keys.push(first.key)
      continue
    }
    let top = first
    for (const c of members) if (ranksBefore(c, top)) top = c
    const key = episodeKey(members, logRatio)
    pair.episodes.push(id, { key, top, list: members })
    keys.push(key)
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
  s.enrolledAtMs = s.enrolmentRegister.current?.atMs
}

/** Re-reads a faculty member's current facts from their registers. */
export const resolveFaculty = (f: FacultyAcc): void => {
  f.status = f.presenceRegister.current?.value ?? "active"
  const profile = f.profileRegister.current?.value
  f.department = profile?.department
  f.rank = profile?.rank
}

/** The student's last scored and discretionary contacts: the latest over their pairs. */
export const recomputeStudentLastContact = (s: StudentAcc): void => {
  s.lastContactMs = Number.NEGATIVE_INFINITY
  s.lastDiscretionaryMs = Number.NEGATIVE_INFINITY
  for (const pair of s.pairs.values()) {
    if (pair.lastContactMs > s.lastContactMs) s.lastContactMs = pair.lastContactMs
    if (pair.lastDiscretionaryMs > s.lastDiscretionaryMs) s.lastDiscretionaryMs = pair.lastDiscretionaryMs
  }
}
