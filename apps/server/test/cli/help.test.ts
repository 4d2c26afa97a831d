/**
 * `--help` through the real CLI, for every command of the table: exit 0, the command's
 * synopsis and every option it takes on standard output, nothing on standard error, no
 * store opened (no file created); `rapport help <command>` says the same; `rapport help`
 * lists every command; the options and arguments a command does not take are refused with
 * one sentence that points to its help.
 */
import { readdirSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { table } from "../../src/cli/commands.js"
import { ensureBuilt, rapport, tempDir } from "./cli.js"

const folder = tempDir()

beforeAll(ensureBuilt, 120_000)
afterAll(() => folder.remove())

const words = (name: string): Array<string> => name.split(" ")

describe("rapport <command> --help", () => {
  it("covers every command of the table", () => {
    expect(table.map((command) => command.name)).toEqual(
      expect.arrayContaining(["serve", "demo", "keys create", "keys list", "keys revoke", "import", "project"])
    )
    expect(table.map((command) => command.name)).toEqual(expect.arrayContaining(["rebuild", "backup"]))
  })

  for (const command of table) {
    it(`answers for ${command.name}, without opening a store`, async () => {
      const asked = await rapport([...words(command.name), "--help"], { cwd: folder.path })
      expect(asked.stderr).toBe("")
      expect(asked.code).toBe(0)
      const synopsis = `rapport ${[command.name, ...command.args].join(" ")}`
      expect(asked.stdout.split("\n")[0]?.startsWith(synopsis), asked.stdout).toBe(true)
      for (const option of [...Object.keys(command.options), ...Object.keys(command.switches), "help"]) {
        expect(asked.stdout).toMatch(new RegExp(`^ {2}--${option}\\b`, "m"))
      }
      expect(asked.stdout).toContain(command.summary.slice(1))
      const short = await rapport([...words(command.name), "-h"], { cwd: folder.path })
      expect(short.stdout).toBe(asked.stdout)
      const viaHelp = await rapport(["help", ...words(command.name)], { cwd: folder.path })
      expect(viaHelp.code).toBe(0)
      expect(viaHelp.stdout).toBe(asked.stdout)
      expect(readdirSync(folder.path)).toEqual([])
    }, 30_000)
  }

  it("lists every command in `rapport help`, and a group's commands in `rapport keys --help`", async () => {
    const help = await rapport(["help"], { cwd: folder.path })
    expect(help.code).toBe(0)
    for (const command of table) expect(help.stdout).toContain(`  ${command.name}`)
    const keys = await rapport(["keys", "--help"], { cwd: folder.path })
    expect(keys.code).toBe(0)
    expect(keys.stdout.split("\n")[0]).toBe("rapport keys <create | list | revoke>")
  }, 30_000)

  it("refuses an option or an argument a command does not take, pointing to its help", async () => {
    for (const args of [
      ["project", "--port", "3000"],
      ["rebuild", "extra"],
      ["import", "a.ndjson", "b.ndjson", "--school", "s"],
      ["keys", "revoke"]
    ]) {
      const refused = await rapport(args, { cwd: folder.path })
      expect(refused.code, args.join(" ")).toBe(2)
      expect(refused.stdout, args.join(" ")).toBe("")
      expect(refused.stderr, args.join(" ")).toMatch(/^rapport: .+; run `rapport [a-z ]+ --help`\.\n$/)
    }
    expect(readdirSync(folder.path)).toEqual([])
  }, 60_000)
})
