/**
 * The erasure registry (ErasureRegistry.ts): which of a request's students are registered,
 * the same whether a school's registry is read whole (small) or looked up student by
 * student (past 2,000 erased); ids are bound to their school; nothing but keyed hashes is
 * stored; another key is refused.
 */
import { Sql } from "@rapport/analytics"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import * as ErasureRegistry from "../src/erasure/ErasureRegistry.js"

const key = "k".repeat(64)

describe("the erasure registry", () => {
  it("finds exactly the registered students of a school, small or large, and of no other school", async () => {
    const db = Sql.openSqlite(":memory:")
    const registry = await ErasureRegistry.make(db, key)
    await Effect.runPromise(registry.record("small", ["s-1", "s-2", "s-2"]))
    const many = Array.from({ length: 2100 }, (_, i) => `s-${i}`)
    await Effect.runPromise(registry.record("large", many))
    const asked = ["s-1", "s-2", "s-3", "s-2099", "s-2100", "s-x"]
    for (let round = 0; round < 2; round++) {
      expect([...(await Effect.runPromise(registry.erasedAmong("small", asked)))].sort()).toEqual(["s-1", "s-2"])
      expect([...(await Effect.runPromise(registry.erasedAmong("large", asked)))].sort()).toEqual([
        "s-1",
        "s-2",
        "s-2099",
        "s-3"
      ])
      expect([...(await Effect.runPromise(registry.erasedAmong("other", asked)))]).toEqual([])
    }
    expect(await Effect.runPromise(registry.counts())).toEqual(
      new Map([
        ["small", 2],
        ["large", 2100]
      ])
    )
    const stored = JSON.stringify(await db.all("SELECT * FROM rapport_erased"))
    expect(stored).not.toMatch(/"s-\d+"/)
    expect(stored).not.toContain(key)
  })

  it("refuses to open under another key, saying how many erasures it holds", async () => {
    const db = Sql.openSqlite(":memory:")
    const registry = await ErasureRegistry.make(db, key)
    await Effect.runPromise(registry.record("school", ["s-1"]))
    await expect(ErasureRegistry.make(db, "j".repeat(64))).rejects.toMatchObject({
      _tag: "ErasureKeyMismatch",
      entries: 1
    })
    expect([
      ...(await Effect.runPromise((await ErasureRegistry.make(db, key)).erasedAmong("school", ["s-1"])))
    ]).toEqual(["s-1"])
  })
})
