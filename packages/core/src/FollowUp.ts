/**
 * A follow-up: one thing a student should do about one relationship ("thank faculty
 * f-204 for the cardiology rotation"), produced by a rule at an explicit `asOf`.
 *
 * A follow-up has a stable id derived from the rule, the people and the thing it is
 * about — never from `asOf` — so that the same follow-up keeps its id while it moves from
 * due to overdue to done, and so that a `NudgeSent` can name it. Its state is decided here
 * and only here, from its dates and whether the matching event was seen:
 *
 * - `done` when the event that settles it occurred (whenever it arrived) by `expiresOn`;
 * - `expired` when the school's calendar day of `asOf` is past `expiresOn` and it was not
 *   done by then: the moment has passed, and it is no longer asked of anyone;
 * - `overdue` when the school's calendar day of `asOf` is past `dueOn`;
 * - `due` otherwise.
 *
 * This module must never read a clock: "today" is always an argument.
 *
 * @since 0.1.0
 */
import { dayOfDate, formatDay } from "./Calendar.js"

/**
 * Where a follow-up stands as of the day it was evaluated.
 *
 * @since 0.1.0
 * @category models
 */
export type State = "due" | "overdue" | "done" | "expired"

/**
 * The priority of a rule that does not state one (1 is the most important).
 *
 * @since 0.3.0
 * @category constants
 */
export const defaultPriority = 50

/**
 * Days past `dueOn` after which a follow-up of a rule that does not state it expires.
 *
 * @since 0.3.0
 * @category constants
 */
export const defaultExpiresAfterDays = 60

/**
 * A follow-up as rules report it.
 *
 * - `id`: stable across `asOf`, see {@link makeId};
 * - `ruleId`: the rule that produced it;
 * - `state`: due, overdue, done or expired;
 * - `opensOn`: the calendar day (school time zone) from which it is shown;
 * - `dueOn`: the calendar day by which it should be done;
 * - `expiresOn`: the last calendar day on which it is still asked for (added in 0.3.0);
 * - `priority`: its rule's priority, 1 the most important (added in 0.3.0);
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
  readonly expiresOn: string
  readonly priority: number
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
 *   reached), which has no single day to name;
 * - `expiresOn` overrides the rule's expiry (`dueOn` plus its `expiresAfterDays`) for
 *   follow-ups whose moment ends with a date of their own (a letter season's review date).
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
  readonly expiresOn?: string | undefined
  readonly sentence: string
}

/**
 * What the engine adds to a rule's drafts: the rule's priority and expiry.
 *
 * @since 0.3.0
 * @category models
 */
export interface Policy {
  readonly priority: number
  readonly expiresAfterDays: number
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
 * The state of a follow-up on calendar day `today`: done when settled, expired when
 * `today` is past `expiresOn` (when given), overdue when `today` is past `dueOn`, due
 * otherwise.
 *
 * @since 0.1.0
 * @category operations
 */
export const stateOn = (dueOn: string, done: boolean, today: string, expiresOn?: string): State =>
  done ? "done" : expiresOn !== undefined && today > expiresOn ? "expired" : today > dueOn ? "overdue" : "due"

/**
 * A follow-up's state again on calendar day `today` (a later day than it was evaluated on,
 * with no new events): due becomes overdue, then expired; done and expired stay. Settling
 * twice is settling once, and an expired follow-up stays expired on every later day.
 *
 * @since 0.3.0
 * @category operations
 */
export const settle = (followUp: FollowUp, today: string): FollowUp => {
  if (followUp.state === "done" || followUp.state === "expired") return followUp
  const state = stateOn(followUp.dueOn, false, today, followUp.expiresOn)
  return state === followUp.state ? followUp : { ...followUp, state }
}

const addDaysTo = (date: string, days: number): string => formatDay(dayOfDate(date) + days)

/**
 * Turns a rule's draft into a follow-up as of calendar day `today`, or `undefined` when
 * the follow-up has not opened yet (`today` before `opensOn`) or was settled before it
 * opened (`doneOn` before `opensOn`: it was never needed).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromDraft = (
  ruleId: string,
  studentId: string,
  draft: Draft,
  today: string,
  policy: Policy = { priority: defaultPriority, expiresAfterDays: defaultExpiresAfterDays }
): FollowUp | undefined => {
  if (today < draft.opensOn) return undefined
  if (draft.doneOn !== undefined && draft.doneOn < draft.opensOn) return undefined
  const facultyIds = [...new Set(draft.facultyIds)].sort()
  const id = makeId({ ruleId, studentId, facultyIds, subject: draft.subject, occasion: draft.occasion })
  const expiresOn = draft.expiresOn ?? addDaysTo(draft.dueOn, policy.expiresAfterDays)
  // Settled after it expired is not done: the moment had passed (a thank-you note months
  // late, letters lined up after programs started reviewing).
  const done = draft.doneOn !== undefined ? draft.doneOn <= expiresOn : draft.done === true
  const base = {
    id,
    ruleId,
    state: stateOn(draft.dueOn, done, today, expiresOn),
    opensOn: draft.opensOn,
    dueOn: draft.dueOn,
    expiresOn,
    priority: policy.priority,
    studentId,
    facultyIds,
    subject: draft.subject,
    sentence: draft.sentence
  }
  return draft.doneOn === undefined || !done ? base : { ...base, doneOn: draft.doneOn }
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
 * The order of importance: open follow-ups first, then by priority (1 first), due date and
 * id. The first of a student's follow-ups in this order is the one to act on.
 *
 * @since 0.3.0
 * @category ordering
 */
export const compareImportance = (a: FollowUp, b: FollowUp): number => {
  const openA = isOpen(a)
  const openB = isOpen(b)
  if (openA !== openB) return openA ? -1 : 1
  if (a.priority !== b.priority) return a.priority - b.priority
  return compare(a, b)
}

/**
 * What a list of follow-ups opens on: those due in the last `pastDays` days or the next
 * `aheadDays` (newly due or coming due). Older open ones are still open, and shown on
 * request; a person works from what is current.
 *
 * @since 0.3.0
 * @category constants
 */
export const currentWindow = { pastDays: 30, aheadDays: 14 } as const

/**
 * Whether an open follow-up is current on calendar day `today` (see {@link currentWindow}).
 *
 * @since 0.3.0
 * @category guards
 */
export const isCurrent = (followUp: FollowUp, today: string): boolean => {
  if (!isOpen(followUp)) return false
  const days = dayOfDate(followUp.dueOn) - dayOfDate(today)
  return days >= -currentWindow.pastDays && days <= currentWindow.aheadDays
}

/**
 * Whether a follow-up still asks for something (due or overdue; never done or expired).
 *
 * @since 0.1.0
 * @category guards
 */
export const isOpen = (followUp: FollowUp): boolean => followUp.state === "due" || followUp.state === "overdue"
