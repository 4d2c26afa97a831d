/**
 * The frame of every signed-in view: a skip link, the header with the school and who is
 * signed in, the navigation, the view, and the intended use in the footer. After a
 * navigation, focus moves to the new view so keyboard and screen-reader users start there.
 *
 * @since 0.1.0
 */
import { useEffect, useRef, useState, type ReactNode } from "react"
import { NavLink, useLocation } from "react-router"
import * as Client from "../api/Client.js"
import { useSession, useSignedIn } from "../api/SessionContext.js"
import { IntendedUse } from "./IntendedUse.js"

interface NavItem {
  readonly to: string
  readonly label: string
  readonly individuals?: boolean
  /** shown to sessions that advise or act (`advising`, `advising:write`) or see individuals */
  readonly advising?: boolean
}

const items: ReadonlyArray<NavItem> = [
  { to: "/", label: "Overview" },
  { to: "/students", label: "Students", individuals: true },
  { to: "/faculty", label: "Faculty" },
  { to: "/letters", label: "Letters" },
  { to: "/follow-ups", label: "Follow-ups" },
  { to: "/coverage", label: "Data coverage" },
  { to: "/advising", label: "Advising", advising: true }
]

/**
 * @since 0.1.0
 * @category components
 */
export const Layout = ({ children }: { readonly children: ReactNode }) => {
  const session = useSignedIn()
  const { signOut } = useSession()
  const location = useLocation()
  const main = useRef<HTMLElement>(null)
  const shownPath = useRef(location.pathname)
  const [signingOut, setSigningOut] = useState(false)
  const individuals = Client.seesIndividuals(session)
  const advises = session.scopes.some((scope) => scope === "advising" || scope === "advising:write")
  const dashboards = individuals || session.scopes.includes("aggregates:read")

  useEffect(() => {
    // Only a navigation moves focus, not the first render (a reload keeps the skip link first).
    if (shownPath.current === location.pathname) return
    shownPath.current = location.pathname
    main.current?.focus()
  }, [location.pathname])

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Rapport</span>
          <span className="brand-school" data-school={session.school}>
            {session.school}
          </span>
        </div>
        <div className="who">
          <span>
            Signed in as <strong>{session.person?.name ?? session.keyName}</strong>
            <span className="scope">
              {individuals ? "individual drill-down" : dashboards ? "aggregates only" : "own advisees"}
            </span>
          </span>
          <button
            type="button"
            className="button secondary"
            disabled={signingOut}
            onClick={() => {
              setSigningOut(true)
              signOut().finally(() => setSigningOut(false))
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <nav className="app-nav" aria-label="Views">
        <ul>
          {items
            .filter((item) =>
              item.advising === true ? advises || individuals : dashboards && (individuals || item.individuals !== true)
            )
            .map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === "/"}>
                  {item.label}
                </NavLink>
              </li>
            ))}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
      <footer className="app-footer">
        <IntendedUse compact />
      </footer>
    </div>
  )
}
