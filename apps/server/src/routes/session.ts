/**
 * Dashboard sign-in: a person's own `dashboards:read` or `aggregates:read` key is
 * exchanged for an httpOnly, SameSite=Strict session cookie that carries only those
 * reading scopes. The key never reaches the browser's storage; the CSRF token (kept in
 * the page's memory) must accompany every state-changing request made with the cookie.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { ControlStore } from "../control/ControlStore.js"
import * as SignInStore from "../control/SignInStore.js"
import * as Oidc from "../signin/Oidc.js"
import * as Saml from "../signin/Saml.js"
import * as Schools from "../signin/Schools.js"
import { problem, ProblemType } from "../http/Problem.js"
import { type AnyRoute, erase, route, sessionScopes } from "../http/Route.js"
import { sameToken } from "../middleware/auth/index.js"
import { readJsonBody } from "./body.js"

const SignIn = Schema.Struct({ key: Schema.String.check(Schema.isMaxLength(200)) }).annotate({ identifier: "SignIn" })
const Session = Schema.Struct({
  school: Schema.String,
  keyName: Schema.String,
  scopes: Schema.Array(Schema.String),
  csrfToken: Schema.String,
  /** a person signed in with the school's identity provider (absent for key sign-in) */
  person: Schema.optionalKey(
    Schema.Struct({ id: Schema.String, name: Schema.NullOr(Schema.String), facultyId: Schema.NullOr(Schema.String) })
  )
}).annotate({ identifier: "Session" })

const SignedOut = Schema.Struct({
  /** where to send the browser to end the session at the identity provider too, if it can */
  providerSignOut: Schema.NullOr(Schema.String)
}).annotate({ identifier: "SignedOut" })

/**
 * @since 0.1.0
 * @category constants
 */
export const cookieName = "rapport_session"

const ttlMs = 8 * 60 * 60 * 1000

const cookieOf = (request: Request): string | undefined => {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=")
    if (name === cookieName) return value.join("=")
  }
  return undefined
}

/**
 * The session cookie for a session token.
 *
 * @since 0.3.0
 * @category constructors
 */
export const sessionCookie = (token: string, secure: boolean): string =>
  `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${ttlMs / 1000}${secure ? "; Secure" : ""}`

const json = (body: unknown): Response =>
  new Response(JSON.stringify(body), {
    status: 200,
    headers: { "content-type": "application/json", "cache-control": "no-store" }
  })

const personBody = (session: SignInStore.PersonSession) => ({
  school: session.person.school,
  keyName: SignInStore.label(session.person),
  scopes: session.scopes,
  csrfToken: session.csrf,
  person: {
    id: session.person.personId,
    name: session.person.displayName ?? session.person.email,
    facultyId: session.person.facultyId
  }
})

const secure = (request: Request): boolean =>
  new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https"

/**
 * @since 0.1.0
 * @category routes
 */
export const routes = (deps: {
  readonly control: ControlStore
  readonly signIn: SignInStore.SignInStore
  readonly now: () => Date
}): ReadonlyArray<AnyRoute> => [
  erase(
    route({
      operationId: "signIn",
      method: "POST",
      path: "/v1/session",
      tag: "session",
      summary: "Sign in to the dashboard with your own key",
      description:
        "Answers with an httpOnly, SameSite=Strict session cookie and a CSRF token for later state-changing requests.",
      access: { _tag: "Public" },
      requestBody: { description: "Your API key", content: { "application/json": SignIn } },
      responses: { 200: { description: "Signed in", schema: Session } },
      errors: [400, 401, 403, 408, 413, 415, 429, 503],
      handle: ({ request }) =>
        Effect.gen(function* () {
          const body = yield* readJsonBody(request, SignIn, 4096)
          const key = yield* deps.control.verifyKey(body.key)
          if (key === undefined) return yield* Effect.fail(problem(401, "This key is not valid (or was revoked)."))
          if (sessionScopes(key.scopes).length === 0) {
            return yield* Effect.fail(
              problem(403, "The dashboard needs a key with dashboards:read, aggregates:read or advising.")
            )
          }
          const school = yield* Schools.configOf(deps.signIn, key.school)
          if (school?.keySignIn === false) {
            return yield* Effect.fail(
              problem(403, "This school signs in with its identity provider: keys cannot open its dashboard.")
            )
          }
          const session = yield* deps.control.createSession(key.publicId, deps.now(), ttlMs)
          const cookie = sessionCookie(session.token, secure(request))
          return new Response(
            JSON.stringify({
              school: key.school,
              keyName: key.name,
              scopes: sessionScopes(key.scopes),
              csrfToken: session.csrf
            }),
            {
              status: 200,
              headers: { "content-type": "application/json", "set-cookie": cookie, "cache-control": "no-store" }
            }
          )
        })
    })
  ),
  erase(
    route({
      operationId: "currentSession",
      method: "GET",
      path: "/v1/session",
      tag: "session",
      summary: "The signed-in session (and its CSRF token)",
      access: { _tag: "Public" },
      responses: { 200: { description: "Signed in", schema: Session } },
      errors: [401, 503],
      handle: ({ request }) =>
        Effect.gen(function* () {
          const token = cookieOf(request)
          const session = token === undefined ? undefined : yield* deps.control.session(token, deps.now())
          if (session === undefined) {
            const person = token === undefined ? undefined : yield* deps.signIn.session(token, deps.now())
            if (person !== undefined) return json(personBody(person))
            return yield* Effect.fail(problem(401, "Not signed in."))
          }
          return new Response(
            JSON.stringify({
              school: session.key.school,
              keyName: session.key.name,
              scopes: sessionScopes(session.key.scopes),
              csrfToken: session.csrf
            }),
            { status: 200, headers: { "content-type": "application/json", "cache-control": "no-store" } }
          )
        })
    })
  ),
  erase(
    route({
      operationId: "signOut",
      method: "DELETE",
      path: "/v1/session",
      tag: "session",
      summary: "Sign out",
      description:
        "Needs the session's CSRF token in `x-csrf-token`. A key's session answers 204; a person's session (signed in with the school's identity provider) answers 200 with the address that ends the session at the provider too, where it supports that.",
      access: { _tag: "Public" },
      responses: {
        200: { description: "Signed out; go to providerSignOut to sign out at the provider", schema: SignedOut },
        204: { description: "Signed out" }
      },
      errors: [401, 403, 503],
      handle: ({ request }) =>
        Effect.gen(function* () {
          const token = cookieOf(request)
          const person = token === undefined ? undefined : yield* deps.signIn.session(token, deps.now())
          if (token !== undefined && person !== undefined) {
            if (!sameToken(request.headers.get("x-csrf-token") ?? undefined, person.csrf)) {
              return yield* Effect.fail(
                problem(403, "Signing out needs the session's CSRF token in x-csrf-token.", { type: ProblemType.csrf })
              )
            }
            yield* deps.signIn.endSession(token)
            const providerSignOut = yield* providerSignOutUrl(deps, person)
            return new Response(JSON.stringify({ providerSignOut }), {
              status: 200,
              headers: {
                "content-type": "application/json",
                "cache-control": "no-store",
                "set-cookie": `${cookieName}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`
              }
            })
          }
          const session = token === undefined ? undefined : yield* deps.control.session(token, deps.now())
          if (token === undefined || session === undefined) return yield* Effect.fail(problem(401, "Not signed in."))
          if (!sameToken(request.headers.get("x-csrf-token") ?? undefined, session.csrf)) {
            return yield* Effect.fail(
              problem(403, "Signing out needs the session's CSRF token in x-csrf-token.", { type: ProblemType.csrf })
            )
          }
          yield* deps.control.endSession(token)
          return new Response(null, {
            status: 204,
            headers: { "set-cookie": `${cookieName}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` }
          })
        })
    })
  )
]

/** Where the provider ends its own session (RP-initiated logout, SAML single logout), if it can. */
const providerSignOutUrl = (
  deps: { readonly signIn: SignInStore.SignInStore; readonly now: () => Date },
  session: SignInStore.PersonSession
) =>
  Effect.gen(function* () {
    const logout = session.logout
    const school = session.person.school
    const config = yield* Schools.configOf(deps.signIn, school)
    if (logout === null || config === undefined) return null
    const attempt = (run: () => Promise<string | null>) => Effect.promise(() => run().catch(() => null))
    if (logout.kind === "oidc" && config.oidc !== undefined) {
      const oidc = config.oidc
      return yield* attempt(async () => (await Oidc.logoutUrl(config, oidc, school, logout.idToken))?.href ?? null)
    }
    if (logout.kind === "saml" && config.saml?.idpSloUrl !== undefined) {
      const sp = Saml.serviceProvider(config, config.saml, school, deps.signIn, deps.now)
      return yield* attempt(() =>
        sp.getLogoutUrlAsync(
          {
            issuer: config.saml?.idpEntityId ?? "",
            nameID: logout.nameId,
            nameIDFormat: logout.nameIdFormat ?? "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
            ...(logout.sessionIndex === null ? {} : { sessionIndex: logout.sessionIndex })
          },
          "",
          {}
        )
      )
    }
    return null
  })
