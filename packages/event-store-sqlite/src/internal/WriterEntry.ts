/**
 * The entry point of the writer thread (started by WriterClient.inThread): opens the
 * writer, then answers jobs from the main thread with group commit.
 *
 * While a group commits (synchronously, fsync included), new jobs queue up on the
 * message port; as soon as it is done they are all drained at once with
 * `receiveMessageOnPort` and committed together as the next group. This module must
 * never post an outcome before its transaction has committed.
 *
 * @since 0.1.0
 */
import * as Thread from "@rapport/event-store/thread"
import { type MessagePort, receiveMessageOnPort } from "node:worker_threads"
import * as Jobs from "./Jobs.js"
import * as Sqlite from "./Sqlite.js"
import * as Writer from "./Writer.js"
import * as Protocol from "./WriterProtocol.js"

const post = (port: MessagePort, message: Protocol.FromWriter): void => port.postMessage(message)

const openFailure = (error: unknown): Writer.Failure => {
  const unavailable = Sqlite.unavailable(error)
  if (unavailable !== undefined) return { _tag: "StoreUnavailable", reason: unavailable.reason }
  return { _tag: "StoreUnavailable", reason: `the store could not be opened: ${Thread.reason(error)}` }
}

const serve = (port: MessagePort, writer: Writer.Writer): void => {
  const commit = (ids: ReadonlyArray<number>, jobs: ReadonlyArray<Jobs.Job>) => {
    if (jobs.length === 0) return
    const outcomes = Jobs.runJobs(writer, jobs)
    post(port, {
      _tag: "Done",
      results: ids.map((id, n) => ({
        id,
        outcome: outcomes[n] ?? { _tag: "Defect", message: "writer: a job was lost" }
      }))
    })
  }
  // Everything that arrived while the last group was committing forms the next group.
  const drain = (first: unknown) => {
    let pending: Array<unknown> = [first]
    while (pending.length > 0) {
      for (let next = receiveMessageOnPort(port); next !== undefined; next = receiveMessageOnPort(port)) {
        pending.push(next.message)
      }
      const ids: Array<number> = []
      const jobs: Array<Jobs.Job> = []
      for (const message of pending) {
        if (!Protocol.isToWriter(message)) continue
        if (message._tag === "Close") {
          commit(ids, jobs)
          writer.close()
          post(port, { _tag: "Closed" })
          port.close()
          return
        }
        ids.push(message.id)
        jobs.push(message.job)
      }
      commit(ids, jobs)
      pending = []
      const next = receiveMessageOnPort(port)
      if (next !== undefined) pending.push(next.message)
    }
  }
  port.on("message", drain)
}

const start = (port: MessagePort, settings: unknown): void => {
  if (!Protocol.isSettings(settings)) {
    post(port, { _tag: "OpenFailed", failure: { _tag: "Defect", message: "writer thread: bad settings" } })
    return
  }
  let writer: Writer.Writer
  try {
    writer = Writer.make(settings)
  } catch (error) {
    post(port, { _tag: "OpenFailed", failure: openFailure(error) })
    return
  }
  serve(port, writer)
  post(port, { _tag: "Ready" })
}

const started = Thread.entry()
if (started !== undefined) start(started.port, started.settings)
