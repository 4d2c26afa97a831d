/**
 * A student's timeline a page at a time: `timelineLimit` entries after `timelineCursor`,
 * in the page's order (latest first, then by event id). The cursor names the last entry
 * shown (its instant and event id), not a count, so that an event arriving between two
 * pages neither repeats an entry nor skips one. Without a limit the whole timeline is
 * answered, as before paging existed.
 *
 * It must never fold anything: it slices a page already folded.
 *
 * @since 0.4.0
 */
import { InvalidInput } from "./ReadError.js"
import type * as Views from "./Views.js"

type Entry = Views.StudentPage["timeline"][number]

/**
 * @since 0.4.0
 * @category models
 */
export interface TimelineRequest {
  readonly limit?: number | undefined
  readonly cursor?: string | undefined
}

/** Whether `a` comes before `b` on the page: later first, then by event id (PersonFold's order). */
const precedes = (a: { occurredAt: string; eventId: string }, b: { occurredAt: string; eventId: string }): boolean =>
  a.occurredAt > b.occurredAt || (a.occurredAt === b.occurredAt && a.eventId < b.eventId)

/**
 * The cursor after an entry.
 *
 * @since 0.4.0
 * @category constructors
 */
export const cursorAfter = (entry: Entry): string =>
  Buffer.from(JSON.stringify([entry.occurredAt, entry.eventId])).toString("base64url")

const readCursor = (cursor: string): { occurredAt: string; eventId: string } | undefined => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"))
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === "string" && typeof parsed[1] === "string")
      return { occurredAt: parsed[0], eventId: parsed[1] }
  } catch {
    // not one of ours
  }
  return undefined
}

/**
 * The page with its timeline cut to the request, and `timelinePage` saying how many
 * entries there are in all and where the next page starts.
 *
 * @since 0.4.0
 * @category operations
 */
export const page = (studentPage: Views.StudentPage, request: TimelineRequest): Views.StudentPage | InvalidInput => {
  const all = studentPage.timeline
  let from = 0
  if (request.cursor !== undefined) {
    const after = readCursor(request.cursor)
    if (after === undefined)
      return new InvalidInput({
        path: ["query", "timelineCursor"],
        detail: "Expected the timelinePage.nextCursor of an earlier answer."
      })
    from = all.findIndex((entry) => precedes(after, entry))
    if (from < 0) from = all.length
  }
  const limit = request.limit ?? all.length
  const shown = all.slice(from, from + limit)
  const last = shown.at(-1)
  return {
    ...studentPage,
    timeline: shown,
    timelinePage: {
      total: all.length,
      nextCursor: from + limit < all.length && last !== undefined ? cursorAfter(last) : null
    }
  }
}
