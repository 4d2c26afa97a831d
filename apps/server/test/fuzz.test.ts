/**
 * Malformed requests to every route: random JSON, wrong types, unknown fields, huge
 * numbers, deep nesting, `__proto__` / `constructor` keys, invalid UTF-8, wrong content
 * types, random query parameters and headers. Every answer is a 4xx (NDJSON's documented
 * 200 summary excepted, with nothing stored), never a 5xx, never a stack trace or an
 * internal path; and nothing is stored anywhere.
 *
 * RAPPORT_FUZZ_RUNS sets the number of requests (10,000 by default, 5–15 s on a 2-core
 * machine); a long run is `RAPPORT_FUZZ_RUNS=100000 pnpm --filter @rapport/server exec vitest run test/fuzz.test.ts`.
 */
import * as Effect from "effect/Effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type AnyRoute, statusesOf } from "../src/http/Route.js"
import { type Caller, callers, credentials, world, type World } from "./world.js"

const runs = Number(process.env.RAPPORT_FUZZ_RUNS ?? "10000")

const validEvent = {
  id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6f",
  type: "OfficeHoursVisited",
  v: 1,
  occurredAt: "2026-10-01T15:30:00Z",
  source: "office-hours-scheduler",
  data: { studentId: "s-1001", facultyId: "f-204", durationMinutes: 20, topic: "career", initiatedBy: "student" }
}

const hugeNumbers = fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 1e-320, 0.1 + 0.2, 601, -1, 0)

/** a value that is never what a field wants: wrong type, out of range, or hostile */
const wrongValue = fc.oneof(
  hugeNumbers,
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.jsonValue(), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 4 }),
  fc.constantFrom("", "x".repeat(5000), "\u0000", "'; DROP TABLE rapport_keys; --", "../../etc/passwd", "\ud800")
)

const eventPaths: ReadonlyArray<ReadonlyArray<string>> = [
  ["id"],
  ["type"],
  ["occurredAt"],
  ["data"],
  ["data", "studentId"],
  ["data", "facultyId"],
  ["data", "durationMinutes"],
  ["data", "topic"],
  ["data", "initiatedBy"]
]

const setAt = (target: Record<string, unknown>, path: ReadonlyArray<string>, value: unknown): unknown => {
  const [head, ...rest] = path
  if (head === undefined) return value
  const inner = target[head]
  const child = inner !== null && typeof inner === "object" && !Array.isArray(inner) ? { ...inner } : {}
  return { ...target, [head]: setAt(child, rest, value) }
}

/** a valid event spoiled in one of the ways that must be refused */
const spoiledEvent = fc.oneof(
  fc.tuple(fc.constantFrom(...eventPaths), wrongValue).map(([path, value]) => setAt(validEvent, path, value)),
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue())
    .map(([key, value]) => setAt(validEvent, ["data", key === "studentId" ? "studentID" : `${key}_x`], value)),
  fc.constantFrom(...eventPaths).map((path) => {
    const copy = structuredClone(validEvent) as Record<string, unknown>
    const [head, leaf] = path
    if (leaf === undefined && head !== undefined) delete copy[head]
    else if (leaf !== undefined) delete (copy.data as Record<string, unknown>)[leaf]
    return copy
  })
)

const deep = fc
  .tuple(fc.integer({ min: 500, max: 60_000 }), fc.constantFrom("[", '{"a":', '{"data":'))
  .map(([depth, open]) => `${open.repeat(depth)}1${(open === "[" ? "]" : "}").repeat(depth)}`)

const hostileKeys = fc.constantFrom(
  '{"__proto__":{"admin":true},"id":"0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e6f"}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  `{"displayName":"x","email":null,"__proto__":{"x":1}}`,
  // written as text: in an object literal `__proto__` would set the prototype, not a key
  `[${JSON.stringify(validEvent).replace('"data":{', '"data":{"__proto__":{"studentId":"s"},')}]`,
  '{"key":{"__proto__":"rapport_0123456789abcdef_x"}}',
  '{"a":1e999}',
  "[1e999, -1e999, 123456789012345678901234567890]"
)

type Body = string | Uint8Array | undefined

// past each route's cap: 4 KiB (sign-in), 16 KiB (directory), 1 MiB (a JSON batch)
const overMiB = JSON.stringify([{ ...validEvent, source: "s".repeat(1024 * 1024) }])
const oversized = fc.oneof(
  fc.integer({ min: 17_000, max: 40_000 }).map((n) => JSON.stringify({ displayName: "x".repeat(n), email: null })),
  fc.integer({ min: 5_000, max: 20_000 }).map((n) => JSON.stringify({ key: "k".repeat(n) })),
  fc.constant(overMiB)
)

const body: fc.Arbitrary<Body> = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  spoiledEvent.map((e) => JSON.stringify(e)),
  fc.array(spoiledEvent, { minLength: 1, maxLength: 5 }).map((events) => JSON.stringify(events)),
  fc
    .array(spoiledEvent, { minLength: 1, maxLength: 5 })
    .map((events) => events.map((e) => JSON.stringify(e)).join("\n")),
  deep,
  hostileKeys,
  { weight: 4, arbitrary: oversized },
  fc.uint8Array({ minLength: 1, maxLength: 200 }),
  fc.string({ maxLength: 200 }),
  fc.constant(undefined)
)

const contentType = fc.oneof(
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "application/x-ndjson",
    "text/plain",
    "application/xml",
    "multipart/form-data; boundary=x",
    "application/x-www-form-urlencoded",
    "APPLICATION/JSON",
    ""
  ),
  fc.stringMatching(/^[a-z]{1,10}\/[a-z+.-]{1,20}$/)
)

const headerName = fc
  .stringMatching(/^[a-z][a-z0-9-]{0,24}$/)
  .filter(
    (name) =>
      ![
        "content-length",
        "transfer-encoding",
        "connection",
        "host",
        "keep-alive",
        "upgrade",
        "expect",
        "te",
        "trailer"
      ].includes(name)
  )
const headerValue = fc.stringMatching(/^[\x21-\x7e]{0,80}$/)

const queryPart = fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 20 }))

interface Fuzzed {
  readonly routeIndex: number
  readonly method: string | undefined
  readonly id: string
  readonly caller: Caller
  /** most requests carry the key the route wants, so that bodies get past authorization */
  readonly rightKey: boolean
  readonly query: ReadonlyArray<[string, string]>
  readonly headers: ReadonlyArray<[string, string]>
  readonly contentType: string
  readonly body: Body
}

const request: fc.Arbitrary<Fuzzed> = fc.record({
  routeIndex: fc.noBias(fc.nat()),
  method: fc.oneof(
    { weight: 8, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH") }
  ),
  // mostly well-formed ids, so that bodies are read; sometimes not, for the 404s
  id: fc.oneof(
    { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9_~:@-]{1,24}$/) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 300 }) },
    { weight: 1, arbitrary: fc.constantFrom("s-1001", "..", "%00", "a/b", "x".repeat(129)) }
  ),
  caller: fc.constantFrom(...callers),
  rightKey: fc.boolean(),
  query: fc.array(queryPart, { maxLength: 3 }),
  headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }),
  contentType,
  body
})

const leaksInternals =
  /\bat [^\s]+ \(|node_modules|\/work\/|file:\/\/|\.ts:\d+|SQLITE_|TypeError|RangeError|SyntaxError|stack/

const routeOf = (table: ReadonlyArray<AnyRoute>, input: Fuzzed): AnyRoute => {
  const route = table[input.routeIndex % table.length] ?? table[0]
  if (route === undefined) throw new Error("empty route table")
  return route
}

const build = (w: World, table: ReadonlyArray<AnyRoute>, input: Fuzzed): { path: string; init: RequestInit } => {
  const route = routeOf(table, input)
  const method = input.method ?? route.method
  const hasBody = method !== "GET" && input.body !== undefined
  // a request without a body is malformed by an unknown query parameter (every route refuses them)
  const params = new URLSearchParams([...(hasBody ? [] : [["fuzz", "1"]]), ...input.query])
  const query = params.size === 0 ? "" : `?${params}`
  const path = `${route.path.replace("{id}", encodeURIComponent(input.id))}${query}`
  const caller =
    input.rightKey && route.access._tag === "Scoped" ? (route.access.anyOf[0] ?? input.caller) : input.caller
  const headers = new Headers()
  for (const [name, value] of input.headers) headers.set(name, value)
  for (const [name, value] of Object.entries(credentials(w, "alpha", caller))) headers.set(name, value)
  if (hasBody) headers.set("content-type", input.contentType)
  const payload = typeof input.body === "string" ? input.body : new Uint8Array(input.body ?? [])
  return { path, init: hasBody ? { method, headers, body: payload } : { method, headers } }
}

const count = async (w: World, table: string): Promise<number> =>
  Number((await w.controlDb.all(`SELECT count(*) AS n FROM ${table}`))[0]?.n)

describe("malformed requests", () => {
  it(`answer 4xx without internals and store nothing (${runs} requests)`, { timeout: 300_000 }, async () => {
    const w = await world({ seed: false, rateLimit: { perSecond: 1e9, burst: 1e9 } })
    const statuses = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const { path, init } = build(w, w.table, input)
        const response = await w.app.request(path, init)
        const text = await response.text()
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
        const ndjsonSummary = response.status === 200 && path === "/v1/events" && /"stored":0,/.test(text)
        expect(ndjsonSummary || (response.status >= 400 && response.status < 500), `${response.status} ${text}`).toBe(
          true
        )
        expect(text).not.toMatch(leaksInternals)
        const route = routeOf(w.table, input)
        if (init.method === route.method) {
          // every status a client meets is one the OpenAPI document lists for the route
          const declared = [...Object.keys(route.responses).map(Number), ...statusesOf(route)]
          expect(declared, `${route.operationId} answered ${response.status}`).toContain(response.status)
        }
      }),
      { numRuns: runs }
    )
    console.log("fuzz statuses", Object.fromEntries(statuses))
    // the bodies got past authorization and content types, so validation itself was exercised
    if (runs >= 1000)
      for (const status of [400, 401, 403, 404, 413, 415]) expect(statuses.get(status)).toBeGreaterThan(0)
    const page = await Effect.runPromise(w.store.readAll({ after: 0 }))
    expect(page.events).toEqual([])
    for (const table of ["rapport_directory", "rapport_sessions", "rapport_audit"])
      expect(await count(w, table)).toBe(0)
    expect(w.logs.filter((line) => line.msg === "defect")).toEqual([])
  })
})
