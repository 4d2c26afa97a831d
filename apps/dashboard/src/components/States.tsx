/**
 * What a view shows while it loads, when it fails, when the school has no data yet, and when
 * the key may not see it: always a sentence and a next step, never a blank page.
 *
 * @since 0.1.0
 */
import type { ReactNode } from "react"
import type * as Client from "../api/Client.js"

/**
 * @since 0.1.0
 * @category components
 */
export const Loading = ({ what }: { readonly what: string }) => (
  <div className="state loading" role="status" aria-live="polite">
    <span className="spinner" aria-hidden="true" />
    Loading {what}…
  </div>
)

/**
 * @since 0.1.0
 * @category components
 */
export const ErrorState = ({
  error,
  retry
}: {
  readonly error: Client.ApiError
  readonly retry?: (() => void) | undefined
}) => (
  <div className="state error" role="alert">
    <h2>{error.title}</h2>
    <p>{error.detail === "" ? explain(error.status) : error.detail}</p>
    {retry === undefined ? null : (
      <button type="button" className="button" onClick={retry}>
        Try again
      </button>
    )}
  </div>
)

const explain = (status: number): string => {
  if (status === 0) return "The server did not answer."
  if (status === 403) return "Your key does not give access to this view."
  if (status === 404) return "Nothing with this id exists in your school."
  if (status >= 500) return "The server could not answer just now."
  return "The request failed."
}

/**
 * @since 0.1.0
 * @category components
 */
export const AggregateOnly = ({ what }: { readonly what: string }) => (
  <div className="state info" role="note">
    <h1 tabIndex={-1} id="page-title">
      Aggregate access only
    </h1>
    <p>
      Your key gives aggregate views only, so {what} are not shown. Ask your school's Rapport administrator for a
      personal key with <code>dashboards:read</code> if your role needs individual drill-down.
    </p>
  </div>
)

/**
 * Guidance for a school that has sent no events yet.
 *
 * @since 0.1.0
 * @category components
 */
export const EmptySchool = ({ children }: { readonly children?: ReactNode }) => (
  <section className="state empty" aria-labelledby="empty-school-title">
    <h2 id="empty-school-title">No data from your school yet</h2>
    <p>
      Rapport fills these views from the events your school's systems send: scheduling, the learning management system,
      clinical evaluations, research administration and letter tracking.
    </p>
    <ol>
      <li>
        Ask your administrator for a key with <code>events:write</code> for each system.
      </li>
      <li>
        Have each system post its events to <code>POST /v1/events</code> (the API reference is at{" "}
        <a href="/docs">/docs</a>), or load past records with <code>rapport import</code>.
      </li>
      <li>
        Come back here: the views update as events arrive, and the Data coverage view shows what each system sent.
      </li>
    </ol>
    {children}
  </section>
)
