/**
 * The school at a glance: how many active students have a strong faculty relationship, how
 * many have none, letter readiness for the next application cycle, overdue follow-ups, and
 * the monthly trend of contact (school-wide or for one graduation year).
 *
 * @since 0.1.0
 */
import type { Views } from "@rapport/analytics"
import { useMemo, useState } from "react"
import { Link } from "react-router"
import * as Client from "../api/Client.js"
import { useSignedIn } from "../api/SessionContext.js"
import { useResource } from "../api/useResource.js"
import { SuppressionNote } from "../components/CellValue.js"
import { ChartFigure } from "../components/ChartFigure.js"
import { Bars, LinesOverTime, type Point } from "../components/Charts.js"
import { IntendedUse } from "../components/IntendedUse.js"
import { Kpi, KpiGrid } from "../components/Kpi.js"
import { PageHeader } from "../components/PageHeader.js"
import { EmptySchool, ErrorState, Loading } from "../components/States.js"
import * as CellFormat from "../lib/Cell.js"
import { formatMonth } from "../lib/Labels.js"
import { series as palette } from "../lib/Palette.js"
import * as Table from "../lib/Table.js"
import { SelectField } from "../components/Field.js"

type Month = Views.Overview["trends"][number]

const monthColumns: ReadonlyArray<Table.Column<Month>> = [
  { id: "month", header: "Month", csv: (m) => m.month, show: (m) => formatMonth(m.month) },
  Table.cellColumn("students", "Students with faculty contact", (m) => m.studentsWithContact, "count"),
  Table.cellColumn("pairs", "Student–faculty pairs with contact", (m) => m.pairsWithContact, "count"),
  Table.cellColumn("interactions", "Interactions", (m) => m.interactions, "count")
]

const toPoints = (months: ReadonlyArray<Month>): ReadonlyArray<Point> =>
  months.map((m) => ({
    label: formatMonth(m.month),
    students: CellFormat.numberOf(m.studentsWithContact),
    pairs: CellFormat.numberOf(m.pairsWithContact),
    interactions: CellFormat.numberOf(m.interactions)
  }))

type SupportMonth = Views.Trends["supportCheckIns"][number]
const supportColumns: ReadonlyArray<Table.Column<SupportMonth>> = [
  { id: "month", header: "Month", csv: (m) => m.month, show: (m) => formatMonth(m.month) },
  Table.cellColumn("checkIns", "Support check-ins", (m) => m.checkIns, "count")
]

/**
 * @since 0.1.0
 * @category views
 */
export const Overview = () => {
  const overview = useResource<Views.Overview>(Client.routes.overview)
  const trends = useResource<Views.Trends>(Client.routes.trends)
  const session = useSignedIn()
  const [year, setYear] = useState<string>("")

  const trendMonths = useMemo((): ReadonlyArray<Month> => {
    if (trends.status !== "ready") return overview.status === "ready" ? overview.data.trends : []
    if (year === "") return trends.data.months
    if (year === "other") return trends.data.otherGraduationYears?.months ?? []
    return trends.data.byGraduationYear.find((g) => String(g.graduationYear) === year)?.months ?? []
  }, [trends, overview, year])

  if (overview.status === "loading") return <Loading what="the overview" />
  if (overview.status === "error") return <ErrorState error={overview.error} retry={overview.reload} />
  const data = overview.data
  const empty = CellFormat.numberOf(data.activeStudents) === 0

  return (
    <>
      <PageHeader
        title="Overview"
        lead="How connected your students are to faculty, and what needs attention now."
        meta={data.meta}
      />
      {empty ? (
        <>
          <EmptySchool />
          <IntendedUse />
        </>
      ) : (
        <>
          <KpiGrid label="Headline numbers">
            <Kpi
              label="Active students with at least one strong faculty relationship"
              cell={data.withStrongRelationshipShare}
              measure="share"
              context={
                <>
                  <Count cell={data.withStrongRelationship} /> of <Count cell={data.activeStudents} /> active students
                </>
              }
              tone="good"
            />
            <Kpi
              label="Active students without a developing relationship"
              cell={data.isolated}
              measure="count"
              context={
                <>
                  {CellFormat.formatCell(data.isolatedShare, "share")} of active students
                  {Client.seesIndividuals(session) ? (
                    <>
                      {" · "}
                      <Link to="/students?isolated=true">see who</Link>
                    </>
                  ) : null}
                </>
              }
              tone="attention"
            />
            <Kpi
              label={`Letter-ready for the ${data.nextCycle.cycle} Match`}
              cell={data.nextCycle.readyShare}
              measure="share"
              context={
                <>
                  <Count cell={data.nextCycle.ready} /> of <Count cell={data.nextCycle.students} /> students have{" "}
                  {data.nextCycle.requiredAdvocates} or more advocates · <Link to="/letters">letters</Link>
                </>
              }
            />
            <Kpi
              label="Students who need attention"
              cell={data.followUps.students}
              measure="count"
              context={
                <>
                  with an open follow-up (<Count cell={data.followUps.overdue} /> overdue,{" "}
                  <Count cell={data.followUps.due} /> due) · <Link to="/follow-ups">follow-ups</Link>
                </>
              }
              tone="attention"
            />
          </KpiGrid>
          <SuppressionNote
            hidden={CellFormat.suppressionsIn([
              data.activeStudents,
              data.withStrongRelationship,
              data.withStrongRelationshipShare,
              data.isolated,
              data.isolatedShare,
              data.nextCycle.students,
              data.nextCycle.ready,
              data.nextCycle.readyShare,
              data.followUps.due,
              data.followUps.overdue,
              data.followUps.students
            ])}
          />
          <IntendedUse />
          <section aria-labelledby="trends-title" className="section">
            <div className="section-head">
              <h2 id="trends-title">Monthly trends</h2>
              <SelectField label="Graduation year" value={year} onChange={(value) => setYear(value)} inline>
                <option value="">All students</option>
                {(trends.status === "ready" ? trends.data.byGraduationYear : []).map((g) => (
                  <option key={g.graduationYear} value={String(g.graduationYear)}>
                    Class of {g.graduationYear}
                  </option>
                ))}
                {trends.status === "ready" && trends.data.otherGraduationYears !== null ? (
                  <option value="other">{otherClassesLabel(trends.data.otherGraduationYears.graduationYears)}</option>
                ) : null}
              </SelectField>
            </div>
            {trends.status === "error" ? <ErrorState error={trends.error} retry={trends.reload} /> : null}
            <div className="grid-2">
              <ChartFigure
                title="Students with faculty contact, per month"
                description="Counted by the month the contact happened, so records that arrive late land in the right month."
                chart={
                  <LinesOverTime
                    points={toPoints(trendMonths)}
                    series={[{ key: "students", label: "Students with contact", colour: palette[0] }]}
                  />
                }
                columns={monthColumns}
                rows={trendMonths}
                rowKey={(m) => m.month}
                exportAs="monthly-trends"
              />
              <ChartFigure
                title="Contact per month"
                description="Recorded interactions, and the student–faculty pairs that had any."
                chart={
                  <Bars
                    points={toPoints(trendMonths)}
                    series={[
                      { key: "interactions", label: "Interactions", colour: palette[0] },
                      { key: "pairs", label: "Pairs with contact", colour: palette[1] }
                    ]}
                  />
                }
                columns={monthColumns}
                rows={trendMonths}
                rowKey={(m) => m.month}
                exportAs="monthly-contact"
              />
            </div>
            {trends.status === "ready" && trends.data.supportCheckIns.length > 0 ? (
              <ChartFigure
                title="Support check-ins per month (school-wide)"
                description="Sensitive: shown only in aggregate, and only when the group is large enough."
                chart={
                  <Bars
                    points={trends.data.supportCheckIns.map((m) => ({
                      label: formatMonth(m.month),
                      checkIns: CellFormat.numberOf(m.checkIns)
                    }))}
                    series={[{ key: "checkIns", label: "Support check-ins", colour: palette[2] }]}
                  />
                }
                columns={supportColumns}
                rows={trends.data.supportCheckIns}
                rowKey={(m) => m.month}
                exportAs="support-check-ins"
                height={200}
              />
            ) : null}
          </section>
        </>
      )}
    </>
  )
}

/** the classes without a series of their own, and students without a graduation year */
const otherClassesLabel = (years: ReadonlyArray<number>) =>
  years.length === 0
    ? "Students without a class year"
    : `Other classes (${years.join(", ")}) and students without a class year`

const Count = ({ cell }: { readonly cell: CellFormat.Cell }) => <>{CellFormat.formatCell(cell, "count")}</>
