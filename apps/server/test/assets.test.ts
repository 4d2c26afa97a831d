/**
 * The dashboard's files: `index.html` at the dashboard's own paths (the `routes.json` its
 * build writes from apps/dashboard/src/Routes.ts), files as they are, and 404 problem+json
 * anywhere else — `/metrics/`, `/api/v1/events`, a typo'd view — so that a wrong address
 * is never answered with the dashboard and a 200.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as Assets from "../src/http/Assets.js"
import { harness } from "./harness.js"

const folder = mkdtempSync(join(tmpdir(), "rapport-assets-"))
mkdirSync(join(folder, "assets"))
writeFileSync(join(folder, "index.html"), "<!doctype html><title>Rapport</title>")
writeFileSync(join(folder, "assets", "app-abc123.js"), "console.log(1)")
writeFileSync(
  join(folder, "routes.json"),
  JSON.stringify({ routes: ["/", "/students", "/students/:id", "/follow-ups", "/coverage"] })
)
afterAll(() => rmSync(folder, { recursive: true, force: true }))

describe("the dashboard's paths", () => {
  it("serve index.html at the dashboard's routes only", async () => {
    const h = await harness({ assets: Assets.fromFolder(folder) })
    for (const path of ["/", "/students", "/students/s-1001", "/students/a%2Fb", "/follow-ups", "/coverage?x=1"]) {
      const response = await h.app.request(path)
      expect(response.status, path).toBe(200)
      expect(response.headers.get("content-type"), path).toBe("text/html; charset=utf-8")
    }
    const script = await h.app.request("/assets/app-abc123.js")
    expect(script.status).toBe(200)
    expect(script.headers.get("cache-control")).toContain("immutable")
  })

  it("answer 404 problem+json anywhere else", async () => {
    const h = await harness({ assets: Assets.fromFolder(folder) })
    for (const path of [
      "/metrics/",
      "/api/v1/events",
      "/students/",
      "/students/s-1/relationships",
      "/student",
      "/nope",
      "/assets/missing.js",
      "/v1/nope"
    ]) {
      const response = await h.app.request(path)
      expect(response.status, path).toBe(404)
      expect(response.headers.get("content-type"), path).toBe("application/problem+json")
    }
    expect((await h.app.request("/metrics")).status).toBe(200)
  })

  it("match patterns segment by segment", () => {
    const routes = ["/", "/students/:id"]
    expect(Assets.isDashboardPath(routes, "/")).toBe(true)
    expect(Assets.isDashboardPath(routes, "/students/x")).toBe(true)
    expect(Assets.isDashboardPath(routes, "/students/")).toBe(false)
    expect(Assets.isDashboardPath(routes, "/students")).toBe(false)
    expect(Assets.isDashboardPath(routes, "//")).toBe(false)
  })
})
