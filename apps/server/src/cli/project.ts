/**
 * The projector's commands: `rapport project` runs it as its own process (several API
 * instances on one store run with `RAPPORT_PROJECTOR=external`) until SIGINT or SIGTERM,
 * waiting for the projector lease while another projector holds it; `rapport rebuild`
 * drops the read models and replays every event (keys, directory and audit log are kept),
 * dropping them only once it holds the lease: never under a projector still writing them.
 *
 * @since 0.1.0
 */
import { load } from "../Config.js"
import * as Installation from "../Installation.js"
import { projectorOf } from "../Server.js"
import { log, untilSignal } from "./Process.js"

interface Input {
  readonly flags: { readonly db?: string | undefined }
  readonly out: (line: string) => void
}

/**
 * `rapport project`
 *
 * @since 0.1.0
 * @category commands
 */
export const project = async (input: Input): Promise<number> => {
  const config = load(input.flags, process.env)
  const installation = await Installation.open(config, { reapplyErasures: true })
  const projector = projectorOf(installation, log, { thread: false })
  input.out("The projector is waiting for its lease (one projector works at a time)…")
  const started = projector.start()
  const signal = await Promise.race([untilSignal(), started.then(() => "started")])
  if (signal === "started") {
    input.out(`The projector is running from position ${projector.position()}.`)
    const refresh = setInterval(() => projector.refreshFollowUps().catch(() => undefined), 10 * 60_000)
    await untilSignal()
    clearInterval(refresh)
  }
  await projector.stop()
  await installation.close()
  return 0
}

/**
 * `rapport rebuild`
 *
 * @since 0.1.0
 * @category commands
 */
export const rebuild = async (input: Input): Promise<number> => {
  const config = load(input.flags, process.env)
  const installation = await Installation.open(config, { reapplyErasures: true })
  try {
    input.out(
      "Rebuilding the read models (this waits while another projector holds the lease: stop `rapport serve` or `rapport project` on this store first)…"
    )
    const projector = projectorOf(installation, log, { thread: false, rebuild: true })
    const started = performance.now()
    await projector.catchUp()
    await projector.refreshFollowUps()
    await projector.stop()
    input.out(
      `Rebuilt the read models to position ${projector.position()} in ${Math.round(performance.now() - started)} ms.`
    )
    return 0
  } finally {
    await installation.close()
  }
}
