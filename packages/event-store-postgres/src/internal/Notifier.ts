/**
 * Wakes subscriptions when any process commits to the store: a dedicated connection
 * LISTENs on the store's channel, and every append NOTIFYs it inside its transaction
 * (PostgreSQL delivers the notification only after the commit).
 *
 * The connection is opened on first use and re-opened lazily: when it closes, nothing
 * is woken (a reconnect loop against a server that refuses connections must not spin);
 * the next poll of a subscription calls `ensureListening` again, and a successful
 * LISTEN wakes every subscription once, to catch commits made while it was away.
 * Polling is the fallback that makes missing notifications harmless; this module must
 * never be the only way a subscription learns of a commit.
 *
 * @since 0.1.0
 */
import { Subscription } from "@rapport/event-store"
import postgres from "postgres"

/**
 * postgres.js options without custom types.
 *
 * @since 0.1.0
 * @category models
 */
export type ClientOptions = postgres.Options<Record<string, postgres.PostgresType>>

/**
 * @since 0.1.0
 * @category models
 */
export interface Notifier {
  readonly wakeUp: Subscription.WakeUp
  /** starts listening in the background unless already listening or closed; cheap */
  readonly ensureListening: () => void
  /** whether the LISTEN is currently registered (for tests and metrics) */
  readonly isListening: () => boolean
  readonly close: () => Promise<void>
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (url: string, options: ClientOptions, channel: string): Notifier => {
  const wakeUp = Subscription.makeWakeUp()
  let state: "idle" | "starting" | "listening" | "closed" = "idle"
  let client: postgres.Sql | undefined
  // `onnotify` is read by postgres.js (it powers its own `listen`) but missing from its
  // typings; passing it through a variable keeps the call type-checked without a cast.
  const listenerOptions = {
    ...options,
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    onnotify: () => wakeUp.notify(),
    onclose: () => {
      if (state !== "closed") state = "idle"
    }
  }
  const ensureListening = (): void => {
    if (state !== "idle") return
    state = "starting"
    client ??= postgres(url, listenerOptions)
    client.unsafe(`LISTEN "${channel.replaceAll('"', '""')}"`).then(
      () => {
        if (state !== "starting") return
        state = "listening"
        wakeUp.notify()
      },
      () => {
        if (state === "starting") state = "idle"
      }
    )
  }
  return {
    wakeUp,
    ensureListening,
    isListening: () => state === "listening",
    close: async () => {
      state = "closed"
      if (client !== undefined) await client.end({ timeout: 1 })
    }
  }
}
