/**
 * The API requests behind each view, from the address the browser shows: one place that
 * both the views and the prefetch use, so the request made at sign-in (in parallel with the
 * view's code) is exactly the one the view then asks for.
 *
 * It must never build a request a view would not make.
 *
 * @since 0.1.0
 */
import * as Client from "./Client.js"

const text = (params: URLSearchParams, key: string) => params.get(key) ?? ""
const pageOf = (params: URLSearchParams) => Math.max(1, Number(params.get("page") ?? "1") || 1)
const pageSizeOf = (params: URLSearchParams) => Number(params.get("pageSize") ?? "25") || 25
const sortOf = (params: URLSearchParams) => {
  const sort = params.get("sort") ?? undefined
  return { sort, order: sort === undefined ? undefined : params.get("order") === "desc" ? "desc" : "asc" }
}

/**
 * @since 0.1.0
 * @category urls
 */
export const students = (params: URLSearchParams): string =>
  Client.withQuery(Client.routes.students, {
    graduationYear: text(params, "graduationYear"),
    specialty: text(params, "specialty"),
    tier: text(params, "tier"),
    isolated: text(params, "isolated"),
    stage: text(params, "stage"),
    status: text(params, "status"),
    q: text(params, "q"),
    ...sortOf(params),
    page: pageOf(params),
    pageSize: pageSizeOf(params)
  })

/**
 * @since 0.4.0
 * @category urls
 */
export const overviewContext = (params: URLSearchParams): string =>
  Client.withQuery(Client.routes.overviewContext, { graduationYear: text(params, "graduationYear") })

/**
 * @since 0.1.0
 * @category urls
 */
export const faculty = (params: URLSearchParams): string =>
  Client.withQuery(Client.routes.faculty, {
    department: text(params, "department"),
    // faculty who left are listed apart (Faculty.tsx)
    status: "active",
    q: text(params, "q"),
    ...sortOf(params),
    page: pageOf(params),
    pageSize: pageSizeOf(params)
  })

/**
 * @since 0.1.0
 * @category urls
 */
export const followUps = (params: URLSearchParams): string =>
  Client.withQuery(Client.routes.followUps, {
    ruleId: text(params, "ruleId"),
    state: text(params, "state"),
    window: text(params, "window"),
    page: pageOf(params),
    pageSize: pageSizeOf(params)
  })

/**
 * The timeline entries a student's page loads at first (and at each "Show more").
 *
 * @since 0.4.0
 * @category urls
 */
export const timelinePageSize = 50

/**
 * @since 0.1.0
 * @category urls
 */
export const student = (id: string, params: URLSearchParams): string =>
  Client.withQuery(Client.routes.student(id), {
    asOf: params.get("asOf") ?? undefined,
    timelineLimit: timelinePageSize
  })

/**
 * @since 0.1.0
 * @category urls
 */
export const facultyMember = (id: string, params: URLSearchParams): string =>
  Client.withQuery(Client.routes.facultyMember(id), { asOf: params.get("asOf") ?? undefined })

/**
 * The requests of the view at `pathname` (with its query string), for a session that may or
 * may not see individuals. Unknown paths ask for nothing.
 *
 * @since 0.1.0
 * @category urls
 */
export const forLocation = (pathname: string, search: string, individuals: boolean): ReadonlyArray<string> => {
  const params = new URLSearchParams(search)
  const person = /^\/(students|faculty)\/([^/]+)$/.exec(pathname)
  if (person !== null) {
    if (!individuals) return []
    const id = decodeURIComponent(person[2] ?? "")
    return [person[1] === "students" ? student(id, params) : facultyMember(id, params)]
  }
  switch (pathname) {
    case "/":
      return [Client.routes.overview, Client.routes.trends, overviewContext(params)]
    case "/students":
      return individuals ? [students(params), Client.routes.trends, Client.routes.letters] : []
    case "/faculty":
      return [faculty(params)]
    case "/letters":
      return [Client.routes.letters]
    case "/follow-ups":
      return [followUps(params)]
    case "/coverage":
      return [Client.routes.coverage, Client.routes.statementCoverage]
    default:
      return []
  }
}
