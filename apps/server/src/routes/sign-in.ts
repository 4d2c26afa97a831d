/**
 * Sign-in with the school's identity provider, under `/v1/session/`: the providers a
 * sign-in page offers, OpenID Connect (start, callback) and SAML 2.0 (start, assertion
 * consumer service, service-provider metadata, single-logout return).
 *
 * These routes answer browsers: a refused sign-in is a redirect to the sign-in page with a
 * short code (`?sign-in-error=failed|expired|no-access`), and its reason goes to the log
 * only. A successful one sets the same session cookie as key sign-in (HttpOnly,
 * SameSite=Strict, at most 8 hours) and redirects to the dashboard.
 *
 * @since 0.3.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { ControlUnavailable } from "../control/ControlError.js"
import type { SignInStore } from "../control/SignInStore.js"
import { problem } from "../http/Problem.js"
import { type AnyRoute, erase, route } from "../http/Route.js"
import * as Body from "../ingest/Ndjson.js"
import type { LogLine } from "../middleware/access-log/index.js"
import * as Oidc from "../signin/Oidc.js"
import * as Saml from "../signin/Saml.js"
import * as Schools from "../signin/Schools.js"
import type * as SignInConfig from "../signin/SignInConfig.js"
import { sessionCookie } from "./session.js"

const School = Schema.String.check(Schema.isPattern(/^[A-Za-z0-9._~:@-]{1,128}$/u))
const Params = Schema.Struct({ school: School })
const upTo = (max: number, description: string) =>
  Schema.optionalKey(Schema.String.check(Schema.isMaxLength(max)).annotate({ description }))

/** what an OpenID provider may put on the redirect back (RFC 6749 §4.1.2, RFC 9207, session management) */
const OidcCallbackQuery = Schema.Struct({
  code: upTo(4096, "The authorization code (Entra ID's are over a thousand characters)"),
  state: upTo(128, "The state this sign-in started with"),
  iss: upTo(2000, "The issuer (RFC 9207)"),
  error: upTo(128, "The provider's error code, when the sign-in failed there"),
  error_description: upTo(4096, "The provider's description of the error (logged, never shown)"),
  error_uri: upTo(2000, "A page about the error"),
  session_state: upTo(256, "The provider's session (Entra ID, Keycloak); unused")
})

/** what a SAML identity provider sends back after single logout (HTTP-Redirect binding) */
const SamlLogoutQuery = Schema.Struct({
  SAMLResponse: upTo(16_384, "The LogoutResponse (deflated, base64); not trusted: this route ends and grants nothing"),
  SAMLRequest: upTo(16_384, "A LogoutRequest the provider started; not acted on (the Rapport session has ended)"),
  RelayState: upTo(1024, "The relay state"),
  SigAlg: upTo(256, "The signature algorithm"),
  Signature: upTo(2048, "The signature")
})

const Providers = Schema.Struct({
  schools: Schema.Array(
    Schema.Struct({
      school: Schema.String,
      label: Schema.String,
      oidc: Schema.NullOr(Schema.String),
      saml: Schema.NullOr(Schema.String),
      keySignIn: Schema.Boolean
    })
  )
}).annotate({ identifier: "SignInProviders" })

/** the cookie that binds an OpenID Connect sign-in to the browser that started it */
const pendingCookie = "rapport_sign_in"

const cookieOf = (request: Request, name: string): string | undefined => {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=")
    if (key === name) return value.join("=")
  }
  return undefined
}

const redirect = (location: string, cookies: ReadonlyArray<string> = [], status = 302): Response => {
  const headers = new Headers({ location, "cache-control": "no-store" })
  for (const cookie of cookies) headers.append("set-cookie", cookie)
  return new Response(null, { status, headers })
}

const clearPending = `${pendingCookie}=; HttpOnly; SameSite=Lax; Path=/v1/session/; Max-Age=0`

const secure = (config: SignInConfig.SchoolSignIn): boolean => config.publicUrl.startsWith("https:")

/**
 * @since 0.3.0
 * @category models
 */
export interface SignInDeps {
  readonly signIn: SignInStore
  readonly now: () => Date
  readonly log: (line: LogLine) => void
}

const notConfigured = () => problem(404, "This school does not sign in with an identity provider here.")

/**
 * @since 0.3.0
 * @category routes
 */
export const routes = (deps: SignInDeps): ReadonlyArray<AnyRoute> => {
  const configuredOidc = (school: string) =>
    Effect.gen(function* () {
      const config = yield* Schools.configOf(deps.signIn, school)
      const provider = config?.oidc
      if (config === undefined || provider === undefined) return yield* Effect.fail(notConfigured())
      return { config, provider }
    })
  const configuredSaml = (school: string) =>
    Effect.gen(function* () {
      const config = yield* Schools.configOf(deps.signIn, school)
      const provider = config?.saml
      if (config === undefined || provider === undefined) return yield* Effect.fail(notConfigured())
      return { config, provider }
    })

  /** ends a browser sign-in: the session, or back to the sign-in page with a code */
  const conclude = (
    school: string,
    protocol: "oidc" | "saml",
    attempt: Effect.Effect<Response, Oidc.SignInRefused | ControlUnavailable>,
    status = 302
  ): Effect.Effect<Response, ControlUnavailable> =>
    Effect.catch(attempt, (error) => {
      if (!(error instanceof Oidc.SignInRefused)) return Effect.fail(error)
      deps.log({ msg: "sign-in refused", school, protocol, code: error.code, reason: error.reason })
      return Effect.succeed(
        redirect(
          `/?sign-in-error=${error.code}&school=${encodeURIComponent(school)}`,
          protocol === "oidc" ? [clearPending] : [],
          status
        )
      )
    })

  const promise = <A>(run: () => Promise<A>): Effect.Effect<A, Oidc.SignInRefused> =>
    Effect.tryPromise({
      try: run,
      catch: (error) =>
        error instanceof Oidc.SignInRefused
          ? error
          : new Oidc.SignInRefused("failed", error instanceof Error ? error.message : String(error))
    })

  return [
    erase(
      route({
        operationId: "signInProviders",
        method: "GET",
        path: "/v1/session/providers",
        tag: "session",
        summary: "The identity providers each school signs in with",
        description:
          "For the sign-in page: each school's provider (a link that starts the sign-in) and whether its people may still sign in with a key.",
        access: { _tag: "Public" },
        responses: { 200: { description: "The schools' providers", schema: Providers } },
        errors: [503],
        handle: () =>
          Effect.map(Schools.all(deps.signIn), (schools) =>
            Response.json(
              {
                schools: schools.map(([school, config]) => ({
                  school,
                  label: config.label,
                  oidc: config.oidc === undefined ? null : `/v1/session/oidc/${encodeURIComponent(school)}/start`,
                  saml: config.saml === undefined ? null : `/v1/session/saml/${encodeURIComponent(school)}/start`,
                  keySignIn: config.keySignIn ?? true
                }))
              },
              { headers: { "cache-control": "no-store" } }
            )
          )
      })
    ),
    erase(
      route({
        operationId: "oidcStart",
        method: "GET",
        path: "/v1/session/oidc/{school}/start",
        tag: "session",
        summary: "Start signing in with the school's OpenID Connect provider",
        description: "Redirects to the provider (authorization code with PKCE).",
        access: { _tag: "Public" },
        params: Params,
        responses: { 302: { description: "To the provider" } },
        errors: [404, 503],
        handle: ({ params }) =>
          Effect.gen(function* () {
            const { config, provider } = yield* configuredOidc(params.school)
            return yield* conclude(
              params.school,
              "oidc",
              Effect.gen(function* () {
                const started = yield* promise(() => Oidc.start(config, provider, params.school))
                yield* deps.signIn.putPending(
                  started.state,
                  params.school,
                  "oidc",
                  JSON.stringify(started.pending),
                  new Date(deps.now().getTime() + 10 * 60 * 1000)
                )
                return redirect(started.url.href, [
                  `${pendingCookie}=${started.state}; HttpOnly; SameSite=Lax; Path=/v1/session/; Max-Age=600${secure(config) ? "; Secure" : ""}`
                ])
              })
            )
          })
      })
    ),
    erase(
      route({
        operationId: "oidcCallback",
        method: "GET",
        path: "/v1/session/oidc/{school}/callback",
        tag: "session",
        summary: "Where the OpenID Connect provider sends the person back",
        description:
          "Takes the sign-in's state once, exchanges the code with the PKCE verifier, checks the ID token, and sets the session cookie.",
        access: { _tag: "Public" },
        params: Params,
        query: OidcCallbackQuery,
        responses: { 302: { description: "To the dashboard, or back to the sign-in page with an error code" } },
        errors: [404, 503],
        handle: ({ params, query, request }) =>
          Effect.gen(function* () {
            const school = params.school
            const { config, provider } = yield* configuredOidc(school)
            return yield* conclude(
              school,
              "oidc",
              Effect.gen(function* () {
                const state = query.state ?? ""
                const now = deps.now()
                const pending = state === "" ? undefined : yield* deps.signIn.takePending(state, now)
                if (pending === undefined || pending.kind !== "oidc") {
                  return yield* Effect.fail(
                    new Oidc.SignInRefused("expired", "unknown, used or expired state (a replay, or too slow)")
                  )
                }
                if (pending.school !== school) {
                  return yield* Effect.fail(
                    new Oidc.SignInRefused("failed", `a sign-in started for ${pending.school} came back to ${school}`)
                  )
                }
                if (cookieOf(request, pendingCookie) !== state) {
                  return yield* Effect.fail(
                    new Oidc.SignInRefused("failed", "the state is not the one this browser started")
                  )
                }
                const kept = Oidc.readPending(pending.secret)
                if (kept === undefined) {
                  return yield* Effect.fail(new Oidc.SignInRefused("expired", "the sign-in kept no nonce and verifier"))
                }
                const done = yield* promise(() =>
                  Oidc.finish({
                    config,
                    oidc: provider,
                    school,
                    query: new URL(request.url).searchParams,
                    state,
                    pending: kept,
                    now
                  })
                )
                const admitted = yield* Schools.admit({
                  store: deps.signIn,
                  school,
                  config,
                  identity: done.identity,
                  logout: { kind: "oidc", idToken: done.idToken },
                  now
                })
                return redirect("/", [sessionCookie(admitted.token, secure(config)), clearPending])
              })
            )
          })
      })
    ),
    erase(
      route({
        operationId: "samlStart",
        method: "GET",
        path: "/v1/session/saml/{school}/start",
        tag: "session",
        summary: "Start signing in with the school's SAML identity provider",
        description: "Redirects to the identity provider with an AuthnRequest (HTTP-Redirect binding).",
        access: { _tag: "Public" },
        params: Params,
        responses: { 302: { description: "To the identity provider" } },
        errors: [404, 503],
        handle: ({ params }) =>
          Effect.gen(function* () {
            const { config, provider } = yield* configuredSaml(params.school)
            const sp = Saml.serviceProvider(config, provider, params.school, deps.signIn, deps.now)
            return yield* conclude(
              params.school,
              "saml",
              Effect.map(
                promise(() => sp.getAuthorizeUrlAsync("", undefined, {})),
                (url) => redirect(url)
              )
            )
          })
      })
    ),
    erase(
      route({
        operationId: "samlAcs",
        method: "POST",
        path: "/v1/session/saml/{school}/acs",
        tag: "session",
        summary: "The assertion consumer service (HTTP-POST binding)",
        description:
          "Accepts a response only if it or its assertion is signed by the school's identity provider, names it as issuer and this service provider as audience, answers a request this school made, is within its validity window and was never used before.",
        access: { _tag: "Public" },
        params: Params,
        requestBody: {
          description: "SAMLResponse (form)",
          content: { "application/x-www-form-urlencoded": undefined }
        },
        responses: { 303: { description: "To the dashboard, or back to the sign-in page with an error code" } },
        errors: [404, 408, 413, 415, 503],
        handle: ({ params, request }) =>
          Effect.gen(function* () {
            const school = params.school
            const { config, provider } = yield* configuredSaml(school)
            const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase()
            if (type !== "application/x-www-form-urlencoded") {
              return yield* Effect.fail(problem(415, "Send the SAMLResponse as a form."))
            }
            const form = yield* Effect.tryPromise({
              // 10 s for the whole form, however it trickles
              try: () => Body.readText(request.body, 512 * 1024, 10_000, 10_000),
              catch: (error) =>
                error instanceof Body.BodyTooLarge
                  ? problem(413, "The form is larger than 512 KiB.")
                  : error instanceof Body.BodyTooSlow || error instanceof Body.BodyStalled
                    ? problem(408, "The form did not arrive whole within 10 s.")
                    : problem(400, "The form could not be read.")
            })
            const samlResponse = new URLSearchParams(form).get("SAMLResponse") ?? ""
            const sp = Saml.serviceProvider(config, provider, school, deps.signIn, deps.now)
            return yield* conclude(
              school,
              "saml",
              Effect.gen(function* () {
                const now = deps.now()
                const done = yield* promise(() =>
                  Saml.finish({ provider: sp, saml: provider, store: deps.signIn, samlResponse, now })
                )
                const admitted = yield* Schools.admit({
                  store: deps.signIn,
                  school,
                  config,
                  identity: done.identity,
                  logout: {
                    kind: "saml",
                    nameId: done.nameId,
                    nameIdFormat: done.nameIdFormat,
                    sessionIndex: done.sessionIndex
                  },
                  now
                })
                return redirect("/", [sessionCookie(admitted.token, secure(config))], 303)
              }),
              303
            )
          })
      })
    ),
    erase(
      route({
        operationId: "samlMetadata",
        method: "GET",
        path: "/v1/session/saml/{school}/metadata",
        tag: "session",
        summary: "The school's SAML service-provider metadata (its entity id is this URL)",
        access: { _tag: "Public" },
        params: Params,
        responses: { 200: { description: "SAML 2.0 metadata", contentType: "application/samlmetadata+xml" } },
        errors: [404, 503],
        handle: ({ params }) =>
          Effect.gen(function* () {
            const { config, provider } = yield* configuredSaml(params.school)
            const sp = Saml.serviceProvider(config, provider, params.school, deps.signIn, deps.now)
            return new Response(sp.generateServiceProviderMetadata(null), {
              headers: { "content-type": "application/samlmetadata+xml; charset=utf-8" }
            })
          })
      })
    ),
    erase(
      route({
        operationId: "samlLogoutReturn",
        method: "GET",
        path: "/v1/session/saml/{school}/logout",
        tag: "session",
        summary: "Where the identity provider sends the person after single logout",
        description: "The Rapport session has already ended; this only leads back to the sign-in page.",
        access: { _tag: "Public" },
        params: Params,
        query: SamlLogoutQuery,
        responses: { 302: { description: "To the sign-in page" } },
        errors: [],
        handle: () => Effect.succeed(redirect("/?signed-out=1"))
      })
    )
  ]
}
