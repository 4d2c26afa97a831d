/**
 * The dashboard's own addresses, in one place: the router (App.tsx) is built from them, and
 * the build writes them to `dist/routes.json`, from which the server learns which paths are
 * the dashboard's (it serves `index.html` there and answers 404 anywhere else). A view added
 * here is known to both; one added only to the router would be a 404 on reload.
 *
 * It must never import React or anything of the browser: vite.config.ts reads it at build time.
 *
 * @since 0.4.0
 */

/**
 * Every view's path pattern, as react-router writes them (`:id` is one path segment).
 *
 * @since 0.4.0
 * @category constants
 */
export const routes = {
  overview: "/",
  students: "/students",
  studentPage: "/students/:id",
  faculty: "/faculty",
  facultyPage: "/faculty/:id",
  letters: "/letters",
  followUps: "/follow-ups",
  coverage: "/coverage",
  advising: "/advising",
  advisee: "/advising/students/:id"
} as const

/**
 * @since 0.4.0
 * @category models
 */
export type View = keyof typeof routes

/**
 * The view at a path, if any (exact: no trailing slash but on `/`).
 *
 * @since 0.4.0
 * @category operations
 */
export const viewAt = (pathname: string): View | undefined => {
  for (const [view, pattern] of Object.entries(routes)) {
    if (isView(view) && matches(pattern, pathname)) return view
  }
  return undefined
}

const isView = (key: string): key is View => Object.hasOwn(routes, key)

/**
 * Whether a path is at a pattern (`:name` stands for one non-empty segment). The server
 * matches `routes.json` the same way (apps/server/src/http/Assets.ts).
 *
 * @since 0.4.0
 * @category operations
 */
export const matches = (pattern: string, pathname: string): boolean =>
  new RegExp(`^${pattern.replace(/:[A-Za-z]+/g, "[^/]+")}$`).test(pathname)

/**
 * The file the build writes beside `index.html`, for the server.
 *
 * @since 0.4.0
 * @category constants
 */
export const manifestFile = "routes.json"
