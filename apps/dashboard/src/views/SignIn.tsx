/**
 * Sign-in: the school's identity provider first (OpenID Connect or SAML, a link that starts
 * the sign-in at the server), then a person's own key, unless the school turned key sign-in
 * off. The key is sent once to `POST /v1/session`, which answers with an httpOnly cookie;
 * the field is emptied at once and the key is kept nowhere. A sign-in the server refused
 * comes back as `?sign-in-error=<code>` and is explained here.
 *
 * @since 0.1.0
 */
import { useEffect, useRef, useState, type FormEvent } from "react"
import * as Client from "../api/Client.js"
import { useSession } from "../api/SessionContext.js"
import { IntendedUse } from "../components/IntendedUse.js"

const messageFor = (error: unknown): string => {
  if (!Client.isApiError(error)) return "Something went wrong. Try again."
  if (error.status === 401) return "This key was not recognised. Check it, or ask your administrator for a new one."
  if (error.status === 403)
    return "This key cannot open the dashboard: it needs dashboards:read or aggregates:read. Ask your administrator."
  if (error.status === 429) return "Too many attempts. Wait a minute and try again."
  if (error.status === 0) return "The server did not answer. Check your connection and try again."
  return error.detail === "" ? error.title : error.detail
}

const providerErrors: Readonly<Record<string, string>> = {
  "no-access":
    "You signed in, but your account has no access to Rapport at this school. Ask your administrator to add you to a group that has access.",
  expired: "That sign-in expired or was already used. Start again.",
  failed:
    "Your school's sign-in did not go through: its answer could not be accepted. Try again; if it happens again, tell your administrator."
}

/** what the address says: the school to sign in to, and the outcome of a provider sign-in */
const fromAddress = () => {
  const params = new URLSearchParams(window.location.search)
  const code = params.get("sign-in-error")
  return {
    school: params.get("school") ?? undefined,
    error: code === null ? undefined : (providerErrors[code] ?? providerErrors.failed),
    signedOut: params.has("signed-out")
  }
}

/**
 * @since 0.1.0
 * @category views
 */
export const SignIn = ({ notice }: { readonly notice?: string | undefined }) => {
  const { signIn } = useSession()
  const field = useRef<HTMLInputElement>(null)
  const [address] = useState(fromAddress)
  const [error, setError] = useState<string | undefined>(address.error)
  const [busy, setBusy] = useState(false)
  const [schools, setSchools] = useState<ReadonlyArray<Client.SchoolProvider>>([])

  useEffect(() => {
    let live = true
    Client.providers().then(
      (found) => {
        if (live) setSchools(found)
      },
      () => undefined
    )
    return () => {
      live = false
    }
  }, [])

  const offered = address.school === undefined ? schools : schools.filter((s) => s.school === address.school)
  const keysOff = offered.length > 0 && offered.every((s) => !s.keySignIn)
  const shownNotice = notice ?? (address.signedOut ? "You are signed out." : undefined)

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const input = field.current
    if (input === null) return
    const key = input.value.trim()
    input.value = ""
    if (key === "") {
      setError("Paste your key to sign in.")
      input.focus()
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      await signIn(key)
    } catch (cause) {
      setError(messageFor(cause))
      setBusy(false)
      input.focus()
    }
  }

  return (
    <div className="sign-in-page">
      <main id="main" className="sign-in">
        <div className="brand large">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Rapport</span>
        </div>
        <h1>Sign in to your school's dashboard</h1>
        <p className="lead">
          Relationships between your students and faculty, from the events your school's systems record.
        </p>
        {shownNotice === undefined ? null : (
          <p className="notice" role="status">
            {shownNotice}
          </p>
        )}
        {offered.length === 0 ? null : (
          <section className="card sign-in-providers" aria-label="Your school's sign-in">
            {offered.flatMap((s) =>
              [s.oidc, s.saml]
                .filter((start): start is string => start !== null)
                .map((start) => (
                  <a key={start} className="button" href={start}>
                    Sign in with {s.label}
                    {start === s.saml ? " (SAML)" : ""}
                  </a>
                ))
            )}
            {keysOff && error !== undefined ? (
              <p className="form-error" role="alert">
                {error}
              </p>
            ) : null}
          </section>
        )}
        {keysOff ? null : (
          <form className="card sign-in-form" onSubmit={submit} noValidate>
            <label htmlFor="api-key">Your personal access key</label>
            <input
              ref={field}
              id="api-key"
              name="key"
              type="password"
              autoComplete="off"
              spellCheck={false}
              aria-describedby="api-key-help"
              aria-invalid={error !== undefined}
              required
            />
            <p id="api-key-help" className="help">
              Use your own key (with <code>dashboards:read</code> or <code>aggregates:read</code>), not a shared one:
              every student page you open is recorded under your key's name. The key is exchanged for a session and is
              not stored in this browser.
            </p>
            {error === undefined ? null : (
              <p className="form-error" role="alert">
                {error}
              </p>
            )}
            <button type="submit" className="button" disabled={busy}>
              {busy ? "Signing in…" : "Sign in"}
            </button>
          </form>
        )}
        <IntendedUse />
      </main>
    </div>
  )
}
