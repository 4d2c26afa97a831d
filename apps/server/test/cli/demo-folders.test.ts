/**
 * `rapport demo` does not have to leave a new folder behind each time: `--reuse` serves the
 * newest loaded demo again without loading anything, `rapport demo list` shows the folders
 * with their sizes and which one a demo serves from, `rapport demo remove` deletes one (never
 * one in use) or all of them. The tiny school keeps it quick.
 */
import { existsSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ensureBuilt, finished, rapport, spawnRapport, tempDir } from "./cli.js"

const folder = tempDir()
const env = { RAPPORT_DEMO_SIZE: "tiny" }

beforeAll(async () => {
  await ensureBuilt()
}, 120_000)
afterAll(() => folder.remove())

/** Starts `rapport demo` in the folder and waits until it serves; `stop` ends it with SIGTERM. */
const demo = (args: ReadonlyArray<string>) =>
  new Promise<{ readonly output: () => string; readonly stop: () => Promise<string> }>((done, fail) => {
    const child = spawnRapport(["demo", "--port", "0", ...args], { env, cwd: folder.path })
    const ended = finished(child)
    let stdout = ""
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8")
      // the last line it prints before serving
      if (/`rapport demo remove <name>` deletes one\.\n/.test(stdout))
        done({
          output: () => stdout,
          stop: async () => {
            child.kill("SIGTERM")
            const result = await ended
            return result.stdout
          }
        })
    })
    void ended.then((result) => fail(new Error(`demo ended early: ${result.stdout}\n${result.stderr}`)))
  })

const demos = () => (existsSync(join(folder.path, ".rapport")) ? readdirSync(join(folder.path, ".rapport")).sort() : [])

describe("demo folders", () => {
  it("reopens the newest demo, lists and removes them", async () => {
    const first = await demo([])
    expect(first.output()).toContain("rapport demo --reuse")
    const [name = ""] = demos()
    expect(name).toMatch(/^demo-\d+$/)
    const listed = await rapport(["demo", "list"], { cwd: folder.path })
    expect(listed.code, listed.stderr).toBe(0)
    expect(listed.stdout).toMatch(new RegExp(`${name} .*tiny school.* MB .*serving \\(process \\d+\\)`))
    const refused = await rapport(["demo", "remove", name], { cwd: folder.path })
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain("in use by a running demo")
    await first.stop()

    const again = await demo(["--reuse"])
    expect(again.output()).toContain("Reopened the demo made")
    expect(again.output()).toContain(join(".rapport", name))
    await again.stop()
    // nothing new was made
    expect(demos()).toEqual([name])

    const after = await rapport(["demo", "list"], { cwd: folder.path })
    expect(after.stdout).toContain("1 demo folder")
    expect(after.stdout).not.toContain("serving")
    const removed = await rapport(["demo", "remove", "all"], { cwd: folder.path })
    expect(removed.code, removed.stderr).toBe(0)
    expect(removed.stdout).toContain(`Removed ${name}`)
    expect(demos()).toEqual([])
    const unknown = await rapport(["demo", "remove", "demo-1"], { cwd: folder.path })
    expect(unknown.stderr).toContain("is not a demo folder")
  }, 300_000)
})
