/**
 * `rapport rebuild`: drops the read models and replays every event (keys, directory and
 * audit log are kept). It drops them only once it holds the projector lease: never under
 * a projector that is still writing them.
 *
 * @since 0.1.0
 */
import { Projector } from "@rapport/analytics"
import * as Effect from "effect/Effect"
import { load } from "../Config.js"
import * as Installation from "../Installation.js"
import { log } from "./Process.js"

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
  try {
    input.out(
      "Rebuilding the read models (this waits while another projector holds the lease: stop `rapport serve` or `rapport project` on this store first)…"
    )
    const projector = Projector.make({
      rebuild: true,
      store: installation.store,
      db: installation.readModels,
      timeZoneOf: (school) => config.timeZones[school] ?? config.timeZones["*"] ?? "UTC",
      now: () => new Date(),
      onErased: (school, studentId) => Effect.runPromise(installation.control.eraseStudent(school, studentId)),
      log
    })
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
