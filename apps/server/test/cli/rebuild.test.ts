/**
 * `rapport rebuild` yields the read models the running projector built: the simulator's
 * tiny school (late, duplicated, malformed and retracted deliveries) is imported in
 * chunks of random sizes while `rapport serve` projects them — with a restart in the
 * middle and a chunk imported while no projector runs — then every rm_* table is dumped,
 * the read models are rebuilt from the log, and the dumps must be equal (apart from the
 * checkpoint's time and the projector's lease).
 */
import { writeNdjson } from "@rapport/simulator"
import { readFileSync, writeFileSync } from "node:fs"
import { DatabaseSync } from "node:sqlite"
import { afterAll, beforeAll, expect, it } from "vitest"
import { ensureBuilt, headPosition, rapport, type Serving, serve, storedEvents, tempDir, tinySchool } from "./cli.js"

const folder = tempDir()
const db = `${folder.path}/rapport.db`
const analytics = `${folder.path}/rapport.analytics.db`

beforeAll(ensureBuilt, 120_000)
afterAll(() => folder.remove())

/** A small seeded generator, so that a failure can be replayed. */
const random = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

type Dump = Record<string, Array<Record<string, unknown>>>

/** Every row of every read-model table, in a stable order, without times of writing. */
const dump = (): Dump => {
  const file = new DatabaseSync(analytics, { readOnly: true })
  try {
    const tables = file
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm\\_%' ESCAPE '\\' ORDER BY name")
      .all()
      .map((row) => String(row.name))
    const out: Dump = {}
    for (const table of tables) {
      const rows = file.prepare(`SELECT * FROM ${table}`).all()
      out[table] = rows
        .map((row) => {
          const copy: Record<string, unknown> = { ...row }
          if (table === "rm_checkpoint") delete copy.updated_at
          return copy
        })
        .filter((row) => !(table === "rm_meta" && row.name === "lease"))
        .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
    }
    return out
  } finally {
    file.close()
  }
}

const readiness = async (server: Serving) =>
  (await (await fetch(`${server.url}/readyz`)).json()) as { storePosition: number; projectorPosition: number }

/**
 * Waits until the projector has every event and its follow-ups are written: no change for
 * longer than the projector may defer follow-ups while events come (10 s on a busy machine,
 * where a write takes long; 3 s was enough only on an idle one).
 */
const settled = async (server: Serving): Promise<Dump> => {
  let previous = ""
  let stableSince = Date.now()
  for (let round = 0; round < 240; round++) {
    const ready = await readiness(server)
    const current = ready.projectorPosition >= ready.storePosition ? JSON.stringify(dump()) : ""
    if (current !== "" && current === previous) {
      if (Date.now() - stableSince >= 12_000) return JSON.parse(current)
    } else {
      previous = current
      stableSince = Date.now()
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error("the projector did not settle within two minutes")
}

const importChunk = async (file: string) => {
  const result = await rapport(["import", file, "--school", "tiny-school", "--db", db])
  expect(result.code, result.stderr).toBe(0)
}

it("rebuilds read models identical to the running projector's", async () => {
  const history = `${folder.path}/history.ndjson`
  await writeNdjson(history, tinySchool)
  const lines = readFileSync(history, "utf8").trimEnd().split("\n")
  expect(lines.some((line) => line.includes('"EventRetracted"'))).toBe(true)
  const next = random(20261125)
  const chunks: Array<string> = []
  for (let at = 0; at < lines.length; ) {
    const size = 50 + Math.floor(next() * 2000)
    const file = `${folder.path}/chunk-${String(chunks.length).padStart(2, "0")}.ndjson`
    writeFileSync(file, `${lines.slice(at, at + size).join("\n")}\n`)
    chunks.push(file)
    at += size
  }
  expect(chunks.length).toBeGreaterThan(4)
  const env = { RAPPORT_TIME_ZONES: "tiny-school=America/New_York" }
  const half = Math.floor(chunks.length / 2)

  const first = await serve(["--db", db], env)
  try {
    for (const chunk of chunks.slice(0, half)) await importChunk(chunk)
  } finally {
    await first.stop()
  }
  // imported while no projector runs: the next one starts from its checkpoint
  await importChunk(chunks[half] ?? "")
  const second = await serve(["--db", db], env)
  let projected: Dump
  try {
    for (const chunk of chunks.slice(half + 1)) await importChunk(chunk)
    projected = await settled(second)
  } finally {
    const stopped = await second.stop()
    expect(stopped.code, stopped.stderr).toBe(0)
  }
  // The tiny school asks for an erasure: its events are gone, their positions are not.
  const events = await storedEvents(db)
  const head = await headPosition(db)
  expect(head).toBeGreaterThanOrEqual(events.length)
  expect(projected.rm_checkpoint?.[0]?.position).toBe(head)

  const rebuilt = await rapport(["rebuild", "--db", db], { env })
  expect(rebuilt.code, rebuilt.stderr).toBe(0)
  expect(rebuilt.stdout).toContain(`Rebuilt the read models to position ${head}`)
  const fresh = dump()

  for (const table of ["rm_students", "rm_pairs", "rm_faculty", "rm_student_months", "rm_letters", "rm_coverage"]) {
    expect(projected[table]?.length ?? 0, table).toBeGreaterThan(0)
  }
  expect(Object.keys(fresh)).toEqual(Object.keys(projected))
  for (const table of Object.keys(projected)) expect(fresh[table], table).toEqual(projected[table])
}, 480_000)
