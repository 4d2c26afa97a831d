/**
 * The content hash of an event: hex SHA-256 of its canonical content (see
 * `@rapport/core` `Canonical`). Stores keep it beside every event and compare it when
 * the same `(school, event id)` arrives again, to tell a harmless duplicate from a
 * conflict. Every adapter must use this function, so that a hash written by one store
 * (or one version of Rapport) means the same thing to every other.
 *
 * This module must never hash anything but the canonical content: `source`, the id and
 * the stream are not part of an event's content.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { Canonical } from "@rapport/core"
import type { NewEvent } from "./EventStore.js"

/**
 * Hex SHA-256 (64 lowercase hex digits) of `Canonical.canonicalContent(event)`.
 *
 * @since 0.1.0
 * @category operations
 */
export const contentHash = (event: Pick<NewEvent, "type" | "v" | "occurredAt" | "data">): string =>
  createHash("sha256").update(Canonical.canonicalContent(event), "utf8").digest("hex")

/**
 * Whether two events have the same content (the same canonical form).
 *
 * @since 0.1.0
 * @category operations
 */
export const sameContent = (
  a: Pick<NewEvent, "type" | "v" | "occurredAt" | "data">,
  b: Pick<NewEvent, "type" | "v" | "occurredAt" | "data">
): boolean => contentHash(a) === contentHash(b)
