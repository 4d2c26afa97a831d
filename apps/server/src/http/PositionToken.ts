/**
 * Read-your-writes tokens: the log position an append reached (and the position the read
 * models include, `meta.position`), sealed for one school. The log is one counter across
 * every school of an installation, so the bare number would tell a school how much the
 * others wrote between two of its posts; a token tells it nothing: AES-256-GCM under a key
 * of the installation, with a fresh nonce each time and the school as additional data, so
 * that a token is opaque, cannot be forged or altered, and opens only for the school it
 * was given to (`waitFor` with another school's token is a 400).
 *
 * Tokens are for waiting, not for ordering: two tokens of the same position differ, and a
 * client compares nothing. This module must never log a position or a key.
 *
 * @since 0.2.0
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto"

/**
 * @since 0.2.0
 * @category models
 */
export interface PositionTokens {
  /** the token of `position` for `school` */
  readonly seal: (school: string, position: number) => string
  /** the position a token of `school` holds, or `undefined` (not a token, altered, another school's, another installation's) */
  readonly open: (school: string, token: string) => number | undefined
}

const version = 1
const nonceBytes = 12
const tagBytes = 16
const positionBytes = 8

const additionalData = (school: string): Buffer => Buffer.from(`rapport position v${version}\u0000${school}`, "utf8")

/**
 * The tokens of an installation, keyed by a secret of at least 32 characters (a random
 * secret kept in the control tables, see `ControlStore.positionKey`). The AES key is
 * derived from it with HKDF-SHA-256, so the secret serves no other purpose.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (secret: string): PositionTokens => {
  const key = Buffer.from(hkdfSync("sha256", secret, "rapport", "position tokens v1", 32))
  return {
    seal: (school, position) => {
      const nonce = randomBytes(nonceBytes)
      const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: tagBytes })
      cipher.setAAD(additionalData(school))
      const plain = Buffer.alloc(positionBytes)
      plain.writeBigUInt64BE(BigInt(position))
      const sealed = Buffer.concat([cipher.update(plain), cipher.final()])
      return Buffer.concat([Buffer.of(version), nonce, sealed, cipher.getAuthTag()]).toString("base64url")
    },
    open: (school, token) => {
      const bytes = Buffer.from(token, "base64url")
      if (bytes.length !== 1 + nonceBytes + positionBytes + tagBytes || bytes[0] !== version) return undefined
      if (bytes.toString("base64url") !== token) return undefined
      const nonce = bytes.subarray(1, 1 + nonceBytes)
      const sealed = bytes.subarray(1 + nonceBytes, 1 + nonceBytes + positionBytes)
      const tag = bytes.subarray(1 + nonceBytes + positionBytes)
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: tagBytes })
        decipher.setAAD(additionalData(school))
        decipher.setAuthTag(tag)
        const plain = Buffer.concat([decipher.update(sealed), decipher.final()])
        const position = plain.readBigUInt64BE()
        return position <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(position) : undefined
      } catch {
        return undefined
      }
    }
  }
}

/**
 * Tokens under a key made for this process only (tests, and apps assembled without an
 * installation): they open only in the process that sealed them.
 *
 * @since 0.2.0
 * @category constructors
 */
export const ephemeral = (): PositionTokens => make(randomBytes(32).toString("hex"))
