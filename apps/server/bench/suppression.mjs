// How much an `aggregates:read` key sees: the share of hidden cells in every aggregate view
// the dashboard loads (overview, trends and each graduation year's trends, faculty,
// letters, follow-ups), read through the API of a running server. docs/privacy.md reports
// its figures on the mid demo school before and after complementary suppression.
//
// Usage: start `rapport demo` (it prints the URL and an aggregates:read key), then
//   URL=http://127.0.0.1:3000 KEY=rapport_… node apps/server/bench/suppression.mjs
// A cell is a count or share of a group that the server may hide (`Cell` in the API);
// ids, years, paging and metadata are not cells. Prints one line per view and the total.

const URL_ = process.env.URL ?? "http://127.0.0.1:3000"
const KEY = process.env.KEY
if (KEY === undefined || KEY === "") {
  console.error("Set KEY to an aggregates:read key (and URL to the server's address).")
  process.exit(2)
}

/** numbers that are not cells: metadata, identifiers, paging, statistics that are null when hidden */
const notCells = new Set([
  "position",
  "suppressionThreshold",
  "cycle",
  "requiredAdvocates",
  "graduationYear",
  "graduationYears",
  "page",
  "pageSize",
  "medianDaysToContact",
  "topDecileShare",
  "gini",
  "events",
  "groups"
])

const count = (value, key, tally) => {
  if (Array.isArray(value)) {
    for (const item of value) count(item, key, tally)
  } else if (typeof value === "object" && value !== null) {
    if (value.suppressed === true) {
      tally.cells += 1
      tally.hidden += 1
      tally.reasons[value.reason] = (tally.reasons[value.reason] ?? 0) + 1
      return
    }
    for (const [name, inner] of Object.entries(value)) if (name !== "meta") count(inner, name, tally)
  } else if (typeof value === "number" && !notCells.has(key) && !(key === "total" && Number.isInteger(value))) {
    tally.cells += 1
  }
}

const get = async (path) => {
  const response = await fetch(`${URL_}${path}`, { headers: { authorization: `Bearer ${KEY}` } })
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return response.json()
}

const trends = await get("/v1/dashboard/trends")
const paths = [
  "/v1/dashboard/overview",
  "/v1/dashboard/trends",
  ...trends.byGraduationYear.map((y) => `/v1/dashboard/trends?graduationYear=${y.graduationYear}`),
  "/v1/dashboard/faculty",
  "/v1/dashboard/letters",
  "/v1/dashboard/follow-ups"
]
const all = { cells: 0, hidden: 0, reasons: {} }
const pct = (t) => (t.cells === 0 ? "—" : `${((100 * t.hidden) / t.cells).toFixed(1)}%`)
for (const path of paths) {
  const tally = { cells: 0, hidden: 0, reasons: {} }
  count(await get(path), "", tally)
  all.cells += tally.cells
  all.hidden += tally.hidden
  for (const [reason, n] of Object.entries(tally.reasons)) all.reasons[reason] = (all.reasons[reason] ?? 0) + n
  console.log(
    `${path.padEnd(48)} ${String(tally.hidden).padStart(5)} of ${String(tally.cells).padStart(5)} hidden (${pct(tally)})`
  )
}
const letters = await get("/v1/dashboard/letters")
for (const cycle of letters.cycles) {
  const rows = cycle.specialties.length
  const hiddenRows = cycle.specialties.filter((s) => typeof s.students !== "number").length
  const other =
    cycle.otherSpecialties == null
      ? "no Other row"
      : `Other: ${cycle.otherSpecialties.specialties.length} specialties, students ${JSON.stringify(cycle.otherSpecialties.students)}`
  const total = cycle.total === undefined ? "no total" : `total ${JSON.stringify(cycle.total.students)}`
  console.log(`letters ${cycle.cycle}: ${hiddenRows} of ${rows} specialty rows hidden; ${other}; ${total}`)
}
console.log(
  `all views: ${all.hidden} of ${all.cells} cells hidden (${pct(all)}); by reason ${JSON.stringify(all.reasons)}`
)
