/**
 * The students, filtered (graduation year, specialty, tier, isolation, stage, status), searched by
 * name (the directory) or id prefix, sorted and paged by the server; the filters live in the URL so a view can be shared
 * and the back button works. Individual rows need `dashboards:read`.
 *
 * @since 0.1.0
 */
import type { Views } from "@rapport/analytics"
import { useState, type FormEvent } from "react"
import { Link, useSearchParams } from "react-router"
import * as Client from "../api/Client.js"
import * as ViewUrls from "../api/ViewUrls.js"
import * as WholeList from "../api/WholeList.js"
import { useSignedIn } from "../api/SessionContext.js"
import { useFacets } from "../api/useFacets.js"
import { useResource } from "../api/useResource.js"
import { ChartFigure } from "../components/ChartFigure.js"
import { Bars } from "../components/Charts.js"
import { DataTable } from "../components/DataTable.js"
import { NameMatches } from "../components/NameMatches.js"
import { PageHeader } from "../components/PageHeader.js"
import { Pager } from "../components/Pager.js"
import { AggregateOnly, ErrorState, Loading } from "../components/States.js"
import { TierBadge } from "../components/TierBadge.js"
import * as CellFormat from "../lib/Cell.js"
import { formatInstant, stageLabel, stages, tierLabel, tiers } from "../lib/Labels.js"
import { tierColours } from "../lib/Palette.js"
import * as Table from "../lib/Table.js"
import { SelectField } from "../components/Field.js"

type Row = Views.StudentRow

const isolatedMeaning =
  "Isolated: an active student past their first semester with too little contact they or a faculty member chose"
const newMeaning = "New: in their first semester, with no time yet to build relationships (never counted as isolated)"

const columns: ReadonlyArray<Table.Column<Row>> = [
  {
    id: "studentId",
    header: "Student",
    sortKey: "studentId",
    csv: (r) => r.studentId,
    show: (r) => (
      <Link to={`/students/${encodeURIComponent(r.studentId)}`}>
        {r.displayName === null ? r.studentId : `${r.displayName} (${r.studentId})`}
      </Link>
    )
  },
  { id: "displayName", header: "Name", csv: (r) => r.displayName ?? "", show: () => null },
  { id: "graduationYear", header: "Class of", sortKey: "graduationYear", csv: (r) => r.graduationYear },
  {
    id: "stage",
    header: "Stage",
    csv: (r) => r.stage ?? "",
    show: (r) => (r.stage === null ? "" : stageLabel(r.stage))
  },
  { id: "specialty", header: "Specialty", csv: (r) => r.specialty ?? "" },
  {
    id: "highestTier",
    header: "Strongest relationship",
    sortKey: "tier",
    csv: (r) => r.highestTier,
    show: (r) => (
      <>
        <TierBadge tier={r.highestTier} />
        {r.isolated ? (
          <span className="flag attention" title={isolatedMeaning}>
            isolated
          </span>
        ) : r.stage === "new" ? (
          <span className="flag" title={newMeaning}>
            new
          </span>
        ) : null}
      </>
    )
  },
  {
    id: "relationships",
    header: "Developing or better",
    sortKey: "relationships",
    numeric: true,
    csv: (r) => r.relationships.developing + r.relationships.strong + r.relationships.advocate
  },
  { id: "advocates", header: "Advocates", numeric: true, csv: (r) => r.advocates },
  { id: "departmentsReached", header: "Departments", numeric: true, csv: (r) => r.departmentsReached },
  {
    id: "lastContact",
    header: "Last faculty contact",
    sortKey: "lastContact",
    csv: (r) => r.lastContactAt ?? "",
    show: (r) =>
      r.daysSinceContact === null ? (
        "never"
      ) : (
        <span className="nowrap" title={formatInstant(r.lastContactAt)}>
          {CellFormat.formatNumber(r.daysSinceContact, "days")} ago
        </span>
      )
  },
  { id: "isolated", header: "Isolated", csv: (r) => r.isolated, show: (r) => (r.isolated ? "isolated" : "") },
  { id: "status", header: "Status", csv: (r) => r.status }
]
// The name is exported but shown inside the Student column, isolation beside the tier; the
// status only when the list is not of active students alone.
const screenColumns = (withStatus: boolean) =>
  columns.filter((c) => c.id !== "displayName" && c.id !== "isolated" && (withStatus || c.id !== "status"))

type TierRow = { readonly tier: string; readonly students: CellFormat.Cell }
const tierColumns: ReadonlyArray<Table.Column<TierRow>> = [
  { id: "tier", header: "Strongest relationship", csv: (r) => tierLabel(r.tier) },
  Table.cellColumn("students", "Students", (r) => r.students, "count")
]

const filterKeys = ["graduationYear", "specialty", "tier", "isolated", "stage", "status", "q"] as const

/**
 * @since 0.1.0
 * @category views
 */
export const Students = () => {
  const session = useSignedIn()
  if (!Client.seesIndividuals(session)) return <AggregateOnly what="individual students" />
  return <StudentsTable />
}

const StudentsTable = () => {
  const [params, setParams] = useSearchParams()
  const facets = useFacets()
  const get = (key: string) => params.get(key) ?? ""
  const sort = params.get("sort") ?? undefined
  const order = params.get("order") === "desc" ? "desc" : "asc"
  const [search, setSearch] = useState(get("q"))

  const url = ViewUrls.students(params)
  const students = useResource<Views.Students>(url)

  const update = (changes: Readonly<Record<string, string | undefined>>, resetPage = true) => {
    const next = new URLSearchParams(params)
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === "") next.delete(key)
      else next.set(key, value)
    }
    if (resetPage) next.delete("page")
    setParams(next)
  }
  const filtered = filterKeys.some((key) => get(key) !== "")
  const onSearch = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    update({ q: search.trim() })
  }

  return (
    <>
      <PageHeader
        title="Students"
        lead="Find students who lack faculty connections. Open a student to see each relationship and why it scores as it does."
        meta={students.status === "ready" ? students.data.meta : undefined}
      />
      <section className="filters card" aria-label="Filters">
        <SelectField
          label="Graduation year"
          value={get("graduationYear")}
          onChange={(value) => update({ graduationYear: value })}
        >
          <option value="">All years</option>
          {withCurrent(facets.graduationYears.map(String), get("graduationYear")).map((year) => (
            <option key={year} value={year}>
              Class of {year}
            </option>
          ))}
        </SelectField>
        <SelectField label="Specialty" value={get("specialty")} onChange={(value) => update({ specialty: value })}>
          <option value="">All specialties</option>
          {withCurrent(facets.specialties, get("specialty")).map((specialty) => (
            <option key={specialty} value={specialty}>
              {specialty}
            </option>
          ))}
        </SelectField>
        <SelectField label="Strongest relationship" value={get("tier")} onChange={(value) => update({ tier: value })}>
          <option value="">Any tier</option>
          {tiers.map((tier) => (
            <option key={tier} value={tier}>
              {tierLabel(tier)}
            </option>
          ))}
        </SelectField>
        <SelectField label="Isolated" value={get("isolated")} onChange={(value) => update({ isolated: value })}>
          <option value="">All students</option>
          <option value="true">Isolated only</option>
          <option value="false">Not isolated</option>
        </SelectField>
        <SelectField label="Stage" value={get("stage")} onChange={(value) => update({ stage: value })}>
          <option value="">All stages</option>
          {stages.map((stage) => (
            <option key={stage} value={stage}>
              {stageLabel(stage)}
            </option>
          ))}
        </SelectField>
        <SelectField label="Status" value={get("status")} onChange={(value) => update({ status: value })}>
          <option value="">Active</option>
          <option value="leave">On leave</option>
          <option value="graduated">Graduated</option>
          <option value="withdrawn">Withdrawn</option>
          <option value="all">All statuses</option>
        </SelectField>
        <search className="field search">
          <form onSubmit={onSearch}>
            <label htmlFor="student-search">Name or student id</label>
            <div className="search-row">
              <input
                id="student-search"
                type="search"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                autoComplete="off"
                spellCheck={false}
              />
              <button type="submit" className="button">
                Search
              </button>
            </div>
          </form>
        </search>
        {filtered ? (
          <button
            type="button"
            className="button link"
            onClick={() => {
              setSearch("")
              update(Object.fromEntries(filterKeys.map((key) => [key, undefined])))
            }}
          >
            Clear filters
          </button>
        ) : null}
      </section>
      <NameMatches kind="student" q={get("q")} />
      {students.status === "loading" ? <Loading what="students" /> : null}
      {students.status === "error" ? <ErrorState error={students.error} retry={students.reload} /> : null}
      {students.status === "ready" ? (
        <div className={students.refreshing ? "refreshing" : undefined} aria-busy={students.refreshing}>
          <ChartFigure
            title="Students by strongest relationship"
            description="The filtered students, by the strongest tier any faculty relationship has reached."
            chart={
              <Bars
                horizontal
                points={tiers.map((tier) => ({
                  label: tierLabel(tier),
                  students: CellFormat.numberOf(students.data.byTier[tier])
                }))}
                series={[{ key: "students", label: "Students", colour: tierColours.strong }]}
              />
            }
            columns={tierColumns}
            rows={tiers.map((tier) => ({ tier, students: students.data.byTier[tier] }))}
            rowKey={(r) => r.tier}
            exportAs="students-by-tier"
            height={220}
          />
          <DataTable
            caption={`Students, page ${students.data.page}`}
            columns={screenColumns(get("status") !== "")}
            rows={students.data.rows}
            rowKey={(r) => r.studentId}
            exportAs="students"
            exportColumns={columns}
            exportWhole={{
              total: students.data.total,
              load: () => WholeList.load<Row>(url, (r) => r.studentId)
            }}
            serverSort={{
              by: sort,
              order,
              onSort: (by) => update({ sort: by, order: sort === by && order === "asc" ? "desc" : "asc" }, false)
            }}
            empty={
              get("q") !== ""
                ? `No student id starts with “${get("q")}”; names that match are listed above.`
                : filtered
                  ? "No student matches these filters."
                  : "No students yet."
            }
          />
          <Pager
            label="Students"
            page={students.data.page}
            pageSize={students.data.pageSize}
            total={students.data.total}
            onPage={(next) => update({ page: String(next) }, false)}
            onPageSize={(size) => update({ pageSize: String(size) })}
          />
        </div>
      ) : null}
    </>
  )
}

const withCurrent = (options: ReadonlyArray<string>, current: string): ReadonlyArray<string> =>
  current === "" || options.includes(current) ? options : [...options, current]
