/**
 * How Rapport names its streams in EventStoreDB / KurrentDB.
 *
 * A Rapport stream `{ school, kind, id }` is named
 * `rapport-<kind>-<length of school>.<school>-<length of id>.<id>`, e.g.
 * `rapport-student-7.harvard-6.s-1001`. Lengths are decimal counts of UTF-16 code
 * units without leading zeros, so nothing in `school` or `id` needs escaping (ids may
 * contain `._~:@-`, schools anything but NUL and unpaired surrogates) and:
 * - the encoding is injective: a name is read left to right without ambiguity;
 * - it is prefix-free: no Rapport stream name is a proper prefix of another
 *   (`s-1` and `s-10`, school `a` and `ab` stay apart);
 * - `streamPrefix(kind, school)` starts the names of that school's streams of that kind
 *   and of nothing else, so the server can filter `$all` by school with a plain prefix.
 *
 * Every name starts with `rapport-`, never with `$` (EventStoreDB's system streams and
 * `$$` metadata streams). The adapter's idempotency claims live in streams named
 * `rapport.claim-<length of school>.<school>-<length of id>.<event id>`, outside the
 * `rapport-` prefix, so filters on Rapport streams never see them.
 *
 * This module must never accept a name it could not have produced: decoding is the
 * exact inverse of encoding on its range, and `undefined` for anything else.
 *
 * @since 0.1.0
 */
import type { StreamId, StreamKind } from "@rapport/event-store"
import { StreamName as PortStreamName } from "@rapport/event-store"

/**
 * The prefix of every Rapport stream name.
 *
 * @since 0.1.0
 * @category models
 */
export const namespace = "rapport-"

/**
 * The prefix of every idempotency-claim stream name (one stream per `(school, event id)`).
 *
 * @since 0.1.0
 * @category models
 */
export const claimNamespace = "rapport.claim-"

const lengthPrefixed = (part: string): string => `${part.length}.${part}`

/**
 * The name of a stream. The stream id should be valid (`StreamName.problem` of
 * `@rapport/event-store` returns `undefined` for it); the adapter checks before writing.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode = (stream: StreamId): string =>
  `${namespace}${stream.kind}-${lengthPrefixed(stream.school)}-${lengthPrefixed(stream.id)}`

/**
 * The prefix shared by every stream of `kind` (and, when given, of `school`) and by no
 * other stream.
 *
 * @since 0.1.0
 * @category encoding
 */
export const streamPrefix = (kind: StreamKind, school?: string | undefined): string =>
  school === undefined ? `${namespace}${kind}-` : `${namespace}${kind}-${lengthPrefixed(school)}-`

/**
 * The name of the claim stream that records which content and stream an event id of a
 * school was first written with.
 *
 * @since 0.1.0
 * @category encoding
 */
export const claimStreamName = (school: string, eventId: string): string =>
  `${claimNamespace}${lengthPrefixed(school)}-${lengthPrefixed(eventId)}`

/**
 * Whether a name is an EventStoreDB system or metadata stream (it starts with `$`).
 * Rapport never names a stream that way.
 *
 * @since 0.1.0
 * @category encoding
 */
export const isSystemStream = (name: string): boolean => name.startsWith("$")

const lengthDigits = /^(0|[1-9][0-9]{0,5})\./

/** reads `<length>.<text>` at `from`; the text's end index, or undefined */
const readPart = (name: string, from: number): { readonly part: string; readonly end: number } | undefined => {
  const match = lengthDigits.exec(name.slice(from, from + 8))
  if (match === null || match[1] === undefined) return undefined
  const length = Number(match[1])
  const start = from + match[0].length
  const end = start + length
  if (end > name.length) return undefined
  return { part: name.slice(start, end), end }
}

const kindAt = (name: string): StreamKind | undefined => {
  for (const kind of PortStreamName.kinds) {
    if (name.startsWith(`${namespace}${kind}-`)) return kind
  }
  return undefined
}

/**
 * The stream a name encodes, or `undefined` when the name is not a valid Rapport stream
 * name (another application's stream, a claim stream, a system stream, a malformed
 * name).
 *
 * @since 0.1.0
 * @category encoding
 */
export const decode = (name: string): StreamId | undefined => {
  const kind = kindAt(name)
  if (kind === undefined) return undefined
  const school = readPart(name, namespace.length + kind.length + 1)
  if (school === undefined || name[school.end] !== "-") return undefined
  const id = readPart(name, school.end + 1)
  if (id === undefined || id.end !== name.length) return undefined
  const stream: StreamId = { school: school.part, kind, id: id.part }
  // Re-encoding guards against non-canonical lengths; the port's rules against invalid parts.
  return PortStreamName.problem(stream) === undefined && encode(stream) === name ? stream : undefined
}

/**
 * The school and event id a claim stream name encodes, or `undefined`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const decodeClaimStreamName = (
  name: string
): { readonly school: string; readonly eventId: string } | undefined => {
  if (!name.startsWith(claimNamespace)) return undefined
  const school = readPart(name, claimNamespace.length)
  if (school === undefined || name[school.end] !== "-") return undefined
  const eventId = readPart(name, school.end + 1)
  if (eventId === undefined || eventId.end !== name.length) return undefined
  return claimStreamName(school.part, eventId.part) === name
    ? { school: school.part, eventId: eventId.part }
    : undefined
}
