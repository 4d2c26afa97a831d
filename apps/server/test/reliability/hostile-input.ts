/**
 * Hostile input through a real `rapport serve`, the same on every store: dates and instants
 * that do not exist, integers written as `1e3` or `0x10`, control characters (NUL
 * included) in every text parameter and body field, lone surrogates in events and bodies.
 * Each answers 400 naming the parameter or field — never 503, never a value read
 * leniently — and nothing of a refused request is stored; `rapport import` refuses a lone
 * surrogate the same way. A date far in the future is the page as of now (docs/api.md).
 */
import { randomUUID } from "node:crypto"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { expect } from "vitest"
import { enrolled, facultyJoined, type Json, officeHours, postEvents, request, readConsistent } from "./client.js"
import { createKey, run, serve, type Serving } from "./processes.js"
import { storedIds } from "./stores.js"

const school = "school-hostile"

interface Problem {
  readonly type?: string
  readonly status?: number
  readonly errors?: ReadonlyArray<{
    readonly index: number
    readonly path: ReadonlyArray<string | number>
    readonly message: string
  }>
}

const pathsOf = (body: unknown): ReadonlyArray<string> =>
  ((body as Problem).errors ?? []).map((error) => error.path.join("."))

/** `GET` answers 400 validation-failed naming `parameter` */
const expectRefused = async (server: Serving, key: string, path: string, parameter: string) => {
  const answer = await request(`${server.url}${path}`, key)
  expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBe(400)
  expect((answer.body as Problem).type, path).toMatch(/\/validation-failed$/)
  expect(pathsOf(answer.body), path).toContain(`query.${parameter}`)
}

/** `db`: the installation; `folder`: where to write the file `rapport import` reads */
export const hostileInput = async (db: string, folder: string): Promise<void> => {
  const keys = {
    writer: await createKey(db, school, "events:write", "hostile-writer"),
    dean: await createKey(db, school, "dashboards:read", "hostile-dean"),
    analyst: await createKey(db, school, "aggregates:read", "hostile-analyst"),
    admin: await createKey(db, school, "admin", "hostile-admin")
  }
  const server = await serve(db)
  try {
    const seeded = await postEvents(server.url, keys.writer, [
      facultyJoined("f-1"),
      enrolled("s-1"),
      officeHours("s-1", "f-1", "2026-03-03T15:00:00Z")
    ])
    expect(seeded.status, JSON.stringify(seeded.body)).toBe(200)
    const token = String((seeded.body as { position: string }).position)
    const page = await readConsistent(`${server.url}/v1/students/s-1?waitFor=${token}`, keys.dean)
    expect(page.status, JSON.stringify(page.body)).toBe(200)

    // Dates and instants that do not exist: 400 with the parameter, never 503 or a rolled-over date.
    for (const asOf of ["0000-00-00", "9999-99-99", "2026-13-45T99:99Z", "2026-03-01T10:00+99:99", "2026-02-30"]) {
      await expectRefused(server, keys.dean, `/v1/students/s-1?asOf=${encodeURIComponent(asOf)}`, "asOf")
      await expectRefused(server, keys.dean, `/v1/faculty/f-1?asOf=${encodeURIComponent(asOf)}`, "asOf")
    }
    await expectRefused(server, keys.analyst, "/v1/dashboard/trends?from=2026-13", "from")
    await expectRefused(server, keys.analyst, "/v1/dashboard/trends?from=0000-01", "from")
    await expectRefused(server, keys.admin, "/v1/audit?before=2026-02-30T00:00:00Z", "before")
    await expectRefused(server, keys.admin, "/v1/audit?before=yesterday", "before")
    // A date that exists but has not come yet: the page as of now.
    const future = await request(`${server.url}/v1/students/s-1?asOf=9999-12-31`, keys.dean)
    expect(future.status, JSON.stringify(future.body)).toBe(200)
    const asOf = Date.parse(String((future.body as { meta: { asOf: string } }).meta.asOf))
    expect(asOf).toBeLessThanOrEqual(Date.now())
    expect(asOf).toBeGreaterThan(Date.now() - 3_600_000)
    expect((await request(`${server.url}/v1/students/s-1?asOf=2026-03-31`, keys.dean)).status).toBe(200)

    // Integers: decimal digits only.
    for (const [key, path, parameter] of [
      [keys.dean, "/v1/dashboard/students?pageSize=1e2", "pageSize"],
      [keys.dean, "/v1/dashboard/students?page=0x10", "page"],
      [keys.analyst, "/v1/dashboard/trends?graduationYear=2.029e3", "graduationYear"],
      [keys.analyst, "/v1/dashboard/letters?cycle=0x7EA", "cycle"],
      [keys.admin, "/v1/audit?limit=1e3", "limit"],
      [keys.admin, "/v1/retention?limit=0x10", "limit"]
    ] as const)
      await expectRefused(server, key, path, parameter)

    // Control characters in every text parameter: 400 on every store (PostgreSQL refuses NUL).
    for (const [key, path, parameter] of [
      [keys.dean, "/v1/dashboard/students?q=s%00", "q"],
      [keys.dean, "/v1/dashboard/students?specialty=Sur%00gery", "specialty"],
      [keys.dean, "/v1/dashboard/faculty?department=Medicine%00", "department"],
      [keys.analyst, "/v1/dashboard/faculty?department=%01", "department"],
      [keys.dean, "/v1/dashboard/faculty?q=f%1B", "q"],
      [keys.analyst, "/v1/dashboard/follow-ups?ruleId=%00", "ruleId"],
      [keys.analyst, "/v1/dashboard/letters?specialty=Surgery%00", "specialty"],
      [keys.admin, "/v1/audit?before=%00", "before"]
    ] as const)
      await expectRefused(server, key, path, parameter)
    expect((await request(`${server.url}/v1/dashboard/students?q=s`, keys.dean)).status).toBe(200)

    // A NUL in a directory path is no id: 404, never a store error.
    const nulPath = await request(`${server.url}/v1/directory/students/s-1%00x`, keys.admin, {
      method: "PUT",
      body: JSON.stringify({ displayName: "Ada", email: null }),
      contentType: "application/json"
    })
    expect(nulPath.status, JSON.stringify(nulPath.body)).toBe(404)

    // Body fields: a directory name with NUL or a lone surrogate.
    for (const displayName of ["Ada\u0000Lovelace", "Ada \ud800"]) {
      const put = await request(`${server.url}/v1/directory/students/s-1`, keys.admin, {
        method: "PUT",
        body: JSON.stringify({ displayName, email: null }),
        contentType: "application/json"
      })
      expect(put.status, JSON.stringify(put.body)).toBe(400)
      expect(pathsOf(put.body)).toEqual(["displayName"])
    }

    // Events: a lone surrogate or a NUL in a label is refused at decoding, the same problem on every store.
    const surrogate = facultyJoined("f-2", "Medi\ud800cine")
    const nul = facultyJoined("f-3", "Medi\u0000cine")
    const batch = await postEvents(server.url, keys.writer, [surrogate, nul])
    expect(batch.status, JSON.stringify(batch.body)).toBe(400)
    expect((batch.body as Problem).errors).toEqual([
      {
        index: 0,
        path: ["data", "department"],
        message:
          "Expected a department in well-formed Unicode: it holds a lone surrogate (an unpaired \\uD800–\\uDFFF escape)"
      },
      {
        index: 1,
        path: ["data", "department"],
        message: "Expected a department: 1–200 characters, not blank, on one line"
      }
    ])
    const good = facultyJoined("f-4")
    const ndjson = await request(`${server.url}/v1/events`, keys.writer, {
      method: "POST",
      body: `${[good, surrogate].map((event: Json) => JSON.stringify(event)).join("\n")}\n`,
      contentType: "application/x-ndjson"
    })
    expect(ndjson.status, JSON.stringify(ndjson.body)).toBe(200)
    expect(ndjson.body).toMatchObject({ stored: 1, rejected: 1 })
    expect(pathsOf(ndjson.body)).toEqual(["data.department"])
    // `rapport import` beside the server: the same problem for that record, the rest stored
    const file = join(folder, `hostile-${randomUUID()}.ndjson`)
    const imported = facultyJoined("f-5")
    const importedSurrogate = facultyJoined("f-6", "Sur\udc00gery")
    writeFileSync(file, `${[imported, importedSurrogate].map((event: Json) => JSON.stringify(event)).join("\n")}\n`)
    const done = await run(["import", file, "--school", school, "--db", db])
    expect(done.code, done.stderr).toBe(0)
    expect(done.stdout).toMatch(/1 events stored, 0 duplicates \(already in the store\), 1 rejected/)
    const aside = readFileSync(`${file}.rejected.ndjson`, "utf8").trim().split("\n")
    expect(aside).toHaveLength(1)
    expect(aside[0]).toContain("lone surrogate")

    const stored = await storedIds(db, school)
    for (const kept of [good, imported]) expect(stored.get(String(kept.id))).toBe(1)
    for (const refused of [surrogate, nul, importedSurrogate]) expect(stored.has(String(refused.id))).toBe(false)

    // The server logged no defect on the way.
    expect(server.proc.stdout() + server.proc.stderr()).not.toContain('"msg":"defect"')
  } finally {
    await server.proc.stop()
  }
}
