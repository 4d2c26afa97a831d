/**
 * Failures become HTTP in one place: `Problem.fromFailure` gives every typed error of the
 * layers below its status and stable type, the types are the `ProblemType` constants
 * (never a string literal elsewhere in the server), and docs/api.md lists exactly them.
 */
import { ReadError } from "@rapport/analytics"
import { EventIdConflict, InvalidAppend, StoreUnavailable, StreamDeleted } from "@rapport/event-store"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { AuditUnavailable, ControlUnavailable } from "../src/control/ControlError.js"
import { type Failure, fromFailure, ProblemType, problem, problemTypes } from "../src/http/Problem.js"
import * as Retention from "../src/retention/Retention.js"

const emptyReport: Retention.Report = {
  school: "s",
  cutoff: null,
  types: ["FollowUpSent"],
  events: 0,
  byType: {},
  byMonth: {},
  students: 0,
  retractions: 0,
  oldest: null,
  newest: null,
  selection: ""
}

const source = join(import.meta.dirname, "../src")
const sources = (folder: string): Array<{ readonly path: string; readonly text: string }> =>
  readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(folder, entry.name))
      : entry.name.endsWith(".ts")
        ? [{ path: join(folder, entry.name), text: readFileSync(join(folder, entry.name), "utf8") }]
        : []
  )

describe("Problem.fromFailure", () => {
  it("gives each typed failure its status and type", () => {
    const cases: ReadonlyArray<readonly [Failure, number, ProblemType]> = [
      [new StoreUnavailable({ reason: "down" }), 503, ProblemType.storeUnavailable],
      [new StoreUnavailable({ reason: "full", outOfSpace: true }), 503, ProblemType.storeFull],
      [new ReadError.ReadModelsUnavailable({ reason: "down" }), 503, ProblemType.readModelsUnavailable],
      [new ReadError.NotYetConsistent({ position: 7 }), 503, ProblemType.notYetConsistent],
      [new ReadError.NotFound({ kind: "student", id: "s-1" }), 404, ProblemType.notFound],
      [
        new ReadError.InvalidInput({ path: ["query", "asOf"], detail: "no such day" }),
        400,
        ProblemType.validationFailed
      ],
      [new ControlUnavailable({ operation: "verifyKey", reason: "down" }), 503, ProblemType.controlUnavailable],
      [new AuditUnavailable({ reason: "down" }), 503, ProblemType.auditUnavailable],
      [
        new EventIdConflict({ school: "s", eventId: "e", storedHash: "a", attemptedHash: "b" }),
        409,
        ProblemType.eventIdConflict
      ],
      [new StreamDeleted({ stream: { school: "s", kind: "student", id: "s-1" } }), 409, ProblemType.erased],
      [new InvalidAppend({ reason: "empty" }), 400, ProblemType.invalidAppend],
      [problem(429, "slow down"), 429, problemTypes[429]]
    ]
    for (const [failure, status, type] of cases) {
      const answer = fromFailure(failure)
      expect(answer.status, failure._tag).toBe(status)
      expect(answer.type ?? problemTypes[answer.status], failure._tag).toBe(type)
    }
    // a 503 says when to come back
    for (const [failure, status] of cases) {
      if (status === 503) expect(fromFailure(failure).headers?.["retry-after"], failure._tag).toMatch(/^\d+$/)
    }
  })

  it("names every refused event of a batch about erased students, and retention's refusals", () => {
    const student = (id: string) => ({ school: "s", kind: "student" as const, id })
    const events = ["s-1", "s-2", "s-3", "s-1"].map((studentId) => ({ data: { studentId } }))
    const refused = fromFailure(
      new StreamDeleted({ stream: student("s-1"), streams: [student("s-1"), student("s-3")] }),
      { events }
    )
    expect(refused.status).toBe(409)
    expect(refused.type).toBe(ProblemType.erased)
    expect(refused.errors?.map((issue) => [issue.index, issue.path])).toEqual([
      [0, ["data", "studentId"]],
      [2, ["data", "studentId"]],
      [3, ["data", "studentId"]]
    ])
    const retention: ReadonlyArray<readonly [Failure, number, ProblemType]> = [
      [new Retention.PolicyInvalid({ sentence: "Say what to remove." }), 400, ProblemType.invalidRequest],
      [new Retention.RetentionUnsupported({ sentence: "No." }), 409, ProblemType.retentionUnsupported],
      [
        new Retention.SelectionChanged({ report: { ...emptyReport, events: 3, selection: "ab".repeat(32) } }),
        409,
        ProblemType.retentionSelectionChanged
      ]
    ]
    for (const [failure, status, type] of retention) {
      const answer = fromFailure(failure)
      expect(answer.status, failure._tag).toBe(status)
      expect(answer.type, failure._tag).toBe(type)
    }
  })

  it("never quotes a failure's reason, which may hold a driver's message", () => {
    const secret = "SELECT secret FROM rapport_keys"
    for (const failure of [
      new StoreUnavailable({ reason: secret }),
      new ReadError.ReadModelsUnavailable({ reason: secret }),
      new ControlUnavailable({ operation: "verifyKey", reason: secret }),
      new AuditUnavailable({ reason: secret })
    ]) {
      expect(JSON.stringify(fromFailure(failure))).not.toContain(secret)
    }
  })
})

describe("problem types", () => {
  const values = new Set<string>(Object.values(ProblemType))

  it("are constants: no string literal of a problem type outside Problem.ts", () => {
    for (const { path, text } of sources(source)) {
      if (path.endsWith(join("http", "Problem.ts"))) continue
      for (const match of text.matchAll(/\btype: "([a-z-]+)"/g)) {
        expect(values.has(match[1] ?? ""), `${path}: type: "${match[1]}"`).toBe(false)
      }
    }
  })

  it("are exactly those docs/api.md lists in its table of errors", () => {
    const page = readFileSync(join(import.meta.dirname, "../../../docs/api.md"), "utf8")
    const table = page.slice(page.indexOf("| status | `type`"), page.indexOf("\n\n", page.indexOf("| status | `type`")))
    const documented = new Set(
      table
        .split("\n")
        .slice(2)
        .flatMap((row) => [...(row.split("|")[2] ?? "").matchAll(/`([a-z-]+)`/g)].map((m) => m[1] ?? ""))
    )
    // /readyz's own answer (docs/operations.md), and a status no route answers today
    const elsewhere = new Set<string>([ProblemType.projectorLagging, ProblemType.methodNotAllowed])
    const undocumented = [...values].filter((type) => !documented.has(type) && !elsewhere.has(type))
    expect(undocumented).toEqual([])
    expect([...documented].filter((type) => !values.has(type))).toEqual([])
  })
})
