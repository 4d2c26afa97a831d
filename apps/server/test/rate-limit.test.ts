/**
 * 429 from the per-key rate limit: each key has its own bucket, anonymous callers (and
 * callers with bad keys, so guessing keys) share the bucket of their address, a forged
 * X-Forwarded-For buys no fresh bucket, and a full table of buckets never resets a caller
 * being limited.
 */
import type { AddressInfo } from "node:net"
import { serve } from "@hono/node-server"
import { Hono } from "hono"
import { describe, expect, it } from "vitest"
import type { RouteEnv } from "../src/http/Route.js"
import { rateLimit } from "../src/middleware/rate-limit/index.js"
import { bearer, world } from "./world.js"

// A refill this slow cannot add a token while a test runs: the limit is the burst.
const slow = { perSecond: 0.001, burst: 3 }

describe("the per-key rate limit", () => {
  it("answers 429 with Retry-After once a key's burst is spent, and only for that key", async () => {
    const w = await world({ rateLimit: slow })
    const reader = bearer(w.keys.alpha["dashboards:read"])
    for (let i = 0; i < slow.burst; i++) {
      expect((await w.app.request("/v1/dashboard/coverage", { headers: reader })).status).toBe(200)
    }
    const limited = await w.app.request("/v1/dashboard/coverage", { headers: reader })
    expect(limited.status).toBe(429)
    expect(limited.headers.get("content-type")).toBe("application/problem+json")
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
    expect(await limited.json()).toMatchObject({ status: 429, type: "https://rapport.dev/problems/rate-limited" })
    const otherKey = bearer(w.keys.alpha["aggregates:read"])
    expect((await w.app.request("/v1/dashboard/coverage", { headers: otherKey })).status).toBe(200)
    const otherSchool = bearer(w.keys.bravo["dashboards:read"])
    expect((await w.app.request("/v1/dashboard/coverage", { headers: otherSchool })).status).toBe(200)
  })

  it("limits guessing keys, whatever X-Forwarded-For says", async () => {
    const w = await world({ rateLimit: slow })
    const statuses: Array<number> = []
    for (let i = 0; i < 6; i++) {
      const guess = `rapport_${i.toString(16).padStart(16, "0")}_${"A".repeat(43)}`
      const response = await w.app.request("/v1/audit", {
        headers: { ...bearer(guess), "x-forwarded-for": `203.0.113.${i}` }
      })
      statuses.push(response.status)
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429])
    const signIn = await w.app.request("/v1/session", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.7" },
      body: JSON.stringify({ key: w.keys.alpha["dashboards:read"] })
    })
    expect(signIn.status).toBe(429)
    expect((await w.app.request("/v1/audit", { headers: bearer(w.keys.alpha.admin) })).status).toBe(200)
  })
})

describe("rateLimit middleware", () => {
  const app = (maxBuckets: number, clock: { now: number }) => {
    const hono = new Hono<RouteEnv>()
    hono.use(async (c, next) => {
      const name = c.req.header("x-key")
      c.set("requestId", "test")
      c.set(
        "principal",
        name === undefined
          ? undefined
          : { keyId: name, keyName: "same name for every key", school: "s", scopes: new Set(), via: "key" }
      )
      return next()
    })
    hono.use(rateLimit({ perSecond: 1, burst: 2, now: () => clock.now, maxBuckets }))
    hono.get("/", (c) => c.text("ok"))
    hono.post("/", async (c) => c.text(String((await c.req.arrayBuffer()).byteLength)))
    return hono
  }

  it("refuses a megabyte still on its way and closes its connection, rather than reading it to throw away", async () => {
    const server = serve({ fetch: app(10, { now: 0 }).fetch, port: 0, hostname: "127.0.0.1" })
    await new Promise<void>((resolve) => server.once("listening", resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    try {
      const megabyte = "x".repeat(1024 * 1024)
      const post = () => fetch(url, { method: "POST", headers: { "x-key": "k" }, body: megabyte })
      const first = await post()
      expect([first.status, await first.text()]).toEqual([200, String(megabyte.length)])
      expect((await fetch(url, { headers: { "x-key": "k" } })).status).toBe(200)
      // the burst is spent: the client still reads the 429, and the connection ends with it
      const refused = await post()
      expect(refused.status).toBe(429)
      expect(refused.headers.get("connection")).toBe("close")
      expect(await refused.json()).toMatchObject({ status: 429 })
      // a refused request without a body keeps its connection
      const small = await fetch(url, { headers: { "x-key": "k" } })
      expect(small.status).toBe(429)
      expect(small.headers.get("connection")).not.toBe("close")
      await small.text()
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it("refills continuously at the sustained rate", async () => {
    const clock = { now: 0 }
    const hono = app(10, clock)
    const hit = async () => (await hono.request("/", { headers: { "x-key": "k" } })).status
    expect([await hit(), await hit(), await hit()]).toEqual([200, 200, 429])
    clock.now += 1000
    expect([await hit(), await hit()]).toEqual([200, 429])
  })

  it("keeps limiting a busy key when the table of buckets fills up", async () => {
    const clock = { now: 0 }
    const hono = app(2, clock)
    const hit = async (key: string) => (await hono.request("/", { headers: { "x-key": key } })).status
    expect([await hit("busy"), await hit("busy"), await hit("busy")]).toEqual([200, 200, 429])
    for (const key of ["k1", "k2", "k3", "k4"]) expect(await hit(key)).toBe(200)
    expect(await hit("busy")).toBe(429)
  })
})
