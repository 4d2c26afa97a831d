/**
 * `rapport import <file.csv | file.ndjson> --school <id>`.
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
  throw new ConfigError({ sentence: "import is not available in this build yet." })
}
