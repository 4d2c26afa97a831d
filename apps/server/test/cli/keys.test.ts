/**
 * `rapport keys` and configuration errors, through the real CLI: a created key is alone on
 * the last line of standard output and authenticates against `rapport serve`; list and
 * revoke; a wrong setting exits 2 with one sentence and no stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createKey, ensureBuilt, rapport, serve, tempDir } from "./cli.js"

const folder = tempDir()
const db = `${folder.path}/rapport.db`

beforeAll(ensureBuilt, 120_000)
afterAll(() => folder.remove())

const oneSentence = (stderr: string) => {
  const lines = stderr.trimEnd().split("\n")
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^rapport: .+[.)]$/)
  expect(stderr).not.toMatch(/\n\s+at /)
}

describe("rapport keys", () => {
  it("creates a key printed alone on the last line, which authenticates; revoke makes it fail", async () => {
    const created = await rapport([
      "keys",
      "create",
      "--db",
      db,
      "--school",
      "school-a",
      "--scopes",
      "events:write,dashboards:read",
      "--name",
      "registrar-feed"
    ])
    expect(created.code).toBe(0)
    const lines = created.stdout.trimEnd().split("\n")
    const key = lines.at(-1) ?? ""
    expect(key).toMatch(/^\S{20,}$/)
    expect(lines.slice(0, -1).join("\n")).not.toContain(key)

    const listed = await rapport(["keys", "list", "--db", db])
    expect(listed.code).toBe(0)
    expect(listed.stdout).toMatch(/^registrar-feed\tschool-a\tevents:write,dashboards:read\tcreated \S+$/m)
    expect(listed.stdout).not.toContain(key)

    const server = await serve(["--db", db])
    try {
      const authorized = await fetch(`${server.url}/v1/dashboard/overview`, {
        headers: { authorization: `Bearer ${key}` }
      })
      expect(authorized.status).toBe(200)
      const wrong = await fetch(`${server.url}/v1/dashboard/overview`, {
        headers: { authorization: `Bearer ${key.slice(0, -2)}xx` }
      })
      expect(wrong.status).toBe(401)

      const revoked = await rapport(["keys", "revoke", "--db", db, "registrar-feed"])
      expect(revoked.code).toBe(0)
      expect(revoked.stdout).toContain('Revoked key "registrar-feed"')
      const after = await fetch(`${server.url}/v1/dashboard/overview`, { headers: { authorization: `Bearer ${key}` } })
      expect(after.status).toBe(401)
    } finally {
      await server.stop()
    }
    const relisted = await rapport(["keys", "list", "--db", db])
    expect(relisted.stdout).toMatch(/^registrar-feed\t.*\trevoked \S+$/m)
  }, 60_000)

  it("refuses a second active key of the same name, an unknown scope and an unknown key to revoke", async () => {
    await createKey(db, "school-a", "admin", "dean-office")
    const again = await rapport([
      "keys",
      "create",
      "--db",
      db,
      "--school",
      "school-a",
      "--scopes",
      "admin",
      "--name",
      "dean-office"
    ])
    expect(again.code).toBe(2)
    oneSentence(again.stderr)
    const scope = await rapport([
      "keys",
      "create",
      "--db",
      db,
      "--school",
      "school-a",
      "--scopes",
      "root",
      "--name",
      "x"
    ])
    expect(scope.code).toBe(2)
    expect(scope.stderr).toContain("unknown: root")
    oneSentence(scope.stderr)
    const missing = await rapport(["keys", "revoke", "--db", db, "nobody"])
    expect(missing.code).toBe(2)
    oneSentence(missing.stderr)
  }, 60_000)
})

describe("a wrong setting", () => {
  const cases: ReadonlyArray<{ what: string; args: Array<string>; env?: Record<string, string>; says: RegExp }> = [
    {
      what: "an unknown event store",
      args: ["keys", "list"],
      env: { RAPPORT_EVENT_STORE: "mysql" },
      says: /RAPPORT_EVENT_STORE/
    },
    { what: "a port that is no number", args: ["serve", "--port", "abc"], says: /port/ },
    { what: "a bad time zone", args: ["serve"], env: { RAPPORT_TIME_ZONE: "Mars/Olympus_Mons" }, says: /time zone/ },
    {
      what: "a bad school time zone",
      args: ["rebuild"],
      env: { RAPPORT_TIME_ZONES: "a=Nowhere/City" },
      says: /RAPPORT_TIME_ZONES/
    },
    {
      what: "a short key pepper",
      args: ["keys", "list"],
      env: { RAPPORT_KEY_PEPPER: "short" },
      says: /RAPPORT_KEY_PEPPER/
    },
    { what: "an unknown flag", args: ["serve", "--prot", "3000"], says: /--prot/ },
    { what: "an unknown command", args: ["serv"], says: /Unknown command/ },
    { what: "import without a school", args: ["import", "x.ndjson"], says: /--school/ },
    {
      what: "a stall timeout of zero",
      args: ["import", "x.ndjson", "--school", "s"],
      env: { RAPPORT_IMPORT_STALL_SECONDS: "0" },
      says: /RAPPORT_IMPORT_STALL_SECONDS/
    }
  ]
  for (const { what, args, env, says } of cases) {
    it(`${what} exits 2 with one sentence`, async () => {
      const result = await rapport(args, { env: { RAPPORT_DB: `${folder.path}/settings.db`, ...env } })
      expect(result.code).toBe(2)
      expect(result.stdout).toBe("")
      oneSentence(result.stderr)
      expect(result.stderr).toMatch(says)
    }, 30_000)
  }
})
