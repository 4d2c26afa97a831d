/**
 * Real `rapport` processes for the reliability tests: `serve` and `project` as children of
 * this Node (24, under pnpm) on real files or a real PostgreSQL database, with their whole
 * output kept (the privacy tests search it), killed with SIGKILL or stopped with SIGTERM.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { cleanEnv, ensureBuilt } from "../cli/cli.js"

export { ensureBuilt }

const bin = resolve(import.meta.dirname, "../../bin/rapport.mjs")

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms))

export interface Exit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

export interface Proc {
  readonly child: ChildProcess
  /** everything written so far to standard output and standard error */
  readonly stdout: () => string
  readonly stderr: () => string
  readonly exited: Promise<Exit>
  /** resolves with the first match of `pattern` in standard output, fails when the process ends first */
  readonly waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpExecArray>
  readonly kill9: () => Promise<Exit>
  /** SIGTERM: a graceful stop */
  readonly stop: () => Promise<Exit>
}

/** the processes started by this file's tests and still running */
const live = new Set<ChildProcess>()

/** Kills (SIGKILL) whatever a failed test left running; for `afterAll`. */
export const killLeftovers = (): void => {
  for (const child of live) child.kill("SIGKILL")
  live.clear()
}

export const start = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Proc => {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: tmpdir(),
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"]
  })
  live.add(child)
  let out = ""
  let err = ""
  let ended: Exit | undefined
  const listeners = new Set<() => void>()
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8")
    for (const listener of listeners) listener()
  })
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8")
  })
  const exited = new Promise<Exit>((done) =>
    child.on("close", (code, signal) => {
      live.delete(child)
      ended = { code, signal }
      for (const listener of listeners) listener()
      done(ended)
    })
  )
  const waitFor = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<RegExpExecArray>((done, fail) => {
      const timer = setTimeout(() => {
        listeners.delete(check)
        fail(new Error(`no ${pattern} after ${timeoutMs} ms; stdout: ${out}; stderr: ${err.slice(-2000)}`))
      }, timeoutMs)
      function check() {
        const match = pattern.exec(out)
        if (match !== null) {
          clearTimeout(timer)
          listeners.delete(check)
          done(match)
        } else if (ended !== undefined) {
          clearTimeout(timer)
          listeners.delete(check)
          fail(
            new Error(`rapport ${args[0]} ended (${ended.code ?? ended.signal}) before ${pattern}: ${err.slice(-2000)}`)
          )
        }
      }
      listeners.add(check)
      check()
    })
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor,
    kill9: () => {
      if (ended === undefined) child.kill("SIGKILL")
      return exited
    },
    stop: () => {
      if (ended === undefined) child.kill("SIGTERM")
      return exited
    }
  }
}

/** Runs one command to its end. */
export const run = async (
  args: ReadonlyArray<string>,
  env: Record<string, string> = {}
): Promise<Exit & { readonly stdout: string; readonly stderr: string }> => {
  const proc = start(args, env)
  const exit = await proc.exited
  return { ...exit, stdout: proc.stdout(), stderr: proc.stderr() }
}

export interface Serving {
  readonly url: string
  readonly proc: Proc
}

/** `rapport serve` on a free port; resolves once it listens. */
export const serve = async (db: string, env: Record<string, string> = {}): Promise<Serving> => {
  const proc = start(["serve", "--port", "0", "--db", db], env)
  const match = await proc.waitFor(/URL: (http:\/\/\S+)/)
  return { url: match[1] ?? "", proc }
}

/** `rapport project`; resolves once it holds the lease and runs (or at once with `waitForLease: false`). */
export const project = async (
  db: string,
  env: Record<string, string> = {},
  options: { readonly waitForLease?: boolean } = {}
): Promise<Proc> => {
  const proc = start(["project", "--db", db], env)
  if (options.waitForLease !== false) await proc.waitFor(/The projector is running from position/)
  return proc
}

/** Creates an API key with `rapport keys create`; returns the key. */
export const createKey = async (
  db: string,
  school: string,
  scopes: string,
  name: string,
  env: Record<string, string> = {}
): Promise<string> => {
  const created = await run(["keys", "create", "--db", db, "--school", school, "--scopes", scopes, "--name", name], env)
  if (created.code !== 0) throw new Error(`keys create failed: ${created.stderr}`)
  return created.stdout.trimEnd().split("\n").at(-1) ?? ""
}

export const tempDir = (): { readonly path: string; readonly remove: () => void } => {
  const path = mkdtempSync(join(tmpdir(), "rapport-reliability-"))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}
