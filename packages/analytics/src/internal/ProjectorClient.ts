/**
 * The caller's side of the projector's thread (ProjectorEntry.ts), behind the `Projector`
 * interface; `ProjectorWorker.make` is its public name. The caller's thread keeps only the
 * checkpoint it was last told and the waiters on it.
 *
 * Calls (`start`, `catchUp`, `refreshFollowUps`, `stop`) and wake-ups go to the thread;
 * each commit's checkpoint, log lines and erasure call-backs (`onErased`, which needs the
 * caller's control tables) come back. The thread holds the process open only while a call
 * or a waiter is pending. If it dies, it is started again after a second (it resumes from
 * its checkpoint, like a restarted process).
 *
 * This module must never pass anything but plain data to the thread.
 *
 * @since 0.1.0
 */
import * as Thread from "@rapport/event-store/thread"
import type { Projector } from "../Projector.js"
import type * as SchoolSettings from "../SchoolSettings.js"
import * as Protocol from "./ProjectorProtocol.js"
import { Waiters } from "./Waiters.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface WorkerOptions extends Omit<Protocol.Settings, "schools"> {
  /** every school's settings; the thread is given what they were resolved from */
  readonly schools: SchoolSettings.SchoolSettings
  /** called after an erasure's rows are gone and its stream deleted (directory, audit) */
  readonly onErased?: (school: string, studentId: string) => Promise<void>
  readonly log?: (line: Readonly<Record<string, string | number | boolean>>) => void
}

/**
 * A projector running in its own thread. The thread starts with the first call
 * (`start`, `catchUp`); `position()` is the last checkpoint it reported.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: WorkerOptions): Projector => {
  const { onErased, log = () => undefined, schools, ...rest } = options
  const settings: Protocol.Settings = { ...rest, schools: schools.statements }
  let committed = 0
  let stopped = false
  let started = false
  // The thread holds the process open while a waiter is pending (`busy`).
  const waiters = new Waiters(() => thread.hold())
  const post = (message: Protocol.ToThread) => thread.post(message)

  const onMessage = (message: unknown) => {
    if (!Protocol.isFromThread(message)) return
    switch (message._tag) {
      case "Committed": {
        committed = Math.max(committed, message.position)
        waiters.reached(committed)
        thread.hold()
        return
      }
      case "Log":
        log(message.line)
        return
      case "Erase": {
        const reply = (error?: string) => post({ _tag: "Erased", id: message.id, error })
        if (onErased === undefined) reply()
        else
          onErased(message.school, message.studentId).then(
            () => reply(),
            (error: unknown) => reply(Thread.reason(error))
          )
        return
      }
      case "Done":
        thread.answer(message.id, message.error)
        return
    }
  }

  const thread: Thread.Client<string | undefined> = Thread.client<string | undefined>({
    name: "projector",
    entry: "ProjectorEntry",
    from: import.meta.url,
    settings,
    onMessage,
    gone: (reason) => reason,
    busy: () => waiters.size > 0,
    onError: (error) => log({ msg: "projector thread failed", error: error.message }),
    onExit: (reason) => {
      if (stopped || !started) return
      // Like a restarted process: it resumes from its checkpoint.
      log({ msg: "projector thread exited; restarting", reason })
      setTimeout(() => {
        if (stopped || thread.running()) return
        call("start").catch((error: unknown) => log({ msg: "projector restart failed", error: Thread.reason(error) }))
      }, 1000).unref()
    }
  })

  const call = (name: Protocol.Call): Promise<void> => {
    if (!thread.running() && (name === "stop" || name === "refreshFollowUps")) return Promise.resolve()
    return new Promise<void>((resolve, reject) =>
      thread.call(
        (id) => ({ _tag: "Call", id, call: name }) satisfies Protocol.ToThread,
        (error) => (error === undefined ? resolve() : reject(new Error(error)))
      )
    )
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
      if (!thread.running()) return
      await call("stop")
      await thread.terminate()
    }
  }
}
