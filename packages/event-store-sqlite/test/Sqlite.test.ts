import { describe, expect, it } from "vitest"
import * as Sqlite from "../src/internal/Sqlite.js"
import { scratch } from "./fixtures/Scratch.js"

const files = scratch("connection")

describe("every connection", () => {
  it("runs in WAL with synchronous=FULL, secure_delete and the busy timeout", () => {
    const db = Sqlite.open({ path: files.file(), busyTimeoutMillis: 1234, maxPageCount: 5000 })
    const pragma = (name: string) => db.prepare(`PRAGMA ${name}`).get()
    expect(pragma("journal_mode")).toEqual({ journal_mode: "wal" })
    expect(pragma("synchronous")).toEqual({ synchronous: 2 }) // FULL
    expect(pragma("secure_delete")).toEqual({ secure_delete: 1 })
    expect(pragma("busy_timeout")).toEqual({ timeout: 1234 })
    expect(pragma("max_page_count")).toEqual({ max_page_count: 5000 })
    db.close()
  })
})

describe("errors", () => {
  it("storage failures are Unavailable; anything else is left to be a defect", () => {
    const full = Object.assign(new Error("database or disk is full"), { errcode: 13 })
    const busy = Object.assign(new Error("database is locked"), { errcode: 5 })
    const ioShortRead = Object.assign(new Error("disk I/O error"), { errcode: 522 }) // SQLITE_IOERR_SHORT_READ
    const constraint = Object.assign(new Error("UNIQUE constraint failed"), { errcode: 2067 })
    expect(Sqlite.unavailable(full)?.reason).toMatch(/full/)
    expect(Sqlite.unavailable(busy)?.reason).toMatch(/locked/)
    expect(Sqlite.unavailable(ioShortRead)?.code).toBe(522)
    expect(Sqlite.unavailable(constraint)).toBeUndefined()
    expect(Sqlite.unavailable(new TypeError("bug"))).toBeUndefined()
  })
})
