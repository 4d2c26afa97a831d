/**
 * One student: their relationships with the score, tier and explanation of each, the
 * timeline of contact, follow-ups and letters; as of today or any past date. Opening this
 * page is audited under the signed-in key's name (the server records it).
 *
 * @since 0.1.0
 */
import type { Views } from "@rapport/analytics"
import { Link, useParams, useSearchParams } from "react-router"
import * as Client from "../api/Client.js"
import * as ViewUrls from "../api/ViewUrls.js"
import { useSignedIn } from "../api/SessionContext.js"
import { useResource } from "../api/useResource.js"
import { DataTable } from "../components/DataTable.js"
import { Kpi, KpiGrid } from "../components/Kpi.js"
import { PageHeader } from "../components/PageHeader.js"
import { PagedTimeline } from "../components/PagedTimeline.js"
import { AsOfPicker, LettersTable, RelationshipsTable, followUpColumns } from "../components/PersonParts.js"
import { AggregateOnly, ErrorState, Loading } from "../components/States.js"
import { formatDate, readable } from "../lib/Labels.js"

/**
 * @since 0.1.0
 * @category views
 */
export const StudentPage = () => {
  const session = useSignedIn()
  if (!Client.seesIndividuals(session)) return <AggregateOnly what="individual students" />
  return <StudentDetail />
}

const StudentDetail = () => {
  const { id = "" } = useParams()
  const [params, setParams] = useSearchParams()
  const asOf = params.get("asOf") ?? undefined
  const url = ViewUrls.student(id, params)
  const page = useResource<Views.StudentPage>(url)

  const picker = (
    <AsOfPicker
      key={asOf ?? "today"}
      asOf={asOf}
      onChange={(next) => setParams(next === undefined ? {} : { asOf: next })}
    />
  )
  if (page.status === "loading") return <Loading what={`student ${id}`} />
  if (page.status === "error")
    return (
      <>
        <p>
          <Link to="/students">← All students</Link>
        </p>
        {/* a page has its heading even when the student cannot be shown (a11y: one <h1> per view) */}
        <PageHeader title={`Student ${id}`} lead="This student's page could not be shown." />
        <ErrorState error={page.error} retry={page.error.status === 404 ? undefined : page.reload} />
      </>
    )
  const s = page.data
  const developing =
    s.summary.relationships.developing + s.summary.relationships.strong + s.summary.relationships.advocate
  // What needs doing first: open ones, the most important first; then done, then expired,
  // the most recent first.
  const stateOrder = { overdue: 0, due: 0, done: 1, expired: 2 } as const
  const followUps = [...s.followUps].sort(
    (a, b) =>
      stateOrder[a.state] - stateOrder[b.state] ||
      (stateOrder[a.state] === 0 ? a.priority - b.priority || a.dueOn.localeCompare(b.dueOn) : 0) ||
      b.dueOn.localeCompare(a.dueOn)
  )

  return (
    <div className={page.refreshing ? "refreshing" : undefined} aria-busy={page.refreshing}>
      <p className="breadcrumb">
        <Link to="/students">← All students</Link>
      </p>
      <PageHeader
        title={s.displayName === null ? `Student ${s.studentId}` : `${s.displayName}`}
        lead={
          <>
            {s.displayName === null ? null : <>Id {s.studentId} · </>}
            {s.graduationYear === null ? "Graduation year unknown" : `Class of ${s.graduationYear}`}
            {s.program === null ? "" : ` · ${s.program}`} · {readable(s.status)}
            {s.specialty === null
              ? s.specialtyInterests.length > 0
                ? ` · interested in ${s.specialtyInterests.join(", ")}`
                : ""
              : ` · ${s.specialty}`}
          </>
        }
        meta={s.meta}
        actions={picker}
      />
      {asOf === undefined ? null : (
        <p className="notice" role="status">
          Shown as of the end of {formatDate(asOf)}: every event that happened before then, including those recorded
          later.
        </p>
      )}
      <KpiGrid label="Summary">
        <Kpi
          label="Developing or better relationships"
          cell={developing}
          measure="count"
          context={`${s.summary.relationships.acquainted} more acquainted`}
          tone={s.summary.isolated ? "attention" : "good"}
        />
        <Kpi
          label="Advocates (could write a strong letter)"
          cell={s.summary.advocatesInSpecialty + s.summary.advocatesOutOfSpecialty}
          measure="count"
          context={`${s.summary.advocatesInSpecialty} in the chosen specialty`}
        />
        <Kpi label="Departments reached" cell={s.summary.departmentsReached} measure="count" />
        <Kpi
          label="Contact the student started"
          cell={s.summary.proactivity}
          measure="share"
          context={
            s.summary.proactivity === null ? "no contact yet" : "of the contact they chose was started by the student"
          }
        />
        <Kpi
          label="Days since last chosen contact (meetings, office hours, notes, letters, research)"
          cell={s.summary.daysSinceLastContact}
          measure="count"
          context={
            s.summary.stage === "new"
              ? "New student (first semester): not judged isolated yet."
              : s.summary.isolated
                ? "Isolated: hardly any contact they chose (meetings, office hours, notes, research). A good moment to reach out."
                : undefined
          }
        />
      </KpiGrid>
      <section className="section" aria-labelledby="relationships-title">
        <h2 id="relationships-title">Relationships</h2>
        <RelationshipsTable
          relationships={s.relationships}
          other="faculty"
          exportAs={`student-${s.studentId}-relationships`}
        />
      </section>
      <section className="section" aria-labelledby="follow-ups-title">
        <h2 id="follow-ups-title">Follow-ups</h2>
        <DataTable
          caption="Follow-ups for this student"
          columns={followUpColumns(false)}
          rows={followUps}
          rowKey={(f) => f.id}
          exportAs={`student-${s.studentId}-follow-ups`}
          clientSort
          initialRows={8}
          empty="No follow-ups at this date."
        />
      </section>
      <section className="section" aria-labelledby="letters-title">
        <h2 id="letters-title">Letters</h2>
        <LettersTable letters={s.letters} exportAs={`student-${s.studentId}-letters`} />
      </section>
      <section className="section" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        {/* a fresh list of pages for each date (and each answer of the first page) */}
        <PagedTimeline key={`${url}|${s.meta.position}`} first={s} url={url} studentId={s.studentId} />
      </section>
    </div>
  )
}
