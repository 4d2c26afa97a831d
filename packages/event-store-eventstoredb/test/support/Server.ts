/**
 * The real server for the `*.int.test.ts` suites: `EVENTSTOREDB_URL`, or a printed
 * reason why they did not run. No EventStoreDB or KurrentDB server can be installed on
 * the machine this package was written on; nothing here fakes one.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { describe, it } from "vitest"
import * as EventStoreDbEventStore from "../../src/EventStoreDbEventStore.js"
import { testStreamKey } from "./Naming.js"

export const serverUrl: string | undefined = process.env.EVENTSTOREDB_URL?.trim() || undefined

/**
 * The stream-name key of the suites: `EVENTSTOREDB_STREAM_KEY`, or the tests' own. A
 * store keeps the key it was first written with (`rapport.layout`): run the suites on a
 * database of their own, or with the key of the Rapport installation that uses it.
 */
export const serverStreamKey: string = process.env.EVENTSTOREDB_STREAM_KEY || testStreamKey

export const noServer =
  "EVENTSTOREDB_URL is not set: no EventStoreDB/KurrentDB server can run on this machine; the conformance and crash suites did not run"

/** `describe` when a server is configured; otherwise a skipped block and the reason, printed. */
export const describeWithServer = (name: string, body: (url: string) => void): void => {
  if (serverUrl === undefined) {
    console.warn(`${name}: ${noServer}`)
    describe.skip(name, () => {
      it("needs EVENTSTOREDB_URL", () => {})
    })
    return
  }
  const url = serverUrl
  describe(name, () => body(url))
}

/** A store on the server, and the effect that disconnects it. */
export const openStore = (url: string) =>
  Effect.gen(function* () {
    const scope = yield* Scope.make()
    const store = yield* Scope.provide(EventStoreDbEventStore.make({ url, streamKey: serverStreamKey }), scope)
    return { store, close: Scope.close(scope, Exit.void) }
  })
