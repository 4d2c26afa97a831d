/**
 * The `rapport` process: reads the command line and environment, validates the
 * configuration, runs one command. A wrong setting ends the process with one sentence on
 * standard error and exit code 2, never a stack trace.
 *
 * @since 0.1.0
 */
import { parseArgs } from "node:util"
import { ConfigError, load } from "./Config.js"
import * as Installation from "./Installation.js"

const usage = `rapport <command>

  serve [--db <path or postgres url>] [--port <n>]   run the API and the dashboard
  demo [--port <n>]                                 a synthetic school in a fresh embedded store, then serve
  keys create --school <id> --scopes <a,b> --name <holder>
  keys list | keys revoke <name>
  import <file.csv or file.ndjson> --school <id>    bulk history, resumable; rejected rows go to <file>.rejected.ndjson
  project                                           run the projector as its own process
  rebuild                                           drop the read models and replay every event
  backup <file>                                     a consistent copy of an embedded store (VACUUM INTO)
  backup --erasures <file>                          a copy of the erasure registry alone, to keep apart
  retention --school <id> (--older-than <P7Y> | --before <date>) [--types <A,B>] [--apply [--expect <selection>]]
                                                    remove a school's old events; a dry run without --apply

Every command takes --db <path or postgres url> (default ./rapport.db, or RAPPORT_DB).

Configuration: RAPPORT_DB, RAPPORT_EVENT_STORE (sqlite | postgres | eventstoredb), EVENTSTOREDB_URL,
EVENTSTOREDB_STREAM_KEY, PORT, RAPPORT_TIME_ZONE, RAPPORT_TIME_ZONES (school=Area/City,...), RAPPORT_KEY_PEPPER,
RAPPORT_ERASURE_KEY, RAPPORT_SUPPRESSION_THRESHOLD, RAPPORT_PROJECTOR (in-process | external), HOST, RAPPORT_IMPORT_STALL_SECONDS,
RAPPORT_SQLITE_MAX_PAGES (a cap on the SQLite events file, in 4 KiB pages),
RAPPORT_MAX_PROJECTOR_LAG (events the projector may fall behind before appends wait; 0: never).
See docs/operations.md.`

const globalOptions = { db: { type: "string" }, port: { type: "string" } } as const

const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const [command, ...rest] = argv
  const out = (line: string) => process.stdout.write(`${line}\n`)
  switch (command) {
    case undefined:
    case "help":
    case "--help":
    case "-h":
      out(usage)
      return 0
    case "keys": {
      const dbIndex = rest.indexOf("--db")
      const db = dbIndex === -1 ? undefined : rest[dbIndex + 1]
      const args = dbIndex === -1 ? rest : rest.filter((_, index) => index !== dbIndex && index !== dbIndex + 1)
      const installation = await Installation.open(load({ db }, process.env))
      try {
        const { run } = await import("./cli/keys.js")
        return await run(installation, args, out)
      } finally {
        await installation.close()
      }
    }
    case "serve":
    case "project":
    case "rebuild":
    case "demo":
    case "import":
    case "backup":
    case "retention": {
      const { values, positionals } = parseArgs({
        args: [...rest],
        options: {
          ...globalOptions,
          school: { type: "string" },
          fresh: { type: "boolean" },
          erasures: { type: "boolean" },
          "older-than": { type: "string" },
          before: { type: "string" },
          types: { type: "string" },
          apply: { type: "boolean" },
          expect: { type: "string" }
        },
        allowPositionals: true,
        strict: true
      })
      const { runCommand } = await import("./cli/commands.js")
      return runCommand(command, { flags: values, positionals, out })
    }
    default:
      throw new ConfigError({ sentence: `Unknown command "${command}"; run \`rapport help\` for the list.` })
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`rapport: ${error.sentence}\n`)
      process.exitCode = 2
      return
    }
    if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`rapport: ${error.message}. Run \`rapport help\` for the usage.\n`)
      process.exitCode = 2
      return
    }
    process.stderr.write(`rapport: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  }
)
