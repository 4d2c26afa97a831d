/**
 * Validation and a single-string encoding of stream ids, for adapters that key streams
 * by one string (EventStoreDB stream names, a text primary key, a map key).
 *
 * The encoding is `<school>/<kind>/<id>` where `%`, `/` and `$` inside `school` and `id`
 * are percent-escaped (`%25`, `%2F`, `%24`). Because escaped parts never contain `/`,
 * the encoding is injective, and `schoolPrefix(school)` (`<school>/`) starts the name of
 * every stream of that school and of no other school's: "a" and "ab", "a" and "a/b"
 * never share a prefix. Escaping `$` keeps names clear of EventStoreDB's system streams.
 *
 * This module must never accept an id it cannot round-trip: NUL characters and lone
 * surrogates (not representable in PostgreSQL text or UTF-8) are rejected.
 *
 * @since 0.1.0
 */
import type { StreamId, StreamKind } from "./EventStore.js"

/**
 * The four stream kinds, in a fixed order.
 *
 * @since 0.1.0
 * @category models
 */
export const kinds: ReadonlyArray<StreamKind> = ["student", "faculty", "school", "directory"]

/**
 * The longest `school` or `id`, in UTF-16 code units (so never more than 128 characters).
 *
 * @since 0.1.0
 * @category models
 */
export const maxLength = 128

const isKind = (kind: unknown): kind is StreamKind =>
  kind === "student" || kind === "faculty" || kind === "school" || kind === "directory"

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const partProblem = (name: string, value: unknown): string | undefined => {
  if (typeof value !== "string") return `${name} must be a string`
  if (value.length < 1 || value.length > maxLength) return `${name} must be 1 to ${maxLength} characters long`
  if (value.includes("\u0000") || unpairedSurrogate.test(value))
    return `${name} must not contain NUL characters or unpaired surrogates`
  return undefined
}

/**
 * What is wrong with a stream id, or `undefined` when it is valid: `school` and `id`
 * 1–128 characters without NUL or unpaired surrogates, `kind` one of the four kinds.
 *
 * @since 0.1.0
 * @category validation
 */
export const problem = (stream: StreamId): string | undefined => {
  const school = partProblem("school", stream.school)
  if (school !== undefined) return school
  if (!isKind(stream.kind)) return `kind must be one of ${kinds.join(", ")}`
  return partProblem("id", stream.id)
}

/**
 * Whether a stream id is valid (see {@link problem}).
 *
 * @since 0.1.0
 * @category validation
 */
export const isValid = (stream: StreamId): boolean => problem(stream) === undefined

/**
 * Whether two stream ids name the same stream.
 *
 * @since 0.1.0
 * @category operations
 */
export const equals = (a: StreamId, b: StreamId): boolean => a.school === b.school && a.kind === b.kind && a.id === b.id

const escapePart = (part: string): string =>
  part.replace(/[%/$]/g, (c) => (c === "%" ? "%25" : c === "/" ? "%2F" : "%24"))

const unescapePart = (part: string): string | undefined => {
  let out = ""
  for (let i = 0; i < part.length; i++) {
    const c = part[i]
    if (c === "/" || c === "$") return undefined
    if (c !== "%") {
      out += c
      continue
    }
    const code = part.slice(i + 1, i + 3)
    if (code === "25") out += "%"
    else if (code === "2F") out += "/"
    else if (code === "24") out += "$"
    else return undefined
    i += 2
  }
  return out
}

/**
 * The text every encoded stream name of `school` starts with, and no other school's
 * does. Use it for prefix scans and filters by school.
 *
 * @since 0.1.0
 * @category encoding
 */
export const schoolPrefix = (school: string): string => `${escapePart(school)}/`

/**
 * Encodes a stream id as one string: injective, and prefix-free between schools
 * (see the module header). The stream id should be valid (see {@link problem}).
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeStreamName = (stream: StreamId): string =>
  `${schoolPrefix(stream.school)}${stream.kind}/${escapePart(stream.id)}`

/**
 * Decodes a name made by {@link encodeStreamName}; `undefined` for any text it could
 * not have made (so decoding is the exact inverse on its range).
 *
 * @since 0.1.0
 * @category encoding
 */
export const decodeStreamName = (name: string): StreamId | undefined => {
  const parts = name.split("/")
  if (parts.length !== 3) return undefined
  const [rawSchool, kind, rawId] = parts
  if (rawSchool === undefined || rawId === undefined || !isKind(kind)) return undefined
  const school = unescapePart(rawSchool)
  const id = unescapePart(rawId)
  if (school === undefined || id === undefined) return undefined
  const stream: StreamId = { school, kind, id }
  return problem(stream) === undefined ? stream : undefined
}
