/**
 * The control tables on PostgreSQL (an installation's keys, directory, audit and sessions
 * live there when the store does): keys only as HMACs, verification and revocation, the
 * directory's created flag, sessions, and audit pages that never split an instant. Each
 * run has its own schema, dropped afterwards. Without a reachable server the tests skip
 * with the reason printed, except under CI=true, where that is a failure.
 */
import { Sql } from "@rapport/analytics"
import { randomBytes } from "node:crypto"
import postgres from "postgres"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as ControlStore from "../src/control/ControlStore.js"
import { type PromisedControl, promised } from "./control.js"

const url = process.env.RAPPORT_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test"
const schema = `rapport_control_test_${randomBytes(4).toString("hex")}`
const now = new Date("2026-11-01T12:00:00Z")

const reachable = async (): Promise<string | undefined> => {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => undefined })
  try {
    await sql`SELECT 1`
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined)
  }
}

const reason = await reachable()
if (reason !== undefined) {
  const sentence = `PostgreSQL at ${url} is unreachable (${reason})`
  if (process.env.CI === "true") {
    it("PostgreSQL is reachable (required under CI=true)", () => {
      throw new Error(sentence)
    })
  } else {
    console.log(`skipping the PostgreSQL control-table tests: ${sentence}`)
  }
}

describe.runIf(reason === undefined)("ControlStore on PostgreSQL", () => {
  let db: Sql.SqlDatabase
  let control: PromisedControl

  beforeAll(async () => {
    db = await Sql.openPostgres(url, { schema, max: 2 })
    control = promised(await ControlStore.make(db))
  })

  afterAll(async () => {
    await db.close()
    const sql = postgres(url, { max: 1, onnotice: () => undefined })
    await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await sql.end()
  })

  it("stores keys only as HMACs, verifies and revokes them", async () => {
    const created = await control.createKey({ school: "s", name: "pg-dean", scopes: ["dashboards:read"], now })
    const session = await control.createSession(created.record.publicId, now, 60_000)
    const tables = ["rapport_keys", "rapport_sessions", "rapport_secrets", "rapport_directory", "rapport_audit"]
    const everything = JSON.stringify(await Promise.all(tables.map((t) => db.all(`SELECT * FROM ${t}`))))
    expect(everything).not.toContain(created.key)
    expect(everything).not.toContain(created.key.slice(25))
    expect(everything).not.toContain(session.token)
    expect(await control.verifyKey(created.key)).toMatchObject({ name: "pg-dean", scopes: ["dashboards:read"] })
    expect(await control.verifyKey(`${created.key.slice(0, -1)}x`)).toBeUndefined()
    expect(await control.session(session.token, now)).toMatchObject({ csrf: session.csrf })
    expect(await control.revokeKey("pg-dean", now)).toBe(true)
    expect(await control.verifyKey(created.key)).toBeUndefined()
    expect(await control.session(session.token, now)).toBeUndefined()
  })

  it("says whether a directory entry was created or updated", async () => {
    const entry = { displayName: "Pat Postgres", email: null }
    expect(await control.putDirectory("s", "student", "s-1", entry, now)).toEqual({ created: true })
    expect(await control.putDirectory("s", "student", "s-1", { ...entry, email: "p@example.org" }, now)).toEqual({
      created: false
    })
    expect(await control.getDirectory("s", "student", "s-1")).toMatchObject({ email: "p@example.org" })
    expect(await control.getDirectory("other", "student", "s-1")).toBeUndefined()
  })

  it("pages the audit log without splitting an instant", async () => {
    const times = ["01", "02", "03", "03", "04"].map((s) => `2026-10-01T10:00:${s}.000Z`)
    for (const [i, viewedAt] of times.entries()) {
      await control.audit("s", { viewedAt, keyName: "k", studentId: `s-${i}`, asOf: null, requestId: `r-${i}` })
    }
    await control.audit("other", { viewedAt: times[4] ?? "", keyName: "k", studentId: "x", asOf: null, requestId: "x" })
    const first = await control.listAudit("s", { limit: 2 })
    expect(first.map((e) => e.studentId)).toEqual(["s-4", "s-2", "s-3"])
    const second = await control.listAudit("s", { limit: 2, before: first.at(-1)?.viewedAt })
    expect(second.map((e) => e.studentId)).toEqual(["s-1", "s-0"])
    expect(await control.listAudit("s", { limit: 10, studentId: "s-3" })).toHaveLength(1)
  })
})
