/**
 * The projector in a `worker_thread` of its own, behind the same `Projector` interface as
 * `Projector.make`. The thread owns the in-memory folds and its own connections: the
 * event store opened by path or URL (SQLite or PostgreSQL) and the read-model database.
 * The caller's thread keeps only the checkpoint it was last told and the waiters on it,
 * so folding and writing read models never hold up its event loop (HTTP requests,
 * appends), and on two cores the two run side by side.
 *
 * Messages: `notify`, `catchUp`, `refreshFollowUps` and `stop` go to the thread; each
 * commit's checkpoint, log lines and erasure call-backs (`onErased`, which needs the
 * caller's control tables) come back. The thread keeps the process alive only while
 * something waits on it. If it dies, it is started again after a second (it resumes from
 * its checkpoint, like a restarted process).
 *
 * This module must never pass anything but plain data to the thread.
 *
 * @since 0.1.0
 */
import type { Worker } from "node:worker_threads"
import { Waiters } from "./internal/Waiters.js"
import type { Projector } from "./Projector.js"
import * as Thread from "./Thread.js"

/**
 * Where the thread finds a database: a SQLite file or a PostgreSQL URL and schema.
 *
 * @since 0.1.0
 * @category models
 */
export type Location =
  | { readonly _tag: "sqlite"; readonly path: string }
  | { readonly _tag: "postgres"; readonly url: string; readonly schema: string }

/**
 * What the thread needs, as plain data (it crosses the thread boundary).
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  /** the event store: the SQLite events file, or the PostgreSQL URL and the store's schema */
  readonly store: Location
  /** the read-model database */
  readonly readModels: Location
  /** IANA time zone per school; `*` for schools not listed (UTC when absent) */
  readonly timeZones: Readonly<Record<string, string>>
  /** a fixed "now" (ISO 8601) for tests; the clock otherwise */
  readonly now?: string | undefined
  readonly batchSize?: number | undefined
  readonly batchMs?: number | undefined
  readonly pollIntervalMs?: number | undefined
  readonly followUpIntervalMs?: number | undefined
  readonly leaseMs?: number | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface WorkerOptions extends Settings {
  /** called after an erasure's rows are gone and its stream deleted (directory, audit) */
  readonly onErased?: (school: string, studentId: string) => Promise<void>
  readonly log?: (line: Readonly<Record<string, string | number | boolean>>) => void
}

/**
 * From the caller to the thread.
 *
 * @since 0.1.0
 * @category models
 */
export type ToThread =
  | { readonly _tag: "Call"; readonly id: number; readonly call: "start" | "catchUp" | "refreshFollowUps" | "stop" }
  | { readonly _tag: "Notify" }
  | { readonly _tag: "Erased"; readonly id: number; readonly error?: string | undefined }

/**
 * From the thread to the caller.
 *
 * @since 0.1.0
 * @category models
 */
export type FromThread =
  | { readonly _tag: "Done"; readonly id: number; readonly error?: string | undefined }
  | { readonly _tag: "Committed"; readonly position: number }
  | { readonly _tag: "Log"; readonly line: Readonly<Record<string, string | number | boolean>> }
  | { readonly _tag: "Erase"; readonly id: number; readonly school: string; readonly studentId: string }

const hasTag = (value: unknown): value is { readonly _tag: unknown } =>
  typeof value === "object" && value !== null && "_tag" in value

/**
 * @since 0.1.0
 * @category guards
 */
export const isFromThread = (value: unknown): value is FromThread =>
  hasTag(value) &&
  (value._tag === "Done" || value._tag === "Committed" || value._tag === "Log" || value._tag === "Erase")

/**
 * @since 0.1.0
 * @category guards
 */
export const isToThread = (value: unknown): value is ToThread =>
  hasTag(value) && (value._tag === "Call" || value._tag === "Notify" || value._tag === "Erased")

const spawn = (settings: Settings): Worker => Thread.spawn("projector", "ProjectorThread", settings)

/**
 * A projector running in its own thread. The thread starts with the first call
 * (`start`, `catchUp`); `position()` is the last checkpoint it reported.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: WorkerOptions): Projector => {
  const { onErased, log = () => undefined, ...settings } = options
  let worker: Worker | undefined
  let committed = 0
  let nextId = 1
  let stopped = false
  let started = false
  const calls = new Map<number, { readonly resolve: () => void; readonly reject: (error: Error) => void }>()
  // The thread holds the process open only while a call or a waiter is pending.
  const settleRef = () => {
    if (worker === undefined) return
    if (calls.size > 0 || waiters.size > 0) worker.ref()
    else worker.unref()
  }

  const waiters = new Waiters(settleRef)

  const post = (message: ToThread) => worker?.postMessage(message)

  const onMessage = (message: unknown) => {
    if (!isFromThread(message)) return
    switch (message._tag) {
      case "Committed": {
        committed = Math.max(committed, message.position)
        waiters.reached(committed)
        break
      }
      case "Log":
        log(message.line)
        break
      case "Erase": {
        const reply = (error?: string) => post({ _tag: "Erased", id: message.id, error })
        if (onErased === undefined) reply()
        else
          onErased(message.school, message.studentId).then(
            () => reply(),
            (error: unknown) => reply(error instanceof Error ? error.message : String(error))
          )
        break
      }
      case "Done": {
        const call = calls.get(message.id)
        calls.delete(message.id)
        if (message.error === undefined) call?.resolve()
        else call?.reject(new Error(message.error))
        break
      }
    }
    settleRef()
  }

  const launch = (): Worker => {
    const thread = spawn(settings)
    let failure = ""
    thread.on("message", onMessage)
    thread.on("error", (error) => {
      failure = `: ${error.message}`
      log({ msg: "projector thread failed", error: error.message })
    })
    thread.on("exit", (code) => {
      if (worker !== thread) return
      worker = undefined
      for (const call of calls.values()) call.reject(new Error(`the projector thread exited (code ${code})${failure}`))
      calls.clear()
      if (stopped || !started) return
      // Like a restarted process: it resumes from its checkpoint.
      log({ msg: "projector thread exited; restarting", code })
      setTimeout(() => {
        if (stopped || worker !== undefined) return
        call("start").catch((error: unknown) =>
          log({ msg: "projector restart failed", error: error instanceof Error ? error.message : String(error) })
        )
      }, 1000).unref()
    })
    return thread
  }

  const call = (name: "start" | "catchUp" | "refreshFollowUps" | "stop"): Promise<void> => {
    if (worker === undefined) {
      if (name === "stop" || name === "refreshFollowUps") return Promise.resolve()
      worker = launch()
    }
    const id = nextId++
    return new Promise<void>((resolve, reject) => {
      calls.set(id, { resolve, reject })
      settleRef()
      post({ _tag: "Call", id, call: name })
    })
  }

  return {
    start: async () => {
      started = true
      await call("start")
    },
    position: () => committed,
    notify: () => post({ _tag: "Notify" }),
    waitFor: (position, timeoutMs) => {
      if (committed >= position) return Promise.resolve(true)
      const reached = waiters.wait(position, timeoutMs)
      post({ _tag: "Notify" })
      return reached
    },
    catchUp: () => call("catchUp"),
    refreshFollowUps: () => call("refreshFollowUps"),
    stop: async () => {
      stopped = true
      const thread = worker
      if (thread === undefined) return
      await call("stop")
      worker = undefined
      await thread.terminate()
    }
  }
}
