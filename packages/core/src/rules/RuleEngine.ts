/**
 * The follow-up engine: folds events into the state rules evaluate, and evaluates a list
 * of rules at an explicit `asOf`.
 *
 * The state is, per student, the set of the student's events keyed by event id, plus the
 * ids of retracted events and the students whose erasure was requested. Sets make the
 * fold order-independent (late and out-of-order events give the same state), idempotent
 * (an event folded twice counts once) and retraction-proof (a retraction removes an
 * event even when it arrives first). `asOf` is event time: evaluation sees the events that
 * occurred at or before it, including ones that arrived later.
 *
 * Follow-ups never fire for a student whose status as of `asOf` is withdrawn or
 * graduated, nor while on leave: a nudge to someone on leave does harm, and their
 * follow-ups come back (with the same ids and dates) on their return. A student with no
 * status event is treated as active. Erased students vanish entirely.
 *
 * This module must never read a clock and never mutate a state it was given: `fold`
 * copies what it changes (the map of students and the maps of the students it touches),
 * so fold events in batches; `make` gives an accumulator that owns its state and takes
 * one event at a time in O(1), for projectors.
 *
 * @since 0.1.0
 */
import type { EventType, RapportEvent } from "../Event.js"
import * as FollowUp from "../FollowUp.js"
import type { Rule, RuleContext } from "../Rule.js"
import { asOfInstant, contextStart } from "../internal/asOf.js"

/**
 * The engine's state.
 *
 * @since 0.1.0
 * @category models
 */
export interface State {
  readonly _tag: "FollowUpsState"
  /** Per student, their events by event id (retracted ones included until evaluation; erased students dropped). */
  readonly students: ReadonlyMap<string, ReadonlyMap<string, RapportEvent>>
  readonly retracted: ReadonlySet<string>
  readonly erased: ReadonlySet<string>
}

/**
 * The state before any event.
 *
 * @since 0.1.0
 * @category constructors
 */
export const empty: State = { _tag: "FollowUpsState", students: new Map(), retracted: new Set(), erased: new Set() }

/**
 * Whether a value is an engine state (rather than a list of events).
 *
 * @since 0.1.0
 * @category guards
 */
export const isState = (input: State | Iterable<RapportEvent>): input is State =>
  "_tag" in input && input._tag === "FollowUpsState"

/**
 * The student an event is about, or `undefined` for events about no one student.
 *
 * @since 0.1.0
 * @category operations
 */
export const studentIdOf = (event: RapportEvent): string | undefined => {
  switch (event.type) {
    case "FacultyJoined":
    case "FacultyLeft":
    case "EventRetracted":
      return undefined
    default:
      return event.data.studentId
  }
}

/**
 * Folds events into a state (by default the empty one). The result does not depend on
 * the order of the events, nor on how they are split into calls. The given state is never
 * changed: what the events touch is copied, so fold in batches — or use {@link make} for a
 * stream of single events.
 *
 * @since 0.1.0
 * @category folding
 */
export const fold = (events: Iterable<RapportEvent>, state: State = empty): State => {
  let students: Map<string, ReadonlyMap<string, RapportEvent>> | undefined
  const touched = new Map<string, Map<string, RapportEvent>>()
  let retracted: Set<string> | undefined
  let erased: Set<string> | undefined
  for (const event of events) {
    if (event.type === "EventRetracted") {
      retracted ??= new Set(state.retracted)
      retracted.add(event.data.eventId.toLowerCase())
      continue
    }
    const studentId = studentIdOf(event)
    if (studentId === undefined) continue
    if (event.type === "StudentErasureRequested") {
      erased ??= new Set(state.erased)
      erased.add(studentId)
      students ??= new Map(state.students)
      students.delete(studentId)
      touched.delete(studentId)
      continue
    }
    if ((erased ?? state.erased).has(studentId)) continue
    let own = touched.get(studentId)
    if (own === undefined) {
      students ??= new Map(state.students)
      own = new Map(students.get(studentId))
      students.set(studentId, own)
      touched.set(studentId, own)
    }
    own.set(event.id.toLowerCase(), event)
  }
  if (students === undefined && retracted === undefined && erased === undefined) return state
  return {
    _tag: "FollowUpsState",
    students: students ?? state.students,
    retracted: retracted ?? state.retracted,
    erased: erased ?? state.erased
  }
}

/**
 * A fold that keeps one state and changes it in place, one event at a time in O(1): for a
 * projector following a stream of events. Its `state` is the same object throughout and
 * gives the same evaluations as {@link fold} of the same events; read it, never write it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Accumulator {
  readonly state: State
  readonly apply: (event: RapportEvent) => void
  readonly applyAll: (events: Iterable<RapportEvent>) => State
}

/**
 * A new, empty accumulator.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): Accumulator => {
  const students = new Map<string, Map<string, RapportEvent>>()
  const retracted = new Set<string>()
  const erased = new Set<string>()
  const state: State = { _tag: "FollowUpsState", students, retracted, erased }
  const apply = (event: RapportEvent): void => {
    if (event.type === "EventRetracted") {
      retracted.add(event.data.eventId.toLowerCase())
      return
    }
    const studentId = studentIdOf(event)
    if (studentId === undefined) return
    if (event.type === "StudentErasureRequested") {
      erased.add(studentId)
      students.delete(studentId)
      return
    }
    if (erased.has(studentId)) return
    let own = students.get(studentId)
    if (own === undefined) {
      own = new Map()
      students.set(studentId, own)
    }
    own.set(event.id.toLowerCase(), event)
  }
  return {
    state,
    apply,
    applyAll: (events) => {
      for (const event of events) apply(event)
      return state
    }
  }
}

const byTime = (a: RapportEvent, b: RapportEvent): number =>
  a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0

const mayFire = (context: RuleContext, studentId: string): boolean => {
  const status = context.studentStatus(studentId)
  return status === undefined || status === "active"
}

interface Prepared {
  readonly rule: Rule
  readonly wanted: ReadonlySet<EventType>
}

const prepare = (rules: ReadonlyArray<Rule>): ReadonlyArray<Prepared> =>
  rules.map((rule) => ({ rule, wanted: new Set(rule.events) }))

const evaluateOne = (
  rules: ReadonlyArray<Prepared>,
  state: State,
  studentId: string,
  asOf: string,
  today: string,
  context: RuleContext,
  out: Map<string, FollowUp.FollowUp>
): void => {
  if (state.erased.has(studentId) || !mayFire(context, studentId)) return
  const own = state.students.get(studentId)
  if (own === undefined) return
  const visible: Array<RapportEvent> = []
  // `own` is keyed by the lower-cased id, as `retracted` is
  for (const [id, event] of own) {
    if (event.occurredAt <= asOf && !state.retracted.has(id)) visible.push(event)
  }
  visible.sort(byTime)
  const drafted: Map<string, FollowUp.FollowUp> = new Map()
  for (const { rule, wanted } of rules) {
    const events = visible.filter((event) => wanted.has(event.type))
    const policy = { priority: rule.priority, expiresAfterDays: rule.expiresAfterDays }
    for (const draft of rule.evaluate({ studentId, events, asOf, today, context })) {
      const followUp = FollowUp.fromDraft(rule.id, studentId, draft, today, policy)
      if (followUp !== undefined && !drafted.has(followUp.id)) drafted.set(followUp.id, followUp)
    }
  }
  for (const followUp of workable([...drafted.values()], context))
    if (!out.has(followUp.id)) out.set(followUp.id, followUp)
}

/**
 * One student's follow-ups as a person can work them: open ones naming a faculty member
 * who left are dropped, and of the open ones each student–faculty pair keeps only its
 * most important. Done and expired follow-ups are history and all stay.
 *
 * @since 0.3.0
 * @category operations
 */
export const workable = (
  followUps: ReadonlyArray<FollowUp.FollowUp>,
  context: Pick<RuleContext, "facultyHasLeft">
): ReadonlyArray<FollowUp.FollowUp> => {
  const hasLeft = context.facultyHasLeft
  const open = followUps
    .filter((f) => FollowUp.isOpen(f) && (hasLeft === undefined || !f.facultyIds.some(hasLeft)))
    .sort(FollowUp.compareImportance)
  const claimed = new Set<string>()
  const kept = new Set<string>()
  for (const followUp of open) {
    const key = (facultyId: string) => JSON.stringify([followUp.studentId, facultyId])
    if (followUp.facultyIds.some((facultyId) => claimed.has(key(facultyId)))) continue
    for (const facultyId of followUp.facultyIds) claimed.add(key(facultyId))
    kept.add(followUp.id)
  }
  return followUps.filter((f) => !FollowUp.isOpen(f) || kept.has(f.id))
}

/**
 * The `n` most important open follow-ups of each student, all of them in the order of
 * importance (`FollowUp.compareImportance`): what an advisor works through first.
 *
 * @since 0.3.0
 * @category operations
 */
export const topFew = (followUps: Iterable<FollowUp.FollowUp>, n = 3): ReadonlyArray<FollowUp.FollowUp> => {
  const byStudent = new Map<string, Array<FollowUp.FollowUp>>()
  for (const followUp of followUps) {
    if (!FollowUp.isOpen(followUp)) continue
    const list = byStudent.get(followUp.studentId) ?? []
    list.push(followUp)
    byStudent.set(followUp.studentId, list)
  }
  const out: Array<FollowUp.FollowUp> = []
  for (const list of byStudent.values()) out.push(...list.sort(FollowUp.compareImportance).slice(0, n))
  return out.sort(FollowUp.compareImportance)
}

/**
 * Evaluates rules over events (or a folded state) as of `asOf`: every open or done
 * follow-up of every student who may receive one, ordered by due date, then id.
 * `context` must describe the same `asOf` (see `RuleContext.make`).
 *
 * @throws InvalidAsOf when `asOf` is neither an instant nor a calendar date (see `AsOf`).
 * @since 0.1.0
 * @category evaluation
 */
export const evaluate = (
  rules: ReadonlyArray<Rule>,
  input: State | Iterable<RapportEvent>,
  asOf: string,
  context: RuleContext
): ReadonlyArray<FollowUp.FollowUp> => {
  const state = isState(input) ? input : fold(input)
  const instant = asOfInstant(asOf, contextStart(context))
  const today = context.dateOf(instant)
  const out = new Map<string, FollowUp.FollowUp>()
  const prepared = prepare(rules)
  for (const studentId of state.students.keys()) evaluateOne(prepared, state, studentId, instant, today, context, out)
  return [...out.values()].sort(FollowUp.compare)
}

/**
 * Evaluates rules for one student (a student's page), as {@link evaluate} would.
 *
 * @throws InvalidAsOf when `asOf` is neither an instant nor a calendar date (see `AsOf`).
 * @since 0.1.0
 * @category evaluation
 */
export const evaluateStudent = (
  rules: ReadonlyArray<Rule>,
  input: State | Iterable<RapportEvent>,
  studentId: string,
  asOf: string,
  context: RuleContext
): ReadonlyArray<FollowUp.FollowUp> => {
  const state = isState(input) ? input : fold(input)
  const instant = asOfInstant(asOf, contextStart(context))
  const out = new Map<string, FollowUp.FollowUp>()
  evaluateOne(prepare(rules), state, studentId, instant, context.dateOf(instant), context, out)
  return [...out.values()].sort(FollowUp.compare)
}

/**
 * Follow-ups by id: how a `NudgeSent`'s `followUpId` leads back to the people involved.
 *
 * @since 0.1.0
 * @category operations
 */
export const byId = (followUps: Iterable<FollowUp.FollowUp>): ReadonlyMap<string, FollowUp.FollowUp> => {
  const out = new Map<string, FollowUp.FollowUp>()
  for (const followUp of followUps) out.set(followUp.id, followUp)
  return out
}

/**
 * How many follow-ups of each rule are due, overdue, done and expired.
 *
 * @since 0.1.0
 * @category operations
 */
export const countByRule = (
  followUps: Iterable<FollowUp.FollowUp>
): ReadonlyMap<
  string,
  { readonly due: number; readonly overdue: number; readonly done: number; readonly expired: number }
> => {
  const out = new Map<string, { due: number; overdue: number; done: number; expired: number }>()
  for (const followUp of followUps) {
    let counts = out.get(followUp.ruleId)
    if (counts === undefined) {
      counts = { due: 0, overdue: 0, done: 0, expired: 0 }
      out.set(followUp.ruleId, counts)
    }
    counts[followUp.state] += 1
  }
  return out
}
