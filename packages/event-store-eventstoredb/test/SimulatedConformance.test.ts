/**
 * The shared conformance suite run against the adapter over a SIMULATED server
 * (test/support/SimulatedServer.ts). This checks the adapter's own logic — claims,
 * retries, expected states, filtering, erasure — on a machine where no EventStoreDB or
 * KurrentDB can run. It says nothing about the real server's behaviour: that is what
 * Conformance.int.test.ts checks when EVENTSTOREDB_URL is set.
 */
import { describeEventStoreConformance } from "@rapport/event-store/testing"
import * as Effect from "effect/Effect"
import { assemble } from "../src/internal/Store.js"
import { makeSimulatedServer, type SimulatedServer } from "./support/SimulatedServer.js"
import { naming } from "./support/Naming.js"

const settings = { maxAppendSize: 1_048_576, scanBudget: 4096, concurrency: 32, naming }
const servers = new WeakMap<object, SimulatedServer>()

describeEventStoreConformance("EventStoreDB adapter over a simulated server (adapter logic only)", {
  make: () =>
    Effect.sync(() => {
      const server = makeSimulatedServer()
      const store = assemble(server.connect(), settings)
      servers.set(store, server)
      return { store, close: Effect.void }
    }),
  makeSecondConnection: (subject) =>
    Effect.sync(() => {
      const server = servers.get(subject.store) ?? makeSimulatedServer()
      return { store: assemble(server.connect(), settings), close: Effect.void }
    }),
  timeout: 30_000
})
