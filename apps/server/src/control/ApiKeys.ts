/**
 * API keys: created once, shown once, stored only as a keyed hash (HMAC-SHA256 with a
 * server-side pepper), bound to one school, named after their holder, scoped, listable
 * and revocable.
 *
 * A key reads `rapport_<public id>_<secret>`. The public id finds the row; the secret is
 * checked by comparing HMACs in constant time, so neither a database dump nor response
 * timing reveals a usable key.
 *
 * @since 0.1.0
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import type { Scope } from "../http/Route.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface ParsedKey {
  readonly publicId: string
  readonly key: string
}

const keyPattern = /^rapport_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/

/**
 * Generates a new key. The caller shows it once and stores only `hash(pepper, key)`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const generate = (): ParsedKey => {
  const publicId = randomBytes(8).toString("hex")
  const secret = randomBytes(32).toString("base64url")
  return { publicId, key: `rapport_${publicId}_${secret}` }
}

/**
 * Parses a presented key; `undefined` for anything that is not shaped like one.
 *
 * @since 0.1.0
 * @category operations
 */
export const parse = (presented: string): ParsedKey | undefined => {
  const match = keyPattern.exec(presented)
  return match?.[1] === undefined ? undefined : { publicId: match[1], key: presented }
}

/**
 * The keyed hash stored for a key (hex).
 *
 * @since 0.1.0
 * @category operations
 */
export const hash = (pepper: string, key: string): string => createHmac("sha256", pepper).update(key).digest("hex")

/**
 * Compares a presented key with a stored hash in constant time.
 *
 * @since 0.1.0
 * @category operations
 */
export const matches = (pepper: string, key: string, storedHash: string): boolean => {
  const presented = Buffer.from(hash(pepper, key), "hex")
  const stored = Buffer.from(storedHash, "hex")
  return presented.length === stored.length && timingSafeEqual(presented, stored)
}

/**
 * A fresh random pepper (hex).
 *
 * @since 0.1.0
 * @category constructors
 */
export const newPepper = (): string => randomBytes(32).toString("hex")

/**
 * Parses a comma-separated scope list; the unknown ones are returned apart.
 *
 * @since 0.1.0
 * @category operations
 */
export const parseScopes = (
  text: string,
  known: ReadonlyArray<Scope>
): { readonly scopes: ReadonlyArray<Scope>; readonly unknown: ReadonlyArray<string> } => {
  const scopes: Array<Scope> = []
  const unknown: Array<string> = []
  for (const part of text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)) {
    const scope = known.find((k) => k === part)
    if (scope === undefined) unknown.push(part)
    else if (!scopes.includes(scope)) scopes.push(scope)
  }
  return { scopes, unknown }
}
