import * as Effect from "effect/Effect"
import { describeEventStoreConformance } from "../src/testing.js"
import * as InMemoryEventStore from "../src/InMemoryEventStore.js"

describeEventStoreConformance("in-memory", {
  make: () => Effect.sync(() => ({ store: InMemoryEventStore.make(), close: Effect.void }))
})
