/**
 * `rapport project`: the projector as its own process (several API instances on one
 * store run with `RAPPORT_PROJECTOR=external`), until SIGINT or SIGTERM. It waits for the
 * projector lease while another projector holds it.
 *
 * @since 0.1.0
 */
import { Projector } from "@rapport/analytics"
import * as Effect from "effect/Effect"
import { load } from "../Config.js"
import * as Installation from "../Installation.js"
import { log, untilSignal } from "./Process.js"

/**
 * @since 0.1.0
 * @category commands
 */
export const run = async (input: {
  readonly flags: { readonly db?: string | undefined }
  readonly out: (line: string) => void
}): Promise<number> => {
  const config = load(input.flags, process.env)
  const installation = await Installation.open(config)
  const projector = Projector.make({
    store: installation.store,
    db: installation.readModels,
    timeZoneOf: (school) => config.timeZones[school] ?? config.timeZones["*"] ?? "UTC",
    now: () => new Date(),
    onErased: (school, studentId) => Effect.runPromise(installation.control.eraseStudent(school, studentId)),
    log
  })
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
