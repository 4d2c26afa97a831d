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
  /** the last frame, showing `done` when given (where the work ended), then the summary */
  readonly finish: (summary: string, done?: number) => void
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
  /** what was already done at the first report (a projector may start far along): not part of the rate */
  let before: number | undefined
  const line = (): string => {
    const seconds = (performance.now() - started) / 1000
    // no rate from the first half second: a few events over a few microseconds say nothing
    const rate = seconds >= 0.5 ? (done - (before ?? 0)) / seconds : undefined
    const perSecond = rate === undefined ? "…" : format(rate)
    if (total === undefined || total === 0) return `${label}: ${format(done)} · ${perSecond}/s`
    const share = Math.min(1, done / total)
    const width = 24
    const filled = Math.round(share * width)
    const eta = rate === undefined || rate <= 0 ? "…" : `${Math.ceil((total - done) / rate)} s`
    return `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.round(share * 100)}% ${format(done)}/${format(total)} · ${perSecond}/s · ETA ${eta}`
  }
  return {
    advance: (value) => {
      before ??= performance.now() - started < 50 ? value : 0
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
    finish: (summary, reached) => {
      if (reached !== undefined) done = reached
      // erase the rest of the redrawn line on a terminal only: a log file would keep the escape
      stream.write(stream.isTTY === true ? `\r${line()}\u001b[K\n${summary}\n` : `${line()}\n${summary}\n`)
    }
  }
}
