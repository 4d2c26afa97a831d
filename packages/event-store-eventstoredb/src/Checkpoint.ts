/**
 * Positions in EventStoreDB's global log (`$all`) and how a consumer stores them.
 *
 * EventStoreDB names a place in `$all` by two unsigned 64-bit numbers, the commit and
 * the prepare position. The port's `Position` is the commit position as a JavaScript
 * safe integer: every event appended through the gRPC API is its own implicit
 * transaction, so its commit and prepare positions are equal and distinct from every
 * other event's. The limit is 2^53 − 1 bytes of transaction log (8 PiB); a larger
 * position is a defect, never silently rounded. Events written by old TCP clients in
 * explicit transactions share their commit position; a consumer that must tell them
 * apart keeps both numbers with `encodeCheckpoint`.
 *
 * A checkpoint string is `<commit>/<prepare>`, each 20 zero-padded decimal digits, so
 * that comparing two checkpoint strings compares the positions. Checkpoints are stored
 * by the projector beside its read models (PostgreSQL or SQLite), never in
 * EventStoreDB. This module must never lose precision: it works on `bigint`.
 *
 * @since 0.1.0
 */
import type { Position } from "@rapport/event-store"

/**
 * A place in `$all`, as EventStoreDB gives it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Checkpoint {
  readonly commit: bigint
  readonly prepare: bigint
}

/**
 * The largest value either position can take (unsigned 64-bit).
 *
 * @since 0.1.0
 * @category models
 */
export const maxLogPosition: bigint = 2n ** 64n - 1n

const digits = 20
const checkpointPattern = /^([0-9]{20})\/([0-9]{20})$/

const inRange = (value: bigint): boolean => value >= 0n && value <= maxLogPosition

/**
 * The checkpoint of a port position (commit and prepare both equal to it, as for every
 * event appended through gRPC).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromPosition = (position: Position): Checkpoint => ({
  commit: BigInt(position),
  prepare: BigInt(position)
})

/**
 * The port position of a checkpoint (its commit position), or `undefined` when the commit
 * position is beyond `Number.MAX_SAFE_INTEGER`.
 *
 * @since 0.1.0
 * @category conversions
 */
export const toPosition = (checkpoint: Checkpoint): Position | undefined =>
  checkpoint.commit >= 0n && checkpoint.commit <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(checkpoint.commit)
    : undefined

/**
 * Orders checkpoints by commit, then prepare position: -1, 0 or 1.
 *
 * @since 0.1.0
 * @category ordering
 */
export const compare = (a: Checkpoint, b: Checkpoint): -1 | 0 | 1 => {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1
  return 0
}

/**
 * The checkpoint as a string that sorts like the positions (`<commit>/<prepare>`, 20
 * digits each). Throws a `RangeError` for a negative or over-64-bit position (a bug).
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeCheckpoint = (checkpoint: Checkpoint): string => {
  if (!inRange(checkpoint.commit) || !inRange(checkpoint.prepare)) {
    throw new RangeError(`checkpoint out of range: ${checkpoint.commit}/${checkpoint.prepare}`)
  }
  return `${checkpoint.commit.toString().padStart(digits, "0")}/${checkpoint.prepare.toString().padStart(digits, "0")}`
}

/**
 * Reads a string made by {@link encodeCheckpoint}; `undefined` for anything else.
 *
 * @since 0.1.0
 * @category encoding
 */
export const decodeCheckpoint = (text: string): Checkpoint | undefined => {
  const match = checkpointPattern.exec(text)
  if (match === null || match[1] === undefined || match[2] === undefined) return undefined
  const checkpoint = { commit: BigInt(match[1]), prepare: BigInt(match[2]) }
  return inRange(checkpoint.commit) && inRange(checkpoint.prepare) ? checkpoint : undefined
}
