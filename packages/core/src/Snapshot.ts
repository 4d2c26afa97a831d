/**
 * A canonical, plain-data picture of a folded state: every map sorted by key, every list
 * of events reduced to sorted ids, instants as numbers. Two folds of the same events in
 * any order give snapshots that are equal except for rounding in the log keys; `equal`
 * compares them with that tolerance. Used by the fold's laws, and by read models that
 * check an incremental projection against a rebuild.
 *
 * Pure; it copies and never changes the state.
 *
 * @since 0.1.0
 */
import type { SchoolState } from "./State.js"

/**
 * The snapshot of one pair.
 *
 * @since 0.1.0
 * @category models
 */
export interface PairSnapshot {
  readonly studentId: string
  readonly facultyId: string
  readonly key: number
  readonly supportKey: number
  readonly touched: number
  readonly months: ReadonlyArray<readonly [number, number]>
  readonly lastContactMs: number
  readonly lastSupportMs: number
  readonly lastMentoringMs: number
  readonly interactions: number
  readonly contributions: ReadonlyArray<string>
  readonly lifecycle: ReadonlyArray<string>
}

/**
 * The snapshot of a state.
 *
 * @since 0.1.0
 * @category models
 */
export interface Snapshot {
  readonly students: ReadonlyArray<{
    readonly studentId: string
    readonly status: string
    readonly graduationYear: number | undefined
    readonly program: string | undefined
    readonly specialtyInterests: ReadonlyArray<string>
    readonly declaredSpecialty: string | undefined
    readonly months: ReadonlyArray<readonly [number, number]>
    readonly supportMonths: ReadonlyArray<readonly [number, number]>
    readonly interactions: number
    readonly studentInitiated: number
    readonly lastContactMs: number
    readonly faculty: ReadonlyArray<string>
  }>
  readonly faculty: ReadonlyArray<{
    readonly facultyId: string
    readonly status: string
    readonly department: string | undefined
    readonly rank: string | undefined
    readonly students: ReadonlyArray<string>
    readonly rotationSpecialties: ReadonlyArray<readonly [string, number]>
  }>
  readonly pairs: ReadonlyArray<PairSnapshot>
}

const byKey = <K extends string | number, V>(map: ReadonlyMap<K, V>): Array<readonly [K, V]> =>
  [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

const sorted = (ids: Iterable<string>): Array<string> => [...ids].sort()

/**
 * The snapshot of a state.
 *
 * @since 0.1.0
 * @category constructors
 */
export const of = (state: SchoolState): Snapshot => {
  const pairs: Array<PairSnapshot> = []
  const students = byKey(state.students).map(([studentId, s]) => {
    for (const [facultyId, p] of byKey(s.pairs)) {
      pairs.push({
        studentId,
        facultyId,
        key: p.key,
        supportKey: p.supportKey,
        touched: p.touched,
        months: byKey(p.months),
        lastContactMs: p.lastContactMs,
        lastSupportMs: p.lastSupportMs,
        lastMentoringMs: p.lastMentoringMs,
        interactions: p.interactions,
        contributions: sorted(p.contributions.map((c) => c.event.id)),
        lifecycle: sorted(p.lifecycle.map((e) => e.id))
      })
    }
    return {
      studentId,
      status: s.status,
      graduationYear: s.graduationYear,
      program: s.program,
      specialtyInterests: s.specialtyInterests,
      declaredSpecialty: s.declaredSpecialty,
      months: byKey(s.months),
      supportMonths: byKey(s.supportMonths),
      interactions: s.interactions,
      studentInitiated: s.studentInitiated,
      lastContactMs: s.lastContactMs,
      faculty: sorted(s.pairs.keys())
    }
  })
  const faculty = byKey(state.faculty).map(([facultyId, f]) => ({
    facultyId,
    status: f.status,
    department: f.department,
    rank: f.rank,
    students: sorted(f.students.keys()),
    rotationSpecialties: byKey(f.rotationSpecialties)
  }))
  return { students, faculty, pairs }
}

const closeKeys = (a: number, b: number, tolerance: number): boolean => a === b || Math.abs(a - b) <= tolerance

/**
 * Whether two snapshots are equal: everything exactly, except log keys, which may differ
 * by `tolerance` (a difference d in a key is a relative difference of about d in strength).
 *
 * @since 0.1.0
 * @category operations
 */
export const equal = (a: Snapshot, b: Snapshot, tolerance = 1e-9): boolean => {
  const strip = (s: Snapshot) => ({
    ...s,
    pairs: s.pairs.map((p) => ({ ...p, key: 0, supportKey: 0 }))
  })
  if (JSON.stringify(strip(a)) !== JSON.stringify(strip(b))) return false
  return a.pairs.every((p, i) => {
    const q = b.pairs[i]
    return q !== undefined && closeKeys(p.key, q.key, tolerance) && closeKeys(p.supportKey, q.supportKey, tolerance)
  })
}
