/**
 * What a reader can work out from every view it may request, checked against who is behind
 * each number. The truth comes from the dean's own views (`dashboards:read`: every student
 * with their graduation year, specialty and status, every follow-up with its rule) and from
 * the generated school (check-ins, nudges, departments).
 *
 * Each answer's groups are recorded as sets of atoms (the finest groups the views
 * distinguish: a graduation year, a year and specialty, a rule, a department) within a
 * family of cells that measure the same thing. Within a family the groups the views show
 * nest or are disjoint (the audit checks it), so a reader can compute exactly the sums of
 * the atoms that share the same shown groups: each such class must hold 0 people or at
 * least the threshold. That is every difference the reader can form (total minus parts,
 * filtered minus unfiltered, overview minus detail), not only the ones we thought of.
 */
import { expect } from "vitest"
import { checkInMonths, departments, type RunningSchool, type SchoolSpec, studentId } from "./disclosure-school.js"

type Json = unknown
const get = (value: Json, key: string): Json =>
  typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined
const list = (value: Json): ReadonlyArray<Json> => (Array.isArray(value) ? value : [])
const text = (value: Json): string => String(value)

/** a group shown in some answer: the atoms behind it, and whether any of its numbers is shown */
export interface Seen {
  readonly family: string
  readonly atoms: ReadonlyArray<string>
  readonly shown: boolean
  readonly where: string
}

export interface Truth {
  /** family → atom → the people behind it */
  readonly people: Map<string, Map<string, Set<string>>>
}

const isNumber = (cell: Json) => typeof cell === "number"
const anyShown = (cells: ReadonlyArray<Json>) => cells.some(isNumber)
const cellsOf = (value: Json, keys: ReadonlyArray<string>) => keys.map((key) => get(value, key))

export const fetchJson = async (app: RunningSchool["app"], key: string, path: string): Promise<Json> => {
  const response = await app.request(path, { headers: { authorization: `Bearer ${key}` } })
  expect(response.status, path).toBe(200)
  return response.json()
}

const atomsIn = (truth: Truth, family: string, keep: (atom: string) => boolean = () => true) =>
  [...(truth.people.get(family)?.keys() ?? [])].filter(keep)

const addPerson = (truth: Truth, family: string, atom: string, person: string) => {
  const atoms = truth.people.get(family) ?? new Map<string, Set<string>>()
  truth.people.set(family, atoms)
  const people = atoms.get(atom) ?? new Set<string>()
  atoms.set(atom, people)
  people.add(person)
}

/** Who is behind every atom, read from the dean's views and the generated school. */
export const truthOf = async (running: RunningSchool, spec: SchoolSpec): Promise<Truth> => {
  const truth: Truth = { people: new Map() }
  const dean = (path: string) => fetchJson(running.app, running.keys.dean, path)
  for (const status of ["all", "active"] as const) {
    for (let page = 1; ; page++) {
      const body = await dean(`/v1/dashboard/students?status=${status}&pageSize=200&page=${page}`)
      for (const row of list(get(body, "rows"))) {
        const id = text(get(row, "studentId"))
        const year = get(row, "graduationYear")
        if (status === "all") addPerson(truth, "trend", year === null ? "y:none" : `y:${year}`, id)
        else
          addPerson(
            truth,
            "active",
            year === null ? "a:none" : `a:${year}:${text(get(row, "specialty") ?? "(undeclared)")}`,
            id
          )
      }
      if (page * 200 >= Number(get(body, "total"))) break
    }
  }
  for (let page = 1; ; page++) {
    const body = await dean(`/v1/dashboard/follow-ups?window=all&pageSize=200&page=${page}`)
    for (const row of list(get(body, "rows")))
      addPerson(truth, "rules", `r:${text(get(row, "ruleId"))}`, text(get(row, "studentId")))
    if (page * 200 >= Number(get(body, "total"))) break
  }
  spec.students.forEach((student, i) => {
    const year = student.year === null ? "y:none" : `y:${student.year}`
    for (const month of student.checkIns) addPerson(truth, `checkins:${month}`, year, studentId(i))
    if (student.nudge !== null) addPerson(truth, "nudges", `n:${student.nudge}`, studentId(i))
  })
  spec.faculty.forEach((department, i) => {
    addPerson(truth, "departments", `d:${department}`, `fac-${i}`)
  })
  // the dean's view and the generated school agree on who is enrolled in which year
  const generated = spec.students.filter((s) => s.year !== null).length
  const listed = atomsIn(truth, "trend", (a) => a !== "y:none").reduce(
    (sum, atom) => sum + (truth.people.get("trend")?.get(atom)?.size ?? 0),
    0
  )
  expect(listed).toBe(generated)
  return truth
}

const letterMeasures = [
  "students",
  "ready",
  "withSpecialtyAdvocate",
  "lettersRequested",
  "lettersCommitted",
  "lettersSubmitted"
]

const yearsOf = (truth: Truth): ReadonlyArray<number> =>
  atomsIn(truth, "trend", (a) => a !== "y:none").map((a) => Number(a.slice(2)))

/** Every answer the key may read, with every filter value worth trying, as groups seen. */
export const observe = async (running: RunningSchool, key: string, truth: Truth): Promise<Array<Seen>> => {
  const seen: Array<Seen> = []
  const add = (family: string, atoms: ReadonlyArray<string>, shown: boolean, where: string) =>
    seen.push({ family, atoms: atoms.filter((atom) => truth.people.get(family)?.has(atom) === true), shown, where })
  const read = (path: string) => fetchJson(running.app, key, path)
  const years = yearsOf(truth)
  const trendMeasures = ["interactions", "pairsWithContact", "studentsWithContact"]
  const allYears = atomsIn(truth, "trend")
  const activeOf = (year: number) => atomsIn(truth, "active", (a) => a.startsWith(`a:${year}:`))
  const monthsShown = (months: Json) => anyShown(list(months).flatMap((m) => cellsOf(m, trendMeasures)))

  const overview = await read("/v1/dashboard/overview")
  add(
    "active",
    atomsIn(truth, "active"),
    anyShown(cellsOf(overview, ["activeStudents", "withStrongRelationship", "isolated"])),
    "overview"
  )
  const next = Number(get(get(overview, "nextCycle"), "cycle"))
  add(
    "active",
    activeOf(next),
    anyShown(cellsOf(get(overview, "nextCycle"), ["students", "ready"])),
    "overview next cycle"
  )
  add(
    "rules",
    atomsIn(truth, "rules"),
    anyShown(cellsOf(get(overview, "followUps"), ["due", "overdue", "students"])),
    "overview"
  )
  add("trend", allYears, monthsShown(get(overview, "trends")), "overview trends")

  for (const year of [undefined, ...years, 2031]) {
    const path = `/v1/dashboard/trends?from=2025-01${year === undefined ? "" : `&graduationYear=${year}`}`
    const trends = await read(path)
    const atoms = year === undefined ? allYears : [`y:${year}`]
    add("trend", atoms, monthsShown(get(trends, "months")), path)
    for (const row of list(get(trends, "byGraduationYear")))
      add("trend", [`y:${get(row, "graduationYear")}`], monthsShown(get(row, "months")), `${path} byGraduationYear`)
    const other = get(trends, "otherGraduationYears")
    if (other !== null && other !== undefined) {
      const rolled = list(get(other, "graduationYears")).map((y) => `y:${y}`)
      add("trend", [...rolled, "y:none"], monthsShown(get(other, "months")), `${path} other`)
    }
    for (const point of list(get(trends, "supportCheckIns"))) {
      const month = text(get(point, "month"))
      const family = `checkins:${month}`
      add(family, year === undefined ? atomsIn(truth, family) : [`y:${year}`], isNumber(get(point, "checkIns")), path)
    }
  }

  const letterPaths = ["/v1/dashboard/letters", ...years.map((y) => `/v1/dashboard/letters?cycle=${y}`)]
  for (const year of years)
    for (const specialty of ["(undeclared)", "Surgery", "Radiology"])
      letterPaths.push(`/v1/dashboard/letters?cycle=${year}&specialty=${encodeURIComponent(specialty)}`)
  for (const path of letterPaths) {
    const letters = await read(path)
    for (const cycle of list(get(letters, "cycles"))) {
      const year = Number(get(cycle, "cycle"))
      add("active", activeOf(year), anyShown(cellsOf(get(cycle, "total"), letterMeasures)), `${path} ${year} total`)
      for (const row of list(get(cycle, "specialties")))
        add("active", [`a:${year}:${text(get(row, "specialty"))}`], anyShown(cellsOf(row, letterMeasures)), path)
      const other = get(cycle, "otherSpecialties")
      if (other !== null && other !== undefined)
        add(
          "active",
          list(get(other, "specialties")).map((s) => `a:${year}:${text(s)}`),
          anyShown(cellsOf(other, letterMeasures)),
          `${path} ${year} other`
        )
    }
  }

  const departmentMeasures = ["faculty", "activeMentoringPairs", "lettersSubmitted"]
  for (const path of ["/v1/dashboard/faculty", ...departments.map((d) => `/v1/dashboard/faculty?department=${d}`)]) {
    const faculty = await read(path)
    const all = atomsIn(truth, "departments")
    add("departments", all, isNumber(get(get(faculty, "concentration"), "activeMentoringPairs")), path)
    add("departments", all, anyShown(cellsOf(get(faculty, "departmentsTotal"), departmentMeasures)), `${path} total`)
    for (const row of list(get(faculty, "departments")))
      add("departments", [`d:${text(get(row, "department"))}`], anyShown(cellsOf(row, departmentMeasures)), path)
    const other = get(faculty, "otherDepartments")
    if (other !== null && other !== undefined)
      add(
        "departments",
        list(get(other, "departments")).map((d) => `d:${text(d)}`),
        anyShown(cellsOf(other, departmentMeasures)),
        `${path} other`
      )
  }

  const followUpPaths = ["/v1/dashboard/follow-ups", "/v1/dashboard/follow-ups?state=overdue"]
  for (const rule of atomsIn(truth, "rules")) followUpPaths.push(`/v1/dashboard/follow-ups?ruleId=${rule.slice(2)}`)
  for (const path of followUpPaths) {
    const followUps = await read(path)
    for (const [family, prefix, table, other, total, measures] of [
      ["rules", "r:", "byRule", "otherRules", "rulesTotal", ["due", "overdue", "done", "expired"]],
      ["nudges", "n:", "nudges", "otherNudges", "nudgesTotal", ["sent", "followedByContact", "share"]]
    ] as const) {
      add(family, atomsIn(truth, family), anyShown(cellsOf(get(followUps, total), measures)), `${path} ${total}`)
      for (const row of list(get(followUps, table)))
        add(family, [`${prefix}${text(get(row, "ruleId"))}`], anyShown(cellsOf(row, measures)), `${path} ${table}`)
      const rest = get(followUps, other)
      if (rest !== null && rest !== undefined)
        add(
          family,
          list(get(rest, "ruleIds")).map((r) => `${prefix}${text(r)}`),
          anyShown(cellsOf(rest, measures)),
          `${path} ${other}`
        )
    }
  }
  return seen
}

/**
 * Every class of atoms a reader can compute from the groups shown, with its people; the
 * classes holding between 1 and threshold − 1 people are the violations.
 */
export const audit = (seen: ReadonlyArray<Seen>, truth: Truth, threshold: number) => {
  const violations: Array<string> = []
  const families = new Set([...seen.map((s) => s.family), ...checkInMonths.map((m) => `checkins:${m}`)])
  let classes = 0
  for (const family of families) {
    const shown = seen.filter((s) => s.family === family && s.shown && s.atoms.length > 0)
    const sets = shown.map((s) => new Set(s.atoms))
    // laminar: any two groups shown are nested or disjoint (else the audit below is not complete)
    for (const [i, a] of sets.entries())
      for (const [j, b] of sets.entries()) {
        if (j <= i) continue
        const common = [...a].filter((x) => b.has(x)).length
        if (common > 0 && common < a.size && common < b.size)
          violations.push(`${family}: ${shown[i]?.where} and ${shown[j]?.where} overlap without nesting`)
      }
    const bySignature = new Map<string, Set<string>>()
    for (const atom of truth.people.get(family)?.keys() ?? []) {
      const signature = sets.flatMap((set, i) => (set.has(atom) ? [i] : [])).join(",")
      if (signature === "") continue // in no group shown: nothing about it can be computed
      const people = bySignature.get(signature) ?? new Set<string>()
      for (const person of truth.people.get(family)?.get(atom) ?? []) people.add(person)
      bySignature.set(signature, people)
    }
    for (const [signature, people] of bySignature) {
      classes += 1
      if (people.size > 0 && people.size < threshold) {
        const where = signature.split(",").map((i) => `${shown[Number(i)]?.where} ${shown[Number(i)]?.atoms.join("+")}`)
        violations.push(`${family}: ${people.size} people computable from ${where.join(" | ")}`)
      }
    }
  }
  return { violations, classes }
}

interface FlatTable {
  readonly rows: string
  readonly key: string
  readonly other: string
  readonly otherKeys: string
  readonly total: string
  readonly measures: ReadonlyArray<string>
}

const flatTables = (body: Json, path: string): ReadonlyArray<readonly [Json, FlatTable, string]> => {
  if (path.includes("letters"))
    return list(get(body, "cycles")).map((cycle) => [
      cycle,
      {
        rows: "specialties",
        key: "specialty",
        other: "otherSpecialties",
        otherKeys: "specialties",
        total: "total",
        measures: letterMeasures
      },
      `${path} ${get(cycle, "cycle")}`
    ])
  if (path.includes("faculty"))
    return [
      [
        body,
        {
          rows: "departments",
          key: "department",
          other: "otherDepartments",
          otherKeys: "departments",
          total: "departmentsTotal",
          measures: ["faculty", "activeMentoringPairs", "lettersSubmitted"]
        },
        path
      ]
    ]
  return [
    [
      body,
      {
        rows: "byRule",
        key: "ruleId",
        other: "otherRules",
        otherKeys: "ruleIds",
        total: "rulesTotal",
        measures: ["due", "overdue", "done", "expired"]
      },
      path
    ],
    [
      body,
      {
        rows: "nudges",
        key: "ruleId",
        other: "otherNudges",
        otherKeys: "ruleIds",
        total: "nudgesTotal",
        measures: ["sent", "followedByContact"]
      },
      path
    ]
  ]
}

/**
 * What the aggregate reader is shown is the dean's figures: a row shown is the dean's row,
 * "Other" is the sum of the dean's rows it lists (and, for the trends, of the students
 * without a graduation year), the total is the dean's total. Returns every disagreement.
 */
export const disagreements = async (
  running: RunningSchool,
  truth: Truth
): Promise<{ readonly mismatches: ReadonlyArray<string>; readonly compared: number }> => {
  const out: Array<string> = []
  let compared = 0
  const both = async (path: string) => [
    await fetchJson(running.app, running.keys.aggregates, path),
    await fetchJson(running.app, running.keys.dean, path)
  ]
  const same = (where: string, shown: Json, expected: number) => {
    if (typeof shown !== "number") return
    compared += 1
    if (Math.abs(shown - expected) > 1e-9) out.push(`${where}: ${shown}, the dean sees ${expected}`)
  }
  const paths = ["/v1/dashboard/letters", ...yearsOf(truth).map((y) => `/v1/dashboard/letters?cycle=${y}`)]
  for (const path of [...paths, "/v1/dashboard/faculty", "/v1/dashboard/follow-ups"]) {
    const [aggregate, dean] = await both(path)
    const deanTables = flatTables(dean, path)
    flatTables(aggregate, path).forEach(([shownAt, table, where], i) => {
      const deanAt = deanTables[i]?.[0]
      const deanRow = (key: Json) => list(get(deanAt, table.rows)).find((row) => get(row, table.key) === key)
      for (const row of list(get(shownAt, table.rows)))
        for (const m of table.measures)
          same(`${where} ${get(row, table.key)} ${m}`, get(row, m), Number(get(deanRow(get(row, table.key)), m)))
      const other = get(shownAt, table.other)
      if (other !== null && other !== undefined)
        for (const m of table.measures) {
          const sum = list(get(other, table.otherKeys)).reduce(
            (n: number, key) => n + Number(get(deanRow(key), m) ?? 0),
            0
          )
          same(`${where} other ${m}`, get(other, m), sum)
        }
      for (const m of table.measures)
        same(`${where} total ${m}`, get(get(shownAt, table.total), m), Number(get(get(deanAt, table.total), m)))
    })
  }
  const [aggregate, dean] = await both("/v1/dashboard/trends?from=2025-01")
  const deanYear = (year: Json) => list(get(dean, "byGraduationYear")).find((y) => get(y, "graduationYear") === year)
  const monthOf = (months: Json, month: Json) => list(months).find((m) => get(m, "month") === month)
  const measures = ["interactions", "pairsWithContact", "studentsWithContact"]
  for (const year of list(get(aggregate, "byGraduationYear")))
    for (const point of list(get(year, "months")))
      for (const m of measures)
        same(
          `trends ${get(year, "graduationYear")} ${get(point, "month")} ${m}`,
          get(point, m),
          Number(get(monthOf(get(deanYear(get(year, "graduationYear")), "months"), get(point, "month")), m))
        )
  const other = get(aggregate, "otherGraduationYears")
  if (other !== null && other !== undefined)
    for (const point of list(get(other, "months")))
      for (const m of measures) {
        const month = get(point, "month")
        const years = list(get(other, "graduationYears")).map((y) =>
          Number(get(monthOf(get(deanYear(y), "months"), month), m) ?? 0)
        )
        const none = Number(get(monthOf(get(get(dean, "otherGraduationYears"), "months"), month), m) ?? 0)
        same(
          `trends other ${month} ${m}`,
          get(point, m),
          years.reduce((a, b) => a + b, none)
        )
      }
  return { mismatches: out, compared }
}

/**
 * One school through the whole check: the aggregate reader's audit, the dean's check-ins,
 * and agreement with the dean's figures. Returns how much was checked.
 */
export const checkSchool = async (running: RunningSchool, spec: SchoolSpec) => {
  const truth = await truthOf(running, spec)
  const aggregate = audit(await observe(running, running.keys.aggregates, truth), truth, spec.threshold)
  expect(aggregate.violations).toEqual([])
  // sensitive for every reader: a dean's check-ins by class are planned the same way
  const dean = audit(await observe(running, running.keys.dean, truth), truth, spec.threshold)
  expect(dean.violations.filter((v) => v.startsWith("checkins:"))).toEqual([])
  // hiding is all it does: every number shown is the dean's, "Other" the sum of what it lists
  const agreement = await disagreements(running, truth)
  expect(agreement.mismatches).toEqual([])
  return { classes: aggregate.classes, compared: agreement.compared }
}
