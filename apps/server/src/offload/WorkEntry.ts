/**
 * The entry of the server's work threads (started by WorkClient.ts): answers each
 * `{ id, job }` with what `Jobs.perform` returns, or the error it throws, in the order
 * asked. On Linux the thread first lowers its own priority.
 *
 * This module must never run outside a thread started by WorkClient, nor touch a store, a
 * socket or the clock.
 *
 * @since 0.2.0
 */
import { SchoolSettings } from "@rapport/analytics"
import * as Thread from "@rapport/event-store/thread"
import { readlinkSync } from "node:fs"
import { getPriority, setPriority } from "node:os"
import type { MessagePort } from "node:worker_threads"
import * as Jobs from "./Jobs.js"
import * as Protocol from "./WorkProtocol.js"

/**
 * On Linux a thread has a niceness of its own: the workers give way to the event loop when
 * the cores are busy, so that a queue of heavy jobs never delays the answers of light ones.
 */
const yieldToEventLoop = (): void => {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").at(-1))
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + 10))
  } catch {
    // not Linux, or not allowed: the workers run at the process's priority
  }
}

const serve = (port: MessagePort, settings: unknown): void => {
  // the server validated the statements already
  const schools = SchoolSettings.resolveOrThrow(Protocol.statementsOf(settings))
  yieldToEventLoop()
  port.on("message", ({ id, job }: Protocol.Request) => {
    let answer: Protocol.Answer
    try {
      answer = { id, value: Jobs.perform(job, schools.of) }
    } catch (error) {
      answer = { id, error: Thread.reason(error), name: error instanceof Error ? error.name : "Error" }
    }
    port.postMessage(answer)
  })
}

const started = Thread.entry()
if (started !== undefined) serve(started.port, started.settings)
