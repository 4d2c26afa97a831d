/**
 * The long-running and bulk commands (serve, demo, import, project, rebuild, backup).
 *
 * @since 0.1.0
 */
import { ConfigError } from "../Config.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface CommandInput {
  readonly flags: {
    readonly db?: string | undefined
    readonly port?: string | undefined
    readonly school?: string | undefined
    readonly fresh?: boolean | undefined
  }
  readonly positionals: ReadonlyArray<string>
  readonly out: (line: string) => void
}

/**
 * @since 0.1.0
 * @category commands
 */
export const runCommand = async (command: string, _input: CommandInput): Promise<number> => {
  throw new ConfigError({ sentence: `The ${command} command is not available in this build yet.` })
}
