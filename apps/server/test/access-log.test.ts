/**
 * Structured logs carry no personal data: after a run that posts events (JSON and
 * NDJSON), names people in the directory, signs in, views student and faculty pages and
 * reads the audit log, no log line holds a student or faculty id, a name, an e-mail
 * address, a key or a session token (nor do the metrics). Each request still leaves one line with its id,
 * the route template, the status and the key's name.
 */
import { describe, expect, it } from "vitest"
import { officeHoursEvent } from "./requests.js"
import { bearer, world } from "./world.js"

describe("access logs", () => {
  it("hold no student ids, names, e-mail addresses, keys or tokens", async () => {
    const w = await world()
    const student = w.students.alpha[0] ?? ""
    const faculty = w.faculty.alpha[0] ?? ""
    const write = { ...bearer(w.keys.alpha["events:write"]), "content-type": "application/json" }
    const admin = { ...bearer(w.keys.alpha.admin), "content-type": "application/json" }
    const reader = bearer(w.keys.alpha["dashboards:read"])
    const newcomer = officeHoursEvent("alpha", "newcomer-stu-77", faculty)
    const requests: Array<[string, RequestInit]> = [
      ["/v1/events", { method: "POST", headers: write, body: JSON.stringify(newcomer) }],
      [
        "/v1/events",
        {
          method: "POST",
          headers: { ...write, "content-type": "application/x-ndjson" },
          body: `${JSON.stringify(officeHoursEvent("alpha", "ndjson-stu-88", faculty))}\n{"studentId":"broken-stu-99"}\n`
        }
      ],
      [
        `/v1/directory/students/${student}`,
        {
          method: "PUT",
          headers: admin,
          body: JSON.stringify({ displayName: "Zelda Zebra", email: "zelda@example.org" })
        }
      ],
      [`/v1/students/${student}?asOf=2026-09-01`, { headers: reader }],
      [`/v1/faculty/${faculty}`, { headers: reader }],
      [`/v1/dashboard/students?q=${student}`, { headers: reader }],
      [`/v1/dashboard/follow-ups?studentId=${student}`, { headers: reader }],
      ["/v1/students/not-in-this-school", { headers: reader }],
      [`/v1/audit?studentId=${student}`, { headers: bearer(w.keys.alpha.admin) }],
      [
        "/v1/session",
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ key: w.keys.alpha["dashboards:read"] })
        }
      ]
    ]
    const responses: Array<Response> = []
    for (const [path, init] of requests) responses.push(await w.app.request(path, init))
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 404, 200, 200])
    const cookie = (responses[9]?.headers.get("set-cookie") ?? "").split(";")[0] ?? ""
    const token = cookie.split("=")[1] ?? ""
    expect(token.length).toBeGreaterThan(20)
    await w.app.request("/v1/dashboard/overview", { headers: { cookie } })

    const logged = w.logs.map((line) => JSON.stringify(line)).join("\n")
    const forbidden = [
      ...w.students.alpha,
      ...w.faculty.alpha,
      "newcomer-stu-77",
      "ndjson-stu-88",
      "broken-stu-99",
      "not-in-this-school",
      "Alma Alphaville",
      "Zelda Zebra",
      "zelda@example.org",
      token,
      ...Object.values(w.keys.alpha),
      ...Object.values(w.keys.alpha).map((key) => key.slice(25))
    ]
    expect(forbidden.filter((text) => logged.includes(text))).toEqual([])
    const metrics = await (await w.app.request("/metrics")).text()
    expect(metrics).toContain('route="/v1/students/:id"')
    expect(forbidden.filter((text) => metrics.includes(text))).toEqual([])

    const lines = w.logs.filter((line) => line.msg === "request")
    expect(lines).toHaveLength(requests.length + 2)
    expect(lines.map((line) => line.route)).toEqual(
      expect.arrayContaining(["/v1/students/:id", "/v1/faculty/:id", "/v1/directory/students/:id", "/v1/events"])
    )
    expect(lines.map((line) => line.requestId)).toEqual([
      ...responses.map((r) => r.headers.get("x-request-id")),
      expect.any(String),
      expect.any(String)
    ])
    // the key's public id (rapport_<id>_<secret>), never its name, which may be a person's
    const deanKeyId = w.keys.alpha["dashboards:read"].split("_")[1]
    expect(deanKeyId).toMatch(/^[0-9a-f]{16}$/)
    expect(lines[3]).toMatchObject({ method: "GET", status: 200, key: deanKeyId })
    expect(lines.at(-2)).toMatchObject({ key: deanKeyId, route: "/v1/dashboard/overview" })
    expect(JSON.stringify(lines)).not.toContain("alpha-key-")
  })
})
