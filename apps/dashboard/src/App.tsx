/**
 * The dashboard's routes and the gate in front of them: while the session is checked a quiet
 * loading line, then the sign-in page (at whatever address was asked for, so a shared link
 * opens after sign-in) or the views. Views load on demand, so sign-in stays small.
 *
 * @since 0.1.0
 */
import { lazy, Suspense } from "react"
import { BrowserRouter, Link, Route, Routes } from "react-router"
import { SessionProvider, useSession } from "./api/SessionContext.js"
import { routes, viewAt as routeAt } from "./Routes.js"
import { Layout } from "./components/Layout.js"
import { ErrorState, Loading } from "./components/States.js"
import { SignIn } from "./views/SignIn.js"

const load = {
  overview: () => import("./views/Overview.js").then((m) => ({ default: m.Overview })),
  students: () => import("./views/Students.js").then((m) => ({ default: m.Students })),
  studentPage: () => import("./views/StudentPage.js").then((m) => ({ default: m.StudentPage })),
  faculty: () => import("./views/Faculty.js").then((m) => ({ default: m.Faculty })),
  facultyPage: () => import("./views/FacultyPage.js").then((m) => ({ default: m.FacultyPage })),
  letters: () => import("./views/Letters.js").then((m) => ({ default: m.Letters })),
  followUps: () => import("./views/FollowUps.js").then((m) => ({ default: m.FollowUps })),
  coverage: () => import("./views/Coverage.js").then((m) => ({ default: m.Coverage })),
  advising: () => import("./advising/AdvisingView.js").then((m) => ({ default: m.AdvisingView })),
  advisee: () => import("./advising/AdviseePage.js").then((m) => ({ default: m.AdviseePage }))
}

const Overview = lazy(load.overview)
const Students = lazy(load.students)
const StudentPage = lazy(load.studentPage)
const Faculty = lazy(load.faculty)
const FacultyPage = lazy(load.facultyPage)
const Letters = lazy(load.letters)
const FollowUps = lazy(load.followUps)
const Coverage = lazy(load.coverage)
const Advising = lazy(load.advising)
const AdviseePage = lazy(load.advisee)

// The code of the view at the address starts loading with the page, while the session is
// still being checked (the module system hands the same module to lazy() later).
const viewAt = (pathname: string): (() => Promise<unknown>) | undefined => {
  const view = routeAt(pathname)
  return view === undefined ? undefined : load[view]
}
viewAt(window.location.pathname)?.().catch(() => undefined)

const dashboardsOf = (scopes: ReadonlyArray<string>): boolean =>
  scopes.includes("dashboards:read") || scopes.includes("aggregates:read")

const NotFound = () => (
  <div className="state info">
    <h1>Page not found</h1>
    <p>
      There is no view at this address. <Link to="/">Go to the overview</Link>.
    </p>
  </div>
)

const Gate = () => {
  const { state, retry } = useSession()
  switch (state.status) {
    case "checking":
      return <Loading what="Rapport" />
    case "unavailable":
      return (
        <main id="main" className="sign-in">
          <ErrorState error={state.error} retry={retry} />
        </main>
      )
    case "signed-out":
      return <SignIn notice={state.notice} />
    case "signed-in":
      return (
        <Layout>
          <Suspense fallback={<Loading what="the view" />}>
            <Routes>
              {/* a session that only advises has no school-wide views: it starts at advising */}
              <Route
                path={routes.overview}
                element={dashboardsOf(state.session.scopes) ? <Overview /> : <Advising />}
              />
              <Route path={routes.students} element={<Students />} />
              <Route path={routes.studentPage} element={<StudentPage />} />
              <Route path={routes.faculty} element={<Faculty />} />
              <Route path={routes.facultyPage} element={<FacultyPage />} />
              <Route path={routes.letters} element={<Letters />} />
              <Route path={routes.followUps} element={<FollowUps />} />
              <Route path={routes.coverage} element={<Coverage />} />
              <Route path={routes.advising} element={<Advising />} />
              <Route path={routes.advisee} element={<AdviseePage />} />
              <Route path="*" element={<NotFound />} />
            </Routes>
          </Suspense>
        </Layout>
      )
  }
}

/**
 * @since 0.1.0
 * @category components
 */
export const App = () => (
  <BrowserRouter>
    <SessionProvider>
      <Gate />
    </SessionProvider>
  </BrowserRouter>
)
