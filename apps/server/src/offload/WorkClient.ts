/**
 * The caller's side of one of the server's work threads (WorkEntry.ts): a job is posted
 * with an id and its promise settles with the thread's answer. The thread starts with the
 * first job, holds the process open only while it has jobs, and is started again by the
 * next job if it dies; the jobs it held fail with `gone`.
 *
 * This module must never pass anything but plain data to the thread.
 *
 * @since 0.2.0
 */
import type { SchoolSettings } from "@rapport/analytics"
import * as Thread from "@rapport/event-store/thread"
import * as Protocol from "./WorkProtocol.js"

/**
 * @since 0.2.0
 * @category models
 */
export interface WorkClient {
  /** the job's value; an error the job threw; or `gone(reason)` when the thread is gone */
  readonly run: (job: Protocol.Job) => Promise<unknown>
  /** jobs posted and not yet answered */
  readonly waiting: () => number
  readonly close: () => Promise<void>
}

/** An error the job threw in the thread: a defect, with the thread's message. */
class JobFailed extends Error {
  constructor(message: string, name: string) {
    super(message)
    this.name = name
  }
}

type Reply = Protocol.Answer | { readonly gone: string }

/**
 * A thread named `name` (`work-1`: what debuggers and `/proc` show) for the schools of
 * `statements`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (
  name: string,
  statements: SchoolSettings.Statements,
  gone: (reason: string) => Error
): WorkClient => {
  const settings: Protocol.Settings = { statements }
  const thread: Thread.Client<Reply> = Thread.client<Reply>({
    name,
    entry: "WorkEntry",
    from: import.meta.url,
    settings,
    onMessage: (message) => {
      if (Protocol.isAnswer(message)) thread.answer(message.id, message)
    },
    gone: (reason) => ({ gone: reason })
  })
  return {
    run: (job) =>
      new Promise((resolve, reject) =>
        thread.call(
          (id): Protocol.Request => ({ id, job }),
          (reply) => {
            if ("gone" in reply) reject(gone(reply.gone))
            else if ("value" in reply) resolve(reply.value)
            else reject(new JobFailed(reply.error, reply.name))
          }
        )
      ),
    waiting: thread.waiting,
    close: thread.terminate
  }
}
