import { ExpectedState } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as PostgresEventStore from "../src/PostgresEventStore.js"
import * as Db from "./support/Database.js"

const run = await Db.available("Erasure.int.test.ts")
const schema = Db.uniqueSchema("erasure")
const raw = Db.rawClient()
let store: PostgresEventStore.PostgresEventStoreShape

/** the files holding the store's tables: heaps, TOAST tables and every index */
const relationFiles = async (): Promise<Array<string>> =>
  (
    await raw.unsafe<Array<{ path: string }>>(
      `SELECT pg_relation_filepath(c.oid) AS path FROM pg_class c
        WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'i')
        UNION
       SELECT pg_relation_filepath(c.reltoastrelid) FROM pg_class c
        WHERE c.relnamespace = $1::regnamespace AND c.reltoastrelid <> 0
        UNION
       SELECT pg_relation_filepath(i.indexrelid) FROM pg_class c JOIN pg_index i ON i.indrelid = c.reltoastrelid
        WHERE c.relnamespace = $1::regnamespace AND c.reltoastrelid <> 0`,
      [schema]
    )
  ).map((row) => row.path)

/** which of the store's files contain `marker`, read byte for byte after a checkpoint */
const filesContaining = async (marker: string): Promise<Array<string>> => {
  await raw`CHECKPOINT`
  const found: Array<string> = []
  for (const path of await relationFiles()) {
    const rows = await raw<Array<{ found: boolean }>>`
      SELECT position(convert_to(${marker}, 'UTF8') IN pg_read_binary_file(${path})) > 0 AS found`
    if (rows[0]?.found === true) found.push(path)
  }
  return found
}

describe.runIf(run)("erasure: deleteStream, then the documented VACUUM FULL", () => {
  beforeAll(async () => {
    store = await Effect.runPromise(PostgresEventStore.make({ url: Db.url, schema }))
  })
  afterAll(async () => {
    await Effect.runPromise(store.close)
    await Db.dropSchema(raw, schema)
    await raw.end()
  })

  it("leaves no byte of the stream's id, data or source in any table, TOAST table or index file", async () => {
    const marker = "ERASE-ME-5c1d"
    const stream = Db.student("s-erasure", `${marker}-student`)
    const kept = Db.student("s-erasure", "kept")
    await Effect.runPromise(store.append({ stream: kept, expected: ExpectedState.any, events: [Db.event("k-1")] }))
    await Effect.runPromise(
      store.append({
        stream,
        expected: ExpectedState.noStream,
        events: [
          { ...Db.event(`${marker}-event`, { note: `${marker}-data` }), source: `${marker}-source` },
          // large enough to be stored out of line, in the TOAST table
          Db.event("e-2", { notes: `${marker}-toast ${"lorem ipsum ".repeat(2000)}` })
        ]
      })
    )
    await Effect.runPromise(store.append({ stream: kept, expected: ExpectedState.any, events: [Db.event("k-2")] }))
    expect((await filesContaining(marker)).length).toBeGreaterThan(0)

    await Effect.runPromise(store.deleteStream(stream))
    // DELETE alone only marks the rows dead: the bytes are still in the files
    expect((await filesContaining(marker)).length).toBeGreaterThan(0)

    // VACUUM keeps rows that a transaction still running anywhere in the database may see
    // (other test files run beside this one): repeat it until they are gone, as an
    // operator would (docs/operations.md).
    let left: Array<string> = []
    for (let attempt = 0; attempt < 40; attempt++) {
      await raw.unsafe(`VACUUM FULL "${schema}".events, "${schema}".streams`)
      left = await filesContaining(marker)
      if (left.length === 0) break
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
    expect(left).toEqual([])
    expect((await Effect.runPromise(store.readStream(kept))).map((e) => e.id)).toEqual(["k-1", "k-2"])
  }, 120_000)
})
