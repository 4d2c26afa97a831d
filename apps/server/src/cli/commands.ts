/**
 * The `rapport` commands, one entry each: name, arguments, options with their help, what
 * the command does, and its handler (loaded when the command runs, so that `rapport help`
 * loads no store). The usage, every `--help` and the dispatcher come from this table
 * (`Command`); the commands, flags and outputs are the contracts of DESIGN.md and
 * docs/operations.md.
 *
 * @since 0.1.0
 */
import { type AnyCommand, command, dispatch, type Option, type UsageNotes } from "./Command.js"

const db: Option = {
  value: "<path or postgres url>",
  description: "the installation: its SQLite events file or a postgres:// URL (default ./rapport.db, or RAPPORT_DB)"
}

const port: Option = {
  value: "<n>",
  description: "the port to listen on (default 3000, or PORT; 0: any free port)"
}

/**
 * Every command, in the order of the usage.
 *
 * @since 0.1.0
 * @category constants
 */
export const table: ReadonlyArray<AnyCommand> = [
  command({
    name: "serve",
    args: [],
    options: { db, port },
    summary: "run the API and the dashboard",
    details: [
      "Also runs the projector, unless RAPPORT_PROJECTOR=external (then run `rapport project`).",
      "Prints the URL on a line of its own (`URL: http://…`); stops cleanly on SIGINT or SIGTERM."
    ],
    run: async (input) => (await import("./serve.js")).run(input)
  }),
  command({
    name: "demo",
    args: [],
    options: { db, port },
    switches: {
      reuse: {
        description:
          "serve the newest demo already loaded (or the one --db names) as it was, without loading another (a fresh one if there is none)"
      }
    },
    summary: "a synthetic school in a fresh embedded store, then serve",
    details: [
      "Prints the URL and the demo keys. The store is a new folder under .rapport/ unless --db names one (the mid school takes about 350 MB).",
      "RAPPORT_DEMO_SIZE picks the school's size: tiny, small, mid (the default) or large.",
      "`rapport demo list` shows the demo folders; `rapport demo remove` deletes them."
    ],
    run: async (input) => (await import("./demo.js")).run(input)
  }),
  command({
    name: "demo list",
    args: [],
    options: {},
    summary: "the demo folders under .rapport/: name, date, size, and whether a demo serves from it",
    run: async (input) => (await import("./demo-folders.js")).list(input)
  }),
  command({
    name: "demo remove",
    args: ["<name | all>"],
    options: {},
    summary: "delete a demo folder (its name as `rapport demo list` prints it), or all of them",
    details: ["A folder a running demo serves from is never deleted: stop that demo first."],
    run: async (input) => (await import("./demo-folders.js")).remove(input)
  }),
  command({
    name: "keys create",
    args: [],
    options: {
      school: { value: "<id>", required: true, description: "the school the key is bound to" },
      scopes: {
        value: "<a,b>",
        required: true,
        description: "events:write, dashboards:read, aggregates:read and/or admin, comma-separated"
      },
      name: { value: "<holder>", required: true, description: "the person or system that holds the key" },
      db
    },
    summary: "create a key, printed once, alone on the last line",
    run: async (input) => (await import("./keys.js")).create(input)
  }),
  command({
    name: "keys list",
    args: [],
    options: { db },
    summary: "list the keys (never the keys themselves)",
    run: async (input) => (await import("./keys.js")).list(input)
  }),
  command({
    name: "keys revoke",
    args: ["<name>"],
    options: { db },
    summary: "revoke the active key of that name",
    run: async (input) => (await import("./keys.js")).revoke(input)
  }),
  command({
    name: "sign-in set",
    args: [],
    options: {
      school: { value: "<id>", required: true, description: "the school that signs in with this provider" },
      config: {
        value: "<file.json>",
        required: true,
        description: "the provider (oidc and/or saml), grants, allowed domains, key sign-in (docs/operations.md)"
      },
      db
    },
    summary: "sign a school in with its identity provider (OpenID Connect or SAML 2.0)",
    details: [
      "Prints the redirect URI (OpenID Connect) or the entity id, metadata and ACS URLs (SAML) to register",
      "at the provider. Deny by default: a person whose claims match no grant cannot sign in."
    ],
    run: async (input) => (await import("./sign-in.js")).set(input)
  }),
  command({
    name: "sign-in show",
    args: [],
    options: { school: { value: "<id>", required: true, description: "the school" }, db },
    summary: "print a school's sign-in configuration (never the client secret)",
    run: async (input) => (await import("./sign-in.js")).show(input)
  }),
  command({
    name: "sign-in remove",
    args: [],
    options: { school: { value: "<id>", required: true, description: "the school" }, db },
    summary: "stop signing a school in with its identity provider",
    run: async (input) => (await import("./sign-in.js")).remove(input)
  }),
  command({
    name: "people list",
    args: [],
    options: { school: { value: "<id>", required: true, description: "the school" }, db },
    summary: "the people who signed in with the school's provider, and their faculty ids",
    run: async (input) => (await import("./sign-in.js")).people(input)
  }),
  command({
    name: "people bind",
    args: ["<person id>"],
    options: {
      school: { value: "<id>", required: true, description: "the school" },
      faculty: { value: "<faculty id>", required: true, description: "the faculty id (none: unbind)" },
      db
    },
    summary: "bind a person to a faculty id (never done by name or e-mail)",
    run: async (input) => (await import("./sign-in.js")).bind(input)
  }),
  command({
    name: "people sign-out",
    args: ["<person id>"],
    options: { school: { value: "<id>", required: true, description: "the school" }, db },
    summary: "end every session of a person now",
    run: async (input) => (await import("./sign-in.js")).signOut(input)
  }),
  command({
    name: "import",
    args: ["<file.csv or file.ndjson>"],
    options: {
      school: { value: "<id>", required: true, description: "the school the history belongs to" },
      map: {
        value: "<mapping.json>",
        description: "read a system's own CSV export through this mapping (columns, value maps, local times)"
      },
      db
    },
    summary: "bulk history, resumable; rejected rows go to <file>.rejected.ndjson",
    details: [
      "A CSV file has Rapport's columns (id,type,v,occurredAt,source,data), or with --map any columns:",
      "the mapping names the column of each record's own id, the time (local times are read in the",
      "school's time zone, RAPPORT_TIME_ZONES), the event type and each field, with value maps (a",
      "scheduler's topics to Rapport's); other columns are ignored. Each event's id is the UUIDv5 of the",
      "record's id in the source's namespace, so importing the same export again stores nothing twice.",
      "Mapping format and an example: docs/operations.md#mapped-csv-import, examples/scheduler-mapping.json.",
      "",
      "Running the same command again resumes after the last committed batch (<file>.progress.json).",
      "Each rejected row is written aside with its line number and every problem (and its column).",
      "RAPPORT_IMPORT_STALL_SECONDS: how long a silent input may send nothing (default 30)."
    ],
    run: async (input) => (await import("./import.js")).run(input)
  }),
  command({
    name: "project",
    args: [],
    options: { db },
    summary: "run the projector as its own process",
    run: async (input) => (await import("./project.js")).project(input)
  }),
  command({
    name: "rebuild",
    args: [],
    options: { db },
    summary: "drop the read models and replay every event",
    details: [
      "Keys, directory and audit log are kept. It waits while a `serve` or `rapport project` on the",
      "same store holds the projector lease: stop those first."
    ],
    run: async (input) => (await import("./project.js")).rebuild(input)
  }),
  command({
    name: "backup",
    args: ["<file>"],
    options: { db },
    switches: {
      erasures: {
        description: "copy the erasure registry alone, to be kept apart from the other backups"
      }
    },
    summary: "a consistent copy of an embedded store (VACUUM INTO)",
    details: [
      "The erasure registry is never in it (a restore must not roll it back): copy it with --erasures.",
      "PostgreSQL and EventStoreDB are backed up with their own tools (see docs/operations.md)."
    ],
    run: async (input) => (await import("./backup.js")).run(input)
  }),
  command({
    name: "retention",
    args: [],
    options: {
      school: { value: "<id>", required: true, description: "the school whose events are removed" },
      "older-than": {
        value: "<period>",
        description: "the retention period, ISO 8601 years, months and days back from today (P7Y, P18M)"
      },
      before: {
        value: "<YYYY-MM-DD>",
        description: "or a date: events before the start of that day (school's time zone)"
      },
      types: {
        value: "<A,B>",
        description: "event types to remove, comma-separated (default: every kind of interaction)"
      },
      expect: {
        value: "<selection>",
        description: "with --apply: a dry run's selection; remove exactly those events, or nothing"
      },
      db
    },
    switches: { apply: { description: "remove the events for good (without it: a dry run that removes nothing)" } },
    summary: "remove a school's events older than its retention period, or of given types",
    details: [
      "Without --apply it is a dry run: it reports exactly what --apply would remove now (counts by type",
      "and month, students named, a selection digest). Every run is in the audit log (GET /v1/retention).",
      "Give --older-than or --before, and/or --types. Not on EventStoreDB (it cannot delete single events)."
    ],
    run: async (input) => (await import("./retention.js")).run(input)
  })
]

const notes: UsageNotes = {
  common: ["db"],
  footer: `Every command takes --db <path or postgres url> (default ./rapport.db, or RAPPORT_DB).
\`rapport <command> --help\` (or \`rapport help <command>\`) shows a command's options.

Configuration: RAPPORT_DB, RAPPORT_EVENT_STORE (sqlite | postgres | eventstoredb), EVENTSTOREDB_URL,
EVENTSTOREDB_STREAM_KEY, PORT, RAPPORT_TIME_ZONE, RAPPORT_TIME_ZONES (school=Area/City,...), RAPPORT_KEY_PEPPER,
RAPPORT_ERASURE_KEY, RAPPORT_SUPPRESSION_THRESHOLD, RAPPORT_PROJECTOR (in-process | external), HOST,
RAPPORT_IMPORT_STALL_SECONDS, RAPPORT_SQLITE_MAX_PAGES (a cap on the SQLite events file, in 4 KiB pages),
RAPPORT_MAX_PROJECTOR_LAG (events the projector may fall behind before appends wait; 0: never).
See docs/operations.md.`
}

/**
 * Runs the command the arguments name.
 *
 * @since 0.1.0
 * @category operations
 */
export const run = (argv: ReadonlyArray<string>, out: (line: string) => void): Promise<number> =>
  dispatch(table, notes, argv, out)
