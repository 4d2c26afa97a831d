/**
 * `rapport retention --school <id> (--older-than <P7Y> | --before <date>) [--types <A,B>]
 * [--apply [--expect <selection>]]`: a school's retention policy applied once. Without
 * `--apply` it is a dry run that reports exactly what `--apply` would remove now; with
 * `--expect` (the dry run's selection) it removes exactly that, or nothing. Every run is
 * in the audit log, under "command line (<user>)". The rules: retention/Retention.ts.
 *
 * When a projector is running (`rapport serve` or `rapport project`), the command waits up
 * to a minute for it to bring the read models up to date; otherwise the next one to start
 * does it.
 *
 * @since 0.2.0
 */
import { Reload } from "@rapport/analytics"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { userInfo } from "node:os"
import { ConfigError, load } from "../Config.js"
import * as Installation from "../Installation.js"
import type { Report } from "../retention/Retention.js"
import * as RetentionRun from "../retention/RetentionRun.js"

const schoolPattern = /^[A-Za-z0-9._~:@-]{1,128}$/

const counts = (record: Readonly<Record<string, number>>): string =>
  Object.entries(record)
    .map(([key, n]) => `${key} ${n.toLocaleString("en-US")}`)
    .join(", ") || "none"

const describe = (report: Report): ReadonlyArray<string> => [
  `  events: ${report.events.toLocaleString("en-US")}${report.cutoff === null ? "" : `, that occurred before ${report.cutoff}`}`,
  `  types: ${report.types.join(", ")}`,
  `  by type: ${counts(report.byType)}`,
  `  by month: ${counts(report.byMonth)}`,
  `  students named: ${report.students}; retractions removed with the events they retract: ${report.retractions}`,
  `  selection: ${report.selection}`
]

const actor = (): string => {
  try {
    return `command line (${userInfo().username})`
  } catch {
    return "command line"
  }
}

/**
 * @since 0.2.0
 * @category commands
 */
export const run = async (input: {
  readonly flags: {
    readonly db?: string | undefined
    readonly school?: string | undefined
    readonly "older-than"?: string | undefined
    readonly before?: string | undefined
    readonly types?: string | undefined
    readonly expect?: string | undefined
    readonly apply?: boolean | undefined
  }
  readonly out: (line: string) => void
}): Promise<number> => {
  const { flags } = input
  const school = flags.school
  if (school === undefined || !schoolPattern.test(school))
    throw new ConfigError({ sentence: "retention needs --school <id>: the school whose events are removed." })
  if (flags.expect !== undefined && flags.apply !== true)
    throw new ConfigError({ sentence: "--expect is for --apply: a dry run never removes anything." })
  const types = flags.types?.split(",").map((type) => type.trim())
  const config = load({ db: flags.db }, process.env)
  const installation = await Installation.open(config, { reapplyErasures: true })
  try {
    const now = () => new Date()
    const apply = flags.apply === true
    const waitMs = apply && (await Reload.projectorActive(installation.readModels, now())) ? 60_000 : 0
    const outcome = await Effect.runPromise(
      Effect.result(
        RetentionRun.run(
          {
            store: installation.store,
            readModels: installation.readModels,
            control: installation.control,
            schools: config.schools,
            now
          },
          {
            school,
            policy: { olderThan: flags["older-than"], before: flags.before, types },
            dryRun: !apply,
            expect: flags.expect,
            actor: actor(),
            waitMs
          }
        )
      )
    )
    if (Result.isFailure(outcome)) {
      const error = outcome.failure
      switch (error._tag) {
        case "PolicyInvalid":
        case "RetentionUnsupported":
          throw new ConfigError({ sentence: error.sentence })
        case "SelectionChanged":
          process.stderr.write(
            `rapport: the selection is no longer ${flags.expect} (now ${error.report.events} events, selection ${error.report.selection}); nothing was removed. Run a dry run again.\n`
          )
          return 1
        case "StoreUnavailable":
        case "ReadModelsUnavailable":
          process.stderr.write(`rapport: retention stopped: ${error.reason}.\n`)
          return 1
        case "ControlUnavailable":
          process.stderr.write("rapport: retention stopped: the control tables (audit log) cannot be reached.\n")
          return 1
      }
    }
    const { report, removed, readModels } = outcome.success
    if (!apply) {
      input.out(`Retention for school ${school}, dry run: a run now would remove`)
      for (const line of describe(report)) input.out(line)
      input.out(
        `Nothing was removed. To remove exactly these: add --apply --expect ${report.selection} to the same command.`
      )
    } else {
      input.out(`Retention for school ${school}: removed ${removed.toLocaleString("en-US")} events`)
      for (const line of describe(report)) input.out(line)
      input.out(
        readModels === "updated"
          ? "The read models are up to date."
          : readModels === "unchanged"
            ? "Nothing to remove: the read models are unchanged."
            : "The read models follow when the projector next runs (rapport serve or rapport project)."
      )
    }
    input.out(`report: ${JSON.stringify(report)}`)
    return 0
  } finally {
    await installation.close()
  }
}
