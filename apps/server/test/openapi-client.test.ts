/**
 * A client generated from `/openapi.json` with openapi-typescript types events exactly:
 * the body of `POST /v1/events` is the union of every event type discriminated on `type`,
 * so a misspelt field, an unknown topic or a wrong type name is a compile error for the
 * sender, and integer query parameters are numbers. The fixture is compiled with the
 * TypeScript compiler: it must compile with its `@ts-expect-error` lines, and each of
 * those lines must fail without its marker (for the reason the test names). The snippet of
 * docs/api.md compiles as written beside the file its command generates.
 */
import openapiTS, { astToString } from "openapi-typescript"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import ts from "typescript"
import { afterAll, describe, expect, it } from "vitest"
import { world } from "./world.js"

const fixture = `import type { components, paths } from "./api.js"

type Body = paths["/v1/events"]["post"]["requestBody"]["content"]["application/json"]
type Visit = components["schemas"]["OfficeHoursVisitedEvent"]

export const one: Body = {
  id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e03",
  type: "OfficeHoursVisited",
  occurredAt: "2026-10-01T15:30:00Z",
  data: { studentId: "s-1001", facultyId: "f-204", durationMinutes: 20, topic: "career", initiatedBy: "student" }
}

export const batch: Body = [
  one as Visit,
  {
    id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e08",
    type: "FollowUpSent",
    occurredAt: "2026-10-02T09:00:00-04:00",
    data: { studentId: "s-1001", facultyId: "f-204", kind: "thank-you", channel: "email" }
  }
]

export const misspelt: Body = {
  id: "0193a1c4-5e2b-7c1d-9f00-3b2a1c4d5e03",
  type: "OfficeHoursVisited",
  occurredAt: "2026-10-01T15:30:00Z",
  // @ts-expect-error misspelt field: studentID
  data: { studentID: "s-1001", facultyId: "f-204", durationMinutes: 20, topic: "career", initiatedBy: "student" }
}

export const unknownTopic: Visit["data"] = {
  studentId: "s-1001",
  facultyId: "f-204",
  durationMinutes: 20,
  // @ts-expect-error unknown topic: gossip
  topic: "gossip",
  initiatedBy: "student"
}

export const rightType: components["schemas"]["Event"]["type"] = "OfficeHoursVisited"
// @ts-expect-error unknown type: OfficeHoursVisit
export const wrongType: components["schemas"]["Event"]["type"] = "OfficeHoursVisit"

type Students = NonNullable<paths["/v1/dashboard/students"]["get"]["parameters"]["query"]>
export const page: Students["page"] = 2
// @ts-expect-error page is an integer, not text
export const pageText: Students["page"] = "2"
`

const dir = mkdtempSync(join(tmpdir(), "rapport-client-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** compiles the fixture beside the generated types; the diagnostics with their line and text */
const compile = (
  source: string,
  resolution: "nodenext" | "bundler" = "nodenext"
): ReadonlyArray<{ readonly line: number; readonly text: string }> => {
  writeFileSync(join(dir, "fixture.ts"), source)
  const program = ts.createProgram([join(dir, "fixture.ts")], {
    strict: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: resolution === "nodenext" ? ts.ModuleKind.NodeNext : ts.ModuleKind.ESNext,
    moduleResolution: resolution === "nodenext" ? ts.ModuleResolutionKind.NodeNext : ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: []
  })
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ({
    line:
      diagnostic.file === undefined || diagnostic.start === undefined
        ? -1
        : diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line,
    text: ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")
  }))
}

describe("a client generated from /openapi.json (openapi-typescript)", () => {
  it("types events so that a misspelt field, topic or type does not compile", async () => {
    const w = await world()
    const response = await w.app.request("/openapi.json")
    const types = astToString(await openapiTS(await response.json()))
    expect(types).toContain("OfficeHoursVisitedEvent")
    writeFileSync(join(dir, "api.ts"), types)
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }))

    // as written: every @ts-expect-error is used, nothing else fails
    expect(compile(fixture)).toEqual([])

    // without the markers, each marked line is an error, for the reason it names
    const lines = fixture.split("\n")
    const marked = lines.flatMap((line, index) => (line.includes("@ts-expect-error") ? [index] : []))
    expect(marked).toHaveLength(4)
    const errors = compile(lines.map((line) => (line.includes("@ts-expect-error") ? "" : line)).join("\n"))
    for (const index of marked) {
      const reason = /: (\w+)$/.exec(lines[index] ?? "")?.[1] ?? "an integer"
      // the error is reported on the line after the marker, or on the object it opens
      const near = errors.filter((error) => error.line > index && error.line <= index + 6)
      expect(near.length, lines[index]).toBeGreaterThan(0)
      if (reason !== "an integer") expect(near.map((error) => error.text).join("\n"), lines[index]).toContain(reason)
    }
  })
  it("compiles docs/api.md's snippet as written, with moduleResolution nodenext or bundler", async () => {
    const page = readFileSync(join(import.meta.dirname, "../../../docs/api.md"), "utf8")
    const command = /npx openapi-typescript "\$RAPPORT_URL\/openapi\.json" -o (\S+)/.exec(page)?.[1]
    expect(command).toBe("rapport-api.d.ts")
    const snippet = /```ts\n(import type \{ paths \}[\s\S]*?)```/.exec(page)?.[1] ?? ""
    const w = await world()
    const response = await w.app.request("/openapi.json")
    writeFileSync(join(dir, "rapport-api.d.ts"), astToString(await openapiTS(await response.json())))
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }))
    const typed = `${snippet}\nexport const body: EventsBody = []\n`
    expect(compile(typed, "nodenext")).toEqual([])
    expect(compile(typed, "bundler")).toEqual([])
  })
})
