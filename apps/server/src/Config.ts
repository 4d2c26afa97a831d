/**
 * The server's configuration, from flags and environment, validated at start. A wrong
 * setting stops the process with one clear sentence naming the setting, never a stack
 * trace. Defaults are documented in docs/operations.md.
 *
 * @since 0.1.0
 */
import { SchoolSettings } from "@rapport/analytics"
import { Config } from "@rapport/core"
import * as Data from "effect/Data"
import * as Result from "effect/Result"
import { readFileSync } from "node:fs"

/**
 * @since 0.1.0
 * @category models
 */
export type StoreKind = "sqlite" | "postgres" | "eventstoredb"

/**
 * @since 0.1.0
 * @category models
 */
export interface ServerConfig {
  readonly store: StoreKind
  /** the SQLite file of the events (sqlite), or the PostgreSQL URL (postgres; read models for eventstoredb) */
  readonly db: string
  readonly eventStoreDbUrl: string | undefined
  /** the secret EventStoreDB stream names are keyed with (`EVENTSTOREDB_STREAM_KEY`, eventstoredb only) */
  readonly eventStoreDbStreamKey?: string | undefined
  readonly port: number
  readonly host: string
  /** IANA time zone per school; `*` is the default for schools not listed (what `schools` was resolved from) */
  readonly timeZones: Readonly<Record<string, string>>
  /**
   * every school's settings (time zone, follow-up rules), resolved and validated once:
   * what every consumer reads (projector, dashboard, person pages, retention)
   */
  readonly schools: SchoolSettings.SchoolSettings
  readonly keyPepper: string | undefined
  /**
   * the key of the erasure registry's hashes (`RAPPORT_ERASURE_KEY`); when absent, a key
   * made once and kept in the control tables (see docs/privacy.md, "Erasure is final")
   */
  readonly erasureKey?: string | undefined
  readonly suppressionThreshold: number
  readonly projector: "in-process" | "external"
  /**
   * caps the SQLite events file at this many 4 KiB pages (`RAPPORT_SQLITE_MAX_PAGES`); an
   * append past it fails as if the disk were full (503, nothing of the request stored)
   */
  readonly sqliteMaxPages?: number | undefined
  /**
   * how far (in events) the in-process projector may fall behind the log before appends
   * wait for it (`RAPPORT_MAX_PROJECTOR_LAG`; 0: never wait); see docs/operations.md
   */
  readonly maxProjectorLag?: number | undefined
  /**
   * the xAPI account homePages whose account names are Rapport ids, per source system (the
   * key's name; `*` for every system) (`RAPPORT_XAPI_ACCOUNTS`); see docs/xapi.md
   */
  readonly xapiAccounts?: Readonly<Record<string, ReadonlyArray<string>>> | undefined
  /**
   * the longest a JSON request body may take to arrive, whole (`RAPPORT_BODY_DEADLINE_SECONDS`,
   * default 30): a body that trickles past it answers 408 and nothing of it is stored
   */
  readonly bodyDeadlineSeconds?: number | undefined
}

/**
 * The default of `RAPPORT_MAX_PROJECTOR_LAG`: about 5 s of the projector's work on two
 * cores, so that dashboards are seconds, not minutes, behind a bulk load.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxProjectorLag = 200_000

/**
 * @since 0.1.0
 * @category errors
 */
export class ConfigError extends Data.TaggedError("ConfigError")<{ readonly sentence: string }> {
  override get message(): string {
    return this.sentence
  }
}

const isPostgresUrl = (value: string): boolean => /^postgres(ql)?:\/\//.test(value)

const parseTimeZones = (text: string | undefined, fallback: string): Record<string, string> => {
  const zones: Record<string, string> = { "*": fallback }
  if (text === undefined || text.trim() === "") return zones
  for (const part of text.split(",")) {
    const [school, zone] = part.split("=").map((s) => s.trim())
    if (school === undefined || zone === undefined || school === "" || zone === "") {
      throw new ConfigError({
        sentence: `RAPPORT_TIME_ZONES must read "school=Area/City,other=Area/City"; "${part}" does not.`
      })
    }
    if (!Config.isTimeZone(zone))
      throw new ConfigError({ sentence: `RAPPORT_TIME_ZONES: "${zone}" (for ${school}) is not an IANA time zone.` })
    zones[school] = zone
  }
  return zones
}

const parseXapiAccounts = (text: string | undefined): Record<string, ReadonlyArray<string>> => {
  const accounts: Record<string, Array<string>> = {}
  if (text === undefined || text.trim() === "") return accounts
  for (const part of text.split(",")) {
    const at = part.indexOf("=")
    const source = part.slice(0, at).trim()
    const homePage = part.slice(at + 1).trim()
    if (at <= 0 || source === "" || !/^https?:\/\/\S+$/.test(homePage)) {
      throw new ConfigError({
        sentence: `RAPPORT_XAPI_ACCOUNTS must read "key-name=https://lms.example.edu,other=https://…"; "${part.slice(0, 80)}" does not.`
      })
    }
    accounts[source] = [...(accounts[source] ?? []), homePage]
  }
  return accounts
}

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * The follow-up rule settings of `RAPPORT_RULES_FILE`: a JSON object keyed by school id
 * (`*` for every school not listed), each value a school's settings keyed by rule id (see
 * docs/rules.md). Only its shape is checked here; the rules themselves are validated by
 * `SchoolSettings.resolve`, which names the school and the path of every problem.
 *
 * @since 0.3.0
 * @category constructors
 */
export const readRulesFile = (
  path: string,
  readText: (path: string) => string
): Readonly<Record<string, Readonly<Record<string, unknown>>>> => {
  let text: string
  try {
    text = readText(path)
  } catch (cause) {
    const code = isObject(cause) && typeof cause.code === "string" ? ` (${cause.code})` : ""
    throw new ConfigError({ sentence: `RAPPORT_RULES_FILE ${path} cannot be read${code}.` })
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause)
    throw new ConfigError({ sentence: `RAPPORT_RULES_FILE ${path} is not JSON: ${why}.` })
  }
  if (!isObject(parsed)) {
    throw new ConfigError({
      sentence: `RAPPORT_RULES_FILE ${path} must hold an object keyed by school id ("*" for every school), each the school's rule settings.`
    })
  }
  const out: Record<string, Readonly<Record<string, unknown>>> = {}
  for (const [school, settings] of Object.entries(parsed)) {
    if (!isObject(settings)) {
      throw new ConfigError({
        sentence: `RAPPORT_RULES_FILE ${path}: the settings of ${school === "*" ? "every school (*)" : `school ${school}`} must be an object keyed by rule id.`
      })
    }
    out[school] = settings
  }
  return out
}

/**
 * Flags given on the command line; they win over the environment.
 *
 * @since 0.1.0
 * @category models
 */
export interface Flags {
  readonly db?: string | undefined
  readonly port?: string | undefined
}

/**
 * Reads and validates the configuration. Throws `ConfigError` (one sentence) on the
 * first wrong setting.
 *
 * @since 0.1.0
 * @category constructors
 */
export const load = (
  flags: Flags,
  env: Readonly<Record<string, string | undefined>>,
  readText: (path: string) => string = (path) => readFileSync(path, "utf8")
): ServerConfig => {
  const db = flags.db ?? env.RAPPORT_DB ?? "./rapport.db"
  const declared = env.RAPPORT_EVENT_STORE
  if (declared !== undefined && declared !== "sqlite" && declared !== "postgres" && declared !== "eventstoredb") {
    throw new ConfigError({
      sentence: `RAPPORT_EVENT_STORE must be sqlite, postgres or eventstoredb, not "${declared}".`
    })
  }
  const store: StoreKind = declared ?? (isPostgresUrl(db) ? "postgres" : "sqlite")
  if (store === "sqlite" && isPostgresUrl(db)) {
    throw new ConfigError({
      sentence: "RAPPORT_EVENT_STORE is sqlite but --db/RAPPORT_DB is a PostgreSQL URL; give a file path."
    })
  }
  if (store !== "sqlite" && !isPostgresUrl(db)) {
    throw new ConfigError({
      sentence: `With RAPPORT_EVENT_STORE=${store}, --db/RAPPORT_DB must be a postgres:// URL (${store === "eventstoredb" ? "read models live in PostgreSQL" : "the store itself"}).`
    })
  }
  const eventStoreDbUrl = env.EVENTSTOREDB_URL
  if (
    store === "eventstoredb" &&
    (eventStoreDbUrl === undefined ||
      !/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb|kdb\+discover):\/\//.test(eventStoreDbUrl))
  ) {
    throw new ConfigError({
      sentence: "RAPPORT_EVENT_STORE=eventstoredb needs EVENTSTOREDB_URL, an esdb:// or kurrentdb:// connection string."
    })
  }
  const eventStoreDbStreamKey = env.EVENTSTOREDB_STREAM_KEY
  if (store === "eventstoredb" && (eventStoreDbStreamKey === undefined || eventStoreDbStreamKey.length < 32)) {
    throw new ConfigError({
      sentence:
        "RAPPORT_EVENT_STORE=eventstoredb needs EVENTSTOREDB_STREAM_KEY, a secret of at least 32 characters (64 random hex digits recommended) that names the streams: the same for every process, never changed."
    })
  }
  const portText = flags.port ?? env.PORT ?? "3000"
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError({ sentence: `The port must be a whole number from 0 to 65535, not "${portText}".` })
  }
  const defaultZone = env.RAPPORT_TIME_ZONE ?? "UTC"
  if (!Config.isTimeZone(defaultZone))
    throw new ConfigError({ sentence: `RAPPORT_TIME_ZONE "${defaultZone}" is not an IANA time zone.` })
  const thresholdText = env.RAPPORT_SUPPRESSION_THRESHOLD ?? "10"
  const suppressionThreshold = Number(thresholdText)
  if (!/^\d+$/.test(thresholdText) || suppressionThreshold < 1) {
    throw new ConfigError({
      sentence: `RAPPORT_SUPPRESSION_THRESHOLD must be a whole number of at least 1, not "${thresholdText}".`
    })
  }
  const pepper = env.RAPPORT_KEY_PEPPER
  if (pepper !== undefined && pepper.length < 32) {
    throw new ConfigError({
      sentence: "RAPPORT_KEY_PEPPER must be at least 32 characters (64 random hex digits recommended)."
    })
  }
  const erasureKey = env.RAPPORT_ERASURE_KEY
  if (erasureKey !== undefined && erasureKey.length < 32) {
    throw new ConfigError({
      sentence: "RAPPORT_ERASURE_KEY must be at least 32 characters (64 random hex digits recommended)."
    })
  }
  const projector = env.RAPPORT_PROJECTOR ?? "in-process"
  if (projector !== "in-process" && projector !== "external") {
    throw new ConfigError({ sentence: `RAPPORT_PROJECTOR must be in-process or external, not "${projector}".` })
  }
  const maxPagesText = env.RAPPORT_SQLITE_MAX_PAGES
  const sqliteMaxPages = maxPagesText === undefined || maxPagesText === "" ? undefined : Number(maxPagesText)
  if (sqliteMaxPages !== undefined && (!/^\d+$/.test(maxPagesText ?? "") || sqliteMaxPages < 1)) {
    throw new ConfigError({
      sentence: `RAPPORT_SQLITE_MAX_PAGES must be a whole number of pages of at least 1, not "${maxPagesText}".`
    })
  }
  if (sqliteMaxPages !== undefined && store !== "sqlite") {
    throw new ConfigError({ sentence: "RAPPORT_SQLITE_MAX_PAGES applies to the SQLite event store only." })
  }
  const maxLagText = env.RAPPORT_MAX_PROJECTOR_LAG ?? String(defaultMaxProjectorLag)
  const maxProjectorLag = Number(maxLagText)
  if (!/^\d+$/.test(maxLagText) || !Number.isSafeInteger(maxProjectorLag)) {
    throw new ConfigError({
      sentence: `RAPPORT_MAX_PROJECTOR_LAG must be a whole number of events (0 to never hold appends back), not "${maxLagText}".`
    })
  }
  const timeZones = parseTimeZones(env.RAPPORT_TIME_ZONES, defaultZone)
  const rulesFile = env.RAPPORT_RULES_FILE
  const rules = rulesFile === undefined || rulesFile === "" ? {} : readRulesFile(rulesFile, readText)
  const schools = SchoolSettings.resolve(SchoolSettings.statementsOf(timeZones, rules))
  if (Result.isFailure(schools)) {
    const source =
      rulesFile === undefined || rulesFile === "" ? "RAPPORT_TIME_ZONES" : `RAPPORT_RULES_FILE ${rulesFile}`
    throw new ConfigError({ sentence: `${source}: ${schools.failure.message}.` })
  }
  const deadlineText = env.RAPPORT_BODY_DEADLINE_SECONDS ?? "30"
  const bodyDeadlineSeconds = Number(deadlineText)
  if (!/^\d{1,4}$/.test(deadlineText) || bodyDeadlineSeconds < 1 || bodyDeadlineSeconds > 3600) {
    throw new ConfigError({
      sentence: `RAPPORT_BODY_DEADLINE_SECONDS must be a whole number of seconds from 1 to 3600, not "${deadlineText}".`
    })
  }
  return {
    store,
    db,
    eventStoreDbUrl,
    eventStoreDbStreamKey: store === "eventstoredb" ? eventStoreDbStreamKey : undefined,
    port,
    host: env.HOST ?? "127.0.0.1",
    timeZones,
    schools: schools.success,
    keyPepper: pepper,
    erasureKey,
    suppressionThreshold,
    projector,
    sqliteMaxPages,
    maxProjectorLag,
    bodyDeadlineSeconds,
    xapiAccounts: parseXapiAccounts(env.RAPPORT_XAPI_ACCOUNTS)
  }
}

/**
 * The files of an embedded installation, derived from the events file (see
 * docs/architecture.md).
 *
 * @since 0.1.0
 * @category operations
 */
export const sqliteFiles = (
  db: string
): {
  readonly events: string
  readonly analytics: string
  readonly control: string
  /** the erasure registry: never in a backup of the other three, so that a restore cannot roll it back */
  readonly erasures: string
} => {
  const base = db.endsWith(".db") ? db.slice(0, -3) : db
  return {
    events: db,
    analytics: `${base}.analytics.db`,
    control: `${base}.control.db`,
    erasures: `${base}.erasures.db`
  }
}
