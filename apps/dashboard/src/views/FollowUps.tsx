/**
 * Follow-ups due, overdue, done and expired, by rule; whether nudges were followed by
 * contact; and, with `dashboards:read`, the follow-ups themselves — by default what is newly
 * due or coming due (due in the last 30 days or the next 14), the most important first —
 * filtered by rule and state.
 *
 * @since 0.1.0
 */
import type { Views } from "@rapport/analytics"
import { useSearchParams } from "react-router"
import * as Client from "../api/Client.js"
import * as ViewUrls from "../api/ViewUrls.js"
import * as WholeList from "../api/WholeList.js"
import { useSignedIn } from "../api/SessionContext.js"
import { useResource } from "../api/useResource.js"
import { ChartFigure } from "../components/ChartFigure.js"
import { Bars } from "../components/Charts.js"
import { DataTable } from "../components/DataTable.js"
import { PageHeader } from "../components/PageHeader.js"
import { Pager } from "../components/Pager.js"
import { followUpColumns } from "../components/PersonParts.js"
import { ErrorState, Loading } from "../components/States.js"
import * as CellFormat from "../lib/Cell.js"
import * as Groups from "../lib/Groups.js"
import { ruleLabel } from "../lib/Labels.js"
import { ui } from "../lib/Palette.js"
import * as Table from "../lib/Table.js"
import { SelectField } from "../components/Field.js"

type ByRule = Views.FollowUps["byRule"][number]
type Nudge = Views.FollowUps["nudges"][number]

/** a rule's label; "Other" and total rows carry theirs in `ruleId` */
const labelOf = (row: { readonly ruleId: string; readonly kind: Groups.Kind }) =>
  row.kind === "group" ? ruleLabel(row.ruleId) : row.ruleId

const ruleColumns: ReadonlyArray<Table.Column<Groups.Grouped<ByRule>>> = [
  { id: "rule", header: "Rule", csv: labelOf },
  Table.cellColumn("overdue", "Overdue", (r) => r.overdue, "count"),
  Table.cellColumn("due", "Due", (r) => r.due, "count"),
  Table.cellColumn("done", "Done", (r) => r.done, "count"),
  Table.cellColumn("expired", "Expired", (r) => r.expired, "count")
]

const nudgeColumns: ReadonlyArray<Table.Column<Groups.Grouped<Nudge>>> = [
  { id: "rule", header: "Rule", csv: labelOf },
  Table.cellColumn("sent", "Nudges sent", (n) => n.sent, "count"),
  Table.cellColumn("followed", "Followed by contact", (n) => n.followedByContact, "count"),
  Table.cellColumn("share", "Share followed by contact", (n) => n.share, "share"),
  Table.numberColumn("median", "Median days to contact", (n) => n.medianDaysToContact, "decimal")
]

/** a table by rule: its rules, then Other and the total, labelled in `ruleId` */
const byRuleRows = <Row extends { readonly ruleId: string }>(
  rules: ReadonlyArray<Row>,
  other: (Omit<Row, "ruleId"> & { readonly ruleIds: ReadonlyArray<string> }) | null,
  total: Omit<Row, "ruleId">
): ReadonlyArray<Groups.Grouped<Omit<Row, "ruleId"> & { readonly ruleId: string }>> =>
  Groups.rows<Omit<Row, "ruleId"> & { readonly ruleId: string }>(
    rules,
    other === null ? null : { ...other, ruleId: Groups.otherLabel(other.ruleIds, "rule", "rules") },
    rules.length === 0 && other === null ? null : { ...total, ruleId: "All rules" }
  )

/**
 * @since 0.1.0
 * @category views
 */
export const FollowUps = () => {
  const session = useSignedIn()
  const individuals = Client.seesIndividuals(session)
  const [params, setParams] = useSearchParams()
  const ruleId = params.get("ruleId") ?? ""
  const state = params.get("state") ?? ""
  const window = params.get("window") ?? ""
  const followUps = useResource<Views.FollowUps>(ViewUrls.followUps(params))
  const update = (changes: Readonly<Record<string, string | undefined>>, resetPage = true) => {
    const next = new URLSearchParams(params)
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === "") next.delete(key)
      else next.set(key, value)
    }
    if (resetPage) next.delete("page")
    setParams(next)
  }

  if (followUps.status === "loading") return <Loading what="follow-ups" />
  if (followUps.status === "error") return <ErrorState error={followUps.error} retry={followUps.reload} />
  const data = followUps.data
  const ruleRows = byRuleRows(data.byRule, data.otherRules, data.rulesTotal)
  const nudgeRows = byRuleRows(data.nudges, data.otherNudges, data.nudgesTotal)
  const noteOf = (other: { readonly ruleIds: ReadonlyArray<string> } | null) =>
    other === null
      ? {}
      : { footnote: Groups.otherSentence(other.ruleIds.map(ruleLabel), data.meta.suppressionThreshold) }

  return (
    <div className={followUps.refreshing ? "refreshing" : undefined} aria-busy={followUps.refreshing}>
      <PageHeader
        title="Follow-ups"
        lead="What the rules suggest a dean or advisor do now — letters first, then students without faculty contact, mentor meetings, research, staying in touch — and whether nudges led to contact. A follow-up not done in time expires and is no longer asked of anyone."
        meta={data.meta}
      />
      <div className="grid-2">
        <ChartFigure
          title="Follow-ups by rule"
          description="Overdue first: these are past their due date."
          height={Math.max(220, ruleRows.length * 36 + 60)}
          chart={
            <Bars
              horizontal
              stacked
              points={ruleRows
                .filter((r) => r.kind !== "total")
                .map((r) => ({
                  label: labelOf(r),
                  overdue: CellFormat.numberOf(r.overdue),
                  due: CellFormat.numberOf(r.due)
                }))}
              series={[
                { key: "overdue", label: "Overdue", colour: ui.danger },
                { key: "due", label: "Due", colour: ui.accent }
              ]}
            />
          }
          columns={ruleColumns}
          rows={ruleRows}
          rowKey={(r) => Groups.key(r, r.ruleId)}
          rowKind={(r) => r.kind}
          exportAs="follow-ups-by-rule"
          {...noteOf(data.otherRules)}
        />
        <ChartFigure
          title="Did nudges lead to contact?"
          description="Share of nudges followed by contact between the people involved."
          height={Math.max(220, nudgeRows.length * 36 + 60)}
          chart={
            <Bars
              horizontal
              share
              points={nudgeRows
                .filter((n) => n.kind !== "total")
                .map((n) => ({ label: labelOf(n), share: CellFormat.numberOf(n.share) }))}
              series={[{ key: "share", label: "Followed by contact", colour: ui.success }]}
            />
          }
          columns={nudgeColumns}
          rows={nudgeRows}
          rowKey={(n) => Groups.key(n, n.ruleId)}
          rowKind={(n) => n.kind}
          exportAs="nudges"
          {...noteOf(data.otherNudges)}
        />
      </div>
      <section className="section" aria-labelledby="follow-up-list-title">
        <h2 id="follow-up-list-title">Follow-ups</h2>
        {individuals ? (
          <>
            <div className="filters card">
              <SelectField label="Rule" value={ruleId} onChange={(value) => update({ ruleId: value })}>
                <option value="">All rules</option>
                {data.byRule.map((r) => (
                  <option key={r.ruleId} value={r.ruleId}>
                    {ruleLabel(r.ruleId)}
                  </option>
                ))}
              </SelectField>
              <SelectField label="Show" value={window} onChange={(value) => update({ window: value })}>
                <option value="">Newly due or coming due</option>
                <option value="all">All dates</option>
              </SelectField>
              <SelectField label="State" value={state} onChange={(value) => update({ state: value })}>
                <option value="">{window === "" ? "Open" : "All states"}</option>
                <option value="overdue">Overdue</option>
                <option value="due">Due</option>
                <option value="done">Done</option>
                <option value="expired">Expired</option>
              </SelectField>
            </div>
            <p className="note">
              {window === ""
                ? "Due in the last 30 days or the next 14, the most important first. A student–faculty pair has one open follow-up at a time."
                : "Every date, the most important open follow-ups first."}
            </p>
            <DataTable
              caption="Follow-ups"
              columns={followUpColumns(true)}
              rows={data.rows}
              rowKey={(f) => f.id}
              exportAs="follow-ups"
              exportWhole={{
                total: data.total,
                load: () => WholeList.load<Views.FollowUpRow>(ViewUrls.followUps(params), (f) => f.id)
              }}
              clientSort
              empty="Nothing to follow up with these filters."
            />
            <Pager
              label="Follow-ups"
              page={data.page}
              pageSize={data.pageSize}
              total={data.total}
              onPage={(next) => update({ page: String(next) }, false)}
              onPageSize={(size) => update({ pageSize: String(size) })}
            />
          </>
        ) : (
          <p className="note">Individual follow-ups are not listed with aggregate-only access.</p>
        )}
      </section>
    </div>
  )
}
