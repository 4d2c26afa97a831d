/**
 * A student's timeline, a page at a time: the page the student's view loaded holds the
 * newest entries (`ViewUrls.timelinePageSize`); "Show more" asks the server for the next page
 * (`timelineCursor`) and adds it below, so that a student with thousands of events costs a
 * few kilobytes until someone wants to read further back.
 *
 * It must never show an entry twice, nor an entry of another date (`asOf`) than the page's.
 *
 * @since 0.4.0
 */
import type { Views } from "@rapport/analytics"
import { useState } from "react"
import * as Client from "../api/Client.js"
import { eventLabel, formatInstant } from "../lib/Labels.js"
import type * as Table from "../lib/Table.js"
import { DataTable } from "./DataTable.js"

type Entry = Views.StudentPage["timeline"][number]

const timelineColumns: ReadonlyArray<Table.Column<Entry>> = [
  { id: "occurredAt", header: "When", csv: (e) => e.occurredAt, show: (e) => formatInstant(e.occurredAt) },
  { id: "type", header: "What", csv: (e) => e.type, show: (e) => eventLabel(e.type) },
  { id: "summary", header: "Details", csv: (e) => e.summary },
  { id: "faculty", header: "Faculty", csv: (e) => e.facultyIds.join(" ") },
  { id: "source", header: "Recorded by", csv: (e) => e.source ?? "" }
]

/**
 * @since 0.4.0
 * @category components
 */
export const PagedTimeline = ({
  first,
  url,
  studentId
}: {
  /** the student's page as loaded */
  readonly first: Views.StudentPage
  /** the URL `first` was loaded from (its `asOf` and page size) */
  readonly url: string
  readonly studentId: string
}) => {
  const [more, setMore] = useState<ReadonlyArray<Entry>>([])
  const [cursor, setCursor] = useState(first.timelinePage.nextCursor)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const rows = [...first.timeline, ...more]
  const total = first.timelinePage.total
  const showMore = async () => {
    if (cursor === null) return
    setLoading(true)
    setError(null)
    try {
      const next = await Client.getJson<Views.StudentPage>(
        `${url}${url.includes("?") ? "&" : "?"}timelineCursor=${encodeURIComponent(cursor)}`
      )
      setMore((shown) => [...shown, ...next.timeline])
      setCursor(next.timelinePage.nextCursor)
    } catch (cause) {
      setError(Client.isApiError(cause) ? cause.detail : "The next events could not be loaded.")
    } finally {
      setLoading(false)
    }
  }
  return (
    <>
      <DataTable
        caption={`Contact with faculty, newest first (${rows.length === total ? total : `${rows.length} of ${total}`} events)`}
        columns={timelineColumns}
        rows={rows}
        rowKey={(e) => e.eventId}
        exportAs={`student-${studentId}-timeline`}
        empty="No events before this date."
      />
      {cursor === null ? null : (
        <button
          type="button"
          className="button secondary show-all"
          onClick={showMore}
          disabled={loading}
          aria-busy={loading}
        >
          {loading ? "Loading…" : `Show more (${total - rows.length} earlier events)`}
        </button>
      )}
      {error === null ? null : (
        <p role="alert" className="note">
          {error}
        </p>
      )}
    </>
  )
}
