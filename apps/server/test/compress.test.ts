/**
 * Compression on the wire: Brotli or gzip as `Accept-Encoding` prefers, the bytes decoded
 * equal to the uncompressed answer; nothing for tiny bodies, for clients that accept
 * neither, for types that do not gain (or must flush: `no-transform`), and `Vary` always.
 */
import { Hono } from "hono"
import { brotliDecompressSync, gunzipSync } from "node:zlib"
import { describe, expect, it } from "vitest"
import { chooseEncoding, compress } from "../src/middleware/compress/index.js"
import { bearer, world } from "./world.js"

const raw = async (response: Response): Promise<Buffer> => Buffer.from(await response.arrayBuffer())
/** a page without its meta (each answer seals its position afresh) */
const content = (bytes: Buffer): unknown => ({ ...JSON.parse(bytes.toString("utf8")), meta: undefined })

describe("compression", () => {
  it("compresses API answers as Accept-Encoding prefers, and they decode to the same bytes", async () => {
    const w = await world()
    const path = `/v1/students/${w.students.alpha[0]}`
    const headers = bearer(w.keys.alpha["dashboards:read"])
    const plain = await w.app.request(path, { headers })
    expect(plain.headers.get("content-encoding")).toBeNull()
    expect(plain.headers.get("vary")).toMatch(/accept-encoding/i)
    const body = await raw(plain)
    expect(body.length).toBeGreaterThan(1024)
    const br = await w.app.request(path, { headers: { ...headers, "accept-encoding": "gzip, deflate, br" } })
    expect(br.headers.get("content-encoding")).toBe("br")
    expect(br.headers.get("content-length")).toBeNull()
    const brBytes = await raw(br)
    expect(brBytes.length).toBeLessThan(body.length / 2)
    expect(content(brotliDecompressSync(brBytes))).toEqual(content(body))
    const gzip = await w.app.request(path, { headers: { ...headers, "accept-encoding": "br;q=0.5, gzip" } })
    expect(gzip.headers.get("content-encoding")).toBe("gzip")
    expect(content(gunzipSync(await raw(gzip)))).toEqual(content(body))
    // the OpenAPI document, a problem+json and metrics go the same way
    const doc = await w.app.request("/openapi.json", { headers: { "accept-encoding": "gzip" } })
    expect(doc.headers.get("content-encoding")).toBe("gzip")
    expect(JSON.parse(gunzipSync(await raw(doc)).toString("utf8")).openapi).toMatch(/^3\.1/)
  })

  it("leaves tiny bodies, refused encodings and no-transform answers as they are", async () => {
    const w = await world()
    const health = await w.app.request("/healthz", { headers: { "accept-encoding": "br, gzip" } })
    expect(health.headers.get("content-encoding")).toBeNull()
    expect(await health.json()).toEqual({ status: "ok" })
    const refused = await w.app.request("/openapi.json", { headers: { "accept-encoding": "identity, gzip;q=0" } })
    expect(refused.headers.get("content-encoding")).toBeNull()
    const app = new Hono()
    app.use(compress())
    const big = "x".repeat(10_000)
    app.get(
      "/stream",
      () => new Response(big, { headers: { "content-type": "text/plain", "cache-control": "no-transform" } })
    )
    app.get("/events", () => new Response(big, { headers: { "content-type": "text/event-stream" } }))
    app.get("/png", () => new Response(big, { headers: { "content-type": "image/png" } }))
    app.get("/csv", () => new Response(big, { headers: { "content-type": "text/csv; charset=utf-8" } }))
    for (const path of ["/stream", "/events", "/png"]) {
      const response = await app.request(path, { headers: { "accept-encoding": "gzip" } })
      expect(response.headers.get("content-encoding"), path).toBeNull()
      expect(await response.text(), path).toBe(big)
    }
    const csv = await app.request("/csv", { headers: { "accept-encoding": "gzip" } })
    expect(csv.headers.get("content-encoding")).toBe("gzip")
    expect(gunzipSync(await raw(csv)).toString()).toBe(big)
  })

  it("chooses by weight, Brotli on a tie", () => {
    expect(chooseEncoding(undefined)).toBeUndefined()
    expect(chooseEncoding("gzip, br")).toBe("br")
    expect(chooseEncoding("gzip")).toBe("gzip")
    expect(chooseEncoding("br;q=0.2, gzip;q=0.8")).toBe("gzip")
    expect(chooseEncoding("*")).toBe("br")
    expect(chooseEncoding("*;q=0, gzip")).toBe("gzip")
    expect(chooseEncoding("identity")).toBeUndefined()
    expect(chooseEncoding("deflate")).toBeUndefined()
  })
})
