/**
 * The long-running and bulk commands: serve, project, rebuild, backup, demo, import,
 * retention.
 * Each validates its configuration first (one sentence on error) and stops cleanly on
 * SIGINT/SIGTERM.
 *
 * @since 0.1.0
 */
import { Projector } from "@rapport/analytics"
import { ConfigError, type Flags, load } from "../Config.js"
import * as Installation from "../Installation.js"
import * as Server from "../Server.js"

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
    readonly erasures?: boolean | undefined
    readonly "older-than"?: string | undefined
    readonly before?: string | undefined
    readonly types?: string | undefined
    readonly apply?: boolean | undefined
    readonly expect?: string | undefined
  }
  readonly positionals: ReadonlyArray<string>
  readonly out: (line: string) => void
}

/**
 * Structured logs go to standard error as JSON lines (no personal data: see the access log).
 *
 * @since 0.1.0
 * @category operations
 */
export const log = (line: Readonly<Record<string, unknown>>): void => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`)
}

const untilSignal = (): Promise<string> =>
  new Promise((resolve) => {
    const on = (signal: string) => () => resolve(signal)
    process.once("SIGINT", on("SIGINT"))
    process.once("SIGTERM", on("SIGTERM"))
  })

const flagsOf = (input: CommandInput): Flags => ({ db: input.flags.db, port: input.flags.port })

/**
 * @since 0.1.0
 * @category commands
 */
export const runCommand = async (command: string, input: CommandInput): Promise<number> => {
  switch (command) {
    case "serve": {
      const config = load(flagsOf(input), process.env)
      const installation = await Installation.open(config, { reapplyErasures: true })
      const running = await Server.start(installation, { log })
      input.out(`Rapport is serving ${config.store === "sqlite" ? config.db : `on ${config.store}`} at ${running.url}`)
      input.out(`URL: ${running.url}`)
      const signal = await untilSignal()
      log({ msg: "stopping", signal })
      await running.stop()
      return 0
    }
    case "project": {
      const config = load(flagsOf(input), process.env)
      const installation = await Installation.open(config, { reapplyErasures: true })
      const projector = Projector.make({
        store: installation.store,
        db: installation.readModels,
        timeZoneOf: (school) => config.timeZones[school] ?? config.timeZones["*"] ?? "UTC",
        now: () => new Date(),
        onErased: (school, studentId) => installation.control.eraseStudent(school, studentId),
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
    case "rebuild": {
      const config = load(flagsOf(input), process.env)
      const installation = await Installation.open(config, { reapplyErasures: true })
      try {
        // The projector drops the read models once it holds the lease: never under a
        // projector that is still writing them.
        input.out(
          "Rebuilding the read models (this waits while another projector holds the lease: stop `rapport serve` or `rapport project` on this store first)…"
        )
        const projector = Projector.make({
          rebuild: true,
          store: installation.store,
          db: installation.readModels,
          timeZoneOf: (school) => config.timeZones[school] ?? config.timeZones["*"] ?? "UTC",
          now: () => new Date(),
          onErased: (school, studentId) => installation.control.eraseStudent(school, studentId),
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
    case "demo":
      return (await import("./demo.js")).run(input)
    case "import":
      return (await import("./import.js")).run(input)
    case "backup":
      return (await import("./backup.js")).run(input)
    case "retention":
      return (await import("./retention.js")).run(input)
    default:
      throw new ConfigError({ sentence: `Unknown command "${command}".` })
  }
}
