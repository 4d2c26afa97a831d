import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { EventStoreShape } from "@rapport/event-store"
import { describeEventStoreConformance } from "@rapport/event-store/testing"
import * as Effect from "effect/Effect"
import { afterAll } from "vitest"
import { SqliteEventStore } from "../src/index.js"

const dir = mkdtempSync(join(tmpdir(), "rapport-sqlite-conformance-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const paths = new WeakMap<EventStoreShape, string>()
let files = 0

const open = (path: string, writer: SqliteEventStore.WriterMode) =>
  Effect.map(SqliteEventStore.make({ path, writer }), (store) => {
    paths.set(store, path)
    return { store, close: store.close }
  })

for (const writer of ["thread", "inline"] as const) {
  describeEventStoreConformance(`sqlite (${writer} writer)`, {
    make: () => open(join(dir, `${writer}-${++files}.db`), writer),
    // A second store instance on the same file, as another process would open it: its
    // own writer and reader connections.
    makeSecondConnection: (subject) => {
      const path = paths.get(subject.store)
      return path === undefined ? Effect.die(new Error("unknown store")) : open(path, writer)
    }
  })
}
