/**
 * `rapport serve`: the API, the dashboard and (unless `RAPPORT_PROJECTOR=external`) the
 * projector, until SIGINT or SIGTERM. The URL is printed on its own line (`URL: …`) for
 * scripts.
 *
 * @since 0.1.0
 */
import { load } from "../Config.js"
import * as Installation from "../Installation.js"
import * as Server from "../Server.js"
import { log, untilSignal } from "./Process.js"

/**
 * @since 0.1.0
 * @category commands
 */
export const run = async (input: {
  readonly flags: { readonly db?: string | undefined; readonly port?: string | undefined }
  readonly out: (line: string) => void
}): Promise<number> => {
  const config = load(input.flags, process.env)
  const installation = await Installation.open(config, { reapplyErasures: true })
  const running = await Server.start(installation, { log })
  input.out(`Rapport is serving ${config.store === "sqlite" ? config.db : `on ${config.store}`} at ${running.url}`)
  input.out(`URL: ${running.url}`)
  const signal = await untilSignal()
  log({ msg: "stopping", signal })
  await running.stop()
  return 0
}
