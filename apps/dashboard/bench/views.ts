/**
 * How fast each dashboard view becomes interactive in a real browser, on the demo school:
 * for every view, the time from navigation start until its heading is shown and nothing is
 * loading, cold (empty browser cache) and warm (median of the following loads), against the
 * app shell measured in the same run (a signed-in page with no data to load). Prints a
 * table and writes it into the "## Dashboard" section of docs/benchmarks.md. Target: under
 * one second per view. A script, not a test: nothing here fails on a slow run.
 *
 * The server is kept busy meanwhile, as a school's is: other readers (RAPPORT_BENCH_BUSY
 * clients, default 4; 0 for a quiet server) request list pages, person pages and the
 * overview's context from the same server over loopback, one request after another each,
 * until the measurement ends. Their request rate is printed with the table.
 *
 * Usage: `pnpm --filter @rapport/dashboard bench` (RAPPORT_E2E_TARGET=mock for the dev mock,
 * RAPPORT_E2E_URL for a server already running, RAPPORT_BENCH_RUNS for the number of loads
 * per view, default 6).
 *
 * @since 0.1.0
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { cpus } from "node:os"
import { join } from "node:path"
import { api, launch, signIn, waitForView } from "../e2e/harness/Browser.ts"
import { rootDir, start } from "../e2e/harness/Target.ts"

const runs = Math.max(2, Number(process.env.RAPPORT_BENCH_RUNS ?? "6"))
const busyClients = Math.max(0, Number(process.env.RAPPORT_BENCH_BUSY ?? "4"))
const target = await start()

const get = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined
const firstId = async (path: string, key: string): Promise<string> => {
  const answer = await api(target.baseUrl, target.keys.dashboards, path)
  const rows = get(answer.body, "rows")
  const id = Array.isArray(rows) ? get(rows[0], key) : undefined
  return typeof id === "string" ? id : ""
}
const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

const browser = await launch({ baseUrl: target.baseUrl })
try {
  await signIn(browser.page, target.keys.dashboards)
  const studentId = await firstId("/v1/dashboard/students?sort=relationships&order=desc&pageSize=1", "studentId")
  const facultyId = await firstId("/v1/dashboard/faculty?sort=load&order=desc&pageSize=1", "facultyId")
  const students = await api(target.baseUrl, target.keys.dashboards, "/v1/dashboard/students?pageSize=1")
  const schoolSize = get(students.body, "total")

  // Each view with the API route behind it (the slowest of its requests), timed on its own.
  const views: ReadonlyArray<readonly [string, string, string | undefined]> = [
    ["app shell (baseline: no data)", "/benchmark-baseline-not-found", undefined],
    ["Overview", "/", "/v1/dashboard/overview"],
    ["Students", "/students", "/v1/dashboard/students?page=1&pageSize=25"],
    ["A student's page", `/students/${encodeURIComponent(studentId)}`, `/v1/students/${encodeURIComponent(studentId)}`],
    ["Faculty", "/faculty", "/v1/dashboard/faculty?page=1&pageSize=25"],
    [
      "A faculty member's page",
      `/faculty/${encodeURIComponent(facultyId)}`,
      `/v1/faculty/${encodeURIComponent(facultyId)}`
    ],
    ["Letters", "/letters", "/v1/dashboard/letters"],
    ["Follow-ups", "/follow-ups", "/v1/dashboard/follow-ups?page=1&pageSize=25"],
    ["Data coverage", "/coverage", "/v1/dashboard/coverage"]
  ]
  const apiTime = async (path: string): Promise<number> => {
    const times: Array<number> = []
    for (let run = 0; run < 3; run++) {
      const started = performance.now()
      await api(target.baseUrl, target.keys.dashboards, path)
      times.push(performance.now() - started)
    }
    return median(times)
  }
  const { page, context } = browser
  const cdp = await context.newCDPSession(page)
  // The page notes the first moment its view is ready (heading shown, nothing loading), so
  // the figure does not include how often the test driver polls.
  await context.addInitScript(() => {
    const check = () => {
      if (Reflect.get(window, "__viewReadyAt") !== undefined) return
      const ready =
        document.querySelector("main h1") !== null &&
        document.querySelector("main .state.loading") === null &&
        document.querySelector("[aria-busy=true]") === null
      if (ready) Reflect.set(window, "__viewReadyAt", performance.now())
    }
    new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true })
  })
  const measure = async (path: string): Promise<number> => {
    await page.goto(path)
    await page.locator("main h1").first().waitFor({ timeout: 120_000 })
    await waitForView(page)
    return page.evaluate(() => {
      const at: unknown = Reflect.get(window, "__viewReadyAt")
      return typeof at === "number" ? at : performance.now()
    })
  }

  // Other readers of the same server, one request after another each, until the runs end
  // (bounded: at most 20 minutes, loopback only).
  const busyPaths = [
    "/v1/dashboard/students?page=2&pageSize=50&sort=lastContact",
    `/v1/students/${encodeURIComponent(studentId)}`,
    "/v1/dashboard/faculty?page=1&pageSize=50&sort=load&order=desc",
    "/v1/dashboard/overview/context",
    `/v1/faculty/${encodeURIComponent(facultyId)}`,
    "/v1/dashboard/follow-ups?page=3&pageSize=50"
  ]
  let busy = true
  let busyRequests = 0
  const busyStarted = performance.now()
  const busyUntil = Date.now() + 20 * 60_000
  const reader = async (offset: number) => {
    for (let i = offset; busy && Date.now() < busyUntil; i++) {
      await api(target.baseUrl, target.keys.dashboards, busyPaths[i % busyPaths.length] ?? "/v1/dashboard/overview")
      busyRequests += 1
    }
  }
  const readers = Array.from({ length: busyClients }, (_, i) => reader(i))

  const results: Array<{ name: string; cold: number; warm: number; api: number | undefined }> = []
  for (const [name, path, route] of views) {
    await cdp.send("Network.clearBrowserCache")
    const cold = await measure(path)
    const warm: Array<number> = []
    for (let run = 1; run < runs; run++) warm.push(await measure(path))
    const apiMs = route === undefined ? undefined : await apiTime(route)
    results.push({ name, cold, warm: median(warm), api: apiMs })
    const apiText = apiMs === undefined ? "—" : apiMs.toFixed(0)
    process.stdout.write(
      `${name.padEnd(32)} cold ${cold.toFixed(0).padStart(6)} ms   warm ${median(warm).toFixed(0).padStart(6)} ms   API ${apiText.padStart(6)} ms\n`
    )
  }

  busy = false
  await Promise.all(readers)
  const busyRate = busyRequests / ((performance.now() - busyStarted) / 1000)
  const busyLine =
    busyClients === 0
      ? "a quiet server (RAPPORT_BENCH_BUSY=0)"
      : `a busy server: ${busyClients} other readers requesting list pages, person pages and the overview's context all along, ${busyRate.toFixed(1)} requests/s`
  process.stdout.write(`server: ${busyLine}\n`)

  const shell = results[0]
  const rows = results.map((r) => {
    const ratio = shell === undefined || shell.warm === 0 ? "—" : `${(r.warm / shell.warm).toFixed(2)}×`
    const verdict = r.warm < 1000 && r.cold < 1000 ? "yes" : r.warm < 1000 ? "warm only" : "no"
    return `| ${r.name} | ${r.cold.toFixed(0)} | ${r.warm.toFixed(0)} | ${ratio} | ${r.api === undefined ? "—" : r.api.toFixed(0)} | ${verdict} |`
  })
  const section = [
    "## Dashboard",
    "",
    "Time from navigation start until each view is interactive (its heading shown, nothing loading; noted by the page",
    "itself), measured in headless Chromium by",
    "`pnpm --filter @rapport/dashboard bench` (apps/dashboard/bench/views.ts). Cold: first load with an empty",
    `browser cache; warm: median of the next ${runs - 1} loads. The baseline is the app shell (a signed-in page with no`,
    "data to load) in the same run; the API column times the view's main request alone (median of 3, with a key),",
    "to tell the server's share from the browser's. The demo is loaded and fully projected before measuring.",
    "Set RAPPORT_BENCH_BUSY=0 for a quiet server.",
    "Target: under 1 s per view.",
    "",
    `- target: ${target.mode === "server" ? "a real `rapport demo` (SQLite, in-process projector)" : "the dashboard's dev mock (vite preview), not the real server"}; students in the default list: ${String(schoolSize)}`,
    `- server: ${busyLine}`,
    `- machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
    "",
    "| view | cold (ms) | warm (ms) | warm vs app shell | its main API request alone (ms) | under 1 s |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
    ...rows,
    ""
  ].join("\n")
  process.stdout.write(`\n${section}\n`)

  const file = join(rootDir, "docs/benchmarks.md")
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n"
  const start_ = current.indexOf("## Dashboard")
  let next: string
  if (start_ === -1) next = `${current.trimEnd()}\n\n${section}`
  else {
    const after = current.indexOf("\n## ", start_ + 1)
    next = `${current.slice(0, start_)}${section}${after === -1 ? "" : `\n${current.slice(after + 1)}`}`
  }
  if (process.env.RAPPORT_BENCH_WRITE === "0") process.stdout.write("not written (RAPPORT_BENCH_WRITE=0)\n")
  else {
    writeFileSync(file, next.endsWith("\n") ? next : `${next}\n`)
    process.stdout.write(`written to ${file}\n`)
  }
} finally {
  await browser.close()
  await target.stop()
}
