/**
 * `GET /v1/dashboard/*` and the person pages. `dashboards:read` keys see individuals;
 * `aggregates:read` keys see aggregate views only, with small groups suppressed, and get
 * 403 on anything about one student. Every view of a student's page is written to the
 * audit log under the key's name. `waitFor=<position>` waits (up to 5 s) until the read
 * models include a position an append returned: read your writes. Positions are tokens
 * sealed for the school (http/PositionToken.ts), in `waitFor` as in `meta.position`.
 *
 * @since 0.1.0
 */
import { type Dashboard, Filters, ReadError, type Suppression, Timeline, Views } from "@rapport/analytics"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { ControlUnavailable } from "../control/ControlError.js"
import type { ControlStore } from "../control/ControlStore.js"
import * as Cost from "../http/Cost.js"
import * as CsvExport from "../http/CsvExport.js"
import type { PositionTokens } from "../http/PositionToken.js"
import { type HttpProblem, problem, ProblemType } from "../http/Problem.js"
import { type AnyRoute, erase, type Principal, route } from "../http/Route.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface DashboardDeps {
  /** display names come from the control tables' directory */
  readonly dashboard: Dashboard.Dashboard<ControlUnavailable>
  readonly control: ControlStore
  readonly waitFor: (position: number, timeoutMs: number) => Promise<boolean>
  /** `waitFor` and `meta.position` are tokens, never the log's position (http/PositionToken.ts) */
  readonly positions: PositionTokens
  readonly now: () => Date
}

const json = (body: unknown): Response =>
  new Response(JSON.stringify(body), {
    status: 200,
    headers: { "content-type": "application/json", "cache-control": "no-store" }
  })

const audienceOf = (principal: Principal | undefined): Suppression.Audience =>
  principal?.scopes.has("dashboards:read") === true ? "individual" : "aggregate"

const schoolOf = (principal: Principal | undefined): Effect.Effect<string, HttpProblem> =>
  principal === undefined ? Effect.fail(problem(401, "Send an API key.")) : Effect.succeed(principal.school)

/** Waits until the read models include the position of a `waitFor` token (read your writes), at most 5 s. */
const consistent = (
  deps: DashboardDeps,
  school: string,
  token: string | undefined
): Effect.Effect<void, HttpProblem | ReadError.ReadModelsUnavailable | ReadError.NotYetConsistent> => {
  if (token === undefined) return Effect.void
  const waitFor = deps.positions.open(school, token)
  if (waitFor === undefined) {
    return Effect.fail(
      problem(400, "waitFor is not a position this school was given; pass the `position` of one of its own appends.", {
        type: ProblemType.validationFailed,
        errors: [{ index: 0, path: ["query", "waitFor"], message: "Expected a position token of this school" }]
      })
    )
  }
  return Effect.flatMap(
    ReadError.fromReadModels(() => deps.waitFor(waitFor, 5000)),
    (ok) => (ok ? Effect.void : Effect.fail(new ReadError.NotYetConsistent({ position: waitFor })))
  )
}

/** A view or page with its `meta.position` sealed for the school. */
const sealed = (deps: DashboardDeps, school: string, body: unknown): unknown => {
  if (typeof body !== "object" || body === null || !("meta" in body)) return body
  const meta: unknown = body.meta
  if (typeof meta !== "object" || meta === null || !("position" in meta) || typeof meta.position !== "number")
    return body
  return { ...body, meta: { ...meta, position: deps.positions.seal(school, meta.position) } }
}

const view = <A, E>(
  deps: DashboardDeps,
  school: string,
  waitFor: string | undefined,
  read: Effect.Effect<A, E>
): Effect.Effect<Response, E | HttpProblem | ReadError.ReadModelsUnavailable | ReadError.NotYetConsistent> =>
  Effect.gen(function* () {
    yield* consistent(deps, school, waitFor)
    return json(sealed(deps, school, yield* read))
  })

/**
 * A view's schema as the HTTP API answers it: `meta.position` a token (a string).
 *
 * @since 0.2.0
 * @category models
 */
export const ServedMeta = Views.ViewMeta.mapFields((fields) => ({
  ...fields,
  position: Schema.String.annotate({
    description: "an opaque token: pass it as `waitFor` to read at least what this answer included"
  })
})).annotate({ identifier: "ViewMeta" })

const served = <S extends Schema.Struct<Schema.Struct.Fields & { readonly meta: typeof Views.ViewMeta }>>(
  schema: S
): Schema.Top & Schema.ConstraintDecoder<unknown> =>
  schema.mapFields((fields) => ({ ...fields, meta: ServedMeta })).annotate(schema.ast.annotations ?? {})

const aggregateRoute = <Q extends { readonly waitFor?: string; readonly format?: "json" | "csv" }>(
  deps: DashboardDeps,
  spec: {
    readonly operationId: string
    readonly path: string
    readonly summary: string
    readonly description: string
    readonly query: Schema.Codec<Q, Readonly<Record<string, string>>>
    readonly response: Schema.Struct<Schema.Struct.Fields & { readonly meta: typeof Views.ViewMeta }>
    readonly read: (
      school: string,
      audience: Suppression.Audience,
      query: Q
    ) => Effect.Effect<unknown, ReadError.ReadModelsUnavailable | ControlUnavailable>
    /** the list as CSV (`format=csv` or `Accept: text/csv`): the individual rows, or the aggregate table */
    readonly csv?: ListCsv
  }
): AnyRoute =>
  erase(
    route<Record<string, never>, Q>({
      operationId: spec.operationId,
      method: "GET",
      path: spec.path,
      tag: "dashboards",
      summary: spec.summary,
      description: spec.description,
      access: { _tag: "Scoped", anyOf: ["dashboards:read", "aggregates:read"] },
      query: spec.query,
      responses: {
        200: {
          description: spec.summary,
          schema: served(spec.response),
          ...(spec.csv === undefined ? {} : { alternatives: { "text/csv": spec.csv.description } })
        }
      },
      errors: [400, 401, 403, 429, 503],
      handle: ({ principal, query, request }) =>
        Effect.flatMap(schoolOf(principal), (school) => {
          const audience = audienceOf(principal)
          const csv = spec.csv
          if (csv !== undefined && CsvExport.wantsCsv(query.format, request.headers.get("accept"))) {
            const read = (page: number) => spec.read(school, audience, { ...query, page, pageSize: exportPageSize })
            return Effect.andThen(
              consistent(deps, school, query.waitFor),
              audience === "individual"
                ? csvPages(deps, school, csv.list, csv.individual.columns, (page) =>
                    Effect.map(read(page), (answer) => csv.individual.rows(answer))
                  )
                : Effect.map(read(1), (answer) =>
                    CsvExport.response({
                      columns: csv.aggregate.columns,
                      first: csv.aggregate.rows(answer),
                      next: async () => undefined,
                      fileName: CsvExport.fileName(school, csv.list, deps.now())
                    })
                  )
            )
          }
          return view(deps, school, query.waitFor, spec.read(school, audience, query))
        })
    })
  )

/** Rows read per page of a CSV export. */
const exportPageSize = 1000

/**
 * How a list is written as CSV: its rows as `dashboards:read` sees them (every page), and
 * its aggregate table as `aggregates:read` sees it (groups, Other, the total: suppressed as
 * on screen).
 */
interface ListCsv {
  readonly list: string
  readonly description: string
  readonly individual: {
    readonly columns: ReadonlyArray<CsvExport.Column>
    readonly rows: (answer: unknown) => ReadonlyArray<unknown>
  }
  readonly aggregate: {
    readonly columns: ReadonlyArray<CsvExport.Column>
    readonly rows: (answer: unknown) => ReadonlyArray<unknown>
  }
}

/**
 * A whole list as CSV, a page at a time: the first read before answering (so that a read
 * model that cannot be read is a 503), the others as the client takes the body.
 */
const csvPages = <E>(
  deps: DashboardDeps,
  school: string,
  list: string,
  columns: ReadonlyArray<CsvExport.Column>,
  page: (n: number) => Effect.Effect<ReadonlyArray<unknown>, E>
): Effect.Effect<Response, E> =>
  Effect.map(page(1), (first) => {
    let next = 2
    return CsvExport.response({
      columns,
      first,
      next: async () => {
        if (first.length < exportPageSize) return undefined
        const rows = await Effect.runPromise(page(next))
        next += 1
        return rows.length === 0 ? undefined : rows
      },
      fileName: CsvExport.fileName(school, list, deps.now())
    })
  })

const listOf = (answer: unknown, key: string): ReadonlyArray<unknown> => {
  const value = typeof answer === "object" && answer !== null ? Reflect.get(answer, key) : undefined
  return Array.isArray(value) ? value : []
}

/** "Other (3 departments)", as the dashboard labels the row (apps/dashboard/src/lib/Groups.ts). */
const otherLabel = (members: ReadonlyArray<string>, one: string, many: string): string =>
  members.length === 0 ? "Other" : `Other (${members.length} ${members.length === 1 ? one : many})`

/** A table by group as on screen: the groups, "Other" when there is one, and the total (when there is any group). */
const groupedRows = (
  answer: unknown,
  spec: {
    readonly groups: string
    readonly other: string
    readonly total: string
    readonly label: string
    readonly members: string
    readonly one: string
    readonly many: string
    readonly totalLabel: string
  }
): ReadonlyArray<unknown> => {
  const groups = listOf(answer, spec.groups)
  const other: unknown = typeof answer === "object" && answer !== null ? Reflect.get(answer, spec.other) : null
  const total: unknown = typeof answer === "object" && answer !== null ? Reflect.get(answer, spec.total) : null
  const rows: Array<unknown> = [...groups]
  if (typeof other === "object" && other !== null) {
    const members = listOf(other, spec.members).map(String)
    rows.push({ ...other, [spec.label]: otherLabel(members, spec.one, spec.many) })
  }
  if (rows.length > 0 && typeof total === "object" && total !== null)
    rows.push({ ...total, [spec.label]: spec.totalLabel })
  return rows
}

const withNames = <R extends { readonly studentId: string; readonly displayName: string | null }>(
  control: ControlStore,
  school: string,
  rows: ReadonlyArray<R>
): Effect.Effect<Array<R>, ControlUnavailable> =>
  Effect.forEach(
    rows,
    (row) =>
      Effect.map(control.getDirectory(school, "student", row.studentId), (entry) => ({
        ...row,
        displayName: entry?.displayName ?? null
      })),
    { concurrency: "unbounded" }
  )

const studentColumns = CsvExport.columnsOf(Views.StudentRow)

const studentsCsvDescription =
  "`format=csv` or `Accept: text/csv`: the whole filtered list (every page), streamed, one line per student with the fields of `rows` (dotted when nested: `relationships.developing`), in the order asked for; `page` and `pageSize` are ignored."

/**
 * @since 0.1.0
 * @category routes
 */
export const routes = (deps: DashboardDeps): ReadonlyArray<AnyRoute> => [
  aggregateRoute(deps, {
    operationId: "dashboardOverview",
    path: "/v1/dashboard/overview",
    summary: "School overview",
    description:
      "Share of active students with at least one strong relationship, isolated students (and by stage: new, pre-clinical, clinical, applying), students in years 2–4 with no mentoring contact within the school's mentoring gap, letter readiness of the next application cycle, follow-ups due and overdue, and the last 12 months.",
    query: Filters.ViewQuery,
    response: Views.Overview,
    read: (school, audience) => deps.dashboard.overview(school, audience)
  }),
  aggregateRoute(deps, {
    operationId: "dashboardTrends",
    path: "/v1/dashboard/trends",
    summary: "Monthly trends",
    description:
      "Additive monthly counts in the school's time zone (late events land in their month), overall and by graduation year.",
    query: Filters.TrendsQuery,
    response: Views.Trends,
    read: (school, audience, query) => deps.dashboard.trends(school, audience, query)
  }),
  erase(
    route<Record<string, never>, Filters.StudentsQuery>({
      operationId: "dashboardStudents",
      method: "GET",
      path: "/v1/dashboard/students",
      tag: "dashboards",
      summary: "Students, filtered, sorted and paged",
      description:
        "Individual students (dashboards:read only): filter by graduation year, specialty, highest tier now, isolation, stage (`new` until the end of the first semester, `pre-clinical`, `clinical`, `applying`: the class applying for residency), status and id prefix. Each row says the student's stage now.",
      access: { _tag: "Scoped", anyOf: ["dashboards:read"] },
      query: Filters.StudentsQuery,
      responses: {
        200: {
          description: "A page of students",
          schema: served(Views.Students),
          alternatives: { "text/csv": studentsCsvDescription }
        }
      },
      errors: [400, 401, 403, 429, 503],
      handle: ({ principal, query, request }) =>
        Effect.flatMap(schoolOf(principal), (school) => {
          const named = (q: Filters.StudentsQuery) =>
            Effect.flatMap(deps.dashboard.students(school, q), (page) =>
              Effect.map(withNames(deps.control, school, page.rows), (rows) => ({ ...page, rows }))
            )
          if (CsvExport.wantsCsv(query.format, request.headers.get("accept")))
            return Effect.andThen(
              consistent(deps, school, query.waitFor),
              csvPages(deps, school, "students", studentColumns, (page) =>
                Effect.map(named({ ...query, page, pageSize: exportPageSize }), (answer) => answer.rows)
              )
            )
          return view(deps, school, query.waitFor, named(query))
        })
    })
  ),
  aggregateRoute(deps, {
    operationId: "dashboardFaculty",
    path: "/v1/dashboard/faculty",
    summary: "Faculty mentoring load",
    description:
      "Mentoring load by department, concentration (top-10% share, Gini) and letters; individual rows for dashboards:read only.",
    query: Filters.FacultyQuery,
    response: Views.Faculty,
    // display names for the rows a dashboards:read key sees (the directory is control data)
    read: (school, audience, query) =>
      Effect.flatMap(deps.dashboard.faculty(school, audience, query), (view) =>
        Effect.map(
          Effect.forEach(
            view.rows,
            (row) =>
              Effect.map(deps.control.getDirectory(school, "faculty", row.facultyId), (entry) => ({
                ...row,
                displayName: entry?.displayName ?? null
              })),
            { concurrency: "unbounded" }
          ),
          (rows) => ({ ...view, rows })
        )
      ),
    csv: {
      list: "faculty",
      description:
        "`format=csv` or `Accept: text/csv`: the whole filtered list, streamed, one line per faculty member (the fields of `rows`, dotted when nested), in the order asked for; for aggregates:read, the departments table as on screen (departments, Other, All departments), hidden cells as `suppressed (…)`.",
      individual: { columns: CsvExport.columnsOf(Views.FacultyRow), rows: (answer) => listOf(answer, "rows") },
      aggregate: {
        columns: CsvExport.columnsOf(Views.DepartmentLoad),
        rows: (answer) =>
          groupedRows(answer, {
            groups: "departments",
            other: "otherDepartments",
            total: "departmentsTotal",
            label: "department",
            members: "departments",
            one: "department",
            many: "departments",
            totalLabel: "All departments"
          })
      }
    }
  }),
  aggregateRoute(deps, {
    operationId: "dashboardLetters",
    path: "/v1/dashboard/letters",
    summary: "Letter readiness",
    description:
      "Readiness per cycle and specialty against the application calendar (season opens in June, programs review from late September).",
    query: Filters.LettersQuery,
    response: Views.Letters,
    read: (school, audience, query) => deps.dashboard.letters(school, audience, query)
  }),
  aggregateRoute(deps, {
    operationId: "dashboardFollowUps",
    path: "/v1/dashboard/follow-ups",
    summary: "Follow-ups due, overdue, done and expired, and nudge effectiveness",
    description:
      "Follow-ups by rule, whether nudges were followed by contact; individual follow-ups for dashboards:read only: by default (window=current) the open ones due in the last 30 days or the next 14, the most important first; window=all for every date, perStudent=n for each student's n most important open ones.",
    query: Filters.FollowUpsQuery,
    response: Views.FollowUps,
    read: (school, audience, query) => deps.dashboard.followUps(school, audience, query),
    csv: {
      list: "follow-ups",
      description:
        "`format=csv` or `Accept: text/csv`: the whole filtered list, streamed, one line per follow-up (the fields of `rows`; `facultyIds` space-separated); for aggregates:read, the table by rule as on screen (rules, Other, All rules), hidden cells as `suppressed (…)`.",
      individual: { columns: CsvExport.columnsOf(Views.FollowUpRow), rows: (answer) => listOf(answer, "rows") },
      aggregate: {
        columns: [
          { header: "ruleId", path: ["ruleId"] },
          ...["due", "overdue", "done", "expired"].map((name) => ({ header: name, path: [name] }))
        ],
        rows: (answer) =>
          groupedRows(answer, {
            groups: "byRule",
            other: "otherRules",
            total: "rulesTotal",
            label: "ruleId",
            members: "ruleIds",
            one: "rule",
            many: "rules",
            totalLabel: "All rules"
          })
      }
    }
  }),
  aggregateRoute(deps, {
    operationId: "dashboardCoverage",
    path: "/v1/dashboard/coverage",
    summary: "Data coverage per source system and per rotation specialty",
    description:
      "Events per source system per month and the last event from each, and the same per rotation specialty (from RotationCompleted), so that isolation is not mistaken for missing data. `daysSilent` counts calendar days in the school's time zone from when the last event happened (not when it arrived) to today.",
    query: Filters.CoverageQuery,
    response: Views.Coverage,
    read: (school, audience) => deps.dashboard.coverage(school, audience)
  }),
  erase(
    route<typeof Filters.PersonParams.Type, Filters.StudentPageQuery>({
      operationId: "studentPage",
      method: "GET",
      path: "/v1/students/{id}",
      tag: "people",
      summary: "A student's page",
      description:
        "Relationships (score, tier, explanation), timeline, follow-ups and letters, as of now or `asOf` (a past date: events that occurred before it, including ones that arrived later). The timeline comes whole, or a page at a time with `timelineLimit` (then `timelineCursor` = the previous answer's `timelinePage.nextCursor`). Every view is written to the audit log under the key's name.",
      access: { _tag: "Scoped", anyOf: ["dashboards:read"] },
      params: Filters.PersonParams,
      query: Filters.StudentPageQuery,
      responses: { 200: { description: "The page", schema: served(Views.StudentPage) } },
      errors: [400, 401, 403, 404, 429, 503],
      handle: ({ principal, params, query, requestId, charge }) =>
        Effect.gen(function* () {
          const school = yield* schoolOf(principal)
          yield* consistent(deps, school, query.waitFor)
          const page = yield* deps.dashboard
            .studentPage(school, params.id, query.asOf, (events) => charge?.(Cost.ofPageRead(events)))
            .pipe(Effect.flatMap(ReadError.required("student", params.id)))
          const paged = Timeline.page(page, { limit: query.timelineLimit, cursor: query.timelineCursor })
          if (paged instanceof ReadError.InvalidInput) return yield* Effect.fail(paged)
          yield* deps.control.audit(school, {
            viewedAt: deps.now().toISOString(),
            keyName: principal?.keyName ?? "",
            studentId: params.id,
            asOf: query.asOf ?? null,
            requestId
          })
          return json(sealed(deps, school, paged))
        })
    })
  ),
  erase(
    route<typeof Filters.PersonParams.Type, Filters.PersonQuery>({
      operationId: "facultyPage",
      method: "GET",
      path: "/v1/faculty/{id}",
      tag: "people",
      summary: "A faculty member's page",
      description: "Mentees with score, tier and explanation, letters and load, as of now or `asOf`.",
      access: { _tag: "Scoped", anyOf: ["dashboards:read"] },
      params: Filters.PersonParams,
      query: Filters.PersonQuery,
      responses: { 200: { description: "The page", schema: served(Views.FacultyPage) } },
      errors: [400, 401, 403, 404, 429, 503],
      handle: ({ principal, params, query, charge }) =>
        Effect.gen(function* () {
          const school = yield* schoolOf(principal)
          yield* consistent(deps, school, query.waitFor)
          const page = yield* deps.dashboard
            .facultyPage(school, params.id, query.asOf, (events) => charge?.(Cost.ofPageRead(events)))
            .pipe(Effect.flatMap(ReadError.required("faculty", params.id)))
          return json(sealed(deps, school, page))
        })
    })
  )
]
