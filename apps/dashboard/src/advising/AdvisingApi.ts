/**
 * The advising routes as the dashboard calls them: same-origin `fetch` with the session
 * cookie, and for every write the session's CSRF token in `x-csrf-token` (the server
 * refuses a cookie write without it). Answers are read as plain JSON shapes; the server's
 * OpenAPI document describes them.
 *
 * @since 0.4.0
 */
import { ApiError, isApiError } from "../api/Client.js"

const problemOf = async (response: Response): Promise<ApiError> => {
  let detail = ""
  let title = response.statusText
  try {
    const body: unknown = await response.json()
    if (typeof body === "object" && body !== null) {
      const d = Reflect.get(body, "detail")
      const t = Reflect.get(body, "title")
      if (typeof d === "string") detail = d
      if (typeof t === "string") title = t
    }
  } catch {
    // not JSON
  }
  return new ApiError({ status: response.status, title, detail, type: "advising" })
}

/**
 * GET an advising route.
 *
 * @since 0.4.0
 * @category requests
 */
export const read = async <A>(path: string): Promise<A> => {
  const response = await fetch(path, { credentials: "same-origin", headers: { accept: "application/json" } })
  if (!response.ok) throw await problemOf(response)
  const body: A = await response.json()
  return body
}

/**
 * POST or PUT an advising route with the session's CSRF token.
 *
 * @since 0.4.0
 * @category requests
 */
export const write = async <A>(csrfToken: string, path: string, body?: unknown, method = "POST"): Promise<A> => {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: {
      accept: "application/json",
      "x-csrf-token": csrfToken,
      ...(body === undefined ? {} : { "content-type": "application/json" })
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  if (!response.ok) throw await problemOf(response)
  const answer: A = await response.json()
  return answer
}

/**
 * @since 0.4.0
 * @category models
 */
export interface FollowUp {
  readonly followUpId: string
  readonly ruleId: string
  readonly dueOn: string
  readonly sentence: string
  readonly overdue: boolean
  readonly priority: number
}

/**
 * @since 0.4.0
 * @category models
 */
export interface CaseSummary {
  readonly caseId: string
  readonly category: string
  readonly ownerRole: string
  readonly ownerId: string | null
  readonly raisedAt: string
}

/**
 * @since 0.4.0
 * @category models
 */
export interface WorklistItem {
  readonly studentId: string
  readonly graduationYear: number | null
  readonly program: string | null
  readonly advisors: Readonly<Record<string, string>>
  readonly reason: string
  readonly suggestedAction: string
  readonly behind: { readonly followUps: ReadonlyArray<FollowUp>; readonly cases: ReadonlyArray<CaseSummary> }
}

/**
 * @since 0.4.0
 * @category models
 */
export interface Worklist {
  readonly today: string
  readonly total: number
  readonly items: ReadonlyArray<WorklistItem>
}

/**
 * @since 0.4.0
 * @category models
 */
export interface Note {
  readonly noteId: string
  readonly author: string
  readonly writtenAt: string
  readonly text: string
  readonly amendments: ReadonlyArray<{ readonly text: string; readonly at: string }>
}

/**
 * @since 0.4.0
 * @category models
 */
export interface CaseDetail extends CaseSummary {
  readonly state: "open" | "closed"
  readonly raisedBy: string
  readonly concernNote: string | null
  readonly notes: ReadonlyArray<Note>
}

/**
 * @since 0.4.0
 * @category models
 */
export interface RaisedConcern {
  readonly caseId: string
  readonly studentId: string
  readonly category: string
  readonly raisedAt: string
  readonly handled: boolean
  readonly handledAt: string | null
}

/**
 * @since 0.4.0
 * @category models
 */
export interface Me {
  readonly facultyId: string | null
  readonly studentAffairs: boolean
  readonly dean: boolean
  readonly caseload: Readonly<Record<string, ReadonlyArray<string>>> | null
}

/**
 * @since 0.4.0
 * @category models
 */
export interface Conflict {
  readonly studentId: string
  readonly facultyId: string
  readonly role: string
  readonly reason: string
}

/**
 * @since 0.4.0
 * @category models
 */
export interface Suggestion {
  readonly facultyId: string
  readonly reason: string
}

/**
 * The words for roles and categories.
 *
 * @since 0.4.0
 * @category constants
 */
export const roleLabels: Readonly<Record<string, string>> = {
  "academic-counselor": "Academic counselor",
  "career-advisor": "Career advisor",
  "research-mentor": "Research mentor",
  "student-affairs": "Student affairs"
}

/**
 * @since 0.4.0
 * @category constants
 */
export const categories: ReadonlyArray<readonly [string, string]> = [
  ["academic", "Academic"],
  ["attendance", "Attendance"],
  ["professionalism", "Professionalism"],
  ["career", "Career"],
  ["research", "Research"],
  ["wellbeing", "Wellbeing (student affairs only)"],
  ["health", "Health (student affairs only)"]
]

/**
 * What an advising request's failure says, in one sentence.
 *
 * @since 0.4.0
 * @category operations
 */
export const message = (error: unknown): string =>
  isApiError(error) ? error.detail || error.title : error instanceof Error ? error.message : String(error)
