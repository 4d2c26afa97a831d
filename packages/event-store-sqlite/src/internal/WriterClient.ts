/**
 * How the store talks to its writer, wherever the writer runs: jobs in, outcomes out,
 * through callbacks. Two drivers, both running jobs with `Jobs.runJobs`:
 *
 * - inline: the writer runs on the calling thread. It collects the jobs submitted during
 *   one turn of the event loop and runs them on the next; it blocks the loop while it
 *   commits.
 * - in a thread (`inThread`): a `worker_thread` (WriterEntry.ts) owns the write
 *   connection; jobs go to it and each outcome comes back to its caller. The thread keeps
 *   the process alive only while jobs are in flight, so a store that is never closed does
 *   not hang a script at exit, and an append being committed is never abandoned by an
 *   exiting process. If the thread dies, every job in flight and every later job fails
 *   with `StoreUnavailable`.
 *
 * This module must never answer a job before its transaction commits, nor twice.
 *
 * @since 0.1.0
 */
import * as Thread from "@rapport/event-store/thread"
import type { Job, Outcome } from "./Jobs.js"
import { runJobs } from "./Jobs.js"
import type * as Sqlite from "./Sqlite.js"
import * as Writer from "./Writer.js"
import * as Protocol from "./WriterProtocol.js"

/**
 * The writer as the store sees it.
 *
 * @since 0.1.0
 * @category models
 */
export interface WriterClient {
  /** runs a job; `done` is called exactly once, after the commit (or the failure) */
  readonly submit: (job: Job, done: (outcome: Outcome) => void) => void
  /** finishes the jobs already submitted, then closes the connection */
  readonly close: (done: () => void) => void
}

/**
 * The inline driver: the writer runs on the calling thread. Throws what opening throws.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeInline = (settings: Sqlite.ConnectionSettings): WriterClient => {
  const writer = Writer.make(settings)
  let queue: Array<{ readonly job: Job; readonly done: (outcome: Outcome) => void }> = []
  let scheduled = false
  let closed = false
  const drain = () => {
    scheduled = false
    const batch = queue
    queue = []
    const outcomes = runJobs(
      writer,
      batch.map((entry) => entry.job)
    )
    for (const [n, entry] of batch.entries()) {
      entry.done(outcomes[n] ?? { _tag: "Defect", message: "writer: a job was left unanswered" })
    }
  }
  return {
    submit: (job, done) => {
      if (closed) {
        done({ _tag: "StoreUnavailable", reason: "the store is closed" })
        return
      }
      queue.push({ job, done })
      if (!scheduled) {
        scheduled = true
        setImmediate(drain)
      }
    },
    close: (done) => {
      if (closed) {
        done()
        return
      }
      closed = true
      setImmediate(() => {
        if (queue.length > 0) drain()
        writer.close()
        done()
      })
    }
  }
}

/**
 * Starts the writer thread; `ready` receives the client once the thread has opened the
 * file and migrated the schema, or the failure that kept it from doing so. `abort` is for
 * an opener that gives up (its fiber was interrupted) before the thread is ready.
 *
 * @since 0.1.0
 * @category constructors
 */
export const inThread = (
  settings: Sqlite.ConnectionSettings,
  ready: (result: WriterClient | Writer.Failure) => void
): { readonly abort: () => void } => {
  const closing: Array<() => void> = []
  let state: "starting" | "open" | "closed" = "starting"
  let stopped: string | undefined

  const stop = (reason: string) => {
    if (stopped !== undefined) return
    stopped = reason
    if (state === "starting") ready({ _tag: "StoreUnavailable", reason })
    state = "closed"
    for (const done of closing.splice(0)) done()
  }

  const thread: Thread.Client<Outcome> = Thread.client<Outcome>({
    name: "writer",
    entry: "WriterEntry",
    from: import.meta.url,
    settings,
    // while it opens and while it closes, the thread holds the process open
    busy: () => state !== "open" || closing.length > 0,
    gone: (reason) => ({ _tag: "StoreUnavailable", reason }),
    onExit: stop,
    onMessage: (message) => {
      if (!Protocol.isFromWriter(message)) return
      switch (message._tag) {
        case "Ready":
          state = "open"
          thread.hold()
          ready(client)
          return
        case "OpenFailed":
          stopped = "the store could not be opened"
          state = "closed"
          ready(message.failure)
          void thread.terminate()
          return
        case "Done":
          for (const { id, outcome } of message.results) thread.answer(id, outcome)
          return
        case "Closed":
          stop("the store is closed")
          return
      }
    }
  })

  const client: WriterClient = {
    submit: (job, done) => {
      if (state !== "open" || stopped !== undefined) {
        done({ _tag: "StoreUnavailable", reason: stopped ?? "the store is closed" })
        return
      }
      try {
        thread.call((id) => ({ _tag: "Job", id, job }) satisfies Protocol.ToWriter, done)
      } catch (error) {
        done({ _tag: "InvalidAppend", reason: `the request cannot be sent to the writer: ${String(error)}` })
      }
    },
    close: (done) => {
      if (state === "closed") {
        done()
        return
      }
      closing.push(done)
      state = "closed"
      thread.hold()
      thread.post({ _tag: "Close" } satisfies Protocol.ToWriter)
    }
  }

  thread.start()
  return {
    abort: () => {
      if (state !== "starting") return
      stopped = "the store was not opened"
      state = "closed"
      void thread.terminate()
    }
  }
}
