/**
 * docs/operations.md against the code, so that the two cannot drift: the Configuration
 * table names every environment variable the server reads, with the defaults `Config.load`
 * applies; every command of `rapport help` is in the command table; the Import section
 * lists the CSV columns the importer reads; the mapped import shows the example mapping as
 * it is and its try-it command does what the page says; the contents link to headings that
 * exist.
 */
import * as Result from "effect/Result"
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { load } from "../../src/Config.js"
import { csvColumns } from "../../src/cli/ImportFile.js"
import * as SignInConfig from "../../src/signin/SignInConfig.js"
import { ensureBuilt, rapport, serverRoot, tempDir } from "./cli.js"

const docs = readFileSync(join(serverRoot, "../../docs/operations.md"), "utf8")

beforeAll(ensureBuilt, 120_000)

const section = (heading: string): string => {
  const start = docs.indexOf(`\n## ${heading}\n`)
  expect(start, heading).toBeGreaterThan(0)
  const end = docs.indexOf("\n## ", start + 1)
  return docs.slice(start, end === -1 ? undefined : end)
}

const sources = (folder: string): Array<string> =>
  readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(folder, entry.name))
      : entry.name.endsWith(".ts")
        ? [readFileSync(join(folder, entry.name), "utf8")]
        : []
  )

describe("docs/operations.md", () => {
  const configuration = section("Configuration")
  const rowOf = (variable: string) => configuration.split("\n").find((line) => line.includes(`| \`${variable}\` |`))

  it("documents every environment variable the server reads", () => {
    const read = new Set<string>()
    for (const text of sources(join(serverRoot, "src"))) {
      for (const match of text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)|process\.env\.([A-Z][A-Z0-9_]+)/g)) {
        read.add(match[1] ?? match[2] ?? "")
      }
    }
    expect(read.size).toBeGreaterThan(8)
    for (const variable of read) expect(rowOf(variable), variable).toBeDefined()
  })

  it("states the defaults Config.load applies", () => {
    const config = load({}, {})
    expect(rowOf("RAPPORT_DB")).toContain(`\`${config.db}\``)
    expect(rowOf("PORT")).toContain(`\`${config.port}\``)
    expect(rowOf("HOST")).toContain(`\`${config.host}\``)
    expect(rowOf("RAPPORT_TIME_ZONE")).toContain(`\`${config.timeZones["*"]}\``)
    expect(rowOf("RAPPORT_SUPPRESSION_THRESHOLD")).toContain(`\`${config.suppressionThreshold}\``)
    expect(rowOf("RAPPORT_PROJECTOR")).toContain(`\`${config.projector}\``)
    expect(rowOf("RAPPORT_EVENT_STORE")).toContain(`\`${config.store}\``)
    expect(load({}, { RAPPORT_DB: "postgres://h/db" }).store).toBe("postgres")
  })

  it("refuses EventStoreDB without a stream key of at least 32 characters, in one sentence that never repeats it", async () => {
    const env = {
      RAPPORT_DB: "postgres://postgres@127.0.0.1:5432/test",
      RAPPORT_EVENT_STORE: "eventstoredb",
      EVENTSTOREDB_URL: "esdb://127.0.0.1:1?tls=false"
    }
    for (const key of [undefined, "short-s3cr3t-key"]) {
      const result = await rapport(["serve"], {
        env: key === undefined ? env : { ...env, EVENTSTOREDB_STREAM_KEY: key }
      })
      expect(result.code, result.stderr).toBe(2)
      expect(result.stderr.trimEnd().split("\n")).toHaveLength(1)
      expect(result.stderr).toContain("needs EVENTSTOREDB_STREAM_KEY, a secret of at least 32 characters")
      expect(result.stderr).not.toContain("s3cr3t")
    }
    expect(rowOf("EVENTSTOREDB_STREAM_KEY")).toContain("required for `eventstoredb`")
  }, 30_000)

  it("lists every command of `rapport help`", async () => {
    const help = await rapport(["help"])
    const commands = [...help.stdout.matchAll(/^ {2}(\w+)/gm)].map((match) => match[1])
    expect(commands).toEqual(
      expect.arrayContaining(["serve", "demo", "keys", "import", "project", "rebuild", "backup"])
    )
    for (const command of commands) expect(configuration, `${command}`).toContain(`\`rapport ${command}`)
  }, 30_000)

  it("lists the CSV columns the importer reads, and a rejected record as the importer writes it", () => {
    const imports = section("Import")
    const columns = [...imports.matchAll(/^\| `(\w+)` \| (?:yes|no) \|/gm)].map((match) => match[1])
    expect(columns).toEqual([...csvColumns])
    expect(imports).toContain(`\n${csvColumns.join(",")}\n`)
    const example = /```json\n(.*)\n```/.exec(imports)?.[1] ?? ""
    expect(Object.keys(JSON.parse(example))).toEqual(["line", "errors", "input"])
  })

  it("shows the example mapping whole, and its try-it command stores, rejects and skips what it says, once", async () => {
    const mapped = section("Mapped CSV import")
    const examples = join(serverRoot, "../../examples")
    const shown = /The mapping file:\n\n```json\n([\s\S]*?)\n```/.exec(mapped)?.[1] ?? "null"
    expect(JSON.parse(shown)).toEqual(JSON.parse(readFileSync(join(examples, "scheduler-mapping.json"), "utf8")))

    // the command as written, in a copy of the repository's examples folder
    const command = /```text\nnpx pnpm@12\.4\.2 rapport (import [^`]*?)\n```/.exec(mapped)?.[1] ?? ""
    const args = command.replace(/\\\n\s*/g, "").split(/\s+/)
    expect(args).toContain("--map")
    const folder = tempDir()
    try {
      mkdirSync(join(folder.path, "examples"))
      mkdirSync(join(folder.path, ".rapport/demo-1"), { recursive: true })
      for (const file of ["scheduler-export.csv", "scheduler-mapping.json"]) {
        copyFileSync(join(examples, file), join(folder.path, "examples", file))
      }
      const run = () =>
        rapport(
          args.map((arg) => (arg === ".rapport/demo-<number>/rapport.db" ? ".rapport/demo-1/rapport.db" : arg)),
          { cwd: folder.path }
        )
      const first = await run()
      expect(first.code, first.stderr).toBe(0)
      expect(mapped).toContain("It stores 2 events, rejects 1 row (line 6")
      expect(first.stdout).toContain("2 events stored, 0 duplicates")
      expect(first.stdout).toMatch(
        /1 rejected \(written to examples\/scheduler-export\.csv\.rejected\.ndjson.*2 rows skipped/
      )
      const rejected = JSON.parse(
        readFileSync(join(folder.path, "examples/scheduler-export.csv.rejected.ndjson"), "utf8")
      ) as { line: number }
      expect(rejected.line).toBe(6)
      expect(mapped).toContain("Run it again: 0 stored, 2 duplicates.")
      const again = await run()
      expect(again.code, again.stderr).toBe(0)
      expect(again.stdout).toContain("0 events stored, 2 duplicates")
    } finally {
      folder.remove()
    }
  }, 60_000)

  it("gives a sign-in configuration that `rapport sign-in set` accepts, and describes each of its fields", () => {
    const signIn = section("Signing in with the school's identity provider")
    const example = /```json\n([\s\S]*?)\n```/.exec(signIn)?.[1] ?? ""
    const decoded = SignInConfig.decode(JSON.parse(example))
    expect(Result.isSuccess(decoded) ? "valid" : decoded.failure).toBe("valid")
    const described = new Set([...signIn.matchAll(/^\| `([\w.]+)`(?: or `([\w.]+)`)?/gm)].flatMap((m) => [m[1], m[2]]))
    const fields = [
      ...Object.keys(SignInConfig.SchoolSignIn.fields).filter((field) => field !== "oidc" && field !== "saml"),
      ...Object.keys(SignInConfig.OidcProvider.fields).map((field) => `oidc.${field}`),
      ...Object.keys(SignInConfig.SamlProvider.fields).map((field) => `saml.${field}`)
    ]
    for (const field of fields) expect(described.has(field), field).toBe(true)
  })

  it("links its contents to headings that exist", () => {
    const contents = section("Contents")
    const slug = (heading: string) =>
      heading
        .toLowerCase()
        .replace(/[^\w\- ]/g, "")
        .replace(/ /g, "-")
    const anchors = new Set([...docs.matchAll(/^#{2,3} (.+)$/gm)].map((match) => slug(match[1] ?? "")))
    const links = [...docs.matchAll(/\]\(#([\w-]+)\)/g)].map((match) => match[1] ?? "")
    expect(contents).toContain("](#sqlite-event-store)")
    for (const link of links) expect(anchors.has(link), link).toBe(true)
  })
})
