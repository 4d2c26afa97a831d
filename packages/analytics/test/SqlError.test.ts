/**
 * Failures are typed, never guessed: a database that cannot be reached rejects with
 * `SqlUnavailable` (and a dashboard read fails with `ReadModelsUnavailable`), while a bug
 * (a missing table, a `TypeError`) stays a defect that nobody answers with "retry later".
 */
import { InMemoryEventStore } from "@rapport/event-store"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as Dashboard from "../src/Dashboard.js"
import * as ReadModel from "../src/ReadModel.js"
import * as Sql from "../src/Sql.js"
import * as SqlError from "../src/SqlError.js"
import * as SchoolSettings from "../src/SchoolSettings.js"

const withCode = (message: string, fields: Record<string, unknown>, name = "Error"): Error =>
  Object.assign(new Error(message), { name, ...fields })

describe("SqlError.refine", () => {
  it("calls the database unreachable only when the driver says so", () => {
    const unavailable: ReadonlyArray<[string, unknown, boolean]> = [
      ["SQLite busy", withCode("database is locked", { errcode: 5 }), false],
      ["SQLite busy (extended code)", withCode("database is locked", { errcode: 517 }), false],
      ["SQLite I/O error", withCode("disk I/O error", { errcode: 10 }), false],
      ["SQLite full", withCode("database or disk is full", { errcode: 13 }), true],
      ["SQLite cannot open", withCode("unable to open database file", { errcode: 14 }), false],
      ["SQLite closed", withCode("database is not open", { code: "ERR_INVALID_STATE" }), false],
      ["PostgreSQL shutting down", withCode("terminating connection", { code: "57P01" }, "PostgresError"), false],
      ["PostgreSQL disk full", withCode("could not extend file", { code: "53100" }, "PostgresError"), true],
      ["PostgreSQL refused", withCode("connect ECONNREFUSED", { code: "ECONNREFUSED", syscall: "connect" }), false],
      [
        "PostgreSQL's host unknown",
        withCode("getaddrinfo ENOTFOUND", { code: "ENOTFOUND", syscall: "getaddrinfo" }),
        false
      ],
      ["postgres.js closed", withCode("write CONNECTION_CLOSED", { code: "CONNECTION_CLOSED" }), false],
      [
        "dual-stack refusal",
        Object.assign(new AggregateError([withCode("refused", { code: "ECONNREFUSED", syscall: "connect" })]), {
          code: "ECONNREFUSED"
        }),
        false
      ]
    ]
    for (const [what, error, outOfSpace] of unavailable) {
      const refined = SqlError.refine(error)
      expect(refined, what).toBeInstanceOf(SqlError.SqlUnavailable)
      expect(SqlError.isSqlUnavailable(refined) && refined.outOfSpace === true, what).toBe(outOfSpace)
    }
    const defects: ReadonlyArray<[string, unknown]> = [
      ["SQLite syntax error", withCode("no such table: nowhere", { code: "ERR_SQLITE_ERROR", errcode: 1 })],
      ["SQLite constraint", withCode("UNIQUE constraint failed", { errcode: 2067 })],
      ["PostgreSQL syntax error", withCode("syntax error", { code: "42601" }, "PostgresError")],
      ["PostgreSQL bad value", withCode("invalid input syntax", { code: "22P02" }, "PostgresError")],
      ["postgres.js bad parameter", withCode("Undefined values are not allowed", { code: "UNDEFINED_VALUE" })],
      ["a TypeError", new TypeError("Cannot read properties of undefined (reading 'school')")],
      ["a string", "boom"]
    ]
    for (const [what, error] of defects) expect(SqlError.refine(error), what).toBe(error)
  })
})

describe("a SQLite database", () => {
  const dir = mkdtempSync(join(tmpdir(), "rapport-sql-error-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("rejects with SqlUnavailable when closed or locked, and with the driver's error for a bad statement", async () => {
    const path = join(dir, "locked.db")
    const db = Sql.openSqlite(path)
    const other = Sql.openSqlite(path)
    await db.exec("CREATE TABLE t (n INTEGER)")
    const missing = await db.all("SELECT n FROM nowhere").catch((error: unknown) => error)
    expect(missing).not.toBeInstanceOf(SqlError.SqlUnavailable)
    expect(String(missing)).toMatch(/no such table: nowhere/)
    // the other connection holds the write lock; this one gives up at once
    await db.exec("PRAGMA busy_timeout=0")
    const holding = other.transaction(async (tx) => {
      await tx.run("INSERT INTO t (n) VALUES (1)")
      const busy = await db.run("INSERT INTO t (n) VALUES (2)").catch((error: unknown) => error)
      expect(busy).toBeInstanceOf(SqlError.SqlUnavailable)
    })
    await holding
    await other.close()
    await db.close()
    expect(await db.all("SELECT 1").catch((error: unknown) => error)).toBeInstanceOf(SqlError.SqlUnavailable)
  })

  it("fails `attempt` with SqlUnavailable and dies on a defect", async () => {
    const db = Sql.openSqlite(":memory:")
    const bad = await Effect.runPromiseExit(SqlError.attempt(() => db.all("SELECT * FROM nowhere")))
    expect(Exit.isFailure(bad) && Cause.hasDies(bad.cause)).toBe(true)
    await db.close()
    const closed = await Effect.runPromiseExit(SqlError.attempt(() => db.all("SELECT 1")))
    expect(Exit.isFailure(closed) && Cause.findErrorOption(closed.cause)._tag === "Some").toBe(true)
  })
})

describe("a dashboard read", () => {
  const dashboardOn = (db: Sql.SqlDatabase) =>
    Dashboard.make({
      db,
      store: InMemoryEventStore.make(),
      schools: SchoolSettings.inZone("UTC"),
      threshold: 10,
      now: () => new Date("2026-09-01T00:00:00Z")
    })

  it("fails with ReadModelsUnavailable when the read models cannot be reached", async () => {
    const db = Sql.openSqlite(":memory:")
    await ReadModel.ensure(db)
    const dashboard = dashboardOn(db)
    expect((await Effect.runPromise(dashboard.overview("s", "individual"))).meta.school).toBe("s")
    await db.close()
    const failure = await Effect.runPromise(Effect.flip(dashboard.overview("s", "individual")))
    expect(failure._tag).toBe("ReadModelsUnavailable")
    const page = await Effect.runPromise(Effect.flip(dashboard.studentPage("s", "s-1", undefined)))
    expect(page._tag).toBe("ReadModelsUnavailable")
  })

  it("dies, never fails, when a view meets a bug", async () => {
    const db = Sql.openSqlite(":memory:")
    await ReadModel.ensure(db)
    const buggy: Sql.SqlDatabase = {
      ...db,
      all: async (sql, params) => {
        if (sql.includes("rm_students")) throw new TypeError("Cannot read properties of undefined (reading 'length')")
        return db.all(sql, params)
      }
    }
    const exit = await Effect.runPromiseExit(dashboardOn(buggy).overview("s", "individual"))
    expect(Exit.isFailure(exit) && Cause.hasDies(exit.cause)).toBe(true)
    expect(Exit.isFailure(exit) && Cause.squash(exit.cause)).toBeInstanceOf(TypeError)
    await db.close()
  })

  it("fails with InvalidInput for a date that does not exist", async () => {
    const db = Sql.openSqlite(":memory:")
    await ReadModel.ensure(db)
    for (const asOf of ["2026-13-45", "0000-00-00", "2026-13-45T99:99Z"]) {
      const failure = await Effect.runPromise(Effect.flip(dashboardOn(db).studentPage("s", "s-1", asOf)))
      expect(failure, asOf).toMatchObject({ _tag: "InvalidInput", path: ["query", "asOf"] })
    }
    await db.close()
  })
})
