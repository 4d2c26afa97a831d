/**
 * Sign-in with a person's own key. The key is sent once to `POST /v1/session`, which answers
 * with an httpOnly cookie; the field is emptied at once and the key is kept nowhere.
 *
 * @since 0.1.0
 */
import { useRef, useState, type FormEvent } from "react"
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

/**
 * @since 0.1.0
 * @category views
 */
export const SignIn = ({ notice }: { readonly notice?: string | undefined }) => {
  const { signIn } = useSession()
  const field = useRef<HTMLInputElement>(null)
  const [error, setError] = useState<string | undefined>(undefined)
  const [busy, setBusy] = useState(false)

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
        {notice === undefined ? null : (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
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
            every student page you open is recorded under your key's name. The key is exchanged for a session and is not
            stored in this browser.
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
        <IntendedUse />
      </main>
    </div>
  )
}
