/**
 * The command table: every `rapport` command as data (its name, arguments, options with
 * their help, a summary and a handler), as the route table is for HTTP. One table builds
 * the usage (`rapport help`), each command's `--help` and the dispatcher, so the three
 * cannot drift; adding a command is adding one entry.
 *
 * This module checks what the table states (the options a command takes, the number of
 * its arguments) and answers `--help`; everything else about a command's input (a school
 * id's form, a file that exists) is its handler's, which throws `ConfigError` with one
 * sentence. It never reads the environment and never prints anything but help.
 *
 * @since 0.1.0
 */
import { parseArgs } from "node:util"
import { ConfigError } from "../Config.js"

/**
 * An option that takes a value (`--port <n>`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Option {
  /** what the value is, as the help shows it: `<n>`, `<path or postgres url>` */
  readonly value: string
  readonly description: string
  /** shown without brackets; the handler checks it, with the sentence that says what a valid value is */
  readonly required?: boolean
}

/**
 * An option without a value (`--dry-run`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Switch {
  readonly description: string
}

/**
 * What a handler receives: the values of its options and switches, its arguments (as
 * many as the entry names, in order) and where to print.
 *
 * @since 0.1.0
 * @category models
 */
export interface Input<O, S, A extends ReadonlyArray<string>> {
  readonly flags: { readonly [K in keyof O]?: string } & { readonly [K in keyof S]?: boolean }
  readonly args: { readonly [K in keyof A]: string }
  readonly out: (line: string) => void
}

/**
 * One command of the table.
 *
 * @since 0.1.0
 * @category models
 */
export interface Command<
  O extends Readonly<Record<string, Option>>,
  S extends Readonly<Record<string, Switch>>,
  A extends ReadonlyArray<string>
> {
  /** one word, or a group and a word (`keys create`) */
  readonly name: string
  /** the arguments, as the help shows them: `["<file>"]` */
  readonly args: A
  readonly options: O
  readonly switches?: S
  /** one line for the usage: what the command does */
  readonly summary: string
  /** more for `--help`: lines of text */
  readonly details?: ReadonlyArray<string>
  readonly run: (input: Input<O, S, A>) => Promise<number>
}

/**
 * A command with its types erased, as stored in the table.
 *
 * @since 0.1.0
 * @category models
 */
export interface AnyCommand {
  readonly name: string
  readonly args: ReadonlyArray<string>
  readonly options: Readonly<Record<string, Option>>
  readonly switches: Readonly<Record<string, Switch>>
  readonly summary: string
  readonly details: ReadonlyArray<string>
  /** parses what follows the command's name and runs it (or prints its help) */
  readonly invoke: (argv: ReadonlyArray<string>, out: (line: string) => void) => Promise<number>
}

/**
 * What every command accepts besides its own options.
 *
 * @since 0.1.0
 * @category constants
 */
export const helpSwitch = { help: { type: "boolean", short: "h" } } as const

const synopsis = (command: AnyCommand, common: ReadonlyArray<string>): string =>
  [
    command.name,
    ...command.args,
    ...Object.entries(command.options)
      .filter(([name]) => !common.includes(name))
      .map(([name, option]) =>
        option.required === true ? `--${name} ${option.value}` : `[--${name} ${option.value}]`
      ),
    ...Object.keys(command.switches).map((name) => `[--${name}]`)
  ].join(" ")

/**
 * The help of one command (`rapport <command> --help`).
 *
 * @since 0.1.0
 * @category operations
 */
export const help = (command: AnyCommand): string => {
  const rows: Array<[string, string]> = [
    ...Object.entries(command.options).map(([name, option]): [string, string] => [
      `--${name} ${option.value}`,
      option.description
    ]),
    ...Object.entries(command.switches).map(([name, option]): [string, string] => [`--${name}`, option.description]),
    ["--help, -h", "show this help"]
  ]
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2
  return [
    `rapport ${synopsis(command, [])}`,
    "",
    `${command.summary[0]?.toUpperCase() ?? ""}${command.summary.slice(1)}.`,
    ...(command.details.length === 0 ? [] : ["", ...command.details]),
    "",
    "Options:",
    ...rows.map(([flag, description]) => `  ${flag.padEnd(width)}${description}`),
    "",
    "See docs/operations.md."
  ].join("\n")
}

/**
 * What the usage says besides the commands: the options every command takes (left out of
 * each command's line) and a footer that names them, the environment and the docs.
 *
 * @since 0.1.0
 * @category models
 */
export interface UsageNotes {
  readonly common: ReadonlyArray<string>
  readonly footer: string
}

/** One line per command (two when its synopsis is long): synopsis, then what it does. */
const summaries = (commands: ReadonlyArray<AnyCommand>, common: ReadonlyArray<string>): Array<string> => {
  const width = 50
  return commands.flatMap((command) => {
    const left = synopsis(command, common)
    return left.length < width
      ? [`  ${left.padEnd(width)}${command.summary}`]
      : [`  ${left}`, `  ${"".padEnd(width)}${command.summary}`]
  })
}

/**
 * The usage of the whole table (`rapport help`).
 *
 * @since 0.1.0
 * @category operations
 */
export const usage = (table: ReadonlyArray<AnyCommand>, notes: UsageNotes): string =>
  ["rapport <command> [options]", "", ...summaries(table, notes.common), "", notes.footer].join("\n")

const hasArgs = <A extends ReadonlyArray<string>>(
  names: A,
  values: ReadonlyArray<string>
): values is { readonly [K in keyof A]: string } => values.length === names.length

/**
 * Defines a command; erases its types for the table.
 *
 * @since 0.1.0
 * @category constructors
 */
export const command = <
  const O extends Readonly<Record<string, Option>>,
  const S extends Readonly<Record<string, Switch>> = Record<never, Switch>,
  const A extends ReadonlyArray<string> = readonly []
>(
  definition: Command<O, S, A>
): AnyCommand => {
  const switches: Readonly<Record<string, Switch>> = definition.switches ?? {}
  const erased: AnyCommand = {
    name: definition.name,
    args: definition.args,
    options: definition.options,
    switches,
    summary: definition.summary,
    details: definition.details ?? [],
    invoke: async (argv, out) => {
      const options: Record<string, { readonly type: "string" | "boolean"; readonly short?: string }> = {
        ...helpSwitch
      }
      for (const name of Object.keys(definition.options)) options[name] = { type: "string" }
      for (const name of Object.keys(switches)) options[name] = { type: "boolean" }
      let parsed: ReturnType<typeof parseArgs>
      try {
        parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true })
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        const unknown = /^Unknown option '([^']+)'/.exec(reason)?.[1]
        throw new ConfigError({
          sentence: `${unknown === undefined ? reason.replace(/\.$/, "") : `${definition.name} has no option ${unknown}`}; run \`rapport ${definition.name} --help\`.`
        })
      }
      const { values, positionals } = parsed
      if (values.help === true) {
        out(help(erased))
        return 0
      }
      if (!hasArgs(definition.args, positionals)) {
        const wanted =
          definition.args.length === 0
            ? "no arguments"
            : `${definition.args.length === 1 ? "one argument" : `${definition.args.length} arguments`}, ${definition.args.join(" ")}`
        throw new ConfigError({
          sentence: `${definition.name} takes ${wanted}; run \`rapport ${definition.name} --help\`.`
        })
      }
      const strings: { -readonly [K in keyof O]?: string } = {}
      for (const name in definition.options) {
        const value = values[name]
        if (typeof value === "string") strings[name] = value
      }
      const booleans: { -readonly [K in keyof S]?: boolean } = {}
      for (const name in definition.switches) {
        const value = values[name]
        if (typeof value === "boolean") booleans[name] = value
      }
      return definition.run({ flags: { ...strings, ...booleans }, args: positionals, out })
    }
  }
  return erased
}

const find = (
  table: ReadonlyArray<AnyCommand>,
  argv: ReadonlyArray<string>
): { readonly command: AnyCommand; readonly rest: ReadonlyArray<string> } | undefined => {
  const [first, second] = argv
  const pair = table.find((command) => command.name === `${first} ${second}`)
  if (pair !== undefined) return { command: pair, rest: argv.slice(2) }
  const single = table.find((command) => command.name === first)
  return single === undefined ? undefined : { command: single, rest: argv.slice(1) }
}

const groupHelp = (word: string, members: ReadonlyArray<AnyCommand>, notes: UsageNotes): string =>
  [
    `rapport ${word} <${members.map((member) => member.name.slice(word.length + 1)).join(" | ")}>`,
    "",
    ...summaries(members, notes.common),
    "",
    `\`rapport ${word} <command> --help\` shows a command's options.`
  ].join("\n")

/**
 * Runs the command `argv` names: `rapport <command> [options]`, `rapport <group>
 * <command> [options]`; `help`, `--help` or nothing prints the usage, `help <command>`
 * and `<command> --help` the command's help. An unknown command is a `ConfigError`.
 *
 * @since 0.1.0
 * @category operations
 */
export const dispatch = (
  table: ReadonlyArray<AnyCommand>,
  notes: UsageNotes,
  argv: ReadonlyArray<string>,
  out: (line: string) => void
): Promise<number> => {
  const [first, ...rest] = argv
  if (first === undefined || first === "--help" || first === "-h" || (first === "help" && rest.length === 0)) {
    out(usage(table, notes))
    return Promise.resolve(0)
  }
  if (first === "help") return dispatch(table, notes, [...rest, "--help"], out)
  const found = find(table, argv)
  if (found !== undefined) return found.command.invoke(found.rest, out)
  const members = table.filter((command) => command.name.startsWith(`${first} `))
  if (members.length === 0) {
    return Promise.reject(
      new ConfigError({ sentence: `Unknown command "${first}"; run \`rapport help\` for the list.` })
    )
  }
  if (rest[0] === "--help" || rest[0] === "-h") {
    out(groupHelp(first, members, notes))
    return Promise.resolve(0)
  }
  return Promise.reject(
    new ConfigError({
      sentence: `${first} needs one of: ${members.map((member) => member.name.slice(first.length + 1)).join(", ")}.`
    })
  )
}
