/**
 * How Rapport names its streams in EventStoreDB / KurrentDB.
 *
 * A Rapport stream `{ school, kind, id }` is named
 * `rapport-<kind>-<length of school>.<school>-<pseudonym>`, e.g.
 * `rapport-student-7.harvard-3f1c…` (32 hex digits), where the pseudonym is the first
 * 128 bits of HMAC-SHA-256 under a secret key (`EVENTSTOREDB_STREAM_KEY`) of the kind, the
 * school and the id. A student's id is personal data, and a stream's name outlives its
 * erasure: the tombstone that keeps a deleted stream deleted carries its name forever.
 * Under a key kept apart from the store, the name says nothing about the person; whoever
 * holds the key and guesses an id can test it, as with the erased-id registry.
 *
 * The school's length is a decimal count of UTF-16 code units without leading zeros, so
 * nothing in `school` needs escaping, and with a pseudonym of fixed length:
 * - the encoding is injective (up to HMAC collisions, about 2^-64 for 2^32 streams) and
 *   prefix-free: no Rapport stream name is a proper prefix of another;
 * - `streamPrefix(kind, school)` starts the names of that school's streams of that kind
 *   and of nothing else, so the server can filter `$all` by school with a plain prefix.
 *
 * The id is not in the name: the event body carries it (`Envelope.ts`), and a name is
 * accepted for a stream only if it is that stream's name under the key. Names start with
 * `rapport-`, never with `$`. The idempotency claims live in streams named
 * `rapport.claim-<length of school>.<school>-<length of id>.<event id>`, outside the
 * `rapport-` prefix (event ids are the senders' UUIDs, not personal data). The adapter as
 * first written, before any release, named streams in clear
 * (`rapport-student-7.harvard-6.s-1001`); `isClearName` spots such a name so that a store
 * written that way is refused, never half read.
 *
 * This module must never accept a name it could not have produced.
 *
 * @since 0.1.0
 */
import { createHmac } from "node:crypto"
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

/**
 * The shortest stream-name key accepted, in characters.
 *
 * @since 0.1.0
 * @category models
 */
export const minimumKeyLength = 32

/**
 * The names of streams under one key.
 *
 * @since 0.1.0
 * @category models
 */
export interface Naming {
  /** the stream's name; the stream id should be valid (`StreamName.problem` of `@rapport/event-store`) */
  readonly encode: (stream: StreamId) => string
  /** the stream named `name` whose id is `id` (read from an event body), if `name` is its name under this key */
  readonly decode: (name: string, id: string) => StreamId | undefined
  /** a check value of the key (an HMAC of a constant), to recognise the key a store was written with */
  readonly keyCheck: string
}

/**
 * The parts a Rapport stream name shows.
 *
 * @since 0.1.0
 * @category models
 */
export interface NameParts {
  readonly school: string
  readonly kind: StreamKind
  readonly pseudonym: string
}

const lengthPrefixed = (part: string): string => `${part.length}.${part}`
const pseudonymPattern = /^[0-9a-f]{32}$/
const cacheLimit = 10_000

/**
 * The naming under `key` (at least {@link minimumKeyLength} characters; the caller checks).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (key: string): Naming => {
  const mac = (...parts: ReadonlyArray<string>): string =>
    createHmac("sha256", key).update(parts.join("\u0000"), "utf8").digest("hex")
  // One HMAC per stream, not per event read: names are asked for again and again.
  const cache = new Map<string, string>()
  const encode = (stream: StreamId): string => {
    const memo = `${stream.kind}\u0000${stream.school}\u0000${stream.id}`
    const known = cache.get(memo)
    if (known !== undefined) return known
    const name = `${streamPrefix(stream.kind, stream.school)}${mac("rapport/eventstoredb/stream", stream.kind, stream.school, stream.id).slice(0, 32)}`
    if (cache.size >= cacheLimit) cache.clear()
    cache.set(memo, name)
    return name
  }
  return {
    encode,
    decode: (name, id) => {
      const parts = parse(name)
      if (parts === undefined) return undefined
      const stream: StreamId = { school: parts.school, kind: parts.kind, id }
      return PortStreamName.problem(stream) === undefined && encode(stream) === name ? stream : undefined
    },
    keyCheck: mac("rapport/eventstoredb/key-check")
  }
}

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

/** The kind and school a name starts with, and where the rest begins. */
const head = (
  name: string
): { readonly kind: StreamKind; readonly school: string; readonly rest: number } | undefined => {
  const kind = PortStreamName.kinds.find((k) => name.startsWith(`${namespace}${k}-`))
  if (kind === undefined) return undefined
  const school = readPart(name, namespace.length + kind.length + 1)
  if (school === undefined || name[school.end] !== "-") return undefined
  return { kind, school: school.part, rest: school.end + 1 }
}

/**
 * What a Rapport stream name shows (school, kind, pseudonym), or `undefined` when the
 * name is not one (another application's stream, a claim, a system stream, a malformed
 * or clear name).
 *
 * @since 0.1.0
 * @category encoding
 */
export const parse = (name: string): NameParts | undefined => {
  const start = head(name)
  if (start === undefined) return undefined
  const pseudonym = name.slice(start.rest)
  if (!pseudonymPattern.test(pseudonym)) return undefined
  return PortStreamName.problem({ school: start.school, kind: start.kind, id: "x" }) === undefined
    ? { school: start.school, kind: start.kind, pseudonym }
    : undefined
}

/**
 * Whether a name is a stream name as the adapter first wrote it, with the id in clear
 * (`rapport-<kind>-<length>.<school>-<length>.<id>`).
 *
 * @since 0.1.0
 * @category encoding
 */
export const isClearName = (name: string): boolean => {
  const start = head(name)
  if (start === undefined) return false
  const id = readPart(name, start.rest)
  return id !== undefined && id.end === name.length
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
