/**
 * A follow-up: one thing a student should do about one relationship ("thank faculty
 * f-204 for the cardiology rotation"), produced by a rule at an explicit `asOf`.
 *
 * A follow-up has a stable id derived from the rule, the people and the thing it is
 * about — never from `asOf` — so that the same follow-up keeps its id while it moves from
 * due to overdue to done, and so that a `NudgeSent` can name it. Its state is decided here
 * and only here, from its dates and whether the matching event was seen:
 *
 * - `done` when the event that settles it occurred (whenever it arrived);
 * - `overdue` when the school's calendar day of `asOf` is past `dueOn`;
 * - `due` otherwise.
 *
 * This module must never read a clock: "today" is always an argument.
 *
 * @since 0.1.0
 */

/**
 * Where a follow-up stands as of the day it was evaluated.
 *
 * @since 0.1.0
 * @category models
 */
export type State = "due" | "overdue" | "done"

/**
 * A follow-up as rules report it.
 *
 * - `id`: stable across `asOf`, see {@link makeId};
 * - `ruleId`: the rule that produced it;
 * - `state`: due, overdue or done;
 * - `opensOn`: the calendar day (school time zone) from which it is shown;
 * - `dueOn`: the calendar day by which it should be done;
 * - `doneOn`: the calendar day on which the event that settled it occurred, when done;
 * - `studentId`, `facultyIds`: the people involved (no faculty for follow-ups about the
 *   student alone, such as letter readiness);
 * - `subject`: what it is about (a rotation, course, letter or project id, a Match cycle,
 *   a mentoring program);
 * - `sentence`: what to do, in words a person can read.
 *
 * @since 0.1.0
 * @category models
 */
export interface FollowUp {
  readonly id: string
  readonly ruleId: string
  readonly state: State
  readonly opensOn: string
  readonly dueOn: string
  readonly doneOn?: string
  readonly studentId: string
  readonly facultyIds: ReadonlyArray<string>
  readonly subject: string
  readonly sentence: string
}

/**
 * What a rule returns for one follow-up; the engine adds the id, the rule, the student
 * and the state.
 *
 * - `occasion` tells apart follow-ups of one rule about the same people and subject (the
 *   two steps of a letter, the successive gaps of a mentoring cadence);
 * - `doneOn` is the day the settling event occurred; it is set only from an event the
 *   rule was given, so it never lies in the future of `asOf`. A follow-up settled
 *   before it opened was never needed and is not reported;
 * - `done` marks a follow-up settled by a state rather than one event (letter readiness
 *   reached), which has no single day to name.
 *
 * @since 0.1.0
 * @category models
 */
export interface Draft {
  readonly facultyIds: ReadonlyArray<string>
  readonly subject: string
  readonly occasion?: string | undefined
  readonly opensOn: string
  readonly dueOn: string
  readonly doneOn?: string | undefined
  readonly done?: boolean | undefined
  readonly sentence: string
}

/**
 * What a follow-up id is derived from.
 *
 * @since 0.1.0
 * @category models
 */
export interface Identity {
  readonly ruleId: string
  readonly studentId: string
  readonly facultyIds: ReadonlyArray<string>
  readonly subject: string
  readonly occasion?: string | undefined
}

// cyrb53 (public domain): a fast 53-bit string hash built on Math.imul, identical on
// every JavaScript engine. Two seeds give 106 bits, enough that two follow-ups of one
// school never collide in practice.
const cyrb53 = (text: string, seed: number): number => {
  let h1 = 0xdeadbeef ^ seed
  let h2 = 0x41c6ce57 ^ seed
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ code, 2654435761)
    h2 = Math.imul(h2 ^ code, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507)
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507)
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

const hex53 = (value: number): string => value.toString(16).padStart(14, "0")

/**
 * The stable id of a follow-up: `<ruleId>~<28 hex digits>`, the digits a hash of the rule,
 * the student, the faculty (in any order), the subject and the occasion. It never depends
 * on `asOf`, the state or the dates.
 *
 * Why a hash and not the ids spelled out: a `NudgeSent` carries the id as an opaque id of
 * at most 128 characters, which two 128-character person ids could not fit in, and a
 * follow-up id then travels to messaging systems without a student id in clear text. The
 * hash is a pseudonym, not a secret: whoever knows the ids can recompute it. To go from
 * an id back to the people, keep the follow-ups by id (see `RuleEngine.byId`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeId = (identity: Identity): string => {
  const facultyIds = [...identity.facultyIds].sort()
  const key = JSON.stringify([
    identity.ruleId,
    identity.studentId,
    facultyIds,
    identity.subject,
    identity.occasion ?? ""
  ])
  return `${identity.ruleId}~${hex53(cyrb53(key, 0x52415050))}${hex53(cyrb53(key, 0x4f525421))}`
}

/**
 * The rule id at the front of a follow-up id made by {@link makeId}, or `undefined` when
 * the text is not such an id.
 *
 * @since 0.1.0
 * @category operations
 */
export const ruleIdOf = (id: string): string | undefined => {
  const match = /^([a-z0-9]+(?:-[a-z0-9]+)*)~[0-9a-f]{28}$/.exec(id)
  return match?.[1]
}

/**
 * The state of a follow-up on calendar day `today`: done when settled, overdue when
 * `today` is past `dueOn`, due otherwise.
 *
 * @since 0.1.0
 * @category operations
 */
export const stateOn = (dueOn: string, done: boolean, today: string): State =>
  done ? "done" : today > dueOn ? "overdue" : "due"

/**
 * Turns a rule's draft into a follow-up as of calendar day `today`, or `undefined` when
 * the follow-up has not opened yet (`today` before `opensOn`) or was settled before it
 * opened (`doneOn` before `opensOn`: it was never needed).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromDraft = (ruleId: string, studentId: string, draft: Draft, today: string): FollowUp | undefined => {
  if (today < draft.opensOn) return undefined
  if (draft.doneOn !== undefined && draft.doneOn < draft.opensOn) return undefined
  const facultyIds = [...new Set(draft.facultyIds)].sort()
  const id = makeId({ ruleId, studentId, facultyIds, subject: draft.subject, occasion: draft.occasion })
  const base = {
    id,
    ruleId,
    state: stateOn(draft.dueOn, draft.done === true || draft.doneOn !== undefined, today),
    opensOn: draft.opensOn,
    dueOn: draft.dueOn,
    studentId,
    facultyIds,
    subject: draft.subject,
    sentence: draft.sentence
  }
  return draft.doneOn === undefined ? base : { ...base, doneOn: draft.doneOn }
}

/**
 * The order in which follow-ups are listed: by due date, then id, so that any two
 * evaluations of the same events list them identically.
 *
 * @since 0.1.0
 * @category ordering
 */
export const compare = (a: FollowUp, b: FollowUp): number =>
  a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/**
 * Whether a follow-up still asks for something (due or overdue).
 *
 * @since 0.1.0
 * @category guards
 */
export const isOpen = (followUp: FollowUp): boolean => followUp.state !== "done"
