/**
 * The stream-name key of the tests over the simulated server, and its naming.
 */
import * as StreamName from "../../src/EventStoreDbStreamName.js"

export const testStreamKey = "test-stream-key-0123456789abcdef0123456789abcdef"

export const naming = StreamName.make(testStreamKey)
