/**
 * xAPI statements as the specification (xAPI 2.0.0, IEEE 9274.1.1; 1.0.3 alike) defines
 * them: the forms of their values (UUIDs, IRIs, timestamps, durations), the inverse
 * functional identifier of an agent, and the equivalence of two statements (a retry
 * versus a conflict). Validation is Validate.ts's. Pure: no clock, no storage.
 *
 * This module must never change a statement it reads.
 *
 * @since 0.3.0
 */

/**
 * One problem: its path inside the statement and a sentence.
 *
 * @since 0.3.0
 * @category models
 */
export interface StatementIssue {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

/**
 * A statement as sent (parsed JSON), known to be valid.
 *
 * @since 0.3.0
 * @category models
 */
export type Statement = Readonly<Record<string, unknown>>

type Json = Readonly<Record<string, unknown>>

/**
 * The verb that voids a statement.
 *
 * @since 0.3.0
 * @category constants
 */
export const voided = "http://adlnet.gov/expapi/verbs/voided"

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const iriPattern = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/
/**
 * For Validate.ts.
 *
 * @since 0.3.0
 * @category constants
 */
export const mboxPattern = /^mailto:[^\s@]+@[^\s@]+$/
/**
 * For Validate.ts.
 *
 * @since 0.3.0
 * @category constants
 */
export const sha1Pattern = /^[0-9a-f]{40}$/i
/**
 * For Validate.ts.
 *
 * @since 0.3.0
 * @category constants
 */
export const languagePattern = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/
const timestampPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?$/
const durationPattern =
  /^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$/
/** weeks stand alone in ISO 8601 (`P4W`, never `P4W1D`) */
const weeksPattern = /^P(\d+(?:\.\d+)?)W$/
/**
 * For Validate.ts.
 *
 * @since 0.3.0
 * @category constants
 */
export const isDuration = (value: unknown): boolean =>
  typeof value === "string" && (durationPattern.test(value) || weeksPattern.test(value))
/**
 * For Validate.ts.
 *
 * @since 0.3.0
 * @category constants
 */
export const versionPattern = /^(1\.0|2\.0)(\.\d+)?$/

/**
 * Whether a value is a UUID (any version or variant).
 *
 * @since 0.3.0
 * @category operations
 */
export const isUuid = (value: unknown): value is string => typeof value === "string" && uuidPattern.test(value)

/**
 * Whether a value is an absolute IRI.
 *
 * @since 0.3.0
 * @category operations
 */
export const isIri = (value: unknown): value is string => typeof value === "string" && iriPattern.test(value)

/**
 * Whether a value is an ISO 8601 timestamp the specification accepts (never the `-00:00` offset).
 *
 * @since 0.3.0
 * @category operations
 */
export const isTimestamp = (value: unknown): value is string => {
  if (typeof value !== "string") return false
  const match = timestampPattern.exec(value)
  if (match === null || match[8] === "-00:00" || match[8] === "-0000" || match[8] === "-00") return false
  return !Number.isNaN(Date.parse(toUtcIso(value)))
}

/**
 * A valid timestamp as an RFC 3339 UTC instant (a timestamp without offset is read as UTC).
 *
 * @since 0.3.0
 * @category operations
 */
export const toUtcIso = (timestamp: string): string => {
  const match = timestampPattern.exec(timestamp)
  if (match === null) return timestamp
  const offset = match[8]
  const normalisedOffset =
    offset === undefined
      ? "Z"
      : offset === "Z"
        ? "Z"
        : offset.length === 3
          ? `${offset}:00`
          : offset.includes(":")
            ? offset
            : `${offset.slice(0, 3)}:${offset.slice(3)}`
  const fraction = (match[7] ?? "").slice(0, 4)
  return `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}${fraction}${normalisedOffset}`
}

/**
 * An ISO 8601 duration in minutes (years and months are refused as ambiguous: undefined).
 *
 * @since 0.3.0
 * @category operations
 */
export const durationMinutes = (duration: string): number | undefined => {
  const weeks = weeksPattern.exec(duration)
  if (weeks !== null) return Number.parseFloat(weeks[1] ?? "0") * 7 * 24 * 60
  const match = durationPattern.exec(duration)
  if (match === null || match[1] !== undefined || match[2] !== undefined) return undefined
  const part = (text: string | undefined) => (text === undefined ? 0 : Number.parseFloat(text))
  const seconds = part(match[3]) * 86400 + part(match[5]) * 3600 + part(match[6]) * 60 + part(match[7])
  return seconds / 60
}

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * The inverse functional identifier of an Agent or identified Group, as one string
 * (`mbox:…`, `mbox_sha1sum:…`, `openid:…`, `account:<homePage> <name>`).
 *
 * @since 0.3.0
 * @category operations
 */
export const ifiOf = (actor: unknown): string | undefined => {
  if (!isObject(actor)) return undefined
  if (typeof actor.mbox === "string") return `mbox:${actor.mbox.toLowerCase()}`
  if (typeof actor.mbox_sha1sum === "string") return `mbox_sha1sum:${actor.mbox_sha1sum.toLowerCase()}`
  if (typeof actor.openid === "string") return `openid:${actor.openid}`
  const account = actor.account
  if (isObject(account) && typeof account.homePage === "string" && typeof account.name === "string")
    return `account:${account.homePage} ${account.name}`
  return undefined
}

/**
 * The parts of a statement that make it the same statement: everything but what the LRS
 * sets (`stored`, `authority`, `version`), with the id's case, the timestamp's form and
 * durations past the hundredth of a second normalised, and object keys sorted. Two statements with one id and different signatures
 * are a conflict.
 *
 * @since 0.3.0
 * @category operations
 */
export const signature = (statement: Statement): string => {
  const { stored: _stored, authority: _authority, version: _version, ...rest } = statement
  const normalised = {
    ...rest,
    id: typeof rest.id === "string" ? rest.id.toLowerCase() : rest.id,
    ...(typeof rest.timestamp === "string" ? { timestamp: Date.parse(toUtcIso(rest.timestamp)) } : {}),
    // durations compare to the hundredth of a second (xAPI 2.0.0, 4.2.7)
    ...(isObject(rest.result) && typeof rest.result.duration === "string"
      ? { result: { ...rest.result, duration: rest.result.duration.replace(/(\.\d{2})\d+S$/, "$1S") } }
      : {})
  }
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted)
    if (isObject(value)) {
      const out: Record<string, unknown> = {}
      for (const key of Object.keys(value).sort()) out[key] = sorted(value[key])
      return out
    }
    return value
  }
  return JSON.stringify(sorted(normalised))
}

/**
 * The properties that identify an Agent or a Group (exactly one for an Agent).
 *
 * @since 0.3.0
 * @category constants
 */
export const ifiKeys = ["mbox", "mbox_sha1sum", "openid", "account"]

/**
 * Whether a value is a JSON object (for readers of a valid statement's parts).
 *
 * @since 0.3.0
 * @category operations
 */
export const isJsonObject = isObject
