/**
 * Event ids for the synthetic school: UUIDs in the version 7 layout (48 bits of the
 * event's Unix time in milliseconds, then random-looking bits), derived from the seed and
 * a counter instead of a random source, so that the same seed always names the same event
 * the same way.
 *
 * Uniqueness within one school is guaranteed, not probable: the last 32 bits are a
 * bijection of the counter (splitmix32 of `counter XOR seed key`), so two counters below
 * 2³² never share an id. Different seeds differ in the other 30 random-looking bits too.
 * This module must never use a random source or a clock.
 *
 * @since 0.1.0
 */
import { mix32 } from "./Random.js"

const byteHex: ReadonlyArray<string> = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"))

/** Eight hex digits of a 32-bit value. */
const hex8 = (value: number): string =>
  (byteHex[(value >>> 24) & 0xff] ?? "") +
  (byteHex[(value >>> 16) & 0xff] ?? "") +
  (byteHex[(value >>> 8) & 0xff] ?? "") +
  (byteHex[value & 0xff] ?? "")

/** Four hex digits of a 16-bit value. */
const hex4 = (value: number): string => (byteHex[(value >>> 8) & 0xff] ?? "") + (byteHex[value & 0xff] ?? "")

/**
 * The id of the `counter`-th event of the school seeded with `seedKey`, which occurred at
 * `occurredAtMs` (Unix milliseconds). Lower-case, `xxxxxxxx-xxxx-7xxx-[89ab]xxx-xxxxxxxxxxxx`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const eventId = (seedKey: number, counter: number, occurredAtMs: number): string => {
  const unique = mix32((counter ^ seedKey) >>> 0)
  const spice = mix32(mix32(counter + 0x51ed270b) ^ seedKey)
  const spice2 = mix32(spice ^ 0x2545f491)
  const ms = Math.max(0, Math.floor(occurredAtMs))
  const high = Math.floor(ms / 0x10000) // upper 32 of the 48 time bits
  const low = ms % 0x10000
  const randA = 0x7000 | (spice & 0xfff)
  const variant = 0x8000 | ((spice >>> 12) & 0x3fff)
  const node = (spice2 >>> 16) & 0xffff
  return `${hex8(high)}-${hex4(low)}-${hex4(randA)}-${hex4(variant)}-${hex4(node)}${hex8(unique)}`
}
