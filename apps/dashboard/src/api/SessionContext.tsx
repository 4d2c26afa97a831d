/**
 * Who is signed in, for every view: the session read from the server at start (the cookie
 * survives a reload, the CSRF token is fetched again), sign-in, sign-out and expiry (any
 * 401 from a view signs the person out with a sentence saying why).
 *
 * It must never put the key or the CSRF token anywhere but this component's memory.
 *
 * @since 0.1.0
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react"
import * as Client from "./Client.js"
import { clearCache, prefetch } from "./useResource.js"
import * as ViewUrls from "./ViewUrls.js"

// The view at the current address asks for these as soon as the session is known, in
// parallel with loading its code.
const prefetchCurrentView = (session: Client.Session) => {
  for (const url of ViewUrls.forLocation(
    window.location.pathname,
    window.location.search,
    Client.seesIndividuals(session)
  ))
    prefetch(url)
}

/**
 * @since 0.1.0
 * @category models
 */
export type SessionState =
  | { readonly status: "checking" }
  | { readonly status: "unavailable"; readonly error: Client.ApiError }
  | { readonly status: "signed-out"; readonly notice?: string }
  | { readonly status: "signed-in"; readonly session: Client.Session }

/**
 * @since 0.1.0
 * @category models
 */
export interface SessionApi {
  readonly state: SessionState
  readonly signIn: (key: string) => Promise<void>
  readonly signOut: () => Promise<void>
  readonly expire: () => void
  readonly retry: () => void
}

const SessionContext = createContext<SessionApi | undefined>(undefined)

/**
 * @since 0.1.0
 * @category components
 */
export const SessionProvider = ({ children }: { readonly children: ReactNode }) => {
  const [state, setState] = useState<SessionState>({ status: "checking" })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let live = true
    setState({ status: "checking" })
    Client.currentSession().then(
      (session) => {
        if (!live) return
        if (session !== undefined) prefetchCurrentView(session)
        setState(session === undefined ? { status: "signed-out" } : { status: "signed-in", session })
      },
      (error: unknown) => {
        if (!live) return
        setState(
          Client.isApiError(error)
            ? { status: "unavailable", error }
            : { status: "unavailable", error: unexpected(error) }
        )
      }
    )
    return () => {
      live = false
    }
  }, [attempt])

  const signIn = useCallback(async (key: string) => {
    const session = await Client.signIn(key)
    clearCache()
    prefetchCurrentView(session)
    setState({ status: "signed-in", session })
  }, [])

  const signOut = useCallback(async () => {
    if (state.status === "signed-in") {
      try {
        const atProvider = await Client.signOut(state.session.csrfToken)
        if (atProvider !== null) {
          // ends the session at the school's identity provider too; it sends the person back
          clearCache()
          window.location.assign(atProvider)
          return
        }
      } catch (error) {
        // A session that already expired is signed out all the same.
        if (!(Client.isApiError(error) && error.status === 401)) throw error
      }
    }
    clearCache()
    setState({ status: "signed-out", notice: "You are signed out." })
  }, [state])

  const expire = useCallback(() => {
    clearCache()
    setState({ status: "signed-out", notice: "Your session ended. Sign in again to continue." })
  }, [])

  const retry = useCallback(() => setAttempt((n) => n + 1), [])

  const api = useMemo(() => ({ state, signIn, signOut, expire, retry }), [state, signIn, signOut, expire, retry])
  return <SessionContext value={api}>{children}</SessionContext>
}

const unexpected = (error: unknown): Client.ApiError =>
  new Client.ApiError({
    status: 0,
    title: "Something went wrong",
    detail: error instanceof Error ? error.message : String(error),
    type: "client"
  })

/**
 * @since 0.1.0
 * @category hooks
 */
export const useSession = (): SessionApi => {
  const api = useContext(SessionContext)
  if (api === undefined) throw new Error("useSession needs a SessionProvider")
  return api
}

/**
 * The signed-in session (views render only when signed in).
 *
 * @since 0.1.0
 * @category hooks
 */
export const useSignedIn = (): Client.Session => {
  const { state } = useSession()
  if (state.status !== "signed-in") throw new Error("useSignedIn outside a signed-in view")
  return state.session
}
