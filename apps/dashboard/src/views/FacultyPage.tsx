/**
 * One faculty member: mentees by tier, load against peers, relationships with the
 * explanation of each, and letters; as of today or a past date.
 *
 * @since 0.1.0
 */
import type { Views } from "@rapport/analytics"
import { Link, useParams, useSearchParams } from "react-router"
import * as Client from "../api/Client.js"
import * as ViewUrls from "../api/ViewUrls.js"
import { useSignedIn } from "../api/SessionContext.js"
import { useResource } from "../api/useResource.js"
import * as CellFormat from "../lib/Cell.js"
import { Kpi, KpiGrid } from "../components/Kpi.js"
import { PageHeader } from "../components/PageHeader.js"
import { AsOfPicker, LettersTable, RelationshipsTable } from "../components/PersonParts.js"
import { AggregateOnly, ErrorState, Loading } from "../components/States.js"
import { formatDate, readable } from "../lib/Labels.js"

/**
 * @since 0.1.0
 * @category views
 */
export const FacultyPage = () => {
  const session = useSignedIn()
  if (!Client.seesIndividuals(session)) return <AggregateOnly what="individual faculty members" />
  return <FacultyDetail />
}

const FacultyDetail = () => {
  const { id = "" } = useParams()
  const [params, setParams] = useSearchParams()
  const asOf = params.get("asOf") ?? undefined
  const page = useResource<Views.FacultyPage>(ViewUrls.facultyMember(id, params))
  if (page.status === "loading") return <Loading what={`faculty member ${id}`} />
  if (page.status === "error")
    return (
      <>
        <p>
          <Link to="/faculty">← All faculty</Link>
        </p>
        <ErrorState error={page.error} retry={page.error.status === 404 ? undefined : page.reload} />
      </>
    )
  const f = page.data
  return (
    <div className={page.refreshing ? "refreshing" : undefined} aria-busy={page.refreshing}>
      <p className="breadcrumb">
        <Link to="/faculty">← All faculty</Link>
      </p>
      <PageHeader
        title={f.displayName ?? `Faculty ${f.facultyId}`}
        lead={`${f.department ?? "Department unknown"}${f.rank === null ? "" : ` · ${f.rank}`} · ${readable(f.status)}`}
        meta={f.meta}
        actions={
          <AsOfPicker
            key={asOf ?? "today"}
            asOf={asOf}
            onChange={(next) => setParams(next === undefined ? {} : { asOf: next })}
          />
        }
      />
      {asOf === undefined ? null : (
        <p className="notice" role="status">
          Shown as of the end of {formatDate(asOf)}.
        </p>
      )}
      <KpiGrid label="Summary">
        <Kpi label="Active mentoring relationships" cell={f.load.activeMentoringPairs} measure="count" />
        <Kpi
          label="Load compared with peers"
          explanation="Active mentoring pairs as a multiple of the peer median: the typical active faculty member's load, those with none included."
          cell={f.load.ratio}
          measure="ratio"
          context={
            f.load.peerMedian === null
              ? "no peers to compare (shown for today only)"
              : `${CellFormat.formatCell(f.load.activeMentoringPairs, "count")} pairs against a peer median of ${CellFormat.formatNumber(f.load.peerMedian, "decimal")}`
          }
        />
        <Kpi label="Advocate for" cell={f.mentees.advocate} measure="count" context="students" />
        <Kpi label="Strong relationships" cell={f.mentees.strong} measure="count" />
      </KpiGrid>
      <section className="section" aria-labelledby="relationships-title">
        <h2 id="relationships-title">Relationships with students</h2>
        <RelationshipsTable
          relationships={f.relationships}
          other="student"
          exportAs={`faculty-${f.facultyId}-relationships`}
        />
      </section>
      <section className="section" aria-labelledby="letters-title">
        <h2 id="letters-title">Letters</h2>
        <LettersTable letters={f.letters} exportAs={`faculty-${f.facultyId}-letters`} />
      </section>
    </div>
  )
}
