/**
 * Loading a view's JSON: one request per URL, cancelled when the view moves on, the last
 * answer kept on screen (marked as refreshing) while filters change, and a small cache so
 * that going back to a view is instant. A 401 ends the session.
 *
 * It must never show one URL's data as another's, nor keep cached data across sessions.
 *
 * @since 0.1.0
 */
import { useCallback, useEffect, useState } from "react"
import * as Client from "./Client.js"
import { useSession } from "./SessionContext.js"

/**
 * @since 0.1.0
 * @category models
 */
export type Resource<A> =
  | { readonly status: "loading" }
  | { readonly status: "error"; readonly error: Client.ApiError; readonly reload: () => void }
  | { readonly status: "ready"; readonly data: A; readonly refreshing: boolean; readonly reload: () => void }

// JSON text, read back with JSON.parse as fresh objects: views may not share mutable answers.
const cache = new Map<string, { readonly text: string; readonly at: number }>()
/** an answer this recent is shown without asking again (a prefetch, a quick back-and-forth) */
const freshForMs = 10_000
const cacheLimit = 64

/**
 * Forgets every cached answer (sign-in, sign-out, expiry).
 *
 * @since 0.1.0
 * @category cache
 */
export const clearCache = (): void => {
  cache.clear()
  inflight.clear()
}

// Requests started before their view asked (prefetch at sign-in), shared with the view.
const inflight = new Map<string, Promise<unknown>>()

/**
 * Starts loading `url` now, so the view that needs it finds it on its way (errors are left
 * for the view to report when it asks).
 *
 * @since 0.1.0
 * @category cache
 */
export const prefetch = (url: string): void => {
  if (cache.has(url) || inflight.has(url)) return
  const request = Client.getJson<unknown>(url).then((data) => {
    remember(url, data)
    return data
  })
  request.catch(() => undefined).finally(() => inflight.delete(url))
  inflight.set(url, request)
}

const remember = (url: string, data: unknown) => {
  cache.delete(url)
  cache.set(url, { text: JSON.stringify(data), at: Date.now() })
  if (cache.size > cacheLimit) {
    const oldest = cache.keys().next()
    if (!oldest.done) cache.delete(oldest.value)
  }
}

interface Loaded<A> {
  readonly url: string
  readonly data: A
}

/**
 * The JSON at `url` (`null`: nothing to load yet).
 *
 * @since 0.1.0
 * @category hooks
 */
export const useResource = <A>(url: string | null): Resource<A> => {
  const { expire } = useSession()
  const [loaded, setLoaded] = useState<Loaded<A> | undefined>(undefined)
  const [failure, setFailure] = useState<{ url: string; error: Client.ApiError } | undefined>(undefined)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    if (url === null) return
    const controller = new AbortController()
    const hit = cache.get(url)
    if (attempt === 0 && hit !== undefined) {
      // Shown at once; refreshed in the background (unless just fetched) so numbers never go
      // stale unnoticed.
      const cached: A | undefined = readCache(url)
      if (cached !== undefined) setLoaded({ url, data: cached })
      if (Date.now() - hit.at < freshForMs) return
    }
    const shared = attempt === 0 ? inflight.get(url) : undefined
    const request: Promise<A> =
      shared === undefined ? Client.getJson<A>(url, controller.signal) : shared.then(() => readCacheOrFail<A>(url))
    request.then(
      (data) => {
        if (controller.signal.aborted) return
        remember(url, data)
        setFailure(undefined)
        setLoaded({ url, data })
      },
      (error: unknown) => {
        if (controller.signal.aborted) return
        if (Client.isApiError(error)) {
          if (error.status === 401) expire()
          else setFailure({ url, error })
        } else setFailure({ url, error: toApiError(error) })
      }
    )
    return () => controller.abort()
  }, [url, attempt, expire])

  const reload = useCallback(() => setAttempt((n) => n + 1), [])

  if (url === null) return { status: "loading" }
  if (failure !== undefined && failure.url === url) return { status: "error", error: failure.error, reload }
  if (loaded === undefined) return { status: "loading" }
  return { status: "ready", data: loaded.data, refreshing: loaded.url !== url, reload }
}

const readCacheOrFail = <A>(url: string): A => {
  const data = readCache<A>(url)
  if (data === undefined) throw new Error(`no answer cached for ${url}`)
  return data
}

const readCache = <A>(url: string): A | undefined => {
  const hit = cache.get(url)
  if (hit === undefined) return undefined
  // The cache only ever holds what getJson<A> returned for this very URL.
  const data: A = JSON.parse(hit.text)
  return data
}

const toApiError = (error: unknown): Client.ApiError =>
  new Client.ApiError({
    status: 0,
    title: "Something went wrong",
    detail: error instanceof Error ? error.message : String(error),
    type: "client"
  })
