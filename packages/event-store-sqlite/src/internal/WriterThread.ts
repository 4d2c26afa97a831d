/**
 * The writer-thread driver, main-thread side: starts a `worker_thread` that owns the
 * write connection, forwards jobs to it and routes each outcome back to its caller.
 *
 * The thread keeps the process alive only while jobs are in flight, so a store that is
 * never closed does not hang a script at exit, and an append being committed is never
 * abandoned by an exiting process. If the thread dies, every job in flight and every
 * later job fails with `StoreUnavailable`. This module must never resolve a job twice.
 *
 * @since 0.1.0
 */
import { Worker } from "node:worker_threads"
import type * as Sqlite from "./Sqlite.js"
import * as Thread from "./ThreadProtocol.js"
import type * as Writer from "./Writer.js"
import type * as WriterClient from "./WriterClient.js"

// Bundled, this code sits in dist/ beside internal/WriterWorker.js. Run from source
// (the test suite), the worker is the .ts file itself: Node strips its types, and the
// hook below maps the `./X.js` specifiers of our sources to their `.ts` files.
const sourceBootstrap = `
import { registerHooks } from "node:module";
import { workerData } from "node:worker_threads";
registerHooks({ resolve(specifier, context, next) {
  try { return next(specifier, context) } catch (error) {
    if (specifier.startsWith(".") && specifier.endsWith(".js")) return next(specifier.slice(0, -3) + ".ts", context);
    throw error;
  } } });
await import(workerData.entry);
`

const workerOf = (settings: Sqlite.ConnectionSettings): Worker => {
  const here = import.meta.url
  if (here.endsWith(".ts")) {
    const entry = new URL("./WriterWorker.ts", here).href
    return new Worker(new URL(`data:text/javascript,${encodeURIComponent(sourceBootstrap)}`), {
      workerData: { ...settings, entry }
    })
  }
  return new Worker(new URL("./internal/WriterWorker.js", here), { workerData: settings })
}

/**
 * Starts the writer thread; `ready` receives the client once the thread has opened the
 * file and migrated the schema, or the failure that kept it from doing so.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = (
  settings: Sqlite.ConnectionSettings,
  ready: (result: WriterClient.WriterClient | Writer.Failure) => void
): { readonly abort: () => void } => {
  const worker = workerOf(settings)
  const inFlight = new Map<number, (outcome: WriterClient.Outcome) => void>()
  const closing: Array<() => void> = []
  let nextId = 1
  let state: "starting" | "open" | "closed" = "starting"
  let stopped: string | undefined

  const settle = () => {
    if (inFlight.size === 0 && state === "open") worker.unref()
  }
  const stop = (reason: string) => {
    if (stopped !== undefined) return
    stopped = reason
    const waiting = [...inFlight.values()]
    inFlight.clear()
    for (const done of waiting) done({ _tag: "StoreUnavailable", reason })
    if (state === "starting") ready({ _tag: "StoreUnavailable", reason })
    state = "closed"
    for (const done of closing.splice(0)) done()
  }

  const client: WriterClient.WriterClient = {
    submit: (job, done) => {
      if (state !== "open" || stopped !== undefined) {
        done({ _tag: "StoreUnavailable", reason: stopped ?? "the store is closed" })
        return
      }
      const id = nextId++
      try {
        worker.postMessage({ _tag: "Job", id, job } satisfies Thread.ToWriter)
      } catch (error) {
        done({ _tag: "InvalidAppend", reason: `the request cannot be sent to the writer: ${String(error)}` })
        return
      }
      inFlight.set(id, done)
      worker.ref()
    },
    close: (done) => {
      if (state === "closed") {
        done()
        return
      }
      closing.push(done)
      state = "closed"
      worker.ref()
      worker.postMessage({ _tag: "Close" } satisfies Thread.ToWriter)
    }
  }

  worker.on("message", (message: unknown) => {
    if (!Thread.isFromWriter(message)) return
    switch (message._tag) {
      case "Ready":
        state = "open"
        settle()
        ready(client)
        return
      case "OpenFailed":
        stopped = "the store could not be opened"
        state = "closed"
        ready(message.failure)
        void worker.terminate()
        return
      case "Done": {
        const answered = message.results.flatMap(({ id, outcome }) => {
          const done = inFlight.get(id)
          inFlight.delete(id)
          return done === undefined ? [] : [() => done(outcome)]
        })
        settle()
        for (const answer of answered) answer()
        return
      }
      case "Closed":
        stop("the store is closed")
        return
    }
  })
  worker.on("error", (error) => stop(`the writer thread failed: ${error.message}`))
  worker.on("exit", (code) => stop(`the writer thread exited (code ${code})`))
  // The opener gave up (its fiber was interrupted) before the thread was ready.
  return {
    abort: () => {
      if (state !== "starting") return
      stopped = "the store was not opened"
      state = "closed"
      void worker.terminate()
    }
  }
}
