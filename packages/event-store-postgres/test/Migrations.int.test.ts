import { ExpectedState } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import { afterAll, describe, expect, it } from "vitest"
import { latestVersion } from "../src/internal/Migrations.js"
import * as PostgresEventStore from "../src/PostgresEventStore.js"
import * as Db from "./support/Database.js"

const run = await Db.available("Migrations.int.test.ts")
const raw = Db.rawClient()
const schemas: Array<string> = []
const freshSchema = (label: string): string => {
  const schema = Db.uniqueSchema(label)
  schemas.push(schema)
  return schema
}

const open = (schema: string) => Effect.runPromise(PostgresEventStore.make({ url: Db.url, schema, maxConnections: 2 }))

const versions = async (schema: string): Promise<Array<number>> =>
  (await raw.unsafe(`SELECT version FROM "${schema}".schema_version ORDER BY version`)).map((row) =>
    Number(row.version)
  )

describe.runIf(run)("migrations", () => {
  afterAll(async () => {
    for (const schema of schemas) await Db.dropSchema(raw, schema)
    await raw.end()
  })

  it("creates the schema, records each version once, and is idempotent on every later start", async () => {
    const schema = freshSchema("idem")
    const first = await open(schema)
    const stream = Db.student("s-migrate", "s-1")
    await Effect.runPromise(first.append({ stream, expected: ExpectedState.noStream, events: [Db.event("m-1")] }))
    await Effect.runPromise(first.close)
    for (let i = 0; i < 3; i++) {
      const again = await open(schema)
      expect((await Effect.runPromise(again.readStream(stream))).map((e) => e.id)).toEqual(["m-1"])
      await Effect.runPromise(again.close)
    }
    expect(await versions(schema)).toEqual(Array.from({ length: latestVersion }, (_, i) => i + 1))
  })

  it("lets processes that start at once migrate a new schema without racing", async () => {
    const schema = freshSchema("race")
    const stores = await Promise.all(Array.from({ length: 6 }, () => open(schema)))
    expect(await versions(schema)).toEqual(Array.from({ length: latestVersion }, (_, i) => i + 1))
    // every one of them works on the same tables
    const results = await Promise.all(
      stores.map((store, i) =>
        Effect.runPromise(
          store.append({
            stream: Db.student("s-race", `s-${i}`),
            expected: ExpectedState.noStream,
            events: [Db.event(`r-${i}`)]
          })
        )
      )
    )
    expect(new Set(results.map((r) => r.events[0]?.position)).size).toBe(6)
    await Promise.all(stores.map((store) => Effect.runPromise(store.close)))
  })

  it("refuses, as StoreUnavailable, a schema newer than this code", async () => {
    const schema = freshSchema("newer")
    await Effect.runPromise((await open(schema)).close)
    await raw.unsafe(
      `INSERT INTO "${schema}".schema_version (version, description) VALUES (${latestVersion + 1}, 'from the future')`
    )
    const error = await Effect.runPromise(Effect.flip(PostgresEventStore.make({ url: Db.url, schema })))
    expect(error._tag).toBe("StoreUnavailable")
    expect(error.reason).toMatch(/newer than this code/)
  })

  it("runs as a role that may only use the tables, once an owner has migrated the schema", async () => {
    const schema = freshSchema("grants")
    const role = `${schema}_app`
    await Effect.runPromise((await open(schema)).close)
    // (a new role has no CREATE on the database: only its owner and superusers do)
    await raw.unsafe(`CREATE ROLE "${role}" LOGIN`)
    try {
      await raw.unsafe(`GRANT USAGE ON SCHEMA "${schema}" TO "${role}";
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${schema}" TO "${role}";
        GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA "${schema}" TO "${role}"`)
      const url = Db.url.replace("//postgres@", `//${role}@`)
      const store = await Effect.runPromise(PostgresEventStore.make({ url, schema }))
      const result = await Effect.runPromise(
        store.append({
          stream: Db.student("s-grants", "s-1"),
          expected: ExpectedState.noStream,
          events: [Db.event("g-1")]
        })
      )
      expect(result.revision).toBe(0)
      await Effect.runPromise(store.close)
      // and it cannot create the store itself
      const error = await Effect.runPromise(Effect.flip(PostgresEventStore.make({ url, schema: `${schema}_new` })))
      expect(error.reason).toMatch(/permission denied/)
    } finally {
      await raw.unsafe(`DROP OWNED BY "${role}"; DROP ROLE "${role}"`)
    }
  })

  it("keeps stores in different schemas of one database apart", async () => {
    const [a, b] = [freshSchema("apart_a"), freshSchema("apart_b")]
    const [storeA, storeB] = await Promise.all([open(a), open(b)])
    const stream = Db.student("s-apart", "s-1")
    await Effect.runPromise(storeA.append({ stream, expected: ExpectedState.noStream, events: [Db.event("same-id")] }))
    const inB = await Effect.runPromise(
      storeB.append({ stream, expected: ExpectedState.noStream, events: [Db.event("same-id", { other: 1 })] })
    )
    expect(inB.events[0]).toMatchObject({ revision: 0, position: 1, duplicate: false })
    await Promise.all([storeA, storeB].map((store) => Effect.runPromise(store.close)))
  })
})
