import { afterEach, describe, expect, it, vi } from "vitest"
import * as Client from "../src/api/Client.js"

afterEach(() => {
  vi.unstubAllGlobals()
})

describe("Client.withQuery", () => {
  it("leaves out empty parameters and encodes the rest", () => {
    expect(Client.withQuery("/v1/dashboard/students", { q: "", tier: undefined, page: 1, specialty: "Ob & Gyn" })).toBe(
      "/v1/dashboard/students?page=1&specialty=Ob+%26+Gyn"
    )
    expect(Client.withQuery("/v1/dashboard/overview", {})).toBe("/v1/dashboard/overview")
  })

  it("encodes person ids into their route", () => {
    expect(Client.routes.student("s/1")).toBe("/v1/students/s%2F1")
  })
})

describe("Client requests", () => {
  it("sends the cookie same-origin and turns a problem into an ApiError", async () => {
    const fetch = vi.fn(
      async () =>
        new Response(
          JSON.stringify({ type: "forbidden", title: "Forbidden", status: 403, detail: "needs dashboards:read" }),
          {
            status: 403,
            headers: { "content-type": "application/problem+json" }
          }
        )
    )
    vi.stubGlobal("fetch", fetch)
    const error = await Client.getJson("/v1/dashboard/students").catch((e: unknown) => e)
    expect(Client.isApiError(error)).toBe(true)
    if (!Client.isApiError(error)) return
    expect(error.status).toBe(403)
    expect(error.detail).toBe("needs dashboards:read")
    expect(fetch).toHaveBeenCalledWith(
      "/v1/dashboard/students",
      expect.objectContaining({ credentials: "same-origin" })
    )
  })

  it("reads a 401 on GET /v1/session as signed out", async () => {
    vi.stubGlobal("fetch", async () => new Response("", { status: 401 }))
    await expect(Client.currentSession()).resolves.toBeUndefined()
  })

  it("sends the key once in the body and the CSRF token on sign-out", async () => {
    const calls: Array<{ url: string; init: RequestInit }> = []
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      calls.push({ url, init })
      return init.method === "DELETE"
        ? new Response(null, { status: 204 })
        : Response.json({ school: "demo", keyName: "dean", scopes: ["dashboards:read"], csrfToken: "t0k" })
    })
    const session = await Client.signIn("secret-key")
    await Client.signOut(session.csrfToken)
    expect(calls[0]?.init.body).toBe(JSON.stringify({ key: "secret-key" }))
    expect(calls[1]?.init.headers).toEqual({ "x-csrf-token": "t0k" })
    expect(Client.seesIndividuals(session)).toBe(true)
  })

  it("reports a network failure as status 0", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("fetch failed")
    })
    const error = await Client.getJson("/v1/dashboard/overview").catch((e: unknown) => e)
    expect(Client.isApiError(error) && error.status).toBe(0)
  })
})
