/**
 * docs/api.md cannot drift: every ```sh block in it runs, in order, against a real
 * `rapport serve` on a random port with keys of every scope in the environment variables
 * the page names. Each `# → <status>` comment is checked against the status curl saw, and
 * where a block is followed by a problem+json example, the answer has the same `type`.
 * docs/xapi.md's blocks run the same way, on a server that knows the example homePage, and
 * its statement becomes an event as the page says.
 */
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cleanEnv, createKey, ensureBuilt, type Serving, serve, serverRoot, tempDir } from "./cli.js"

const page = readFileSync(join(serverRoot, "../../docs/api.md"), "utf8")
const xapiPage = readFileSync(join(serverRoot, "../../docs/xapi.md"), "utf8")

interface Example {
  readonly script: string
  readonly statuses: ReadonlyArray<number>
  /** the `type` of the problem+json example right after the block, if any */
  readonly problemType: string | undefined
}

const examplesOf = (text: string): ReadonlyArray<Example> =>
  [...text.matchAll(/```sh\n([\s\S]*?)```(\s*```json\n([\s\S]*?)```)?/g)].map((match) => {
    const script = match[1] ?? ""
    let problemType: string | undefined
    try {
      const following: unknown = match[3] === undefined ? undefined : JSON.parse(match[3])
      if (typeof following === "object" && following !== null && "type" in following) {
        problemType = String(following.type)
      }
    } catch {
      problemType = undefined
    }
    return { script, statuses: [...script.matchAll(/^# → (\d{3})/gm)].map((m) => Number(m[1])), problemType }
  })
const examples = examplesOf(page)

// Every curl reports its status on standard error, leaving standard output to the example.
const preamble = `set -euo pipefail
curl() { command curl --show-error --write-out '%{stderr}HTTP %{http_code}\\n' "$@"; }
`

const runScript = (script: string, env: Record<string, string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn("bash", ["-c", preamble + script], { env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8")
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8")
    })
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

const folder = tempDir()
let server: Serving
let env: Record<string, string>

beforeAll(async () => {
  await ensureBuilt()
  const db = `${folder.path}/rapport.db`
  const school = "example-school"
  env = {
    RAPPORT_KEY: await createKey(db, school, "events:write", "lms-feed"),
    RAPPORT_DEAN_KEY: await createKey(db, school, "dashboards:read", "dean"),
    RAPPORT_ANALYST_KEY: await createKey(db, school, "aggregates:read", "analyst"),
    RAPPORT_ADMIN_KEY: await createKey(db, school, "admin", "admin")
  }
  // the homePage of docs/xapi.md's example agents (api.md's blocks send no statements)
  server = await serve(["--db", db], { RAPPORT_XAPI_ACCOUNTS: "*=https://lms.example.edu" })
  env.RAPPORT_URL = server.url
}, 120_000)

afterAll(async () => {
  await server?.stop()
  folder.remove()
})

describe("docs/api.md", () => {
  it("has examples, each checking at least one status", () => {
    expect(examples.length).toBeGreaterThan(10)
    for (const example of examples) expect(example.statuses.length, example.script).toBeGreaterThan(0)
    const checked = new Set(examples.flatMap((example) => example.statuses))
    // no 503: its only example waited for a raw log position (`waitFor=1000000`), which a
    // client can no longer name now that positions are sealed tokens (issue #13, item 5)
    for (const status of [200, 400, 401, 403, 404, 409, 413, 415]) expect(checked.has(status), `${status}`).toBe(true)
  })

  it("runs every sh block against a real server with the statuses it states", async () => {
    await runExamples(examples)
  }, 120_000)
})

/** runs the blocks in order; what they printed */
const runExamples = async (examples: ReadonlyArray<Example>): Promise<string> => {
  let printed = ""
  for (const example of examples) {
    const result = await runScript(example.script, env)
    const context = `${example.script}\n--- stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}`
    expect(result.code, context).toBe(0)
    const seen = [...result.stderr.matchAll(/^HTTP (\d{3})$/gm)].map((m) => Number(m[1]))
    expect(seen, context).toEqual(example.statuses)
    if (example.problemType !== undefined) expect(result.stdout, context).toContain(`"type":"${example.problemType}"`)
    printed += result.stdout
  }
  return printed
}

describe("docs/xapi.md", () => {
  it("tries statements with curl as written, and its statement becomes an event where its homePage is configured", async () => {
    const examples = examplesOf(xapiPage)
    expect(examples.length).toBeGreaterThan(0)
    const printed = await runExamples(examples)
    const id = "5d1c0d2e-8a4b-4f6e-9b3a-2c7d1e0f4a51"
    expect(xapiPage).toContain(`The first answers \`["${id}"]\``)
    expect(printed).toContain(`["${id}"]{"id":"${id}"`)
    expect(printed).toMatch(/"stored":"[^"]+","authority":\{[^}]+\}\},"version":"2\.0\.0"\}/)
    expect(printed).toContain('"version":["2.0.0","1.0.3"]')
    const coverage = await fetch(`${env.RAPPORT_URL}/v1/dashboard/coverage/statements`, {
      headers: { authorization: `Bearer ${env.RAPPORT_DEAN_KEY}` }
    })
    expect(await coverage.json()).toEqual({ sources: [{ source: "lms-feed", received: 1, used: 1, notUsed: [] }] })
  }, 60_000)
})
