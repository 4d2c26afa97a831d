/**
 * What the browser tests and the benchmark run against: by default a real `rapport demo`
 * (the server built from this repository, a simulated school loaded into a fresh SQLite file
 * in a temporary directory), with the keys they need — a dean's `dashboards:read` key, an
 * `aggregates:read` key of the same school, and a key of another school. Set
 * `RAPPORT_E2E_TARGET=mock` to run the same tests against the dashboard's dev mock instead
 * (development only: acceptance is the real server).
 *
 * It must never reuse a database between runs, nor leave a server running after `stop`.
 *
 * @since 0.1.0
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"

/**
 * @since 0.1.0
 * @category models
 */
export interface Target {
  readonly mode: "server" | "mock"
  readonly baseUrl: string
  readonly school: string
  readonly keys: {
    readonly dashboards: string
    readonly aggregates: string
    readonly otherSchool: string
  }
  readonly stop: () => Promise<void>
}

const here = dirname(fileURLToPath(import.meta.url))
/** apps/dashboard */
export const dashboardDir = resolve(here, "../..")
/** the repository root */
export const rootDir = resolve(dashboardDir, "../..")
const cli = join(rootDir, "apps/server/bin/rapport.mjs")

const log = (line: string) => process.stderr.write(`[e2e] ${line}\n`)

// Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
const buildEnv = { ...process.env, NODE_ENV: "production" }

const run = (command: string, args: ReadonlyArray<string>, cwd: string): string => {
  const result = spawnSync(command, [...args], { cwd, encoding: "utf8", env: buildEnv, maxBuffer: 64 * 1024 * 1024 })
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited with ${result.status}:\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`
    )
  }
  return result.stdout
}

const pnpm = (args: ReadonlyArray<string>, cwd: string) => run("npx", ["-y", "pnpm@12.4.2", ...args], cwd)

/** Reads stdout lines until `done` says enough, or the process ends or the time runs out. */
const readLines = (child: ChildProcess, done: (lines: ReadonlyArray<string>) => boolean, timeoutMs: number) =>
  new Promise<ReadonlyArray<string>>((resolvePromise, reject) => {
    const lines: Array<string> = []
    let settled = false
    const stdout = child.stdout
    if (stdout === null) return reject(new Error("no stdout"))
    const reader = createInterface({ input: stdout })
    let stderr = ""
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8")
    })
    const timer = setTimeout(() => {
      reader.close()
      reject(
        new Error(
          `timed out after ${timeoutMs} ms; stdout so far:\n${lines.join("\n")}\nstderr:\n${stderr.slice(-4000)}`
        )
      )
    }, timeoutMs)
    reader.on("line", (line) => {
      lines.push(line)
      if (!settled && done(lines)) {
        settled = true
        clearTimeout(timer)
        // Lines printed right after (more keys) still count; then keep draining the pipe so
        // the child never blocks on it.
        setTimeout(() => {
          reader.removeAllListeners("line")
          reader.on("line", () => {})
          resolvePromise([...lines])
        }, 500)
      }
    })
    child.once("exit", (code) => {
      if (settled) return
      clearTimeout(timer)
      reject(new Error(`exited with ${code} before it was ready:\n${lines.join("\n")}\n${stderr.slice(-4000)}`))
    })
  })

const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolvePromise) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolvePromise()
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000)
    child.once("exit", () => {
      clearTimeout(timer)
      resolvePromise()
    })
    child.kill("SIGTERM")
  })

const createKey = (db: string, school: string, scopes: string, name: string): string => {
  const out = run(
    process.execPath,
    [cli, "keys", "create", "--db", db, "--school", school, "--scopes", scopes, "--name", name],
    rootDir
  )
  const key = out.trim().split("\n").at(-1)?.trim()
  if (key === undefined || key === "") throw new Error(`keys create printed no key:\n${out}`)
  return key
}

/** Waits until the projector has caught up with the store (`/readyz` reports no lag). */
const waitUntilProjected = async (baseUrl: string, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  let last = ""
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${baseUrl}/readyz`)
      const body: unknown = await response.json()
      const lag = typeof body === "object" && body !== null ? Reflect.get(body, "lag") : undefined
      if (response.ok && (lag === 0 || lag === undefined)) return
      const line = `projector lag: ${String(lag)}`
      if (line !== last) log(line)
      last = line
    } catch {
      // not answering yet
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 2000))
  }
  throw new Error(`the projector did not catch up within ${timeoutMs / 1000} s (${last})`)
}

const schoolOf = async (baseUrl: string, key: string): Promise<string> => {
  const response = await fetch(`${baseUrl}/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ key })
  })
  if (!response.ok) throw new Error(`POST /v1/session answered ${response.status}: ${await response.text()}`)
  const body: unknown = await response.json()
  const school = typeof body === "object" && body !== null ? Reflect.get(body, "school") : undefined
  if (typeof school !== "string") throw new Error(`POST /v1/session gave no school: ${JSON.stringify(body)}`)
  return school
}

/**
 * Builds the repository, starts `rapport demo` on a free port with a fresh database, and
 * makes the extra keys.
 *
 * @since 0.1.0
 * @category targets
 */
export const startServer = async (options: { readonly build: boolean }): Promise<Target> => {
  if (options.build) {
    log("building the repository (pnpm build)…")
    pnpm(["build"], rootDir)
  }
  const dir = mkdtempSync(join(tmpdir(), "rapport-e2e-"))
  const db = join(dir, "rapport.db")
  log(`starting rapport demo with ${db}…`)
  const child = spawn(process.execPath, [cli, "demo", "--port", "0", "--db", db], {
    cwd: rootDir,
    env: { ...buildEnv, RAPPORT_DB: db },
    stdio: ["ignore", "pipe", "pipe"]
  })
  try {
    const lines = await readLines(
      child,
      (seen) => seen.some((l) => /^URL: /.test(l)) && seen.some((l) => /^Key \(dashboards:read\): /.test(l)),
      // Loading the mid-sized demo school takes minutes on two cores.
      900_000
    )
    const url = lines
      .find((l) => l.startsWith("URL: "))
      ?.slice(5)
      .trim()
    const keyFor = (scope: string) =>
      lines
        .find((l) => l.startsWith(`Key (${scope}): `))
        ?.slice(`Key (${scope}): `.length)
        .trim()
    const dashboards = keyFor("dashboards:read")
    if (url === undefined || dashboards === undefined)
      throw new Error(`demo printed no URL or key:\n${lines.join("\n")}`)
    const baseUrl = url.replace(/\/$/, "")
    await waitUntilProjected(baseUrl, 900_000)
    const school = await schoolOf(baseUrl, dashboards)
    const aggregates = keyFor("aggregates:read") ?? createKey(db, school, "aggregates:read", "e2e-aggregates")
    const otherSchool = createKey(db, `${school}-other`, "dashboards:read", "e2e-other-school")
    log(`demo school ${school} at ${baseUrl}`)
    return {
      mode: "server",
      baseUrl,
      school,
      keys: { dashboards, aggregates, otherSchool },
      stop: async () => {
        await stopChild(child)
        rmSync(dir, { recursive: true, force: true })
      }
    }
  } catch (error) {
    await stopChild(child)
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
}

/** A server someone else started and will stop (RAPPORT_E2E_URL). */
const running = (baseUrl: string): Target => ({
  mode: "server",
  baseUrl: baseUrl.replace(/\/$/, ""),
  school: process.env.RAPPORT_E2E_SCHOOL ?? "demo-school",
  keys: {
    dashboards: process.env.RAPPORT_E2E_KEY_DASHBOARDS ?? "",
    aggregates: process.env.RAPPORT_E2E_KEY_AGGREGATES ?? "",
    otherSchool: process.env.RAPPORT_E2E_KEY_OTHER_SCHOOL ?? ""
  },
  stop: async () => undefined
})

/**
 * Builds the dashboard and serves it with `vite preview` and the dev mock.
 *
 * @since 0.1.0
 * @category targets
 */
export const startMock = async (): Promise<Target> => {
  log("building the dashboard and starting vite preview with the mock API…")
  pnpm(["build"], dashboardDir)
  const { mockKeys } = await import("../../dev/MockApi.ts")
  const vite = join(dashboardDir, "node_modules/vite/bin/vite.js")
  const child = spawn(
    process.execPath,
    [vite, "preview", "--port", "0", "--strictPort", "false", "--host", "127.0.0.1"],
    {
      cwd: dashboardDir,
      env: { ...buildEnv, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"]
    }
  )
  const lines = await readLines(child, (seen) => seen.some((l) => /http:\/\/127\.0\.0\.1:\d+/.test(l)), 60_000)
  const match = lines.map((l) => /http:\/\/127\.0\.0\.1:(\d+)/.exec(l)).find((m) => m !== null)
  if (match === undefined || match === null) throw new Error("vite preview printed no URL")
  return {
    mode: "mock",
    baseUrl: `http://127.0.0.1:${match[1]}`,
    school: mockKeys.dashboards.school,
    keys: { dashboards: mockKeys.dashboards.key, aggregates: mockKeys.aggregates.key, otherSchool: mockKeys.other.key },
    stop: () => stopChild(child)
  }
}

/**
 * The target chosen by `RAPPORT_E2E_TARGET` (`server`, the default, or `mock`), or a server
 * already running at `RAPPORT_E2E_URL` (development: a demo loaded once), whose keys are in
 * `RAPPORT_E2E_KEY_DASHBOARDS`, `RAPPORT_E2E_KEY_AGGREGATES` and `RAPPORT_E2E_KEY_OTHER_SCHOOL`.
 *
 * @since 0.1.0
 * @category targets
 */
export const start = (): Promise<Target> =>
  process.env.RAPPORT_E2E_URL !== undefined
    ? Promise.resolve(running(process.env.RAPPORT_E2E_URL))
    : process.env.RAPPORT_E2E_TARGET === "mock"
      ? startMock()
      : // Under turbo (`turbo run e2e`, which sets TURBO_HASH) the build has already run.
        startServer({ build: process.env.RAPPORT_E2E_BUILD !== "0" && process.env.TURBO_HASH === undefined })
