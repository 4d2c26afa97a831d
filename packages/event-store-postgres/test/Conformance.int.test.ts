import { describeEventStoreConformance } from "@rapport/event-store/testing"
import * as Effect from "effect/Effect"
import { afterAll, describe } from "vitest"
import * as PostgresEventStore from "../src/PostgresEventStore.js"
import * as Db from "./support/Database.js"

const run = await Db.available("Conformance.int.test.ts")
// Every test gets its own pool on one shared schema, and a second pool as the "other process".
const schema = Db.uniqueSchema("conformance")
const connect = () =>
  Effect.map(PostgresEventStore.make({ url: Db.url, schema, pollIntervalMs: 200, maxConnections: 4 }), (store) => ({
    store,
    close: store.close
  }))

describe.runIf(run)("PostgreSQL", () => {
  afterAll(async () => {
    const raw = Db.rawClient()
    await Db.dropSchema(raw, schema)
    await raw.end()
  })
  describeEventStoreConformance("PostgreSQL", { make: connect, makeSecondConnection: connect })
})
