/**
 * The worker-thread kit of Rapport's packages: a store adapter that runs its connection in
 * a thread of its own (`@rapport/event-store-sqlite`'s writer), and `@rapport/analytics`,
 * whose projector and read-model queries run in threads. Both depend on this package, so
 * the kit lives here, under its own entry, and the port's main entry stays free of
 * `node:worker_threads`.
 *
 * - `spawn` starts a thread whose entry is a module of the calling package, run from the
 *   built package or from source (the test suites run the `.ts` files);
 * - `entry` is the thread's side: its port and the settings it was started with;
 * - `client` is the caller's side: calls answered by id, the thread holding the process
 *   open only while a call (or whatever the caller says) waits, every waiting call
 *   answered when the thread is gone, and a new thread for the next call; `waiting()`
 *   counts the calls still waiting, for a caller that bounds them or runs several threads.
 *
 * Naming: `<Name>Entry.ts` is the module that runs inside the thread, `<Name>Client.ts`
 * the one that starts it and talks to it. In source the entry sits beside its client;
 * built, it is a bundle of its own at the root of `dist/` (a tsup entry named
 * `<Name>Entry`), beside the bundle the client was built into.
 *
 * This module must never carry anything but plain data across a thread boundary.
 *
 * @since 0.2.0
 */
import { type MessagePort, parentPort, Worker, workerData } from "node:worker_threads"

// Run from source, the entry is the .ts file itself: Node strips its types, and the hook
// maps the `./X.js` specifiers of our sources to their `.ts` files.
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

/**
 * Which thread to start.
 *
 * @since 0.2.0
 * @category models
 */
export interface Spawn {
  /** what the thread is, in failures ("the writer thread exited") and debuggers */
  readonly name: string
  /** the entry module's name, without extension: `WriterEntry` */
  readonly entry: string
  /** the calling module's `import.meta.url`: the entry is found beside it */
  readonly from: string
  /** plain data; the entry reads it with `entry()` */
  readonly settings: unknown
}

/**
 * Starts a thread (see the module notes for where its entry is found).
 *
 * @since 0.2.0
 * @category constructors
 */
export const spawn = (thread: Spawn): Worker => {
  if (thread.from.endsWith(".ts")) {
    return new Worker(new URL(`data:text/javascript,${encodeURIComponent(sourceBootstrap)}`), {
      name: thread.name,
      workerData: { settings: thread.settings, entry: new URL(`./${thread.entry}.ts`, thread.from).href }
    })
  }
  return new Worker(new URL(`./${thread.entry}.js`, thread.from), {
    name: thread.name,
    workerData: { settings: thread.settings }
  })
}

/**
 * Inside a thread started by `spawn`: the port to the caller and the settings, still to
 * be checked by the entry. `undefined` anywhere else.
 *
 * @since 0.2.0
 * @category constructors
 */
export const entry = (): { readonly port: MessagePort; readonly settings: unknown } | undefined => {
  if (parentPort === null || typeof workerData !== "object" || workerData === null || !("settings" in workerData))
    return undefined
  return { port: parentPort, settings: workerData.settings }
}

/**
 * What a failure says, for a message that crosses the boundary (errors with prototypes do
 * not).
 *
 * @since 0.2.0
 * @category operations
 */
export const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/**
 * How a client talks to its thread.
 *
 * @since 0.2.0
 * @category models
 */
export interface ClientOptions<Reply> extends Spawn {
  /** every message of the thread; the client passes answers on with `answer` */
  readonly onMessage: (message: unknown) => void
  /** the reply each waiting call gets when its thread is gone */
  readonly gone: (reason: string) => Reply
  /** besides waiting calls, whether the process must stay open for the thread (default: never) */
  readonly busy?: () => boolean
  /** the thread failed with an uncaught error (its exit follows) */
  readonly onError?: (error: Error) => void
  /** the thread exited by itself, after its waiting calls were answered */
  readonly onExit?: (reason: string) => void
}

/**
 * The caller's side of a thread.
 *
 * @since 0.2.0
 * @category models
 */
export interface Client<Reply> {
  /** starts the thread unless one runs */
  readonly start: () => void
  readonly running: () => boolean
  /** how many calls wait for their answer (a pool sends the next call to the least busy) */
  readonly waiting: () => number
  /**
   * Starts the thread unless one runs and posts `request(id)`; `answer` is called once,
   * with the reply or with `gone(reason)`. Throws, leaving nothing waiting, what
   * `postMessage` throws (a request that cannot be cloned).
   */
  readonly call: (request: (id: number) => unknown, answer: (reply: Reply) => void) => void
  /** answers the waiting call `id`; nothing when none waits */
  readonly answer: (id: number, reply: Reply) => void
  /** posts to the running thread; nothing when none runs */
  readonly post: (message: unknown) => void
  /** holds the process open, or lets it go, as waiting calls and `busy` say now */
  readonly hold: () => void
  /** ends the thread; calls still waiting get `gone` */
  readonly terminate: () => Promise<void>
}

/**
 * A client; the thread starts with `start` or the first call.
 *
 * @since 0.2.0
 * @category constructors
 */
export const client = <Reply>(options: ClientOptions<Reply>): Client<Reply> => {
  const waiting = new Map<number, (reply: Reply) => void>()
  let worker: Worker | undefined
  let nextId = 1

  const hold = () => {
    if (worker === undefined) return
    if (waiting.size > 0 || options.busy?.() === true) worker.ref()
    else worker.unref()
  }
  const answerAll = (why: string) => {
    const answers = [...waiting.values()]
    waiting.clear()
    for (const answer of answers) answer(options.gone(why))
  }
  const start = () => {
    if (worker !== undefined) return
    const thread = spawn(options)
    let failure = ""
    thread.on("message", options.onMessage)
    thread.on("error", (error) => {
      failure = `: ${error.message}`
      options.onError?.(error)
    })
    thread.on("exit", (code) => {
      // a thread the caller terminated, or one replaced since: its calls were answered
      if (worker !== thread) return
      worker = undefined
      const why = `the ${options.name} thread exited (code ${code})${failure}`
      answerAll(why)
      options.onExit?.(why)
    })
    worker = thread
    hold()
  }

  return {
    start,
    running: () => worker !== undefined,
    waiting: () => waiting.size,
    call: (request, answer) => {
      start()
      const id = nextId++
      waiting.set(id, answer)
      try {
        worker?.postMessage(request(id))
      } catch (error) {
        waiting.delete(id)
        throw error
      }
      hold()
    },
    answer: (id, reply) => {
      const answer = waiting.get(id)
      if (answer === undefined) return
      waiting.delete(id)
      hold()
      answer(reply)
    },
    post: (message) => worker?.postMessage(message),
    hold,
    terminate: async () => {
      const thread = worker
      worker = undefined
      if (thread !== undefined) await thread.terminate()
      answerAll(`the ${options.name} thread was stopped`)
    }
  }
}
