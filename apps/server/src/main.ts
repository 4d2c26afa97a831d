/**
 * The `rapport` process: runs the command the arguments name (the table in
 * cli/commands.ts). A wrong setting or argument ends the process with one sentence on
 * standard error and exit code 2, never a stack trace.
 *
 * @since 0.1.0
 */
import { run } from "./cli/commands.js"
import { ConfigError } from "./Config.js"

run(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`rapport: ${error.sentence}\n`)
      process.exitCode = 2
      return
    }
    process.stderr.write(`rapport: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  }
)
