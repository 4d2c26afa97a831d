/**
 * A progress bar on standard error: done/total, rate and ETA, redrawn in place on a
 * terminal and printed every few seconds otherwise (CI logs). Standard output stays free
 * for results (a created key alone on the last line).
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 * @category models
 */
export interface Progress {
  readonly advance: (done: number) => void
  readonly finish: (summary: string) => void
}

const format = (n: number): string => Math.round(n).toLocaleString("en-US")

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  label: string,
  total: number | undefined,
  stream: NodeJS.WriteStream = process.stderr
): Progress => {
  const started = performance.now()
  let last = 0
  let done = 0
  const line = (): string => {
    const seconds = (performance.now() - started) / 1000
    const rate = seconds > 0 ? done / seconds : 0
    if (total === undefined || total === 0) return `${label}: ${format(done)} · ${format(rate)}/s`
    const share = Math.min(1, done / total)
    const width = 24
    const filled = Math.round(share * width)
    const eta = rate > 0 ? (total - done) / rate : 0
    return `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.round(share * 100)}% ${format(done)}/${format(total)} · ${format(rate)}/s · ETA ${Math.ceil(eta)} s`
  }
  return {
    advance: (value) => {
      done = value
      const now = performance.now()
      if (stream.isTTY === true) {
        if (now - last > 100) {
          stream.write(`\r${line()}\u001b[K`)
          last = now
        }
      } else if (now - last > 3000) {
        stream.write(`${line()}\n`)
        last = now
      }
    },
    finish: (summary) => {
      stream.write(`${stream.isTTY === true ? "\r" : ""}${line()}\u001b[K\n${summary}\n`)
    }
  }
}
