/**
 * The query parameters of `GET /xapi/statements`, read as the specification says: which
 * combinations are allowed, what each must look like, and the `more` link that continues
 * a page (an opaque token holding the query and where the page ended, bound to the key).
 * Errors name the parameter.
 *
 * @since 0.3.0
 */
import * as Result from "effect/Result"
import type { ValidationIssue } from "../http/Problem.js"
import type { Format as FormatOf } from "./Format.js"
import { ifiOf, isIri, isJsonObject, isTimestamp, isUuid, toUtcIso } from "./Statement.js"
import { validate } from "./Validate.js"
import type { Query } from "./StatementIndex.js"

/**
 * The most statements a page holds (and what `limit=0` means).
 *
 * @since 0.3.0
 * @category constants
 */
export const maxPage = 100

/**
 * What a GET asks for.
 *
 * @since 0.3.0
 * @category models
 */
export type Request =
  | { readonly _tag: "One"; readonly id: string; readonly voided: boolean; readonly format: Format }
  | { readonly _tag: "Many"; readonly query: Query; readonly format: Format }

/**
 * @since 0.3.0
 * @category models
 */
export type Format = FormatOf

/**
 * The parameters a GET accepts.
 *
 * @since 0.3.0
 * @category constants
 */
export const parameters = [
  "statementId",
  "voidedStatementId",
  "agent",
  "verb",
  "activity",
  "registration",
  "related_activities",
  "related_agents",
  "since",
  "until",
  "limit",
  "format",
  "attachments",
  "ascending",
  "more"
] as const

const issue = (name: string, message: string): ValidationIssue => ({ index: 0, path: ["query", name], message })

const flag = (raw: Readonly<Record<string, string>>, name: string, issues: Array<ValidationIssue>): boolean => {
  const value = raw[name]
  if (value === undefined || value === "false") return false
  if (value === "true") return true
  issues.push(issue(name, "Expected true or false"))
  return false
}

const instant = (raw: Readonly<Record<string, string>>, name: string, issues: Array<ValidationIssue>) => {
  const value = raw[name]
  if (value === undefined) return undefined
  if (!isTimestamp(value)) {
    issues.push(issue(name, "Expected an ISO 8601 timestamp with a time zone"))
    return undefined
  }
  return new Date(toUtcIso(value)).toISOString()
}

const encodeToken = (value: unknown): string => Buffer.from(JSON.stringify(value), "utf8").toString("base64url")

/**
 * The `more` link of a page that ended at `last` (stored, statement id).
 *
 * @since 0.3.0
 * @category constructors
 */
export const moreLink = (
  raw: Readonly<Record<string, string>>,
  keyId: string,
  last: readonly [string, string]
): string => {
  const { more: _more, ...query } = raw
  return `/xapi/statements?more=${encodeToken({ k: keyId, q: query, a: last })}`
}

/**
 * Reads the parameters of a GET (the `more` token stands for the query it continues).
 *
 * @since 0.3.0
 * @category operations
 */
export const read = (
  given: Readonly<Record<string, string>>,
  caller: { readonly school: string; readonly keyId: string }
): Result.Result<
  { readonly request: Request; readonly raw: Readonly<Record<string, string>> },
  ReadonlyArray<ValidationIssue>
> => {
  const issues: Array<ValidationIssue> = []
  let raw = given
  let after: readonly [string, string] | undefined
  if (given.more !== undefined) {
    if (Object.keys(given).length > 1) return Result.fail([issue("more", "Send `more` alone, as the link gives it")])
    try {
      const token: unknown = JSON.parse(Buffer.from(given.more, "base64url").toString("utf8"))
      if (!isJsonObject(token) || token.k !== caller.keyId || !isJsonObject(token.q) || !Array.isArray(token.a))
        throw new Error("not a token")
      raw = Object.fromEntries(Object.entries(token.q).map(([k, v]) => [k, String(v)]))
      after = [String(token.a[0]), String(token.a[1])]
    } catch {
      return Result.fail([issue("more", "Not a link this server gave to this key")])
    }
  }
  const format = raw.format ?? "exact"
  if (format !== "exact" && format !== "ids" && format !== "canonical")
    issues.push(issue("format", 'Expected "exact", "ids" or "canonical"'))
  flag(raw, "attachments", issues)
  const single = raw.statementId ?? raw.voidedStatementId
  if (single !== undefined) {
    if (raw.statementId !== undefined && raw.voidedStatementId !== undefined)
      issues.push(issue("voidedStatementId", "Send statementId or voidedStatementId, not both"))
    if (!isUuid(single))
      issues.push(issue(raw.statementId === undefined ? "voidedStatementId" : "statementId", "Expected a UUID"))
    for (const name of Object.keys(raw)) {
      if (!["statementId", "voidedStatementId", "format", "attachments"].includes(name))
        issues.push(issue(name, "Not allowed with statementId or voidedStatementId"))
    }
    if (issues.length > 0) return Result.fail(issues)
    return Result.succeed({
      raw,
      request: {
        _tag: "One",
        id: single.toLowerCase(),
        voided: raw.statementId === undefined,
        format: format as Format
      }
    })
  }
  let agent: Query["agent"]
  if (raw.agent !== undefined) {
    let parsed: unknown
    try {
      parsed = JSON.parse(raw.agent)
    } catch {
      parsed = undefined
    }
    const problems = isJsonObject(parsed)
      ? validate({ actor: parsed, verb: { id: "urn:x" }, object: { id: "urn:x" } })
      : [{}]
    const ifi = ifiOf(parsed)
    if (problems.length > 0 || ifi === undefined)
      issues.push(issue("agent", "Expected an Agent or identified Group as JSON"))
    else agent = { value: ifi, related: flag(raw, "related_agents", issues) }
  } else flag(raw, "related_agents", issues)
  if (raw.verb !== undefined && !isIri(raw.verb)) issues.push(issue("verb", "Expected an IRI"))
  let activity: Query["activity"]
  if (raw.activity !== undefined) {
    if (!isIri(raw.activity)) issues.push(issue("activity", "Expected an IRI"))
    activity = { value: raw.activity, related: flag(raw, "related_activities", issues) }
  } else flag(raw, "related_activities", issues)
  if (raw.registration !== undefined && !isUuid(raw.registration)) issues.push(issue("registration", "Expected a UUID"))
  const since = instant(raw, "since", issues)
  const until = instant(raw, "until", issues)
  let limit = maxPage
  if (raw.limit !== undefined) {
    if (!/^\d{1,9}$/.test(raw.limit)) issues.push(issue("limit", "Expected a whole number (0: the server's page size)"))
    else limit = Number(raw.limit) === 0 ? maxPage : Math.min(maxPage, Number(raw.limit))
  }
  const ascending = flag(raw, "ascending", issues)
  if (issues.length > 0) return Result.fail(issues)
  return Result.succeed({
    raw,
    request: {
      _tag: "Many",
      format: format as Format,
      query: {
        school: caller.school,
        keyId: caller.keyId,
        agent,
        activity,
        verb: raw.verb,
        registration: raw.registration,
        since,
        until,
        ascending,
        after,
        limit
      }
    }
  })
}
