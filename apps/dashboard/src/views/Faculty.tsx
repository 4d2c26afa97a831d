/**
 * Faculty mentoring load: by department (mentees by tier, active pairs, letters), how
 * concentrated mentoring is (share held by the top 10%, Gini), and, with `dashboards:read`,
 * each faculty member's load against the median of their peers.
 *
 * @since 0.1.0
 */
import type { Views } from "@rapport/analytics"
import { useState, type FormEvent } from "react"
import { Link, useSearchParams } from "react-router"
import * as Client from "../api/Client.js"
import * as ViewUrls from "../api/ViewUrls.js"
import * as WholeList from "../api/WholeList.js"
import { NameMatches } from "../components/NameMatches.js"
import { useSignedIn } from "../api/SessionContext.js"
import { useResource } from "../api/useResource.js"
import { SuppressionNote } from "../components/CellValue.js"
import { ChartFigure } from "../components/ChartFigure.js"
import { Bars } from "../components/Charts.js"
import { DataTable } from "../components/DataTable.js"
import { Kpi, KpiGrid } from "../components/Kpi.js"
import { PageHeader } from "../components/PageHeader.js"
import { Pager } from "../components/Pager.js"
import { EmptySchool, ErrorState, Loading } from "../components/States.js"
import * as CellFormat from "../lib/Cell.js"
import * as Groups from "../lib/Groups.js"
import { tierLabel, tiers } from "../lib/Labels.js"
import { tierColours } from "../lib/Palette.js"
import * as Table from "../lib/Table.js"
import { SelectField } from "../components/Field.js"

type Department = Views.DepartmentLoad
type Row = Views.FacultyRow

const pairsMeaning =
  "A student and faculty member with an open mentor assignment, or at the developing tier or above with a mentorship meeting or office-hours visit in the last 365 days."
const topDecileMeaning =
  "The share of active mentoring pairs held by the busiest 10% of active faculty: lower means mentoring is shared more widely."
const giniMeaning =
  "The Gini coefficient of developing-or-better mentees over faculty with at least one: 0 means evenly shared, towards 1 means a few carry everyone."
const ratioMeaning =
  "Active mentoring pairs divided by the peer median (the typical active faculty member's load, those with none included): 2× is twice the typical load."

const departmentColumns: ReadonlyArray<Table.Column<Department>> = [
  { id: "department", header: "Department", csv: (d) => d.department },
  Table.cellColumn("faculty", "Faculty", (d) => d.faculty, "count"),
  ...tiers
    .filter((tier) => tier !== "none")
    .map((tier) =>
      Table.cellColumn<Department>(
        `mentees-${tier}`,
        `${tierLabel(tier)} relationships`,
        (d) => d.menteesByTier[tier],
        "count"
      )
    ),
  Table.explained(
    Table.cellColumn("pairs", "Active mentoring pairs", (d) => d.activeMentoringPairs, "count"),
    pairsMeaning
  ),
  Table.cellColumn("letters", "Letters submitted", (d) => d.lettersSubmitted, "count"),
  Table.explained(
    Table.numberColumn("topDecile", "Share held by the busiest 10%", (d) => d.topDecileShare, "share"),
    topDecileMeaning
  ),
  Table.explained(
    Table.numberColumn("gini", "Spread of mentoring (Gini)", (d) => d.gini, "decimal"),
    giniMeaning
  )
]

const facultyColumns: ReadonlyArray<Table.Column<Row>> = [
  {
    id: "facultyId",
    header: "Faculty member",
    sortKey: "facultyId",
    csv: (r) => r.facultyId,
    show: (r) => (
      <Link to={`/faculty/${encodeURIComponent(r.facultyId)}`}>
        {r.displayName === null ? r.facultyId : `${r.displayName} (${r.facultyId})`}
      </Link>
    )
  },
  { id: "department", header: "Department", sortKey: "department", csv: (r) => r.department ?? "" },
  { id: "rank", header: "Rank", csv: (r) => r.rank ?? "" },
  {
    id: "pairs",
    header: "Active mentoring pairs",
    numeric: true,
    sortKey: "load",
    csv: (r) => r.activeMentoringPairs,
    explain: pairsMeaning
  },
  {
    id: "loadRatio",
    header: "Load vs peer median",
    numeric: true,
    csv: (r) => r.loadRatio,
    show: (r) => (r.loadRatio === null ? "—" : CellFormat.formatNumber(r.loadRatio, "ratio")),
    explain: ratioMeaning
  },
  { id: "advocate", header: "Advocate for", numeric: true, csv: (r) => r.mentees.advocate },
  { id: "strong", header: "Strong", numeric: true, csv: (r) => r.mentees.strong },
  { id: "requested", header: "Letters requested", numeric: true, csv: (r) => r.letters.requested },
  { id: "submitted", header: "Letters submitted", numeric: true, sortKey: "letters", csv: (r) => r.letters.submitted },
  { id: "declined", header: "Declined", numeric: true, csv: (r) => r.letters.declined },
  { id: "status", header: "Status", csv: (r) => r.status }
]

// Status and declined letters are in the export; the screen keeps to what a dean compares.
const facultyScreenColumns = facultyColumns.filter((c) => c.id !== "status" && c.id !== "declined")

/**
 * @since 0.1.0
 * @category views
 */
export const Faculty = () => {
  const session = useSignedIn()
  const individuals = Client.seesIndividuals(session)
  const [params, setParams] = useSearchParams()
  const department = params.get("department") ?? ""
  const q = params.get("q") ?? ""
  const sort = params.get("sort") ?? undefined
  const order = params.get("order") === "desc" ? "desc" : "asc"
  const [search, setSearch] = useState(q)
  const faculty = useResource<Views.Faculty>(ViewUrls.faculty(params))
  const update = (changes: Readonly<Record<string, string | undefined>>, resetPage = true) => {
    const next = new URLSearchParams(params)
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === "") next.delete(key)
      else next.set(key, value)
    }
    if (resetPage) next.delete("page")
    setParams(next)
  }
  const onSearch = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    update({ q: search.trim() })
  }

  if (faculty.status === "loading") return <Loading what="faculty" />
  if (faculty.status === "error") return <ErrorState error={faculty.error} retry={faculty.reload} />
  const data = faculty.data
  const c = data.concentration
  const departments = [...data.departments].sort((a, b) => a.department.localeCompare(b.department))
  const otherDepartments = data.otherDepartments
  const departmentRows = Groups.rows(
    departments,
    otherDepartments === null
      ? null
      : {
          ...otherDepartments,
          department: Groups.otherLabel(otherDepartments.departments, "department", "departments")
        },
    departments.length === 0 && otherDepartments === null
      ? null
      : { ...data.departmentsTotal, department: "All departments" }
  )
  const departmentNote =
    otherDepartments === null
      ? undefined
      : Groups.otherSentence(otherDepartments.departments, data.meta.suppressionThreshold)

  return (
    <div className={faculty.refreshing ? "refreshing" : undefined} aria-busy={faculty.refreshing}>
      <PageHeader
        title="Faculty"
        lead="Who carries the mentoring, by department, and how concentrated it is. Heavy loads are a reason to recruit more mentors, not a measure of anyone."
        meta={data.meta}
      />
      {data.departments.length === 0 && CellFormat.numberOf(c.activeMentoringPairs) === 0 ? (
        <EmptySchool />
      ) : (
        <>
          <KpiGrid label="Concentration of mentoring">
            <Kpi
              label="Active mentoring pairs"
              explanation={pairsMeaning}
              cell={c.activeMentoringPairs}
              measure="count"
            />
            <Kpi
              label="Typical load (peer median)"
              explanation="The median of active mentoring pairs over every active faculty member, those with none included."
              cell={data.peerMedian}
              measure="decimal"
              context="the load each faculty member is compared with"
            />
            <Kpi
              label="Share held by the busiest 10% of faculty"
              explanation={topDecileMeaning}
              cell={c.topDecileShare}
              measure="share"
            />
            <Kpi
              label="Spread of mentoring (Gini coefficient)"
              explanation={giniMeaning}
              cell={c.gini}
              measure="decimal"
            />
          </KpiGrid>
          <SuppressionNote hidden={CellFormat.suppressionsIn([c.activeMentoringPairs])} />
          <ChartFigure
            title="Relationships by department and tier"
            description="Student–faculty relationships at the developing, strong or advocate tier with faculty of each department: a student who knows two of its faculty counts twice (these are pairs, not students)."
            height={Math.max(220, departmentRows.length * 34 + 60)}
            chart={
              <Bars
                horizontal
                stacked
                points={departmentRows
                  .filter((d) => d.kind !== "total")
                  .map((d) => ({
                    label: d.department,
                    developing: CellFormat.numberOf(d.menteesByTier.developing),
                    strong: CellFormat.numberOf(d.menteesByTier.strong),
                    advocate: CellFormat.numberOf(d.menteesByTier.advocate)
                  }))}
                series={(["developing", "strong", "advocate"] as const).map((tier) => ({
                  key: tier,
                  label: tierLabel(tier),
                  colour: tierColours[tier]
                }))}
              />
            }
            columns={departmentColumns}
            rows={departmentRows}
            rowKey={(d) => Groups.key(d, d.department)}
            rowKind={(d) => d.kind}
            exportAs="faculty-by-department"
            {...(departmentNote === undefined ? {} : { footnote: departmentNote })}
          />
          <section className="section" aria-labelledby="faculty-list-title">
            <h2 id="faculty-list-title">Faculty members</h2>
            {individuals ? (
              <>
                <div className="filters card">
                  <SelectField
                    label="Department"
                    value={department}
                    onChange={(value) => update({ department: value })}
                  >
                    <option value="">All departments</option>
                    {departments.map((d) => (
                      <option key={d.department} value={d.department}>
                        {d.department}
                      </option>
                    ))}
                  </SelectField>
                  <search className="field search">
                    <form onSubmit={onSearch}>
                      <label htmlFor="faculty-search">Name or faculty id</label>
                      <div className="search-row">
                        <input
                          id="faculty-search"
                          type="search"
                          value={search}
                          onChange={(e) => setSearch(e.target.value)}
                        />
                        <button type="submit" className="button">
                          Search
                        </button>
                      </div>
                    </form>
                  </search>
                </div>
                <NameMatches kind="faculty" q={q} />
                <DataTable
                  caption="Faculty members and their mentoring load"
                  columns={facultyScreenColumns}
                  rows={data.rows}
                  rowKey={(r) => r.facultyId}
                  exportAs="faculty"
                  exportColumns={facultyColumns}
                  exportWhole={{
                    total: data.total,
                    load: () => WholeList.load<Row>(ViewUrls.faculty(params), (r) => r.facultyId)
                  }}
                  serverSort={{
                    by: sort,
                    order,
                    onSort: (by) => update({ sort: by, order: sort === by && order === "asc" ? "desc" : "asc" }, false)
                  }}
                  empty="No faculty member matches."
                />
                <Pager
                  label="Faculty"
                  page={data.page}
                  pageSize={data.pageSize}
                  total={data.total}
                  onPage={(next) => update({ page: String(next) }, false)}
                  onPageSize={(size) => update({ pageSize: String(size) })}
                />
                <FacultyWhoLeft department={department} q={q} />
              </>
            ) : (
              <p className="note">
                Individual faculty members are not listed with aggregate-only access; the departments above hold the
                same picture without naming anyone.
              </p>
            )}
          </section>
        </>
      )}
    </div>
  )
}

/** Faculty who left, listed apart: their past mentoring and letters, not a load to compare. */
const FacultyWhoLeft = ({ department, q }: { readonly department: string; readonly q: string }) => {
  const url = Client.withQuery(Client.routes.faculty, { department, q, status: "left", pageSize: 200 })
  const left = useResource<Views.Faculty>(url)
  if (left.status !== "ready" || left.data.total === 0) return null
  return (
    <section className="section" aria-labelledby="faculty-left-title">
      <h2 id="faculty-left-title">Faculty who left</h2>
      <p className="note">
        Listed apart from the faculty above: they carry no load now. Their relationships stay on their page and in the
        students&apos; histories.
      </p>
      <DataTable
        caption="Faculty who left"
        columns={leftColumns}
        rows={left.data.rows}
        rowKey={(r) => r.facultyId}
        exportAs="faculty-who-left"
        exportColumns={facultyColumns}
        initialRows={10}
      />
    </section>
  )
}

const leftColumns = facultyColumns.filter((c) =>
  ["facultyId", "department", "rank", "requested", "submitted"].includes(c.id)
)
