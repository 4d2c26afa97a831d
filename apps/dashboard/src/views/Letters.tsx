/**
 * Letter readiness per application cycle and specialty, against the calendar: how many
 * students have enough advocates (and one in their specialty), and where their letters
 * stand, months before the season opens.
 *
 * @since 0.1.0
 */
import type { Views } from "@rapport/analytics"
import { useSearchParams } from "react-router"
import * as Client from "../api/Client.js"
import { useResource } from "../api/useResource.js"
import { ChartFigure } from "../components/ChartFigure.js"
import { Bars } from "../components/Charts.js"
import { DataTable } from "../components/DataTable.js"
import { PageHeader } from "../components/PageHeader.js"
import { EmptySchool, ErrorState, Loading } from "../components/States.js"
import * as CellFormat from "../lib/Cell.js"
import * as Groups from "../lib/Groups.js"
import { daysBetween, formatDate, today } from "../lib/Labels.js"
import { series as palette } from "../lib/Palette.js"
import * as Table from "../lib/Table.js"
import { SelectField } from "../components/Field.js"

type Cycle = Views.Letters["cycles"][number]
type Specialty = Cycle["specialties"][number]

/** a cycle's specialties, "Other" and the whole cycle, as rows */
const specialtyRows = (cycle: Cycle): ReadonlyArray<Groups.Grouped<Specialty>> => {
  const other = cycle.otherSpecialties
  if (cycle.specialties.length === 0 && other === null) return []
  return Groups.rows(
    cycle.specialties,
    other === null ? null : { ...other, specialty: Groups.otherLabel(other.specialties, "specialty", "specialties") },
    { ...cycle.total, specialty: "All specialties" }
  )
}

const columns: ReadonlyArray<Table.Column<Specialty>> = [
  { id: "specialty", header: "Specialty", csv: (s) => s.specialty },
  Table.cellColumn("students", "Students applying", (s) => s.students, "count"),
  Table.cellColumn("ready", "Letter-ready", (s) => s.ready, "count"),
  Table.cellColumn("readyShare", "Share letter-ready", (s) => CellFormat.share(s.ready, s.students), "share"),
  Table.cellColumn(
    "withSpecialtyAdvocate",
    "With an advocate in the specialty",
    (s) => s.withSpecialtyAdvocate,
    "count"
  ),
  Table.cellColumn("lettersRequested", "Letters requested", (s) => s.lettersRequested, "count"),
  Table.cellColumn("lettersCommitted", "Committed", (s) => s.lettersCommitted, "count"),
  Table.cellColumn("lettersSubmitted", "Submitted", (s) => s.lettersSubmitted, "count")
]

const defaultCycle = (cycles: ReadonlyArray<Cycle>, now: string): Cycle | undefined =>
  cycles.find((c) => c.programsReviewOn >= now) ?? cycles[cycles.length - 1]

const Milestone = ({ label, date, now }: { readonly label: string; readonly date: string; readonly now: string }) => {
  const days = daysBetween(now, date)
  return (
    <li className={days < 0 ? "passed" : undefined}>
      <span className="milestone-label">{label}</span>
      <time dateTime={date}>{formatDate(date)}</time>
      <span className="milestone-when">
        {days < 0 ? `${-days} days ago` : days === 0 ? "today" : `in ${days} days`}
      </span>
    </li>
  )
}

/**
 * @since 0.1.0
 * @category views
 */
export const Letters = () => {
  const letters = useResource<Views.Letters>(Client.routes.letters)
  const [params, setParams] = useSearchParams()
  if (letters.status === "loading") return <Loading what="letter readiness" />
  if (letters.status === "error") return <ErrorState error={letters.error} retry={letters.reload} />
  const data = letters.data
  const now = today(new Date())
  const cycles = [...data.cycles].sort((a, b) => a.cycle - b.cycle)
  const chosen = cycles.find((c) => String(c.cycle) === params.get("cycle")) ?? defaultCycle(cycles, now)
  const rows = chosen === undefined ? [] : specialtyRows(chosen)
  const footnote =
    chosen?.otherSpecialties === null || chosen?.otherSpecialties === undefined
      ? undefined
      : Groups.otherSentence(chosen.otherSpecialties.specialties, data.meta.suppressionThreshold)

  return (
    <>
      <PageHeader
        title="Letters"
        lead={`Students are letter-ready with ${data.requiredAdvocates} or more advocates: faculty who know them well enough to write a strong letter. Programs usually ask for three letters, often two from the chosen specialty.`}
        meta={data.meta}
      />
      {chosen === undefined ? (
        <EmptySchool />
      ) : (
        <>
          <div className="section-head">
            <SelectField
              label="Application cycle"
              value={String(chosen.cycle)}
              onChange={(value) => setParams({ cycle: value })}
              inline
            >
              {cycles.map((c) => (
                <option key={c.cycle} value={String(c.cycle)}>
                  {c.cycle} Match
                </option>
              ))}
            </SelectField>
          </div>
          <section className="card calendar" aria-labelledby="calendar-title">
            <h2 id="calendar-title">{chosen.cycle} Match: the application calendar</h2>
            <ol className="milestones">
              <Milestone label="Application season opens" date={chosen.seasonOpensOn} now={now} />
              <Milestone label="Programs start reviewing" date={chosen.programsReviewOn} now={now} />
            </ol>
            <p className="note">
              Letters take months: students without advocates need faculty contact well before the season opens.
            </p>
          </section>
          <ChartFigure
            title={`Share of students letter-ready, by specialty (${chosen.cycle} Match)`}
            description="Specialties too small to show are summed in Other; hidden numbers are left out of the chart and explained under it."
            height={Math.max(200, rows.length * 30 + 60)}
            chart={
              <Bars
                horizontal
                share
                points={rows
                  .filter((s) => s.kind !== "total")
                  .map((s) => {
                    const ready = CellFormat.share(s.ready, s.students)
                    return { label: s.specialty, ready: ready === null ? null : CellFormat.numberOf(ready) }
                  })}
                series={[{ key: "ready", label: "Letter-ready", colour: palette[2] }]}
              />
            }
            columns={columns.slice(0, 4)}
            rows={rows}
            rowKey={(s) => Groups.key(s, s.specialty)}
            rowKind={(s) => s.kind}
            exportAs={`letter-readiness-${chosen.cycle}`}
            {...(footnote === undefined ? {} : { footnote })}
          />
          <section className="section" aria-labelledby="pipeline-title">
            <h2 id="pipeline-title">Readiness and letters by specialty</h2>
            <DataTable
              caption={`Letter readiness and letters by specialty, ${chosen.cycle} Match`}
              columns={columns}
              rows={rows}
              rowKey={(s) => Groups.key(s, s.specialty)}
              rowKind={(s) => s.kind}
              exportAs={`letters-${chosen.cycle}`}
              clientSort
              empty="No students in this cycle yet."
              {...(footnote === undefined ? {} : { footnote })}
            />
          </section>
        </>
      )}
    </>
  )
}
