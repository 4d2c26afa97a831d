/**
 * The school at a glance: how many active students have a strong faculty relationship, how
 * many have none, letter readiness for the next application cycle, overdue follow-ups, and
 * the monthly trend of contact (school-wide or for one graduation year).
 *
 * @since 0.1.0
 */
import type { Views } from "@rapport/analytics"
import { useMemo } from "react"
import { Link, useSearchParams } from "react-router"
import * as Client from "../api/Client.js"
import * as ViewUrls from "../api/ViewUrls.js"
import { useSignedIn } from "../api/SessionContext.js"
import { useResource } from "../api/useResource.js"
import { SuppressionNote } from "../components/CellValue.js"
import { ChartFigure } from "../components/ChartFigure.js"
import { Bars, LinesOverTime, type Point } from "../components/Charts.js"
import { IntendedUse } from "../components/IntendedUse.js"
import { Kpi, KpiGrid, type KpiHistory } from "../components/Kpi.js"
import { PageHeader } from "../components/PageHeader.js"
import { EmptySchool, ErrorState, Loading } from "../components/States.js"
import * as CellFormat from "../lib/Cell.js"
import * as Change from "../lib/Change.js"
import { formatMonth, stageLabel } from "../lib/Labels.js"
import { series as palette } from "../lib/Palette.js"
import * as Table from "../lib/Table.js"
import { SelectField } from "../components/Field.js"

type Month = Views.Overview["trends"][number]

const monthLabel = (month: string, current: string) =>
  month === current ? `${formatMonth(month)} (so far: partial month)` : formatMonth(month)

const monthColumns = (current: string): ReadonlyArray<Table.Column<Month>> => [
  { id: "month", header: "Month", csv: (m) => m.month, show: (m) => monthLabel(m.month, current) },
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
const supportColumns = (current: string): ReadonlyArray<Table.Column<SupportMonth>> => [
  { id: "month", header: "Month", csv: (m) => m.month, show: (m) => monthLabel(m.month, current) },
  Table.cellColumn("checkIns", "Support check-ins", (m) => m.checkIns, "count")
]

/** `GET /v1/dashboard/overview/context` (apps/server/src/routes/dashboard-context.ts) */
interface ContextPoint {
  readonly asOf: string
  readonly activeStudents: CellFormat.Cell
  readonly withStrongRelationship: CellFormat.Cell
  readonly withStrongRelationshipShare: CellFormat.Cell
  readonly isolated: CellFormat.Cell
  readonly isolatedShare: CellFormat.Cell
  readonly letterReady: CellFormat.Cell
  readonly letterReadyShare: CellFormat.Cell
  readonly cycleStudents: CellFormat.Cell
}
interface OverviewContext {
  readonly graduationYear: number | null
  readonly currentMonth: string
  readonly cycle: number
  /** a year ago, every month since, now (the last) */
  readonly points: ReadonlyArray<ContextPoint>
  readonly now:
    | (ContextPoint & {
        readonly followUpsDue: CellFormat.Cell
        readonly followUpsOverdue: CellFormat.Cell
        readonly followUpsStudents?: CellFormat.Cell
      })
    | null
}

/** The headline figures shown, whichever population the selector chose. */
interface Headline {
  readonly activeStudents: CellFormat.Cell
  readonly withStrongRelationship: CellFormat.Cell
  readonly withStrongRelationshipShare: CellFormat.Cell
  readonly isolated: CellFormat.Cell
  readonly isolatedShare: CellFormat.Cell
  readonly cycle: number
  readonly cycleStudents: CellFormat.Cell
  readonly letterReady: CellFormat.Cell
  readonly letterReadyShare: CellFormat.Cell
  readonly followUpsDue: CellFormat.Cell
  readonly followUpsOverdue: CellFormat.Cell
  /** the students with an open follow-up: who needs attention */
  readonly followUpsStudents?: CellFormat.Cell
}

const schoolHeadline = (data: Views.Overview): Headline => ({
  activeStudents: data.activeStudents,
  withStrongRelationship: data.withStrongRelationship,
  withStrongRelationshipShare: data.withStrongRelationshipShare,
  isolated: data.isolated,
  isolatedShare: data.isolatedShare,
  cycle: data.nextCycle.cycle,
  cycleStudents: data.nextCycle.students,
  letterReady: data.nextCycle.ready,
  letterReadyShare: data.nextCycle.readyShare,
  followUpsDue: data.followUps.due,
  followUpsOverdue: data.followUps.overdue,
  followUpsStudents: data.followUps.students
})

const pointTrend = "the same day of each of the last 12 months, and now"

/** A headline figure against the context's points: now (as shown) against a month and a year earlier. */
const historyOf = (
  context: OverviewContext | undefined,
  now: CellFormat.Cell,
  pick: (point: ContextPoint) => CellFormat.Cell,
  measure: "count" | "share",
  upIsGood: boolean
): KpiHistory => {
  if (context === undefined) return "loading"
  const points = context.points
  const monthAgo = points.at(-2)
  const yearAgo = points.at(0)
  return {
    monthAgo: Change.between(now, monthAgo === undefined ? null : pick(monthAgo), measure),
    yearAgo: points.length >= 13 && yearAgo !== undefined ? Change.between(now, pick(yearAgo), measure) : null,
    trend: Change.trendOf([...points.slice(0, -1).map(pick), now]),
    trendLabel: pointTrend,
    upIsGood
  }
}

/**
 * @since 0.1.0
 * @category views
 */
export const Overview = () => {
  const [params, setParams] = useSearchParams()
  const year = params.get("graduationYear") ?? ""
  const overview = useResource<Views.Overview>(Client.routes.overview)
  const trends = useResource<Views.Trends>(Client.routes.trends)
  const context = useResource<OverviewContext>(ViewUrls.overviewContext(params))
  const session = useSignedIn()
  const setYear = (value: string) => {
    const next = new URLSearchParams(params)
    if (value === "") next.delete("graduationYear")
    else next.set("graduationYear", value)
    setParams(next, { replace: true })
  }

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
  // the context of the population chosen (a stale answer of another population is not used)
  const ctx =
    context.status === "ready" &&
    !context.refreshing &&
    (context.data.graduationYear === null) === (year === "" || year === "other")
      ? context.data
      : undefined
  const headline: Headline | undefined =
    year === "" ? schoolHeadline(data) : ctx?.now == null ? undefined : { ...ctx.now, cycle: ctx.cycle }
  const currentMonth = ctx?.currentMonth ?? data.meta.asOf.slice(0, 7)
  const { full, partial } = Change.splitPartial(trendMonths, currentMonth)
  const lastFull = full.at(-1)
  const contactOf = (month: string) => trendMonths.find((m) => m.month === month)?.studentsWithContact ?? null
  const population =
    year === ""
      ? "active students"
      : year === "other"
        ? "students of the other classes"
        : `active students of the class of ${year}`
  const classes = trends.status === "ready" ? trends.data.byGraduationYear : []

  return (
    <>
      <PageHeader
        title="Overview"
        lead="How connected your students are to faculty, and what needs attention now."
        meta={data.meta}
        actions={
          <SelectField label="Figures for" value={year} onChange={setYear} inline>
            <option value="">All students</option>
            {classes.map((g) => (
              <option key={g.graduationYear} value={String(g.graduationYear)}>
                Class of {g.graduationYear}
              </option>
            ))}
          </SelectField>
        }
      />
      {empty ? (
        <>
          <EmptySchool />
          <IntendedUse />
        </>
      ) : (
        <>
          {context.status === "error" ? (
            <p className="note" role="status">
              The comparison with earlier months could not be loaded ({context.error.title}).{" "}
              <button type="button" className="button link" onClick={context.reload}>
                Try again
              </button>
            </p>
          ) : null}
          {headline === undefined ? (
            <Loading what={`the figures of the class of ${year}`} />
          ) : (
            <KpiGrid label="Headline numbers">
              <Kpi
                id="strong"
                label="Active students with at least one strong faculty relationship"
                explanation="Strong: regular contact of more than one kind, in at least three different weeks."
                cell={headline.withStrongRelationshipShare}
                measure="share"
                context={
                  <>
                    <Count cell={headline.withStrongRelationship} /> of <Count cell={headline.activeStudents} />{" "}
                    {population}
                  </>
                }
                tone="good"
                history={historyOf(
                  ctx,
                  headline.withStrongRelationshipShare,
                  (p) => p.withStrongRelationshipShare,
                  "share",
                  true
                )}
              />
              <Kpi
                id="isolated"
                label="Isolated students"
                explanation="Active students past their first semester with fewer than 2 discretionary contacts a year (meetings, office hours, notes, research) who never took up a mentor the school assigned them (docs/scoring.md, Isolated students)."
                cell={headline.isolated}
                measure="count"
                context={
                  <>
                    {CellFormat.formatCell(headline.isolatedShare, "share")} of {population}
                    {Client.seesIndividuals(session) ? (
                      <>
                        {" · "}
                        <Link
                          to={
                            year === "" || year === "other"
                              ? "/students?isolated=true"
                              : `/students?isolated=true&graduationYear=${year}`
                          }
                        >
                          see who
                        </Link>
                      </>
                    ) : null}
                  </>
                }
                tone="attention"
                history={historyOf(ctx, headline.isolated, (p) => p.isolated, "count", false)}
              />
              <Kpi
                id="letter-ready"
                label={`Letter-ready for the ${headline.cycle} Match`}
                explanation={`Students graduating in ${headline.cycle} with at least ${data.nextCycle.requiredAdvocates} faculty who committed or submitted a letter, or as many advocates (faculty who know them well enough to write a strong letter), whichever is higher.`}
                cell={headline.letterReadyShare}
                measure="share"
                context={
                  <>
                    <Count cell={headline.letterReady} /> of <Count cell={headline.cycleStudents} /> students ·{" "}
                    <Link to="/letters">letters</Link>
                  </>
                }
                history={historyOf(ctx, headline.letterReadyShare, (p) => p.letterReadyShare, "share", true)}
              />
              <Kpi
                id="contact"
                label={
                  lastFull === undefined
                    ? "Students with faculty contact"
                    : `Students with faculty contact in ${formatMonth(lastFull.month)}`
                }
                explanation="The last full month; the month under way is counted below the charts."
                cell={lastFull?.studentsWithContact ?? null}
                measure="count"
                context={
                  partial === undefined ? undefined : (
                    <>
                      <Count cell={partial.studentsWithContact} /> so far in {formatMonth(partial.month)} (partial
                      month)
                    </>
                  )
                }
                history={
                  lastFull === undefined
                    ? { none: "No full month yet." }
                    : {
                        monthAgo: Change.between(
                          lastFull.studentsWithContact,
                          contactOf(Change.monthBefore(lastFull.month, 1)),
                          "count"
                        ),
                        yearAgo: Change.between(
                          lastFull.studentsWithContact,
                          contactOf(Change.monthBefore(lastFull.month, 12)),
                          "count"
                        ),
                        monthAgoLabel: formatMonth(Change.monthBefore(lastFull.month, 1)),
                        yearAgoLabel: formatMonth(Change.monthBefore(lastFull.month, 12)),
                        trend: Change.trendOf(full.slice(-12).map((m) => m.studentsWithContact)),
                        trendLabel: "the last 12 full months",
                        upIsGood: true
                      }
                }
              />
              <Kpi
                id="overdue"
                label="Students who need attention"
                explanation="Students with an open follow-up from the follow-up rules (a dean acts on students, not on items); follow-ups not done in time expire and are no longer counted."
                cell={headline.followUpsStudents ?? null}
                measure="count"
                context={
                  <>
                    with an open follow-up: <Count cell={headline.followUpsOverdue} /> overdue,{" "}
                    <Count cell={headline.followUpsDue} /> due soon · <Link to="/follow-ups">follow-ups</Link>
                  </>
                }
                tone="attention"
                history={{ none: "No history: follow-ups are worked out as of today only." }}
              />
            </KpiGrid>
          )}
          {year === "" ? <IsolationByStage overview={data} /> : null}
          {headline === undefined ? null : (
            <SuppressionNote
              hidden={CellFormat.suppressionsIn([
                headline.activeStudents,
                headline.withStrongRelationship,
                headline.withStrongRelationshipShare,
                headline.isolated,
                headline.isolatedShare,
                headline.cycleStudents,
                headline.letterReady,
                headline.letterReadyShare,
                headline.followUpsDue,
                headline.followUpsOverdue,
                headline.followUpsStudents ?? null
              ])}
            />
          )}
          <IntendedUse />
          <section aria-labelledby="trends-title" className="section">
            <div className="section-head">
              <h2 id="trends-title">
                Monthly trends{year === "" ? "" : year === "other" ? " (other classes)" : ` (class of ${year})`}
              </h2>
            </div>
            {trends.status === "error" ? <ErrorState error={trends.error} retry={trends.reload} /> : null}
            <div className="grid-2">
              <ChartFigure
                title="Students with faculty contact, per month"
                description="Counted by the month the contact happened, so records that arrive late land in the right month. The month under way is not drawn."
                chart={
                  <LinesOverTime
                    points={toPoints(full)}
                    series={[{ key: "students", label: "Students with contact", colour: palette[0] }]}
                  />
                }
                columns={monthColumns(currentMonth)}
                rows={trendMonths}
                rowKey={(m) => m.month}
                exportAs="monthly-trends"
              />
              <ChartFigure
                title="Contact per month"
                description="Recorded interactions, and the student–faculty pairs that had any. The month under way is not drawn."
                chart={
                  <Bars
                    points={toPoints(full)}
                    series={[
                      { key: "interactions", label: "Interactions", colour: palette[0] },
                      { key: "pairs", label: "Pairs with contact", colour: palette[1] }
                    ]}
                  />
                }
                columns={monthColumns(currentMonth)}
                rows={trendMonths}
                rowKey={(m) => m.month}
                exportAs="monthly-contact"
              />
            </div>
            {partial === undefined ? null : (
              <p className="note partial-month" data-partial-month={partial.month}>
                {formatMonth(partial.month)} is still under way (partial month), so it is left out of the charts: so far{" "}
                <Count cell={partial.studentsWithContact} /> students had faculty contact, in{" "}
                <Count cell={partial.interactions} /> interactions.
              </p>
            )}
            {trends.status === "ready" && trends.data.supportCheckIns.length > 0 && year === "" ? (
              <ChartFigure
                title="Support check-ins per month (school-wide)"
                description="Sensitive: shown only in aggregate, and only when the group is large enough. The month under way is not drawn."
                chart={
                  <Bars
                    points={trends.data.supportCheckIns
                      .filter((m) => m.month < currentMonth)
                      .map((m) => ({
                        label: formatMonth(m.month),
                        checkIns: CellFormat.numberOf(m.checkIns)
                      }))}
                    series={[{ key: "checkIns", label: "Support check-ins", colour: palette[2] }]}
                  />
                }
                columns={supportColumns(currentMonth)}
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

type StageRow = Views.Overview["isolatedByStage"][number]

const stageColumns: ReadonlyArray<Table.Column<StageRow>> = [
  { id: "stage", header: "Stage", csv: (r) => r.stage, show: (r) => stageLabel(r.stage) },
  Table.cellColumn("students", "Active students", (r) => r.students, "count"),
  Table.cellColumn("isolated", "Isolated", (r) => r.isolated, "count"),
  Table.cellColumn("isolatedShare", "Share isolated", (r) => r.isolatedShare, "share")
]

/**
 * Isolation by stage (new, pre-clinical, clinical, applying), as the server counts it (the
 * dashboard never works out stages itself), and the students in years 2–4 without recent
 * mentoring. School-wide: the stages are the classes, so a class filter would show one row.
 */
const IsolationByStage = ({ overview }: { readonly overview: Views.Overview }) => {
  const { noRecentMentoring } = overview
  return (
    <section aria-labelledby="stages-title" className="section" id="isolation-by-stage">
      <div className="section-head">
        <h2 id="stages-title">Isolation by stage</h2>
      </div>
      <ChartFigure
        title="Isolated students by stage"
        description="New students (until the end of their first semester) have had no time to build relationships and are never counted as isolated. Applying: the class applying for residency now."
        chart={
          <Bars
            points={overview.isolatedByStage.map((r) => ({
              label: stageLabel(r.stage),
              isolated: CellFormat.numberOf(r.isolated),
              connected:
                CellFormat.numberOf(r.students) === null || CellFormat.numberOf(r.isolated) === null
                  ? null
                  : (CellFormat.numberOf(r.students) ?? 0) - (CellFormat.numberOf(r.isolated) ?? 0)
            }))}
            series={[
              { key: "isolated", label: "Isolated", colour: palette[1] },
              { key: "connected", label: "Not isolated", colour: palette[0] }
            ]}
            stacked
          />
        }
        columns={stageColumns}
        rows={overview.isolatedByStage}
        rowKey={(r) => r.stage}
        exportAs="isolation-by-stage"
        height={220}
      />
      <p className="note" id="no-recent-mentoring">
        <strong>
          <Count cell={noRecentMentoring.withoutMentoring} />
        </strong>{" "}
        of <Count cell={noRecentMentoring.students} /> active students in years 2–4 have had no mentoring contact (a
        mentorship meeting or office hours) in the last {noRecentMentoring.gapDays} days
        {CellFormat.numberOf(noRecentMentoring.share) === null
          ? ""
          : ` (${CellFormat.formatCell(noRecentMentoring.share, "share")})`}
        . <Link to="/students?stage=applying">The applying class</Link> on its own.
      </p>
    </section>
  )
}

const Count = ({ cell }: { readonly cell: CellFormat.Cell }) => <>{CellFormat.formatCell(cell, "count")}</>
