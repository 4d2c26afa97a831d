/**
 * `rapport backup <file>`.
 *
 * @since 0.1.0
 */
import { ConfigError } from "../Config.js"
import type { CommandInput } from "./commands.js"

/**
 * @since 0.1.0
 * @category commands
 */
export const run = async (_input: CommandInput): Promise<number> => {
  throw new ConfigError({ sentence: "backup is not available in this build yet." })
}
