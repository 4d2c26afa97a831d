/**
 * The canonical content of an event: the form in which two deliveries of the same event
 * id are compared to tell a harmless duplicate from a conflict.
 *
 * "The same content" means the same `{ type, v, occurredAt as a UTC instant, data }`;
 * `source` and the id are not part of it. The canonical form is JSON with object keys
 * sorted by code unit, no whitespace, `undefined` members dropped, and `occurredAt`
 * rewritten as an ISO 8601 UTC instant with milliseconds, so that
 * `2026-10-01T17:30:00+02:00` and `2026-10-01T15:30:00.000Z` are the same content.
 *
 * This module must stay pure: no hashing library, no I/O. Stores hash the string it
 * returns with whatever digest their platform provides.
 *
 * @since 0.1.0
 */

/**
 * The parts of an event that make up its content.
 *
 * @since 0.1.0
 * @category models
 */
export interface EventContent {
  readonly type: string
  readonly v?: number | undefined
  readonly occurredAt: string
  readonly data: unknown
}

/**
 * Rewrites an RFC 3339 timestamp as the UTC instant `YYYY-MM-DDTHH:mm:ss.sssZ`.
 * Returns `undefined` when the text is not a valid instant.
 *
 * @since 0.1.0
 * @category operations
 */
export const toUtcInstant = (occurredAt: string): string | undefined => {
  const ms = Date.parse(occurredAt)
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined
}

const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== "object") {
    // JSON.stringify is deterministic for strings, finite numbers and booleans.
    return JSON.stringify(value) ?? "null"
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`
  }
  const keys = Object.keys(value).sort()
  const members: Array<string> = []
  for (const key of keys) {
    const member: unknown = (value as Record<string, unknown>)[key]
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${canonicalJson(member)}`)
  }
  return `{${members.join(",")}}`
}

/**
 * The canonical content of an event as a string. Two events are the same content
 * exactly when their canonical strings are equal.
 *
 * @since 0.1.0
 * @category operations
 */
export const canonicalContent = (event: EventContent): string =>
  canonicalJson({
    type: event.type,
    v: event.v ?? 1,
    occurredAt: toUtcInstant(event.occurredAt) ?? event.occurredAt,
    data: event.data
  })
