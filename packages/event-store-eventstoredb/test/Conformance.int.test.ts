/**
 * The shared conformance suite against a real EventStoreDB or KurrentDB server, when
 * EVENTSTOREDB_URL names one (see docs/operations.md for a server in one command).
 */
import { describeEventStoreConformance } from "@rapport/event-store/testing"
import { describeWithServer, openStore } from "./support/Server.js"

describeWithServer("EventStoreDB / KurrentDB conformance", (url) =>
  describeEventStoreConformance("EventStoreDB / KurrentDB", {
    make: () => openStore(url),
    makeSecondConnection: () => openStore(url),
    timeout: 120_000
  })
)
