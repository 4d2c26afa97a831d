/**
 * Reading request bodies with limits: a whole body up to a byte cap (JSON requests), or
 * NDJSON lines one at a time with a per-line cap and a stall timeout (bulk loads). A
 * limit broken is a typed failure, never a half-read body treated as whole.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"

/**
 * @since 0.1.0
 * @category errors
 */
export class BodyTooLarge extends Data.TaggedError("BodyTooLarge")<{ readonly limit: number }> {}

/**
 * @since 0.1.0
 * @category errors
 */
export class LineTooLong extends Data.TaggedError("LineTooLong")<{ readonly line: number; readonly limit: number }> {}

/**
 * A whole body (JSON) that took longer than its deadline to arrive, however steadily it
 * trickled.
 *
 * @since 0.2.0
 * @category errors
 */
export class BodyTooSlow extends Data.TaggedError("BodyTooSlow")<{ readonly afterMs: number }> {}

/**
 * @since 0.1.0
 * @category errors
 */
export class BodyStalled extends Data.TaggedError("BodyStalled")<{ readonly afterMs: number }> {}

/**
 * A body refused by the check `readText` was given, before it was read whole.
 *
 * @since 0.4.0
 * @category errors
 */
export class BodyRefused extends Data.TaggedError("BodyRefused")<{ readonly bytesRead: number }> {}

const readWithTimeout = async (
  reader: ReadableStreamDefaultReader<Uint8Array>,
  stallMs: number,
  deadline?: { readonly at: number; readonly afterMs: number }
): Promise<ReadableStreamReadResult<Uint8Array>> => {
  let timer: NodeJS.Timeout | undefined
  const left = deadline === undefined ? stallMs : Math.min(stallMs, deadline.at - Date.now())
  const failure = () =>
    deadline !== undefined && left < stallMs
      ? new BodyTooSlow({ afterMs: deadline.afterMs })
      : new BodyStalled({ afterMs: stallMs })
  try {
    return await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(failure()), Math.max(0, left))
      })
    ])
  } finally {
    if (timer !== undefined) clearTimeout(timer)
  }
}

/**
 * Reads a whole body as UTF-8 text, failing with `BodyTooLarge` past `limit` bytes,
 * `BodyStalled` when no chunk comes for `stallMs`, and `BodyTooSlow` when the whole body
 * has not arrived `deadlineMs` after reading began (a trickle of one byte a few seconds
 * apart never stalls, and would hold the request open for ever), and `BodyRefused` as soon
 * as `refuses` says so of a chunk (the rest is not read).
 *
 * @since 0.1.0
 * @category operations
 */
export const readText = async (
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  stallMs: number,
  deadlineMs = stallMs,
  refuses?: (chunk: Uint8Array) => boolean
): Promise<string> => {
  if (body === null) return ""
  const deadline = { at: Date.now() + deadlineMs, afterMs: deadlineMs }
  const reader = body.getReader()
  const chunks: Array<Uint8Array> = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await readWithTimeout(reader, stallMs, deadline)
      if (done) break
      size += value.byteLength
      if (size > limit) throw new BodyTooLarge({ limit })
      if (refuses?.(value) === true) throw new BodyRefused({ bytesRead: size })
      chunks.push(value)
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined)
    throw error
  }
  // fatal: bytes that are not UTF-8 fail the request (400) instead of being stored as U+FFFD
  return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks))
}

/**
 * Yields NDJSON lines (1-based numbers), skipping blank lines. A line longer than
 * `lineLimit` bytes fails with `LineTooLong`; no chunk for `stallMs` fails with
 * `BodyStalled`.
 *
 * @since 0.1.0
 * @category operations
 */
export async function* lines(
  body: ReadableStream<Uint8Array> | null,
  lineLimit: number,
  stallMs: number
): AsyncGenerator<{ readonly line: number; readonly text: string; readonly notUtf8?: true }> {
  if (body === null) return
  const reader = body.getReader()
  const decoder = new TextDecoder("utf-8", { fatal: true })
  const lossy = new TextDecoder("utf-8")
  let notUtf8 = false
  let pending: Array<Buffer> = []
  let pendingBytes = 0
  let line = 0
  const flush = (end: Buffer): string => {
    const bytes = Buffer.concat([...pending, end])
    let text: string
    try {
      text = decoder.decode(bytes)
      notUtf8 = false
    } catch {
      // the line is rejected whole (never stored with U+FFFD in place of its bytes)
      text = lossy.decode(bytes)
      notUtf8 = true
    }
    pending = []
    pendingBytes = 0
    return text.endsWith("\r") ? text.slice(0, -1) : text
  }
  try {
    for (;;) {
      const { done, value } = await readWithTimeout(reader, stallMs)
      if (done) break
      let chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength)
      for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10)) {
        line += 1
        if (pendingBytes + newline > lineLimit) throw new LineTooLong({ line, limit: lineLimit })
        const text = flush(chunk.subarray(0, newline))
        chunk = chunk.subarray(newline + 1)
        if (text.trim().length > 0) yield notUtf8 ? { line, text, notUtf8: true } : { line, text }
      }
      pendingBytes += chunk.byteLength
      if (pendingBytes > lineLimit) throw new LineTooLong({ line: line + 1, limit: lineLimit })
      if (chunk.byteLength > 0) pending.push(Buffer.from(chunk))
    }
    if (pendingBytes > 0) {
      line += 1
      const text = flush(Buffer.alloc(0))
      if (text.trim().length > 0) yield notUtf8 ? { line, text, notUtf8: true } : { line, text }
    }
  } finally {
    await reader.cancel().catch(() => undefined)
  }
}
