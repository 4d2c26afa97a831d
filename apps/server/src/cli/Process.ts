/**
 * What the long-running commands share: structured logs on standard error, and waiting
 * for SIGINT or SIGTERM to stop cleanly.
 *
 * @since 0.1.0
 */

/**
 * Structured logs go to standard error as JSON lines (no personal data: see the access log).
 *
 * @since 0.1.0
 * @category operations
 */
export const log = (line: Readonly<Record<string, unknown>>): void => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`)
}

/**
 * Resolves with the name of the first SIGINT or SIGTERM.
 *
 * @since 0.1.0
 * @category operations
 */
export const untilSignal = (): Promise<string> =>
  new Promise((resolve) => {
    const on = (signal: string) => () => resolve(signal)
    process.once("SIGINT", on("SIGINT"))
    process.once("SIGTERM", on("SIGTERM"))
  })
