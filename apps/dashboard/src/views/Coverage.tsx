/**
 * Data coverage: what each source system sent, month by month, and when the latest event
 * it sent happened; the same per rotation specialty (a clerkship site whose rotations stopped
 * arriving), so that an "isolated" student is not mistaken for a site that sends no data.
 * Days of silence are the server's, counted in the school's calendar from when the last
 * event happened (not when it arrived, and not in the browser's time zone).
 *
 * @since 0.1.0
 */
import type { Views } from "@rapport/analytics"
import * as Client from "../api/Client.js"
import { useResource } from "../api/useResource.js"
import { ChartFigure } from "../components/ChartFigure.js"
import { LinesOverTime, type Point } from "../components/Charts.js"
import { DataTable } from "../components/DataTable.js"
import { PageHeader } from "../components/PageHeader.js"
import { EmptySchool, ErrorState, Loading } from "../components/States.js"
import { formatInstant, formatMonth } from "../lib/Labels.js"
import { seriesColour } from "../lib/Palette.js"
import type * as Table from "../lib/Table.js"

type Source = Views.Coverage["sources"][number]
type Specialty = Views.Coverage["specialties"][number]
type Silence = Pick<
  Source,
  "events" | "lastOccurredAt" | "lastReceivedAt" | "daysSilent" | "longestGapDays" | "unusualSilence"
>

/** The columns every coverage table shares, after the first (what the row is). */
const silenceColumns = <Row extends Silence>(): ReadonlyArray<Table.Column<Row>> => [
  {
    id: "events",
    header: "Events",
    numeric: true,
    csv: (s) => s.events,
    show: (s) => s.events.toLocaleString("en-US")
  },
  {
    id: "lastOccurredAt",
    header: "Latest event happened",
    csv: (s) => s.lastOccurredAt ?? "",
    show: (s) => formatInstant(s.lastOccurredAt)
  },
  {
    id: "lastReceivedAt",
    header: "Last received",
    csv: (s) => s.lastReceivedAt ?? "",
    show: (s) => formatInstant(s.lastReceivedAt)
  },
  {
    id: "quiet",
    header: "Silent for",
    numeric: true,
    csv: (s) => s.daysSilent,
    show: (s) => {
      const days = s.daysSilent
      if (days === null) return "—"
      const text = `${days} ${days === 1 ? "day" : "days"}`
      return s.unusualSilence ? <span className="flag attention">{text}</span> : text
    }
  },
  {
    id: "usualGap",
    header: "Longest quiet spell (past year)",
    numeric: true,
    csv: (s) => s.longestGapDays,
    show: (s) => (s.longestGapDays === null ? "—" : `${s.longestGapDays} ${s.longestGapDays === 1 ? "day" : "days"}`)
  }
]

/** `GET /v1/dashboard/coverage/statements`: xAPI statements per source system */
interface StatementSource {
  readonly source: string
  readonly received: number
  readonly used: number
  readonly notUsed: ReadonlyArray<{ readonly reason: string; readonly statements: number }>
}

const reasons: Readonly<Record<string, string>> = {
  "not-in-profile": "not in Rapport's profile",
  incomplete: "incomplete",
  "invalid-data": "invalid values",
  "student-not-matched": "student not matched",
  "faculty-not-matched": "faculty member not matched",
  voiding: "voiding"
}

const statementColumns: ReadonlyArray<Table.Column<StatementSource>> = [
  { id: "source", header: "Source system", csv: (s) => s.source },
  { id: "received", header: "Statements received", numeric: true, csv: (s) => s.received },
  { id: "used", header: "Became events", numeric: true, csv: (s) => s.used },
  {
    id: "notUsed",
    header: "Not used, and why",
    csv: (s) => s.notUsed.map((n) => `${reasons[n.reason] ?? n.reason}: ${n.statements}`).join("; "),
    show: (s) =>
      s.notUsed.length === 0
        ? "—"
        : s.notUsed.map((n) => `${reasons[n.reason] ?? n.reason}: ${n.statements}`).join("; ")
  }
]

const sourceName = (source: string) => (source === "" ? "(no source given)" : source)

/**
 * @since 0.1.0
 * @category views
 */
export const Coverage = () => {
  const coverage = useResource<Views.Coverage>(Client.routes.coverage)
  const statements = useResource<{ readonly sources: ReadonlyArray<StatementSource> }>(Client.routes.statementCoverage)
  if (coverage.status === "loading") return <Loading what="data coverage" />
  if (coverage.status === "error") return <ErrorState error={coverage.error} retry={coverage.reload} />
  const data = coverage.data
  const sources = [...data.sources].sort((a, b) => a.source.localeCompare(b.source))
  const specialties = [...data.specialties].sort((a, b) => a.specialty.localeCompare(b.specialty))
  const columns: ReadonlyArray<Table.Column<Source>> = [
    { id: "source", header: "Source system", csv: (s) => sourceName(s.source) },
    ...silenceColumns<Source>()
  ]
  const specialtyColumns: ReadonlyArray<Table.Column<Specialty>> = [
    { id: "specialty", header: "Rotation specialty", csv: (s) => s.specialty },
    ...silenceColumns<Specialty>()
  ]

  const months = [...new Set(sources.flatMap((s) => s.months.map((m) => m.month)))].sort()
  type MonthRow = { readonly month: string; readonly counts: ReadonlyMap<string, number> }
  const monthRows: ReadonlyArray<MonthRow> = months.map((month) => ({
    month,
    counts: new Map(sources.map((s) => [s.source, s.months.find((m) => m.month === month)?.events ?? 0]))
  }))
  const monthColumns: ReadonlyArray<Table.Column<MonthRow>> = [
    { id: "month", header: "Month", csv: (r) => r.month, show: (r) => formatMonth(r.month) },
    ...sources.map(
      (s): Table.Column<MonthRow> => ({
        id: `source-${s.source}`,
        header: sourceName(s.source),
        numeric: true,
        csv: (r) => r.counts.get(s.source) ?? 0
      })
    )
  ]
  const points: ReadonlyArray<Point> = monthRows.map((r) => ({
    label: formatMonth(r.month),
    ...Object.fromEntries(sources.map((s, index) => [`s${index}`, r.counts.get(s.source) ?? 0]))
  }))

  return (
    <>
      <PageHeader
        title="Data coverage"
        lead="What each of your school's systems sends. A student with no relationships may be at a site that sends no data: check here before reaching out."
        meta={data.meta}
      />
      {sources.length === 0 ? (
        <EmptySchool />
      ) : (
        <>
          <section className="section" aria-labelledby="sources-title">
            <h2 id="sources-title">Source systems</h2>
            <DataTable
              caption="Events received per source system"
              columns={columns}
              rows={sources}
              rowKey={(s) => s.source}
              exportAs="coverage-sources"
              clientSort
            />
            <p className="note">
              Silence is counted in your school's calendar from the day the latest event happened, however late it
              arrived. A source is flagged when it has been silent for more than two weeks and longer than its longest
              quiet spell of the past year.
            </p>
          </section>
          {specialties.length === 0 ? null : (
            <section className="section" aria-labelledby="specialties-title">
              <h2 id="specialties-title">Clinical rotations by specialty</h2>
              <DataTable
                caption="Rotations recorded per specialty, and when the latest ended"
                columns={specialtyColumns}
                rows={specialties}
                rowKey={(s) => s.specialty}
                exportAs="coverage-specialties"
                clientSort
              />
              <p className="note">
                Rotations end in blocks, so weeks without one can be the schedule. A specialty is flagged when no
                rotation has been recorded for longer than its longest quiet spell of the past year: its clerkship site
                may have stopped sending, and its students may look isolated when they are not.
              </p>
            </section>
          )}
          <ChartFigure
            title="Events per source system, per month"
            description="By the month the events happened. A dip to zero usually means a system stopped sending."
            height={300}
            chart={
              <LinesOverTime
                points={points}
                series={sources.map((s, index) => ({
                  key: `s${index}`,
                  label: sourceName(s.source),
                  colour: seriesColour(index)
                }))}
              />
            }
            columns={monthColumns}
            rows={monthRows}
            rowKey={(r) => r.month}
            exportAs="coverage-by-month"
          />
        </>
      )}
      {statements.status === "ready" && statements.data.sources.length > 0 ? (
        <section className="section" aria-labelledby="statements-title">
          <h2 id="statements-title">xAPI statements</h2>
          <DataTable
            caption="xAPI statements received per source system, and why some became no event"
            columns={statementColumns}
            rows={statements.data.sources}
            rowKey={(s) => s.source}
            exportAs="coverage-statements"
            clientSort
          />
          <p className="note">
            Statements that follow Rapport's xAPI profile become events; the others are kept and counted here.
          </p>
        </section>
      ) : null}
    </>
  )
}
