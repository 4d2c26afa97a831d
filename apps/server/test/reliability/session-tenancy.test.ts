/**
 * A dashboard session of school A against school B, through a real `rapport serve`: the
 * cookie of a person of A (whose key holds every scope) is sent to every route of the
 * OpenAPI document, with school B's student and faculty ids in every path and every id
 * parameter, B's position token as `waitFor`, and to every state-changing route with the
 * session's CSRF token. Nothing of B comes back (no id, no name, not the school), B's
 * people are 404, B's token is a 400, and no write goes through (the session reads only).
 */
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { enrolled, facultyJoined, type Json, officeHours, postEvents, request, readConsistent } from "./client.js"
import { createKey, ensureBuilt, killLeftovers, serve, tempDir } from "./processes.js"
import { storedIds } from "./stores.js"

const history = (student: string, faculty: string): ReadonlyArray<Json> => [
  facultyJoined(faculty),
  enrolled(student),
  officeHours(student, faculty, "2026-03-03T15:00:00Z"),
  officeHours(student, faculty, "2026-04-07T15:00:00Z")
]

/** the OpenAPI paths and methods, with `{id}` filled in */
const routesOf = (document: unknown, id: (path: string) => string) => {
  const paths = (document as { paths: Record<string, Record<string, unknown>> }).paths
  return Object.entries(paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path: path.replace("{id}", id(path)) }))
  )
}

describe("a dashboard session of one school", () => {
  const dir = tempDir()
  const db = join(dir.path, "rapport.db")
  beforeAll(ensureBuilt, 180_000)
  afterAll(() => {
    killLeftovers()
    dir.remove()
  })

  it("reaches nothing of another school, on any route", async () => {
    const person = await createKey(db, "school-a", "events:write,dashboards:read,aggregates:read,admin", "dean-a")
    const keys = {
      writerB: await createKey(db, "school-b", "events:write", "writer-b"),
      adminB: await createKey(db, "school-b", "admin", "admin-b"),
      deanB: await createKey(db, "school-b", "dashboards:read", "dean-b")
    }
    const server = await serve(db, { RAPPORT_SUPPRESSION_THRESHOLD: "1" })
    try {
      expect((await postEvents(server.url, person, history("s-alpha", "f-alpha"))).status).toBe(200)
      const b = await postEvents(server.url, keys.writerB, history("s-bravo", "f-bravo"))
      expect(b.status).toBe(200)
      const tokenB = String((b.body as { position: string }).position)
      const named = await request(`${server.url}/v1/directory/students/s-bravo`, keys.adminB, {
        method: "PUT",
        body: JSON.stringify({ displayName: "Bruno Bravo", email: "bruno@bravo.example" }),
        contentType: "application/json"
      })
      expect(named.status).toBe(201)
      expect((await readConsistent(`${server.url}/v1/students/s-bravo?waitFor=${tokenB}`, keys.deanB)).status).toBe(200)
      const secrets = ["s-bravo", "f-bravo", "Bruno", "bravo.example", "school-b"]

      const signIn = await fetch(`${server.url}/v1/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ key: person })
      })
      expect(signIn.status).toBe(200)
      const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? ""
      const { csrfToken } = (await signIn.json()) as { csrfToken: string }
      const withSession = (method: string, path: string, body?: string) =>
        fetch(`${server.url}${path}`, {
          method,
          headers: { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" },
          ...(body === undefined ? {} : { body })
        })

      // the session works: its own school's student is there
      const own = await withSession("GET", "/v1/students/s-alpha")
      expect(own.status).toBe(200)
      expect(await own.text()).toContain("f-alpha")

      const document = await (await fetch(`${server.url}/openapi.json`)).json()
      const routes = routesOf(document, (path) => (path.includes("faculty") ? "f-bravo" : "s-bravo"))
      expect(routes.length).toBeGreaterThan(15)
      const seen: Array<string> = []
      for (const { method, path } of routes) {
        if (path === "/v1/session") continue // signing out is tried last
        const queries =
          method === "GET" && path.startsWith("/v1/")
            ? ["", "?studentId=s-bravo", `?waitFor=${tokenB}`, "?q=s-bravo", "?specialty=Surgery"]
            : [""]
        for (const query of queries) {
          const body = method === "GET" ? undefined : JSON.stringify({ displayName: "Mallory", email: null })
          const answer = await withSession(method, `${path}${query}`, body)
          const text = await answer.text()
          seen.push(`${method} ${path}${query} ${answer.status}`)
          // a refusal may quote what was sent; nothing else of B may appear
          const sent = `${path}${query}`
          const leaks = answer.ok ? secrets : secrets.filter((secret) => !sent.includes(secret))
          for (const secret of leaks) expect(text, `${method} ${sent}`).not.toContain(secret)
          if (query.startsWith("?waitFor") && answer.status !== 403) expect(answer.status, path).toBe(400)
          if (/\/(students|faculty)\/[sf]-bravo$/.test(path) && method === "GET" && query === "")
            expect(answer.status, path).toBe(404)
          // the SAML assertion consumer service takes no session (the identity provider posts
          // to it, cross-site): it answers the session as it answers anyone, here that no
          // such school signs in with a provider
          if (method !== "GET" && path.endsWith("/acs")) expect(answer.status, `${method} ${path}: ${text}`).toBe(404)
          else if (method !== "GET") expect(answer.status, `${method} ${path}: ${text}`).toBe(403)
        }
      }
      expect(seen.filter((line) => line.endsWith(" 200")).length).toBeGreaterThan(12)
      expect(seen.some((line) => line.startsWith("GET /v1/students/s-bravo 404"))).toBe(true)
      expect(seen.some((line) => line.startsWith("GET /v1/faculty/f-bravo 404"))).toBe(true)
      // B's directory entry is untouched, and the session stored no event anywhere
      const entry = await request(`${server.url}/v1/students/s-bravo`, keys.deanB)
      expect(JSON.stringify(entry.body)).toContain("Bruno Bravo")
      expect((await storedIds(db, "school-a")).size).toBe(4)
      expect((await storedIds(db, "school-b")).size).toBe(4)
      expect((await withSession("DELETE", "/v1/session")).status).toBe(204)
    } finally {
      await server.proc.stop()
    }
  }, 180_000)
})
