/**
 * API keys at rest and at the door: the control tables hold only keyed hashes (no key,
 * no secret, no session token in any column after creation and sign-in), and every key
 * presented — well-formed or not, known or not, revoked or not — goes through the same
 * HMAC and constant-time compare, so timing tells nothing about which keys exist.
 */
import { Sql } from "@rapport/analytics"
import { createHmac } from "node:crypto"
import * as crypto from "node:crypto"
import { beforeEach, describe, expect, it, vi } from "vitest"
import * as ApiKeys from "../src/control/ApiKeys.js"
import * as ControlStore from "../src/control/ControlStore.js"
import { promised } from "./control.js"

vi.mock("node:crypto", async (importOriginal) => {
  const original = await importOriginal<typeof import("node:crypto")>()
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) }
})

vi.mock("../src/control/ApiKeys.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../src/control/ApiKeys.js")>()
  return { ...original, matches: vi.fn(original.matches) }
})

const now = new Date("2026-11-01T12:00:00Z")
const pepper = "p".repeat(64)

const dump = async (db: Sql.SqlDatabase): Promise<string> => {
  const tables = await db.all("SELECT name FROM sqlite_master WHERE type = 'table'")
  const rows = await Promise.all(tables.map(async (t) => db.all(`SELECT * FROM "${String(t.name)}"`)))
  return JSON.stringify(rows)
}

beforeEach(() => {
  vi.mocked(ApiKeys.matches).mockClear()
  vi.mocked(crypto.timingSafeEqual).mockClear()
})

describe("keys at rest", () => {
  it("are stored only as HMACs under the pepper, never as text", async () => {
    const db = Sql.openSqlite(":memory:")
    const control = promised(await ControlStore.make(db, { pepper }))
    const created = await control.createKey({ school: "s", name: "dean", scopes: ["dashboards:read"], now })
    const session = await control.createSession(created.record.publicId, now, 60_000)
    const secret = created.key.slice("rapport_0123456789abcdef_".length)
    expect(secret).toHaveLength(43)
    const everything = await dump(db)
    expect(everything).not.toContain(created.key)
    expect(everything).not.toContain(secret)
    expect(everything).not.toContain(session.token)
    expect(everything).toContain(createHmac("sha256", pepper).update(created.key).digest("hex"))
    expect(everything).toContain(createHmac("sha256", pepper).update(session.token).digest("hex"))
    expect(ApiKeys.hash("other-pepper", created.key)).not.toBe(ApiKeys.hash(pepper, created.key))
  })

  it("keep a generated pepper in the database when the operator gives none", async () => {
    const db = Sql.openSqlite(":memory:")
    const control = promised(await ControlStore.make(db))
    const created = await control.createKey({ school: "s", name: "dean", scopes: ["admin"], now })
    const reopened = promised(await ControlStore.make(db))
    expect(await reopened.verifyKey(created.key)).toMatchObject({ name: "dean" })
    const peppered = promised(await ControlStore.make(db, { pepper }))
    expect(await peppered.verifyKey(created.key)).toBeUndefined()
  })
})

describe("verifyKey", () => {
  it("puts malformed, unknown, wrong and revoked keys through the same HMAC compare as a good one", async () => {
    const control = promised(await ControlStore.make(Sql.openSqlite(":memory:"), { pepper }))
    const good = await control.createKey({ school: "s", name: "feed", scopes: ["events:write"], now })
    const revoked = await control.createKey({ school: "s", name: "old", scopes: ["events:write"], now })
    await control.revokeKey("old", now)
    const [, publicId] = good.key.split("_")
    const presented = [
      "",
      "not a key at all",
      "rapport_zz_short",
      `${good.key}x`,
      `rapport_0123456789abcdef_${"A".repeat(43)}`,
      `rapport_${publicId}_${"B".repeat(43)}`,
      revoked.key
    ]
    for (const key of presented) expect(await control.verifyKey(key), key).toBeUndefined()
    expect(await control.verifyKey(good.key)).toMatchObject({ name: "feed", school: "s", scopes: ["events:write"] })
    const calls = vi.mocked(ApiKeys.matches).mock.calls
    expect(calls.map(([, key]) => key)).toEqual([...presented, good.key])
    for (const [usedPepper, , storedHash] of calls) {
      expect(usedPepper).toBe(pepper)
      expect(storedHash).toMatch(/^[0-9a-f]{64}$/)
    }
    // every compare reached timingSafeEqual on two 32-byte digests
    const compares = vi.mocked(crypto.timingSafeEqual).mock.calls
    expect(compares).toHaveLength(presented.length + 1)
    for (const [a, b] of compares) expect([a.byteLength, b.byteLength]).toEqual([32, 32])
  })
})

describe("ApiKeys.matches", () => {
  it("accepts the key its hash was made from and nothing else, without throwing on bad hashes", () => {
    const key = ApiKeys.generate().key
    const stored = ApiKeys.hash(pepper, key)
    expect(ApiKeys.matches(pepper, key, stored)).toBe(true)
    expect(ApiKeys.matches(pepper, `${key}x`, stored)).toBe(false)
    expect(ApiKeys.matches("another pepper", key, stored)).toBe(false)
    for (const bad of ["", "zz", stored.slice(2), `${stored}00`]) expect(ApiKeys.matches(pepper, key, bad)).toBe(false)
  })

  it("generates keys that parse back to their public id", () => {
    const generated = ApiKeys.generate()
    expect(ApiKeys.parse(generated.key)).toEqual(generated)
    expect(ApiKeys.parse(generated.key.replace("rapport_", "rapport-"))).toBeUndefined()
  })
})
