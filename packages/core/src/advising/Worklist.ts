/**
 * The worklist: the students who need attention now, ranked, each with the reason in one
 * sentence, the suggested action and what lies behind it. For a dean, the whole school;
 * for an advisor, their caseload. The default view is the top of the list, not
 * everything (`defaultLimit`): a dean acts on a short list.
 *
 * Ranking: an open case first (a person asked for help), then the follow-ups by the
 * priority of their rule, overdue before due. Follow-ups dismissed, done or snoozed past
 * today are not counted. Until the follow-ups carry a priority of their own (issue #17),
 * the priorities come from `localRulePriorities` below; a follow-up's own `priority`, when
 * given, wins.
 *
 * This module reads no clock: `today` is an argument.
 *
 * @since 0.4.0
 */
import type { Case } from "./CaseFile.js"
import { isSensitive } from "./Roles.js"

/**
 * The local table of rule priorities (0–100, higher first), used while follow-ups carry
 * none of their own. Rules not named get `otherRulePriority`.
 *
 * @since 0.4.0
 * @category constants
 */
export const localRulePriorities: Readonly<Record<string, number>> = {
  "letter-readiness": 90,
  "letter-pipeline": 80,
  outreach: 70,
  "mentor-cadence": 60,
  "research-follow-through": 50,
  "stay-in-touch": 40,
  "early-office-hours": 30,
  "thank-you": 20
}

/**
 * @since 0.4.0
 * @category constants
 */
export const otherRulePriority = 10

/**
 * The length of the default view.
 *
 * @since 0.4.0
 * @category constants
 */
export const defaultLimit = 20

/**
 * An open follow-up as the read models hold it.
 *
 * @since 0.4.0
 * @category models
 */
export interface OpenFollowUp {
  readonly followUpId: string
  readonly ruleId: string
  readonly dueOn: string
  readonly sentence: string
  readonly facultyIds: ReadonlyArray<string>
  /** the follow-up's own priority, when the rules give one */
  readonly priority?: number | undefined
}

/**
 * One student's candidate row.
 *
 * @since 0.4.0
 * @category models
 */
export interface Candidate {
  readonly studentId: string
  readonly graduationYear: number | null
  readonly program: string | null
  /** advisors by role (only what the caller may see) */
  readonly advisors: Readonly<Record<string, string>>
  /** follow-ups still open and not set aside */
  readonly followUps: ReadonlyArray<OpenFollowUp>
  /** open cases the caller may see */
  readonly cases: ReadonlyArray<Pick<Case, "caseId" | "category" | "ownerRole" | "ownerId" | "raisedAt">>
}

/**
 * A row of the worklist.
 *
 * @since 0.4.0
 * @category models
 */
export interface Item {
  readonly studentId: string
  readonly graduationYear: number | null
  readonly program: string | null
  readonly advisors: Readonly<Record<string, string>>
  readonly rank: number
  readonly reason: string
  readonly suggestedAction: string
  /** what lies behind it: the follow-ups and cases, with ids to act on */
  readonly behind: {
    readonly followUps: ReadonlyArray<OpenFollowUp & { readonly overdue: boolean; readonly priority: number }>
    readonly cases: Candidate["cases"]
  }
}

/**
 * The priority of a follow-up.
 *
 * @since 0.4.0
 * @category operations
 */
export const priorityOf = (followUp: OpenFollowUp): number =>
  followUp.priority ?? localRulePriorities[followUp.ruleId] ?? otherRulePriority

const caseWeight = 1000
const overdueBonus = 15

const suggestionOf = (ruleId: string): string => {
  switch (ruleId) {
    case "letter-readiness":
      return "Meet the student about letters: who knows them well enough to write one?"
    case "letter-pipeline":
      return "Ask the letter writer where the letter stands."
    case "outreach":
      return "Reach out to the student: no meeting, visit, note or research with any faculty member in months."
    case "mentor-cadence":
      return "Schedule the mentoring meeting that is due."
    case "research-follow-through":
      return "Check in on the research role: has the student met their PI?"
    case "stay-in-touch":
      return "Suggest the student get back in touch with a faculty member they know well."
    case "early-office-hours":
      return "Encourage an early office-hours visit."
    case "thank-you":
      return "Remind the student to thank the faculty they worked with."
    default:
      return "Look at the follow-up and decide: act, snooze or dismiss it."
  }
}

/**
 * Builds one row, or nothing when there is nothing to do for the student.
 *
 * @since 0.4.0
 * @category constructors
 */
export const itemOf = (candidate: Candidate, today: string): Item | undefined => {
  const followUps = candidate.followUps
    .map((f) => ({ ...f, overdue: f.dueOn < today, priority: priorityOf(f) }))
    .sort(
      (a, b) =>
        b.priority + (b.overdue ? overdueBonus : 0) - (a.priority + (a.overdue ? overdueBonus : 0)) ||
        (a.dueOn < b.dueOn ? -1 : 1)
    )
  const cases = [...candidate.cases].sort((a, b) => (a.raisedAt < b.raisedAt ? -1 : 1))
  const top = followUps[0]
  const firstCase = cases[0]
  if (top === undefined && firstCase === undefined) return undefined
  const rank =
    (cases.length > 0 ? caseWeight + cases.length : 0) +
    (top === undefined ? 0 : top.priority + (top.overdue ? overdueBonus : 0))
  const reason =
    firstCase !== undefined
      ? `An open ${isSensitive(firstCase.category) ? "student-affairs" : firstCase.category} concern raised on ${firstCase.raisedAt.slice(0, 10)}${cases.length > 1 ? ` (and ${cases.length - 1} more)` : ""}${top === undefined ? "." : `; also: ${top.sentence}`}`
      : `${top?.sentence ?? ""}${top?.overdue === true ? ` (overdue since ${top.dueOn})` : ""}`
  const suggestedAction =
    firstCase !== undefined
      ? "Open the case, meet the student, add a note, and close it when handled."
      : suggestionOf(top?.ruleId ?? "")
  return {
    studentId: candidate.studentId,
    graduationYear: candidate.graduationYear,
    program: candidate.program,
    advisors: candidate.advisors,
    rank,
    reason,
    suggestedAction,
    behind: { followUps, cases }
  }
}

/**
 * Ranks candidates: highest rank first, then student id; at most `limit` rows.
 *
 * @since 0.4.0
 * @category operations
 */
export const rank = (
  candidates: ReadonlyArray<Candidate>,
  today: string,
  limit: number = defaultLimit
): { readonly items: ReadonlyArray<Item>; readonly total: number } => {
  const items = candidates
    .flatMap((c) => {
      const item = itemOf(c, today)
      return item === undefined ? [] : [item]
    })
    .sort((a, b) => b.rank - a.rank || (a.studentId < b.studentId ? -1 : a.studentId > b.studentId ? 1 : 0))
  return { items: items.slice(0, limit), total: items.length }
}
