/**
 * The xAPI statement resource on PostgreSQL (a database of its own), through `rapport serve`.
 */
import { beforeAll, describe } from "vitest"
import { ensureBuilt } from "../reliability/processes.js"
import { createDatabase, postgresGate } from "../reliability/stores.js"
import { statementResourceSuite } from "./statement-resource.js"

const unavailable = await postgresGate()

describe.skipIf(unavailable !== undefined)("xAPI statement resource on PostgreSQL", () => {
  beforeAll(ensureBuilt, 180_000)
  statementResourceSuite(async () => {
    const database = await createDatabase()
    return { db: database.url, drop: database.drop }
  })
})
