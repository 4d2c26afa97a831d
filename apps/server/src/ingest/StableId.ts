/**
 * Stable event ids for records that come from another system: a UUIDv5 (RFC 9562, SHA-1
 * name-based) of the record's own id, in a namespace per source system, itself the UUIDv5
 * of the source's name in Rapport's namespace. The same record always gets the same id,
 * so sending it again (a retry, a re-import of the same export) is a harmless duplicate,
 * never a second event. docs/api.md gives the recipe for systems that post directly.
 *
 * It must never use randomness or the clock: the id is a function of its inputs alone.
 *
 * @since 0.2.0
 */
import { createHash } from "node:crypto"

/**
 * Rapport's namespace: the namespace of every source system is derived from it.
 *
 * @since 0.2.0
 * @category constants
 */
export const rapportNamespace = "4dbc394c-60e8-4855-bfb0-096933ac7145"

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Whether a string is a UUID in its usual text form.
 *
 * @since 0.2.0
 * @category guards
 */
export const isUuid = (text: string): boolean => uuidPattern.test(text)

/**
 * The UUIDv5 of `name` (UTF-8) in `namespace` (a UUID).
 *
 * @since 0.2.0
 * @category constructors
 */
export const uuidV5 = (name: string, namespace: string): string => {
  const hash = createHash("sha1")
    .update(Buffer.from(namespace.replaceAll("-", ""), "hex"))
    .update(name, "utf8")
    .digest()
  const bytes = hash.subarray(0, 16)
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = bytes.toString("hex")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * The namespace of a source system: the UUIDv5 of its name in {@link rapportNamespace}.
 *
 * @since 0.2.0
 * @category constructors
 */
export const sourceNamespace = (source: string): string => uuidV5(source, rapportNamespace)

/**
 * The event id of a record: the UUIDv5 of its own id in its source's namespace.
 *
 * @since 0.2.0
 * @category constructors
 */
export const eventId = (namespace: string, recordId: string): string => uuidV5(recordId, namespace)
