/**
 * The pieces a student's and a faculty member's page share: the relationships table with the
 * explanation of every score, the letters table, the follow-ups table, and the date picker
 * that shows a page as of a past date.
 *
 * @since 0.1.0
 */
import type { Views } from "@rapport/analytics"
import { useState, type FormEvent } from "react"
import { Link } from "react-router"
import { eventLabel, formatDate, formatInstant, readable, ruleLabel, today } from "../lib/Labels.js"
import type * as Table from "../lib/Table.js"
import { DataTable } from "./DataTable.js"
import { TierBadge } from "./TierBadge.js"

type Relationship = Views.Relationship
type Letter = Views.StudentPage["letters"][number]
type FollowUp = Views.FollowUpRow

const explanationText = (r: Relationship): string => {
  const top = r.explanation.topContributions
    .map((c) => `${eventLabel(c.type)} ${c.occurredAt.slice(0, 10)} (${c.points.toFixed(1)} pts, ${c.dimension})`)
    .join("; ")
  const missing = r.explanation.missingDimensions.join(", ")
  return `${r.explanation.sentence} ${top === "" ? "no contributions" : `top: ${top}`}${missing === "" ? "" : `; missing: ${missing}`}`
}

const Explanation = ({ relationship }: { readonly relationship: Relationship }) => {
  const { topContributions, missingDimensions } = relationship.explanation
  return (
    <details className="explanation">
      <summary>Why this score</summary>
      {topContributions.length === 0 ? (
        <p>No contact on record before this date.</p>
      ) : (
        <>
          <p>What contributed most (points of the score; they add up to it):</p>
          <ol>
            {topContributions.map((c) => (
              <li key={c.eventId}>
                {eventLabel(c.type)} on {formatInstant(c.occurredAt)}: <strong>{c.points.toFixed(1)}</strong> points (
                {c.dimension})
              </li>
            ))}
            {relationship.explanation.otherPoints > 0.05 ? (
              <li>Everything else: {relationship.explanation.otherPoints.toFixed(1)} points</li>
            ) : null}
          </ol>
        </>
      )}
      <p>{relationship.explanation.sentence}</p>
      <p>
        Dimensions touched:{" "}
        {relationship.dimensions
          .filter((d) => d.touched)
          .map((d) => d.dimension)
          .join(", ") || "none"}
        {missingDimensions.length > 0 ? `. Not yet: ${missingDimensions.join(", ")}.` : "."}
      </p>
    </details>
  )
}

/**
 * @since 0.1.0
 * @category components
 */
export const RelationshipsTable = ({
  relationships,
  other,
  exportAs
}: {
  readonly relationships: ReadonlyArray<Relationship>
  readonly other: "faculty" | "student"
  readonly exportAs: string
}) => {
  const columns: ReadonlyArray<Table.Column<Relationship>> = [
    other === "faculty"
      ? {
          id: "faculty",
          header: "Faculty member",
          csv: (r) => r.facultyId,
          show: (r) => (
            <Link to={`/faculty/${encodeURIComponent(r.facultyId)}`}>
              {r.displayName === null ? r.facultyId : `${r.displayName} (${r.facultyId})`}
            </Link>
          )
        }
      : {
          id: "student",
          header: "Student",
          csv: (r) => r.studentId,
          show: (r) => (
            <Link to={`/students/${encodeURIComponent(r.studentId)}`}>
              {r.displayName === null ? r.studentId : `${r.displayName} (${r.studentId})`}
            </Link>
          )
        },
    { id: "department", header: "Department", csv: (r) => r.department ?? "" },
    {
      id: "score",
      header: "Score (0–100)",
      numeric: true,
      csv: (r) => Math.round(r.score),
      show: (r) => (
        <span className="score">
          <span className="score-bar" aria-hidden="true">
            <span style={{ width: `${Math.max(0, Math.min(100, r.score))}%` }} />
          </span>
          {Math.round(r.score)}
        </span>
      )
    },
    { id: "tier", header: "Tier", csv: (r) => r.tier, show: (r) => <TierBadge tier={r.tier} /> },
    {
      id: "lastContact",
      header: "Last contact",
      csv: (r) => r.explanation.lastContactAt ?? "",
      show: (r) => formatInstant(r.explanation.lastContactAt)
    },
    { id: "explanation", header: "Explanation", csv: explanationText, show: (r) => <Explanation relationship={r} /> }
  ]
  return (
    <DataTable
      caption="Relationships, strongest first"
      columns={columns}
      rows={relationships}
      rowKey={(r) => `${r.studentId}|${r.facultyId}`}
      exportAs={exportAs}
      clientSort
      initialRows={12}
      empty="No relationships on record at this date."
    />
  )
}

/**
 * @since 0.1.0
 * @category components
 */
export const LettersTable = ({
  letters,
  exportAs
}: {
  readonly letters: ReadonlyArray<Letter>
  readonly exportAs: string
}) => {
  const columns: ReadonlyArray<Table.Column<Letter>> = [
    { id: "letterId", header: "Letter", csv: (l) => l.letterId },
    {
      id: "facultyId",
      header: "Writer",
      csv: (l) => l.facultyId,
      show: (l) => <Link to={`/faculty/${encodeURIComponent(l.facultyId)}`}>{l.facultyId}</Link>
    },
    { id: "cycle", header: "Cycle", csv: (l) => l.cycle },
    { id: "specialty", header: "Specialty", csv: (l) => l.specialty ?? "" },
    {
      id: "state",
      header: "State",
      csv: (l) => l.state,
      show: (l) => <span className={`flag ${l.state}`}>{readable(l.state)}</span>
    },
    { id: "requestedAt", header: "Requested", csv: (l) => l.requestedAt ?? "", show: (l) => dateOrDash(l.requestedAt) },
    { id: "committedAt", header: "Committed", csv: (l) => l.committedAt ?? "", show: (l) => dateOrDash(l.committedAt) },
    { id: "submittedAt", header: "Submitted", csv: (l) => l.submittedAt ?? "", show: (l) => dateOrDash(l.submittedAt) }
  ]
  return (
    <DataTable
      caption="Letters of recommendation"
      columns={columns}
      rows={letters}
      rowKey={(l) => l.letterId}
      exportAs={exportAs}
      clientSort
      empty="No letters requested yet."
    />
  )
}

const dateOrDash = (instant: string | null) => (instant === null ? "—" : formatDate(instant))

/**
 * @since 0.1.0
 * @category components
 */
export const followUpColumns = (withStudent: boolean): ReadonlyArray<Table.Column<FollowUp>> => [
  ...(withStudent
    ? [
        {
          id: "studentId",
          header: "Student",
          csv: (f: FollowUp) => f.studentId,
          show: (f: FollowUp) => <Link to={`/students/${encodeURIComponent(f.studentId)}`}>{f.studentId}</Link>
        }
      ]
    : []),
  { id: "rule", header: "Rule", csv: (f) => f.ruleId, show: (f) => ruleLabel(f.ruleId) },
  { id: "priority", header: "Priority", csv: (f) => String(f.priority) },
  {
    id: "state",
    header: "State",
    csv: (f) => f.state,
    show: (f) => <span className={`flag ${f.state}`}>{readable(f.state)}</span>
  },
  { id: "dueOn", header: "Due", csv: (f) => f.dueOn, show: (f) => formatDate(f.dueOn) },
  { id: "faculty", header: "Faculty", csv: (f) => f.facultyIds.join(" ") },
  { id: "sentence", header: "What to do", csv: (f) => f.sentence }
]

/**
 * The date picker: a past date, or today. The date is the end of that day in the school's
 * time zone, folding every event that occurred before it (including ones recorded later).
 *
 * @since 0.1.0
 * @category components
 */
export const AsOfPicker = ({
  asOf,
  onChange
}: {
  readonly asOf: string | undefined
  readonly onChange: (asOf: string | undefined) => void
}) => {
  const [value, setValue] = useState(asOf ?? "")
  const max = today(new Date())
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    onChange(value === "" ? undefined : value)
  }
  return (
    <form className="as-of-picker" onSubmit={submit} aria-label="Show this page as of a past date">
      <label htmlFor="as-of-date">Show as of</label>
      <input id="as-of-date" type="date" value={value} max={max} onChange={(e) => setValue(e.target.value)} />
      <button type="submit" className="button secondary">
        Show
      </button>
      {asOf === undefined ? null : (
        <button
          type="button"
          className="button link"
          onClick={() => {
            setValue("")
            onChange(undefined)
          }}
        >
          Back to today
        </button>
      )}
    </form>
  )
}
