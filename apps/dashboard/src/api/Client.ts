/**
 * The dashboard's only door to the server: same-origin `fetch` with the session cookie,
 * RFC 9457 problems turned into `ApiError`s a view can explain, and the session routes
 * (sign in with a key, read the session, sign out with the CSRF token).
 *
 * It must never keep an API key: the key goes once in the sign-in request body and the
 * server answers with an httpOnly cookie. The CSRF token lives in memory only.
 *
 * @since 0.1.0
 */

/**
 * The signed-in person, as `POST /v1/session` and `GET /v1/session` answer.
 *
 * @since 0.1.0
 * @category models
 */
export interface Session {
  readonly school: string
  readonly keyName: string
  readonly scopes: ReadonlyArray<string>
  readonly csrfToken: string
  /** present when the person signed in with the school's identity provider */
  readonly person?: { readonly id: string; readonly name: string | null; readonly facultyId: string | null }
}

/**
 * A school's identity provider, as the sign-in page offers it.
 *
 * @since 0.3.0
 * @category models
 */
export interface SchoolProvider {
  readonly school: string
  readonly label: string
  /** the address that starts an OpenID Connect or a SAML sign-in */
  readonly oidc: string | null
  readonly saml: string | null
  readonly keySignIn: boolean
}

/**
 * A failed request: the problem the server sent, or a network failure (`status` 0).
 *
 * @since 0.1.0
 * @category errors
 */
export class ApiError extends Error {
  readonly status: number
  readonly title: string
  readonly detail: string
  readonly type: string
  constructor(options: { status: number; title: string; detail: string; type: string }) {
    super(`${options.status} ${options.title}: ${options.detail}`)
    this.name = "ApiError"
    this.status = options.status
    this.title = options.title
    this.detail = options.detail
    this.type = options.type
  }
}

/**
 * @since 0.1.0
 * @category guards
 */
export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError

const textField = (value: unknown, key: string): string | undefined => {
  if (typeof value !== "object" || value === null || !(key in value)) return undefined
  const field: unknown = Reflect.get(value, key)
  return typeof field === "string" ? field : undefined
}

const defaultTitles: Record<number, string> = {
  400: "The request was not understood",
  401: "Not signed in",
  403: "Not allowed with this key",
  404: "Not found",
  429: "Too many requests",
  503: "The server is not ready"
}

const problemOf = async (response: Response): Promise<ApiError> => {
  let body: unknown
  try {
    body = await response.json()
  } catch {
    body = undefined
  }
  return new ApiError({
    status: response.status,
    title: textField(body, "title") ?? defaultTitles[response.status] ?? response.statusText,
    detail: textField(body, "detail") ?? "",
    type: textField(body, "type") ?? "about:blank"
  })
}

const send = async (path: string, init: RequestInit): Promise<Response> => {
  let response: Response
  try {
    response = await fetch(path, { credentials: "same-origin", ...init })
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause
    throw new ApiError({
      status: 0,
      title: "Cannot reach the server",
      detail: "Check your connection and try again.",
      type: "network"
    })
  }
  if (!response.ok) throw await problemOf(response)
  return response
}

/**
 * GET a view as JSON. The server encodes every view with the Schemas of
 * `@rapport/analytics`, which also give the type here.
 *
 * @since 0.1.0
 * @category requests
 */
export const getJson = async <A>(path: string, signal?: AbortSignal): Promise<A> => {
  const response = await send(path, { headers: { accept: "application/json" }, ...(signal ? { signal } : {}) })
  const body: A = await response.json()
  return body
}

/**
 * A path with a query string, leaving out empty parameters.
 *
 * @since 0.1.0
 * @category requests
 */
export const withQuery = (
  path: string,
  query: Readonly<Record<string, string | number | undefined | null>>
): string => {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue
    params.set(key, String(value))
  }
  const text = params.toString()
  return text === "" ? path : `${path}?${text}`
}

/**
 * Exchanges a key for a session cookie.
 *
 * @since 0.1.0
 * @category session
 */
export const signIn = async (key: string): Promise<Session> => {
  const response = await send("/v1/session", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ key })
  })
  const session: Session = await response.json()
  return session
}

/**
 * The current session, or `undefined` when signed out (a 401).
 *
 * @since 0.1.0
 * @category session
 */
export const currentSession = async (): Promise<Session | undefined> => {
  try {
    return await getJson<Session>("/v1/session")
  } catch (error) {
    if (isApiError(error) && error.status === 401) return undefined
    throw error
  }
}

/**
 * Ends the session (the server clears the cookie).
 *
 * @since 0.1.0
 * @category session
 */
export const signOut = async (csrfToken: string): Promise<string | null> => {
  const response = await send("/v1/session", { method: "DELETE", headers: { "x-csrf-token": csrfToken } })
  if (response.status !== 200) return null
  const body: unknown = await response.json()
  return textField(body, "providerSignOut") ?? null
}

/**
 * The schools' identity providers (none when every school signs in with keys).
 *
 * @since 0.3.0
 * @category session
 */
export const providers = async (): Promise<ReadonlyArray<SchoolProvider>> => {
  const body = await getJson<{ readonly schools: ReadonlyArray<SchoolProvider> }>("/v1/session/providers")
  return body.schools
}

/**
 * The routes of the views.
 *
 * @since 0.1.0
 * @category requests
 */
export const routes = {
  overview: "/v1/dashboard/overview",
  overviewContext: "/v1/dashboard/overview/context",
  directorySearch: "/v1/directory/search",
  trends: "/v1/dashboard/trends",
  students: "/v1/dashboard/students",
  faculty: "/v1/dashboard/faculty",
  letters: "/v1/dashboard/letters",
  followUps: "/v1/dashboard/follow-ups",
  coverage: "/v1/dashboard/coverage",
  statementCoverage: "/v1/dashboard/coverage/statements",
  student: (id: string) => `/v1/students/${encodeURIComponent(id)}`,
  facultyMember: (id: string) => `/v1/faculty/${encodeURIComponent(id)}`
} as const

/**
 * Whether a session may see individual people (students and faculty by id).
 *
 * @since 0.1.0
 * @category session
 */
export const seesIndividuals = (session: Session): boolean => session.scopes.includes("dashboards:read")
