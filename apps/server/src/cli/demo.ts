/**
 * `rapport demo`: a synthetic school (the simulator's mid-sized one, seeded, so every
 * demo is the same) loaded into a fresh embedded store through the ingestion path, with a
 * progress bar; then it serves, printing the URL and the demo keys. With `--reuse`, the
 * newest demo already loaded (or the one `--db` names) is served again as it was, without
 * loading anything; `rapport demo list` and `rapport demo remove` manage the folders
 * (DemoFolders.ts).
 *
 * @since 0.1.0
 */
import { Directory, Simulation } from "@rapport/simulator"
import { mkdirSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { ConfigError, load } from "../Config.js"
import * as Installation from "../Installation.js"
import * as Server from "../Server.js"
import * as DemoFolders from "./DemoFolders.js"
import { log } from "./Process.js"
import * as Progress from "./Progress.js"

const school = "demo-school"
const seed = 2026

/**
 * @since 0.1.0
 * @category commands
 */
export const run = async (input: {
  readonly flags: {
    readonly db?: string | undefined
    readonly port?: string | undefined
    readonly reuse?: boolean | undefined
  }
  readonly out: (line: string) => void
}): Promise<number> => {
  const reused = input.flags.reuse === true ? reusable(input.flags.db, input.out) : undefined
  const size = reused?.record.size ?? process.env.RAPPORT_DEMO_SIZE ?? "mid"
  const folder =
    reused?.folder ??
    resolve(input.flags.db === undefined ? join(DemoFolders.root, `demo-${Date.now()}`) : join(input.flags.db, ".."))
  mkdirSync(folder, { recursive: true })
  const db = input.flags.db ?? join(folder, "rapport.db")
  // The simulation ends today (the only clock read: the demo is about now), so that
  // follow-ups and readiness read as a dean would see them this morning.
  const today = new Date()
  const options = {
    seed,
    size: size === "tiny" || size === "small" || size === "large" ? size : "mid",
    endYear: today.getUTCFullYear(),
    end: { month: today.getUTCMonth() + 1, day: today.getUTCDate() }
  } as const
  const described = Simulation.describe(options)
  if (Result.isFailure(described)) throw described.failure
  const timeZone = reused?.record.timeZone ?? described.success.timeZone
  const config = load(
    { db, port: input.flags.port ?? "3000" },
    {
      ...process.env,
      RAPPORT_EVENT_STORE: "sqlite",
      RAPPORT_TIME_ZONES: `${school}=${timeZone}`,
      RAPPORT_DB: undefined
    }
  )
  const installation = await Installation.open(config)
  const now = new Date()
  const keys: Array<[string, string]> = []
  for (const [scope, name] of [
    ["dashboards:read", "demo-dean"],
    ["aggregates:read", "demo-analyst"],
    ["admin", "demo-admin"],
    ["events:write", "demo-feed"]
  ] as const) {
    const created = await Effect.runPromise(
      installation.control.createKey({ school, name: `${name}-${now.getTime()}`, scopes: [scope], now })
    )
    keys.push([scope, created.key])
  }
  const feed = keys.find(([scope]) => scope === "events:write")?.[1] ?? ""
  // The projector runs in its own thread while the school loads: it folds in large
  // batches as events arrive, and is nearly caught up when the last one is stored.
  const running = await Server.start(installation, { log: () => undefined })
  const served = DemoFolders.markServing(folder)
  if (reused === undefined) {
    await load_(running, installation, options, feed, size, now)
    DemoFolders.markLoaded(folder, {
      school,
      size,
      seed,
      timeZone,
      loadedAt: new Date().toISOString(),
      events: await Effect.runPromise(installation.store.headPosition)
    })
  } else {
    input.out(`Reopened the demo made ${reused.record.loadedAt.slice(0, 10)} (its events end that day).`)
  }
  input.out("")
  input.out(`Rapport demo: a synthetic school "${school}" (no real people) in ${folder}`)
  input.out(`URL: ${running.url}`)
  for (const [scope, key] of keys) input.out(`Key (${scope}): ${key}`)
  input.out("Sign in to the dashboard with the dashboards:read key. Press Ctrl+C to stop.")
  input.out(
    "Open it again later with `rapport demo --reuse`; `rapport demo list` shows every demo folder and its size, `rapport demo remove <name>` deletes one."
  )
  const signal = await new Promise<string>((resolveSignal) => {
    process.once("SIGINT", () => resolveSignal("SIGINT"))
    process.once("SIGTERM", () => resolveSignal("SIGTERM"))
  })
  log({ msg: "stopping", signal })
  await running.stop()
  served()
  return 0
}

/** The demo `--reuse` reopens: the one `--db` names, else the newest loaded; none: a fresh one is made. */
const reusable = (
  db: string | undefined,
  out: (line: string) => void
): { readonly folder: string; readonly record: DemoFolders.DemoRecord } | undefined => {
  if (db !== undefined) {
    const record = DemoFolders.recordOf(db)
    if (record === undefined)
      throw new ConfigError({
        sentence: `${db} is not a demo whose school finished loading; run \`rapport demo list\` to see the demos.`
      })
    return { folder: dirname(resolve(db)), record }
  }
  const newest = DemoFolders.newestLoaded()
  if (newest?.record === undefined) {
    out(`No demo under ${DemoFolders.root}/ to reopen: making a fresh one.`)
    return undefined
  }
  return { folder: newest.path, record: newest.record }
}

/** Loads the simulated school through the ingestion API, then waits for the projector. */
const load_ = async (
  running: Server.Running,
  installation: Installation.Installation,
  options: Simulation.SimulationOptions,
  feed: string,
  size: string,
  now: Date
): Promise<void> => {
  const progress = Progress.make(`Loading the ${size} demo school`, undefined)
  let sent = 0
  let stored = 0
  let duplicates = 0
  let rejected = 0
  const post = async (lines: ReadonlyArray<string>) => {
    const response = await running.app.request("/v1/events", {
      method: "POST",
      headers: { authorization: `Bearer ${feed}`, "content-type": "application/x-ndjson" },
      body: `${lines.join("\n")}\n`
    })
    const summary: { stored: number; duplicates: number; rejected: number } = await response.json()
    stored += summary.stored
    duplicates += summary.duplicates
    rejected += summary.rejected
  }
  // A few uploads at once: the store's writer commits the batches that arrive together
  // in one transaction (one fsync), while this thread parses the next.
  const inFlight = new Set<Promise<void>>()
  const send = async (lines: ReadonlyArray<string>) => {
    const upload: Promise<void> = post(lines).finally(() => inFlight.delete(upload))
    inFlight.add(upload)
    if (inFlight.size >= 3) await Promise.race(inFlight)
  }
  let lines: Array<string> = []
  // synthetic names for the directory, one per student and faculty member (no real people)
  const people = new Map<string, { readonly kind: "student" | "faculty"; readonly id: string }>()
  for (const item of Simulation.generate(options)) {
    const person = Directory.personOf(item.event)
    if (person !== undefined) people.set(`${person.kind}:${person.id}`, person)
    lines.push(JSON.stringify(item.event))
    sent += 1
    if (lines.length >= 5000) {
      await send(lines)
      lines = []
      progress.advance(sent)
    }
  }
  if (lines.length > 0) await send(lines)
  await Promise.all(inFlight)
  progress.finish(
    `Sent ${sent.toLocaleString("en-US")} events: ${stored.toLocaleString("en-US")} stored, ${duplicates} duplicates, ${rejected} rejected (the simulator sends a few malformed events on purpose).`,
    sent
  )
  for (const person of people.values()) {
    await Effect.runPromise(
      installation.control.putDirectory(
        school,
        person.kind,
        person.id,
        { displayName: Directory.displayName(seed, person.kind, person.id), email: null },
        now
      )
    )
  }
  // the answers' positions are tokens for the school; the demo is the only writer, so the
  // log's head is where the projector must get to
  const position = await Effect.runPromise(installation.store.headPosition)
  const projected = Progress.make("Projecting the read models", position)
  while (running.projector !== undefined && running.projector.position() < position) {
    projected.advance(running.projector.position())
    await running.projector.waitFor(position, 500)
  }
  await running.projector?.refreshFollowUps()
  // the last frame shows where the projector got to, not the last position polled (91%)
  projected.finish("The dashboards are ready.", running.projector?.position() ?? position)
}
