/**
 * A stand-in for the server's session and view routes, for the Vite dev and preview servers
 * only: it answers from the fixture school (test/fixtures/School.ts) with the same shapes,
 * cookies, scopes, suppression and problem+json errors that the contract promises, so that
 * every view can be built and looked at without the server.
 *
 * It must never be part of the built dashboard, and never stand in for the server in the
 * acceptance tests (they run against a real `rapport serve`; a mock run is for development).
 *
 * @since 0.1.0
 */
import { randomUUID } from "node:crypto"
import type { IncomingMessage, ServerResponse } from "node:http"
import { Complementary, type Views } from "@rapport/analytics"
import type { Plugin } from "vite"
import * as School from "../test/fixtures/School.ts"

/** The keys the mock accepts. */
export const mockKeys = {
  dashboards: { key: "mock-dashboards-key", school: "demo-school", name: "dean.demo", scopes: ["dashboards:read"] },
  aggregates: {
    key: "mock-aggregates-key",
    school: "demo-school",
    name: "committee.demo",
    scopes: ["aggregates:read"]
  },
  other: { key: "mock-other-school-key", school: "other-school", name: "dean.other", scopes: ["dashboards:read"] },
  empty: { key: "mock-empty-school-key", school: "empty-school", name: "dean.empty", scopes: ["dashboards:read"] },
  writer: { key: "mock-writer-key", school: "demo-school", name: "lms", scopes: ["events:write"] }
} as const

type KeyRecord = (typeof mockKeys)[keyof typeof mockKeys]
const threshold = 10
const sizes: Record<string, number> = { "demo-school": 400, "other-school": 0, "empty-school": 0 }

const problem = (res: ServerResponse, status: number, title: string, detail: string) => {
  res.statusCode = status
  res.setHeader("content-type", "application/problem+json")
  res.end(JSON.stringify({ type: `https://rapport.dev/problems/${status}`, title, status, detail }))
}
const json = (res: ServerResponse, body: unknown) => {
  res.statusCode = 200
  res.setHeader("content-type", "application/json")
  res.end(JSON.stringify(body))
}
const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let text = ""
    req.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8")
    })
    req.on("end", () => resolve(text))
    req.on("error", reject)
  })

type Cell = Views.Cell
const small = (n: Cell, min: number): Cell =>
  typeof n === "number" && n < min ? { suppressed: true, reason: "small-group", threshold: min } : n
const sensitive = (n: Cell): Cell =>
  typeof n === "number" && n < threshold ? { suppressed: true, reason: "sensitive", threshold } : n

const suppressOverview = (o: Views.Overview, t: number): Views.Overview => {
  const base = typeof o.activeStudents === "number" && o.activeStudents < t
  const hideShare = (share: Cell, count: Cell): Cell =>
    base || typeof small(count, t) !== "number" ? small(count, t) : share
  return {
    ...o,
    activeStudents: small(o.activeStudents, t),
    withStrongRelationship: small(o.withStrongRelationship, t),
    withStrongRelationshipShare: hideShare(o.withStrongRelationshipShare, o.withStrongRelationship),
    isolated: small(o.isolated, t),
    isolatedShare: hideShare(o.isolatedShare, o.isolated),
    nextCycle: {
      ...o.nextCycle,
      students: small(o.nextCycle.students, t),
      ready: small(o.nextCycle.ready, t),
      readyShare: hideShare(o.nextCycle.readyShare, o.nextCycle.ready)
    },
    followUps: {
      due: small(o.followUps.due, t),
      overdue: small(o.followUps.overdue, t),
      students: small(o.followUps.students, t)
    },
    trends: o.trends.map((m) => suppressMonth(m, t)),
    isolatedByStage: o.isolatedByStage.map((row) => ({
      stage: row.stage,
      students: small(row.students, t),
      isolated: small(row.isolated, t),
      isolatedShare: hideShare(row.isolatedShare, row.isolated)
    })),
    noRecentMentoring: {
      ...o.noRecentMentoring,
      students: small(o.noRecentMentoring.students, t),
      withoutMentoring: small(o.noRecentMentoring.withoutMentoring, t),
      share: hideShare(o.noRecentMentoring.share, o.noRecentMentoring.withoutMentoring)
    }
  }
}
const suppressMonth = (m: Views.MonthlyPoint, t: number): Views.MonthlyPoint => ({
  month: m.month,
  interactions: small(m.interactions, t),
  pairsWithContact: small(m.pairsWithContact, t),
  studentsWithContact: small(m.studentsWithContact, t)
})
const suppressTiers = (c: Views.Students["byTier"], t: number): Views.Students["byTier"] => ({
  none: small(c.none, t),
  acquainted: small(c.acquainted, t),
  developing: small(c.developing, t),
  strong: small(c.strong, t),
  advocate: small(c.advocate, t)
})

const param = (url: URL, name: string) => url.searchParams.get(name) ?? undefined

const count = (cell: Cell): number => (typeof cell === "number" ? cell : 0)

/**
 * The server's "Other" in small: groups under the threshold (and the next smallest while
 * they are too few together) leave the table and are summed; everything under the
 * threshold is hidden.
 */
const rollUp = <Row>(
  rows: ReadonlyArray<Row>,
  keyOf: (row: Row) => string,
  populationOf: (row: Row) => number,
  t: number
) => {
  const plan = Complementary.plan(
    rows.map((row) => ({ key: keyOf(row), population: populationOf(row) })),
    { threshold: t }
  )
  const rolled = Complementary.rolledKeys(plan)
  return {
    shown: rows.filter((row) => plan.shown.includes(keyOf(row))),
    rolled: rows.filter((row) => rolled.includes(keyOf(row))),
    keys: rolled,
    hide: (value: number): Cell => (plan.otherShown ? value : small(0, t)),
    sum: (pick: (row: Row) => Cell) =>
      rows.filter((row) => rolled.includes(keyOf(row))).reduce((n, row) => n + count(pick(row)), 0)
  }
}

const studentsView = (s: School.FixtureSchool, url: URL): Views.Students => {
  const q = param(url, "q")
  const status = param(url, "status") ?? "active"
  let rows = s.students.filter(
    (r) =>
      (status === "all" || r.status === status) &&
      (param(url, "graduationYear") === undefined || String(r.graduationYear) === param(url, "graduationYear")) &&
      (param(url, "specialty") === undefined || r.specialty === param(url, "specialty")) &&
      (param(url, "tier") === undefined || r.highestTier === param(url, "tier")) &&
      (param(url, "isolated") === undefined || String(r.isolated) === param(url, "isolated")) &&
      (param(url, "stage") === undefined || r.stage === param(url, "stage")) &&
      (q === undefined || r.studentId.startsWith(q))
  )
  const byTier = School.tierCells(rows)
  const sort = param(url, "sort") ?? "studentId"
  const direction = param(url, "order") === "desc" ? -1 : 1
  const tierRank = ["none", "acquainted", "developing", "strong", "advocate"]
  const key = (r: Views.StudentRow): number | string => {
    switch (sort) {
      case "graduationYear":
        return r.graduationYear ?? 0
      case "lastContact":
        return r.daysSinceContact === null ? Number.MAX_SAFE_INTEGER : -r.daysSinceContact
      case "relationships":
        return r.relationships.developing + r.relationships.strong + r.relationships.advocate
      case "tier":
        return tierRank.indexOf(r.highestTier)
      default:
        return r.studentId
    }
  }
  rows = [...rows].sort((a, b) => {
    const ka = key(a)
    const kb = key(b)
    const order = ka < kb ? -1 : ka > kb ? 1 : a.studentId.localeCompare(b.studentId)
    return order * direction
  })
  const page = Number(param(url, "page") ?? "1")
  const pageSize = Number(param(url, "pageSize") ?? "50")
  return {
    meta: { school: s.school, asOf: s.now.toISOString(), position: s.students.length * 41, suppressionThreshold: 0 },
    total: rows.length,
    page,
    pageSize,
    rows: rows.slice((page - 1) * pageSize, page * pageSize),
    byTier
  }
}

const facultyView = (s: School.FixtureSchool, url: URL, t: number): Views.Faculty => {
  const department = param(url, "department")
  const q = param(url, "q")
  const rows = s.faculty.filter(
    (f) => (department === undefined || f.department === department) && (q === undefined || f.facultyId.startsWith(q))
  )
  const sort = param(url, "sort")
  const direction = param(url, "order") === "desc" ? -1 : 1
  const sorted = [...rows].sort((a, b) => {
    if (sort === "load") return (a.activeMentoringPairs - b.activeMentoringPairs) * direction
    if (sort === "letters") return (a.letters.submitted - b.letters.submitted) * direction
    if (sort === "department") return (a.department ?? "").localeCompare(b.department ?? "") * direction
    return a.facultyId.localeCompare(b.facultyId) * direction
  })
  const page = Number(param(url, "page") ?? "1")
  const pageSize = Number(param(url, "pageSize") ?? "50")
  const pairs = s.faculty.reduce((n, f) => n + f.activeMentoringPairs, 0)
  const all = School.departmentsOf(s)
  const grouped = rollUp(
    all,
    (d) => d.department,
    (d) => count(d.faculty),
    t === 0 ? 0 : t
  )
  const everything = (get: (d: Views.DepartmentLoad) => Cell) => all.reduce((n, d) => n + count(get(d)), 0)
  const departments = grouped.shown.map((d) =>
    t === 0
      ? d
      : {
          ...d,
          faculty: small(d.faculty, t),
          menteesByTier: suppressTiers(d.menteesByTier, t),
          activeMentoringPairs: small(d.activeMentoringPairs, t),
          lettersSubmitted: small(d.lettersSubmitted, t)
        }
  )
  const otherDepartments: Views.Faculty["otherDepartments"] =
    grouped.keys.length === 0
      ? null
      : {
          departments: grouped.keys,
          faculty: grouped.hide(grouped.sum((d) => d.faculty)),
          menteesByTier: {
            none: grouped.hide(grouped.sum((d) => d.menteesByTier.none)),
            acquainted: grouped.hide(grouped.sum((d) => d.menteesByTier.acquainted)),
            developing: grouped.hide(grouped.sum((d) => d.menteesByTier.developing)),
            strong: grouped.hide(grouped.sum((d) => d.menteesByTier.strong)),
            advocate: grouped.hide(grouped.sum((d) => d.menteesByTier.advocate))
          },
          activeMentoringPairs: grouped.hide(grouped.sum((d) => d.activeMentoringPairs)),
          lettersSubmitted: grouped.hide(grouped.sum((d) => d.lettersSubmitted)),
          topDecileShare: null,
          gini: null
        }
  return {
    meta: { school: s.school, asOf: s.now.toISOString(), position: s.students.length * 41, suppressionThreshold: t },
    concentration: {
      topDecileShare: s.faculty.length === 0 ? null : 0.34,
      gini: s.faculty.length === 0 ? null : 0.47,
      activeMentoringPairs: t === 0 ? pairs : small(pairs, t)
    },
    departments,
    otherDepartments,
    departmentsTotal: {
      faculty: everything((d) => d.faculty),
      menteesByTier: {
        none: everything((d) => d.menteesByTier.none),
        acquainted: everything((d) => d.menteesByTier.acquainted),
        developing: everything((d) => d.menteesByTier.developing),
        strong: everything((d) => d.menteesByTier.strong),
        advocate: everything((d) => d.menteesByTier.advocate)
      },
      activeMentoringPairs: pairs,
      lettersSubmitted: everything((d) => d.lettersSubmitted),
      topDecileShare: s.faculty.length === 0 ? null : 0.34,
      gini: s.faculty.length === 0 ? null : 0.47
    },
    peerMedian: s.faculty.length === 0 ? null : 2,
    total: t === 0 ? sorted.length : 0,
    page,
    pageSize,
    rows: t === 0 ? sorted.slice((page - 1) * pageSize, page * pageSize) : []
  }
}

const handle = async (
  req: IncomingMessage,
  res: ServerResponse,
  sessions: Map<string, { key: KeyRecord; csrf: string }>
) => {
  const url = new URL(req.url ?? "/", "http://localhost")
  const cookie = /(?:^|;\s*)rapport_session=([^;]+)/.exec(req.headers.cookie ?? "")?.[1]
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1]
  const byKey = (key: string | undefined) => Object.values(mockKeys).find((k) => k.key === key)
  const session = cookie === undefined ? undefined : sessions.get(cookie)
  const principal: KeyRecord | undefined = bearer !== undefined ? byKey(bearer) : session?.key

  if (url.pathname === "/v1/session") {
    if (req.method === "POST") {
      let key: unknown
      try {
        key = JSON.parse(await readBody(req)).key
      } catch {
        return problem(res, 400, "Invalid request", "The body must be JSON { key }.")
      }
      const record = byKey(typeof key === "string" ? key : undefined)
      if (record === undefined) return problem(res, 401, "Unauthorized", "The key is unknown or revoked.")
      if (!record.scopes.some((scope) => scope === "dashboards:read" || scope === "aggregates:read"))
        return problem(res, 403, "Forbidden", "This key has neither dashboards:read nor aggregates:read.")
      const token = randomUUID()
      const csrf = randomUUID()
      sessions.set(token, { key: record, csrf })
      res.setHeader("set-cookie", `rapport_session=${token}; HttpOnly; SameSite=Strict; Path=/`)
      return json(res, { school: record.school, keyName: record.name, scopes: record.scopes, csrfToken: csrf })
    }
    if (req.method === "DELETE") {
      if (cookie === undefined || session === undefined) return problem(res, 401, "Unauthorized", "No session.")
      if (req.headers["x-csrf-token"] !== session.csrf) return problem(res, 403, "Forbidden", "Missing CSRF token.")
      sessions.delete(cookie)
      res.statusCode = 204
      res.setHeader("set-cookie", "rapport_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")
      return res.end()
    }
    if (session === undefined) return problem(res, 401, "Unauthorized", "Not signed in.")
    return json(res, {
      school: session.key.school,
      keyName: session.key.name,
      scopes: session.key.scopes,
      csrfToken: session.csrf
    })
  }

  if (principal === undefined) return problem(res, 401, "Unauthorized", "Sign in or send an API key.")
  const scopes: ReadonlyArray<string> = principal.scopes
  const individuals = scopes.includes("dashboards:read")
  if (!individuals && !scopes.includes("aggregates:read")) return problem(res, 403, "Forbidden", "Wrong scope.")
  const t = individuals ? 0 : threshold
  const school = School.make(principal.school, sizes[principal.school] ?? 0, startedAt)
  const asOf = param(url, "asOf")
  const asOfDate = asOf === undefined ? school.now : new Date(`${asOf.slice(0, 10)}T23:59:59Z`)

  const person = /^\/v1\/(students|faculty)\/([^/]+)$/.exec(url.pathname)
  if (person !== null) {
    if (!individuals) return problem(res, 403, "Forbidden", "Individual pages need dashboards:read.")
    const id = decodeURIComponent(person[2] ?? "")
    const page =
      person[1] === "students"
        ? School.studentPage(school, id, asOfDate, 0)
        : School.facultyPage(school, id, asOfDate, 0)
    return page === undefined
      ? problem(res, 404, "Not found", `No ${person[1]} ${id} in your school.`)
      : json(res, page)
  }

  switch (url.pathname) {
    case "/v1/dashboard/overview": {
      const view = School.overview(school, t)
      return json(res, t === 0 ? view : suppressOverview(view, t))
    }
    case "/v1/dashboard/trends": {
      const view = School.trends(school, t)
      return json(res, {
        ...view,
        months: t === 0 ? view.months : view.months.map((m) => suppressMonth(m, t)),
        byGraduationYear: view.byGraduationYear.map((g) => ({
          ...g,
          months: t === 0 ? g.months : g.months.map((m) => suppressMonth(m, t))
        })),
        supportCheckIns: view.supportCheckIns.map((m) => ({ month: m.month, checkIns: sensitive(m.checkIns) }))
      })
    }
    case "/v1/dashboard/students":
      if (!individuals) return problem(res, 403, "Forbidden", "The students list needs dashboards:read.")
      return json(res, studentsView(school, url))
    case "/v1/dashboard/faculty":
      return json(res, facultyView(school, url, t))
    case "/v1/dashboard/letters": {
      const view = School.letters(school, t)
      if (t === 0) return json(res, view)
      return json(res, {
        ...view,
        cycles: view.cycles.map((c) => {
          const grouped = rollUp(
            c.specialties,
            (row) => row.specialty,
            (row) => count(row.students),
            t
          )
          return {
            ...c,
            otherSpecialties:
              grouped.keys.length === 0
                ? null
                : {
                    specialties: grouped.keys,
                    students: grouped.hide(grouped.sum((r) => r.students)),
                    ready: grouped.hide(grouped.sum((r) => r.ready)),
                    withSpecialtyAdvocate: grouped.hide(grouped.sum((r) => r.withSpecialtyAdvocate)),
                    lettersRequested: grouped.hide(grouped.sum((r) => r.lettersRequested)),
                    lettersCommitted: grouped.hide(grouped.sum((r) => r.lettersCommitted)),
                    lettersSubmitted: grouped.hide(grouped.sum((r) => r.lettersSubmitted))
                  },
            specialties: grouped.shown.map((row) => {
              const hide = (cell: Cell) =>
                typeof row.students === "number" && row.students < t ? small(row.students, t) : cell
              return {
                specialty: row.specialty,
                students: small(row.students, t),
                ready: hide(small(row.ready, t)),
                withSpecialtyAdvocate: hide(small(row.withSpecialtyAdvocate, t)),
                lettersRequested: hide(row.lettersRequested),
                lettersCommitted: hide(row.lettersCommitted),
                lettersSubmitted: hide(row.lettersSubmitted)
              }
            })
          }
        })
      })
    }
    case "/v1/dashboard/follow-ups": {
      const summary = School.followUpSummary(school)
      const ruleId = param(url, "ruleId")
      const state = param(url, "state")
      const window = param(url, "window") === "all" ? "all" : "current"
      const nowDay = school.now.toISOString().slice(0, 10)
      const inWindow = (f: Views.FollowUpRow) => {
        const days = (Date.parse(f.dueOn) - Date.parse(nowDay)) / 86_400_000
        const open = f.state === "due" || f.state === "overdue"
        return days >= -30 && days <= 14 && (state !== undefined || open)
      }
      const isOpen = (f: Views.FollowUpRow) => (f.state === "due" || f.state === "overdue" ? 0 : 1)
      const rows = school.followUps
        .filter(
          (f) =>
            (ruleId === undefined || f.ruleId === ruleId) &&
            (state === undefined || f.state === state) &&
            (window === "all" || inWindow(f))
        )
        .sort(
          (a, b) =>
            isOpen(a) - isOpen(b) ||
            a.priority - b.priority ||
            (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.id < b.id ? -1 : 1)
        )
      const page = Number(param(url, "page") ?? "1")
      const pageSize = Number(param(url, "pageSize") ?? "50")
      const studentsOf = (id: string) =>
        new Set(school.followUps.filter((f) => f.ruleId === id).map((f) => f.studentId)).size
      const rules = rollUp(
        summary.byRule,
        (r) => r.ruleId,
        (r) => studentsOf(r.ruleId),
        t
      )
      const view: Views.FollowUps = {
        meta: { school: school.school, asOf: school.now.toISOString(), position: 0, suppressionThreshold: t },
        byRule:
          t === 0
            ? summary.byRule
            : rules.shown.map((r) => ({
                ruleId: r.ruleId,
                due: small(r.due, t),
                overdue: small(r.overdue, t),
                done: small(r.done, t),
                expired: small(r.expired, t)
              })),
        otherRules:
          t === 0 || rules.keys.length === 0
            ? null
            : {
                ruleIds: rules.keys,
                due: rules.hide(rules.sum((r) => r.due)),
                overdue: rules.hide(rules.sum((r) => r.overdue)),
                done: rules.hide(rules.sum((r) => r.done)),
                expired: rules.hide(rules.sum((r) => r.expired))
              },
        rulesTotal: summary.rulesTotal,
        otherNudges: summary.otherNudges,
        nudgesTotal: summary.nudgesTotal,
        nudges:
          t === 0
            ? summary.nudges
            : summary.nudges.map((n) => ({
                ...n,
                sent: small(n.sent, t),
                followedByContact: small(n.followedByContact, t),
                share: typeof small(n.sent, t) === "number" ? n.share : small(n.sent, t)
              })),
        window,
        total: individuals ? rows.length : 0,
        page,
        pageSize,
        rows: individuals ? rows.slice((page - 1) * pageSize, page * pageSize) : []
      }
      return json(res, view)
    }
    case "/v1/dashboard/coverage":
      return json(res, School.coverage(school, t))
    case "/v1/dashboard/coverage/statements":
      // the simulated school's systems post events, not xAPI statements
      return json(res, { sources: [] })
    default:
      return problem(res, 404, "Not found", `No route ${url.pathname}.`)
  }
}

const startedAt = new Date()

/**
 * The Vite plugin: mounts the mock on `/v1` in `vite` and `vite preview`.
 *
 * @since 0.1.0
 */
export const mockApi = (): Plugin => {
  const sessions = new Map<string, { key: KeyRecord; csrf: string }>()
  const middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (!(req.url ?? "").startsWith("/v1/")) return next()
    handle(req, res, sessions).catch((error: unknown) => problem(res, 500, "Mock failure", String(error)))
  }
  return {
    name: "rapport-mock-api",
    configureServer(server) {
      server.middlewares.use(middleware)
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware)
    }
  }
}
