/**
 * On PostgreSQL, as on SQLite: a server that cannot be reached, or a connection that dies
 * under a statement, rejects with `SqlUnavailable`; a bad statement rejects with the
 * server's own error, a defect.
 */
import postgres from "postgres"
import { afterAll, describe, expect, it } from "vitest"
import * as Sql from "../src/Sql.js"
import * as SqlError from "../src/SqlError.js"
import { openSchema, unavailable, url } from "./postgres.js"

describe.skipIf(unavailable !== undefined)("Sql on PostgreSQL", () => {
  const killer = postgres(url, { max: 1, onnotice: () => undefined })
  afterAll(() => killer.end({ timeout: 5 }))

  it("rejects with SqlUnavailable when the server cannot be reached", async () => {
    // port 1: nothing listens there
    const opened = await Sql.openPostgres("postgres://postgres@127.0.0.1:1/test").catch((error: unknown) => error)
    expect(opened).toBeInstanceOf(SqlError.SqlUnavailable)
  })

  it("rejects with SqlUnavailable when the connection dies, and with the server's error for a bad statement", async () => {
    const db = await openSchema("sql_error", 2)
    try {
      const bad = await db.all("SELECT * FROM nowhere").catch((error: unknown) => error)
      expect(bad).not.toBeInstanceOf(SqlError.SqlUnavailable)
      expect(String(bad)).toMatch(/nowhere/)
      const lost = await db
        .transaction(async (tx) => {
          const [own] = await tx.all("SELECT pg_backend_pid() AS pid")
          await killer`SELECT pg_terminate_backend(${Number(own?.pid)})`
          await new Promise((resolve) => setTimeout(resolve, 200))
          await tx.all("SELECT 1 AS one")
        })
        .catch((error: unknown) => error)
      expect(lost).toBeInstanceOf(SqlError.SqlUnavailable)
      expect(await db.all("SELECT 2 AS two")).toEqual([{ two: 2 }])
    } finally {
      await db.close()
    }
  })
})
