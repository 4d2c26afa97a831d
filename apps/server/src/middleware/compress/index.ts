/**
 * Response compression: Brotli or gzip, as the request's `Accept-Encoding` prefers (Brotli
 * on a tie: smaller at the quality used here, for about gzip's time), for text types
 * (JSON, problem+json, CSV, HTML, JavaScript, CSS, SVG, plain text). A student's page of a
 * thousand entries shrinks about tenfold.
 *
 * Left as they are: bodies under the threshold (the first bytes are read to find out, so a
 * streamed body needs no length), `HEAD`, 204/206/304, responses already encoded, and those
 * that must reach the client as they are written — `Cache-Control: no-transform` (the way
 * a route says so) and `text/event-stream`. Every response of a compressible type says
 * `Vary: Accept-Encoding`, compressed or not, so that a cache keeps both.
 *
 * It must never buffer more than the threshold of a body, nor change its bytes once decoded.
 *
 * @since 0.4.0
 */
import type { MiddlewareHandler } from "hono"
import { once } from "node:events"
import { constants, createBrotliCompress, createGzip } from "node:zlib"

/**
 * @since 0.4.0
 * @category models
 */
export interface CompressOptions {
  /** bodies shorter than this many bytes go as they are (default 1024: below, the headers outweigh the gain) */
  readonly threshold?: number
}

/**
 * @since 0.4.0
 * @category models
 */
export type Encoding = "br" | "gzip"

const compressible =
  /^(?:text\/(?!event-stream)|application\/(?:json|problem\+json|x-ndjson|javascript|xml)|image\/svg\+xml)/i

/**
 * The encoding to answer with, from an `Accept-Encoding` header: the one of highest
 * weight among Brotli and gzip (a `*` stands for both), Brotli on a tie; none when neither
 * is acceptable.
 *
 * @since 0.4.0
 * @category operations
 */
export const chooseEncoding = (header: string | undefined): Encoding | undefined => {
  if (header === undefined) return undefined
  const weights = new Map<string, number>()
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.trim().split(";")
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
    const weight = q === undefined ? 1 : Number(q)
    if (name !== "" && Number.isFinite(weight)) weights.set(name.trim().toLowerCase(), weight)
  }
  const weightOf = (name: Encoding) => weights.get(name) ?? weights.get("*") ?? 0
  const br = weightOf("br")
  const gzip = weightOf("gzip")
  if (br <= 0 && gzip <= 0) return undefined
  return br >= gzip ? "br" : "gzip"
}

const encoder = (encoding: Encoding) =>
  encoding === "br"
    ? createBrotliCompress({
        params: {
          // quality 4: most of Brotli's gain at about gzip's speed (11, the default, is for static files)
          [constants.BROTLI_PARAM_QUALITY]: 4,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT
        }
      })
    : createGzip({ level: 6 })

/**
 * Reads a body's first `threshold` bytes: all of it when it is shorter (`done`), else
 * those bytes and the reader, positioned after them.
 */
const peek = async (
  body: ReadableStream<Uint8Array>,
  threshold: number
): Promise<{
  readonly head: Array<Uint8Array>
  readonly done: boolean
  readonly reader: ReadableStreamDefaultReader<Uint8Array>
}> => {
  const reader = body.getReader()
  const head: Array<Uint8Array> = []
  let size = 0
  while (size < threshold) {
    const next = await reader.read()
    if (next.done) return { head, done: true, reader }
    head.push(next.value)
    size += next.value.byteLength
  }
  return { head, done: false, reader }
}

/**
 * @since 0.4.0
 * @category middleware
 */
export const compress = (options: CompressOptions = {}): MiddlewareHandler => {
  const threshold = options.threshold ?? 1024
  return async function compressResponse(c, next) {
    await next()
    const res = c.res
    const type = res.headers.get("content-type") ?? ""
    if (!compressible.test(type)) return
    const vary = res.headers.get("vary")
    if (vary === null) res.headers.set("vary", "Accept-Encoding")
    else if (vary !== "*" && !/(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary))
      res.headers.set("vary", `${vary}, Accept-Encoding`)
    if (
      c.req.method === "HEAD" ||
      res.body === null ||
      res.status === 204 ||
      res.status === 206 ||
      res.status === 304 ||
      res.headers.has("content-encoding") ||
      /(?:^|,)\s*no-transform\s*(?:,|$)/i.test(res.headers.get("cache-control") ?? "")
    )
      return
    const length = res.headers.get("content-length")
    if (length !== null && Number(length) < threshold) return
    const encoding = chooseEncoding(c.req.header("accept-encoding"))
    if (encoding === undefined) return
    const { head, done, reader } = await peek(res.body, threshold)
    const headers = new Headers(res.headers)
    const init = { status: res.status, statusText: res.statusText, headers }
    if (done) {
      // short: the bytes as they were
      c.res = new Response(new Uint8Array(Buffer.concat(head)), init)
      return
    }
    const zip = encoder(encoding)
    // the body into the encoder, waiting whenever the encoder's buffer is full (its reader below drains it)
    const feed = async () => {
      try {
        const write = async (chunk: Uint8Array) => {
          if (!zip.write(chunk)) await once(zip, "drain")
        }
        for (const chunk of head) await write(chunk)
        for (;;) {
          const next = await reader.read()
          if (next.done) break
          await write(next.value)
        }
        zip.end()
      } catch (error) {
        zip.destroy(error instanceof Error ? error : new Error(String(error)))
      }
    }
    void feed()
    const output = zip[Symbol.asyncIterator]()
    const compressed = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next: IteratorResult<Buffer> = await output.next()
        if (next.done === true) controller.close()
        else controller.enqueue(new Uint8Array(next.value))
      },
      async cancel(reason) {
        zip.destroy()
        await reader.cancel(reason)
      }
    })
    headers.delete("content-length")
    headers.set("content-encoding", encoding)
    const etag = headers.get("etag")
    if (etag !== null && !etag.startsWith("W/")) headers.set("etag", `W/${etag}`)
    c.res = new Response(compressed, init)
  }
}
