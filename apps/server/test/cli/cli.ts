/**
 * Running the real `rapport` CLI in tests: child processes of this Node (24, under pnpm)
 * on `bin/rapport.mjs`, in temporary folders, with a clean environment. The built
 * `dist/` is rebuilt first when a source file is newer (one test file at a time builds,
 * behind a lock directory, so parallel files never run a half-written dist).
 */
import { Simulation } from "@rapport/simulator"
import { SqliteEventStore } from "@rapport/event-store-sqlite"
import * as Effect from "effect/Effect"
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

export const serverRoot = resolve(import.meta.dirname, "../..")
const bin = join(serverRoot, "bin/rapport.mjs")
const dist = join(serverRoot, "dist")
const built = join(dist, "main.js")

const newest = (folder: string): number =>
  readdirSync(folder, { withFileTypes: true }).reduce((latest, entry) => {
    const path = join(folder, entry.name)
    return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }, 0)

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

const builtTime = (): number => {
  try {
    return statSync(built).mtimeMs
  } catch {
    return 0
  }
}

/** Builds `dist/` when a source file is newer than it. */
export const ensureBuilt = async (): Promise<void> => {
  const lock = join(serverRoot, ".cli-test-build.lock")
  for (;;) {
    if (builtTime() >= newest(join(serverRoot, "src"))) return
    try {
      mkdirSync(lock)
    } catch {
      // a lock left by a run that was killed while building
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()
      if (Date.now() - since > 120_000) rmSync(lock, { recursive: true, force: true })
      await sleep(200)
      continue
    }
    try {
      if (builtTime() < newest(join(serverRoot, "src"))) {
        // Built beside dist and swapped in, so that processes started from dist meanwhile
        // never see it half-written.
        const tsup = createRequire(join(serverRoot, "package.json")).resolve("tsup/dist/cli-default.js")
        const fresh = join(serverRoot, `dist-build-${process.pid}`)
        const old = join(serverRoot, `dist-old-${process.pid}`)
        execFileSync(process.execPath, [tsup, "--out-dir", fresh], { cwd: serverRoot, stdio: "ignore" })
        if (existsSync(dist)) renameSync(dist, old)
        renameSync(fresh, dist)
        rmSync(old, { recursive: true, force: true })
      }
    } finally {
      rmSync(lock, { recursive: true, force: true })
    }
  }
}

/** The environment of a child: this one without any RAPPORT_* or store setting. */
export const cleanEnv = (extra: Record<string, string> = {}): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || name.startsWith("RAPPORT_") || name === "PORT" || name.startsWith("EVENTSTOREDB_"))
      continue
    env[name] = value
  }
  return { ...env, ...extra }
}

export interface Finished {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

// A test that fails or times out before stopping its server must not leave it running.
const live = new Set<ChildProcess>()
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL")
})

export const spawnRapport = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly cwd?: string } = {}
): ChildProcess => {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? tmpdir(),
    env: cleanEnv(options.env),
    stdio: ["ignore", "pipe", "pipe"]
  })
  live.add(child)
  child.once("exit", () => live.delete(child))
  return child
}

export const finished = (child: ChildProcess): Promise<Finished> =>
  new Promise((done, fail) => {
    let stdout = ""
    let stderr = ""
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8")
    })
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8")
    })
    child.on("error", fail)
    child.on("close", (code, signal) => done({ code, signal, stdout, stderr }))
  })

/** Runs one command to its end. */
export const rapport = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly cwd?: string } = {}
): Promise<Finished> => finished(spawnRapport(args, options))

export interface Serving {
  readonly url: string
  readonly stop: () => Promise<Finished>
}

/** Starts `rapport serve` (port 0: a free port) and waits for its URL. */
export const serve = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Serving> =>
  new Promise((done, fail) => {
    const child = spawnRapport(["serve", "--port", "0", ...args], { env })
    const ended = finished(child)
    let stdout = ""
    const onData = (chunk: Buffer) => {
      stdout += chunk.toString("utf8")
      const url = /URL: (http:\/\/\S+)/.exec(stdout)?.[1]
      if (url === undefined) return
      child.stdout?.off("data", onData)
      done({
        url,
        stop: () => {
          child.kill("SIGTERM")
          return ended
        }
      })
    }
    child.stdout?.on("data", onData)
    ended.then((result) => fail(new Error(`serve ended before listening: ${result.stderr}`)), fail)
  })

export const tempDir = (): { readonly path: string; readonly remove: () => void } => {
  const path = mkdtempSync(join(tmpdir(), "rapport-cli-"))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** The tiny simulated school the import tests use (about 21,000 deliveries). */
export const tinySchool = { seed: 7, size: "tiny" } as const

/** What the simulator says about its deliveries: the ids of the valid events, and the malformed ones (0-based). */
export const expectations = () => {
  const valid = new Set<string>()
  const malformed: Array<{ readonly index: number; readonly id: string }> = []
  let index = 0
  for (const item of Simulation.generate(tinySchool)) {
    if (item.flags.malformed === undefined) valid.add(item.event.id.toLowerCase())
    else malformed.push({ index, id: item.event.id })
    index += 1
  }
  return { valid, malformed, deliveries: index }
}

/** Every event of an embedded store: its school and id, in log order. */
export const storedEvents = async (db: string): Promise<Array<{ readonly school: string; readonly id: string }>> => {
  const store = await Effect.runPromise(SqliteEventStore.make({ path: db, writer: "inline" }))
  try {
    const events: Array<{ school: string; id: string }> = []
    let after = 0
    for (;;) {
      const page = await Effect.runPromise(store.readAll({ after, maxCount: 5000 }))
      for (const event of page.events) events.push({ school: event.stream.school, id: event.id })
      if (page.isEnd || page.events.length === 0) return events
      after = page.lastPosition
    }
  } finally {
    await Effect.runPromise(store.close)
  }
}

/** The position of the last event committed to an embedded store (erased events keep theirs). */
export const headPosition = async (db: string): Promise<number> => {
  const store = await Effect.runPromise(SqliteEventStore.make({ path: db, writer: "inline" }))
  try {
    return await Effect.runPromise(store.headPosition)
  } finally {
    await Effect.runPromise(store.close)
  }
}

/** The key printed alone on the last line of `keys create`. */
export const createKey = async (db: string, school: string, scopes: string, name: string): Promise<string> => {
  const created = await rapport(["keys", "create", "--db", db, "--school", school, "--scopes", scopes, "--name", name])
  if (created.code !== 0) throw new Error(`keys create failed: ${created.stderr}`)
  return created.stdout.trimEnd().split("\n").at(-1) ?? ""
}
