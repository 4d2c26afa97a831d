/**
 * The projector's lease on its own, on a SQLite read-model database: who may take it,
 * when, what a take-over tells its former holder, and what it stores (the format every
 * projector version reads).
 */
import { afterEach, describe, expect, it } from "vitest"
import { Lease, LeaseLost } from "../../src/internal/Lease.js"
import * as Meta from "../../src/internal/tables/Meta.js"
import * as ReadModel from "../../src/ReadModel.js"
import * as Reload from "../../src/Reload.js"
import * as Sql from "../../src/Sql.js"

const leaseMs = 1000
const holderA = "00000000-0000-4000-8000-00000000000a"
const holderB = "00000000-0000-4000-8000-00000000000b"

const opened: Array<Sql.SqlDatabase> = []
const open = async () => {
  const db = Sql.openSqlite(":memory:")
  opened.push(db)
  await ReadModel.ensure(db)
  return db
}
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close()
})

const leaseOf = (holder: string) => {
  const takenOver: Array<number> = []
  const lease = new Lease({ holder, leaseMs, onTakenOver: () => takenOver.push(1) })
  return { lease, takenOver }
}
const renew = (db: Sql.SqlDatabase, lease: Lease, nowMs: number) => db.transaction((tx) => lease.renew(tx, nowMs))
const stored = async (db: Sql.SqlDatabase) => Meta.readLease(db)

describe("Lease", () => {
  it("is taken when nobody holds it, stored as holder:expiry, and renewed by its holder", async () => {
    const db = await open()
    const { lease } = leaseOf(holderA)
    expect(await renew(db, lease, 10_000)).toBe(true)
    expect(await stored(db)).toBe(`${holderA}:11000`)
    expect(await renew(db, lease, 10_500)).toBe(true)
    expect(await stored(db)).toBe(`${holderA}:11500`)
  })

  it("is refused to another while it runs, and taken by it once expired", async () => {
    const db = await open()
    const a = leaseOf(holderA)
    const b = leaseOf(holderB)
    expect(await renew(db, a.lease, 10_000)).toBe(true)
    expect(await renew(db, b.lease, 10_999)).toBe(false)
    expect(await stored(db)).toBe(`${holderA}:11000`)
    expect(await renew(db, b.lease, 11_001)).toBe(true)
    expect(await stored(db)).toBe(`${holderB}:12001`)
    // the former holder finds it taken: it may not write
    expect(await renew(db, a.lease, 11_002)).toBe(false)
    await expect(db.transaction((tx) => a.lease.fence(tx, 11_003))).rejects.toBeInstanceOf(LeaseLost)
  })

  it("tells its holder when it finds the lease was not its own in between (someone may have written)", async () => {
    const db = await open()
    const a = leaseOf(holderA)
    const b = leaseOf(holderB)
    expect(await renew(db, a.lease, 10_000)).toBe(true)
    expect(await renew(db, b.lease, 12_000)).toBe(true)
    await b.lease.release(db)
    expect(await stored(db)).toBeUndefined()
    expect(a.takenOver).toEqual([])
    expect(await renew(db, a.lease, 12_100)).toBe(true)
    expect(a.takenOver).toEqual([1])
    // its own renewals tell nothing
    expect(await renew(db, a.lease, 12_200)).toBe(true)
    expect(a.takenOver).toEqual([1])
  })

  it("releases only its own lease", async () => {
    const db = await open()
    const a = leaseOf(holderA)
    const b = leaseOf(holderB)
    expect(await renew(db, a.lease, 10_000)).toBe(true)
    await b.lease.release(db)
    expect(await stored(db)).toBe(`${holderA}:11000`)
    await a.lease.release(db)
    expect(await stored(db)).toBeUndefined()
  })

  it("takes a lease whose value it cannot read (written by another tool)", async () => {
    const db = await open()
    await db.run("INSERT INTO rm_meta (name, value) VALUES ('lease', 'garbage')")
    const { lease } = leaseOf(holderA)
    expect(await renew(db, lease, 10_000)).toBe(true)
  })

  it("keeps an idle lease alive a third of its length after the last renewal, and says when it is lost", async () => {
    const db = await open()
    const a = leaseOf(holderA)
    const b = leaseOf(holderB)
    expect(await renew(db, a.lease, 10_000)).toBe(true)
    await a.lease.keepAlive(db, 10_300)
    expect(await stored(db)).toBe(`${holderA}:11000`)
    await a.lease.keepAlive(db, 10_400)
    expect(await stored(db)).toBe(`${holderA}:11400`)
    expect(await renew(db, b.lease, 20_000)).toBe(true)
    await expect(a.lease.keepAlive(db, 20_100)).rejects.toBeInstanceOf(LeaseLost)
  })

  it("is what Reload.projectorActive reads", async () => {
    const db = await open()
    const { lease } = leaseOf(holderA)
    expect(await Reload.projectorActive(db, new Date(10_000))).toBe(false)
    expect(await renew(db, lease, 10_000)).toBe(true)
    expect(await Reload.projectorActive(db, new Date(10_500))).toBe(true)
    expect(await Reload.projectorActive(db, new Date(11_500))).toBe(false)
  })

  it("parses what it formats, and nothing else", () => {
    expect(Meta.parseLease(Meta.formatLease({ holder: holderA, expiresMs: 42 }))).toEqual({
      holder: holderA,
      expiresMs: 42
    })
    for (const value of ["", "garbage", ":42", `${holderA}:`, `${holderA}:soon`]) {
      expect(Meta.parseLease(value)).toBeUndefined()
    }
  })
})
