/**
 * A PostgreSQL transaction whose connection dies between two statements (a server
 * restart, a proxy, pg_terminate_backend): the transaction fails, nothing of it is
 * committed, the process survives (postgres.js 3.4.9 threw from a timer here, see
 * patches/postgres@3.4.9.patch), later statements never run in another session, and the
 * pool keeps working. The projector's checkpoint refuses to be written outside a
 * transaction at all.
 */
import postgres from "postgres"
import { afterAll, describe, expect, it } from "vitest"
import * as ReadModel from "../src/ReadModel.js"
import { openSchema, unavailable, url } from "./postgres.js"

describe.skipIf(unavailable !== undefined)("PostgreSQL transactions when the connection dies", () => {
  const killer = postgres(url, { max: 1, onnotice: () => undefined })
  afterAll(() => killer.end({ timeout: 5 }))

  it("commit nothing, reject the statements after the loss, and leave the pool working", async () => {
    const uncaught: Array<unknown> = []
    const onUncaught = (error: unknown) => uncaught.push(error)
    process.on("uncaughtException", onUncaught)
    const db = await openSchema("rm_tx", 2)
    try {
      await db.exec("CREATE TABLE IF NOT EXISTS t (n INTEGER PRIMARY KEY)")
      let after: unknown
      const outcome = await db
        .transaction(async (tx) => {
          await tx.run("INSERT INTO t (n) VALUES (?)", [1])
          const [own] = await tx.all("SELECT pg_backend_pid() AS pid")
          await killer`SELECT pg_terminate_backend(${Number(own?.pid)})`
          // the close reaches the client, and someone else asks the pool for a connection
          await new Promise((resolve) => setTimeout(resolve, 200))
          const elsewhere = db.all("SELECT 1 AS one")
          try {
            await tx.run("INSERT INTO t (n) VALUES (?)", [2])
          } catch (error) {
            after = error
            throw error
          } finally {
            await elsewhere.catch(() => undefined)
          }
          await ReadModel.saveCheckpoint(tx, 99, new Date())
        })
        .then(
          () => "committed",
          (error: unknown) => `failed: ${error instanceof Error ? error.message : String(error)}`
        )
      expect(outcome).toMatch(/^failed/)
      expect(String(after)).toMatch(/CONNECTION_CLOSED|CONNECTION_DESTROYED|terminat/i)
      // give a timer-thrown error the chance to surface
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(uncaught).toEqual([])
      expect(await db.all("SELECT n FROM t")).toEqual([])
      // the pool still works, for plain statements and for transactions
      expect(await db.all("SELECT 2 AS two")).toEqual([{ two: 2 }])
      await db.transaction((tx) => tx.run("INSERT INTO t (n) VALUES (?)", [3]))
      expect(await db.all("SELECT n FROM t")).toEqual([{ n: 3 }])
    } finally {
      process.off("uncaughtException", onUncaught)
      await db.close()
    }
  })

  it("settle statements queued behind a busy connection when it dies", async () => {
    const db = await openSchema("rm_tx", 2)
    try {
      let settled: unknown
      const outcome = await db
        .transaction(async (tx) => {
          const [own] = await tx.all("SELECT pg_backend_pid() AS pid")
          // two at once: the second waits in the reserved connection's own queue
          const first = tx.all("SELECT pg_sleep(?) AS slept", [2])
          const second = tx.all("SELECT CAST(? AS INTEGER) AS n", [7])
          // watched from the start: they may fail before the kill's own answer arrives
          const both = Promise.allSettled([first, second]).then((all) => all.map((one) => one.status))
          await new Promise((resolve) => setTimeout(resolve, 200))
          await killer`SELECT pg_terminate_backend(${Number(own?.pid)})`
          settled = await Promise.race([
            both,
            new Promise((resolve) => setTimeout(() => resolve("still pending after 5 s"), 5000))
          ])
        })
        .then(
          () => "committed",
          (error: unknown) => `failed: ${String(error)}`
        )
      expect(settled).toEqual(["rejected", "rejected"])
      expect(outcome).toMatch(/^failed/)
    } finally {
      await db.close()
    }
  })

  it("refuses to save the projector's checkpoint outside a transaction", async () => {
    const db = await openSchema("rm_tx", 2)
    try {
      await ReadModel.ensure(db)
      await expect(ReadModel.saveCheckpoint(db, 5, new Date())).rejects.toThrow(/checkpoint was not saved/)
      expect(await ReadModel.checkpoint(db)).toBe(0)
      await db.transaction((tx) => ReadModel.saveCheckpoint(tx, 5, new Date()))
      expect(await ReadModel.checkpoint(db)).toBe(5)
    } finally {
      await db.close()
    }
  })
})
