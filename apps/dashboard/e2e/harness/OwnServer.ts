/**
 * A `rapport serve` of its own on a fresh, empty SQLite file (the demo target is shared by
 * the other browser tests; sign-in tests change a school's configuration), reached at
 * `http://localhost:<port>` so that the identity providers on 127.0.0.1 are another site,
 * as they are in real life. Its standard output is kept for the tests to read the log.
 *
 * @since 0.3.0
 */
import { spawn, spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { createInterface } from "node:readline"
import { rootDir } from "./Target.ts"

const cli = resolve(rootDir, "apps/server/bin/rapport.mjs")

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * @since 0.3.0
 * @category constructors
 */
export const startOwnServer = async (options: { readonly env?: Readonly<Record<string, string>> } = {}) => {
  const dir = mkdtempSync(join(tmpdir(), "rapport-e2e-sign-in-"))
  const db = join(dir, "rapport.db")
  const env = { ...process.env, ...options.env, NODE_ENV: "production", RAPPORT_DB: db }
  const rapport = (args: ReadonlyArray<string>): string => {
    const result = spawnSync(process.execPath, [cli, ...args, "--db", db], { cwd: rootDir, env, encoding: "utf8" })
    if (result.status !== 0) throw new Error(`rapport ${args.join(" ")}: ${result.stdout}\n${result.stderr}`)
    return result.stdout
  }
  const child = spawn(process.execPath, [cli, "serve", "--port", "0", "--db", db], {
    cwd: rootDir,
    env,
    stdio: ["ignore", "pipe", "pipe"]
  })
  const lines: Array<string> = []
  const logLines: Array<string> = []
  const url = await new Promise<string>((resolveUrl, reject) => {
    const reader = createInterface({ input: child.stdout })
    reader.on("line", (line) => {
      lines.push(line)
      const found = /^URL: (\S+)/.exec(line)?.[1]
      if (found !== undefined) resolveUrl(found)
    })
    createInterface({ input: child.stderr }).on("line", (line) => logLines.push(line))
    child.once("exit", (code) => reject(new Error(`rapport serve exited with ${code}:\n${lines.join("\n")}`)))
  })
  const port = new URL(url).port
  const baseUrl = `http://localhost:${port}`
  const key = (school: string, scopes: string, name: string) =>
    rapport(["keys", "create", "--school", school, "--scopes", scopes, "--name", name]).trim().split("\n").at(-1) ?? ""
  return {
    baseUrl,
    key,
    /** `rapport sign-in set` with this configuration */
    configure: (school: string, config: unknown): string => {
      const file = join(dir, `${school}.json`)
      writeFileSync(file, JSON.stringify(config))
      return rapport(["sign-in", "set", "--school", school, "--config", file])
    },
    rapport,
    /** log lines (JSON, on standard error) so far */
    log: (): ReadonlyArray<Record<string, unknown>> =>
      logLines.flatMap((line) => {
        try {
          const parsed: unknown = JSON.parse(line)
          return isRecord(parsed) ? [parsed] : []
        } catch {
          return []
        }
      }),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r))
        child.kill("SIGTERM")
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
