/**
 * OpenID Connect sign-in as a relying party (`openid-client`): the authorization code flow
 * with PKCE (S256), a fresh `state` and `nonce` per sign-in kept server-side and taken once,
 * and the ID token checked for issuer, audience, signature, expiry, nonce — and for an
 * issue time within the school's clock tolerance of ours, which openid-client does not check
 * on the future side.
 *
 * It must never accept a token without a nonce it issued, nor talk plain HTTP to a provider
 * other than on loopback.
 *
 * @since 0.3.0
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as client from "openid-client"
import * as SignInConfig from "./SignInConfig.js"

type OidcConfig = NonNullable<SignInConfig.SchoolSignIn["oidc"]>

/**
 * A sign-in refused, with the reason for the log (never shown to the person).
 *
 * @since 0.3.0
 * @category errors
 */
export class SignInRefused extends Error {
  override readonly name = "SignInRefused"
  constructor(
    readonly code: "failed" | "expired" | "no-access",
    readonly reason: string
  ) {
    super(reason)
  }
}

const loopback = (url: URL): boolean => ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)

const configurations = new Map<string, Promise<client.Configuration>>()

/** The provider's configuration (discovery), kept per issuer and client while it works. */
const configuration = (oidc: OidcConfig, tolerance: number): Promise<client.Configuration> => {
  const secret = SignInConfig.clientSecretOf(oidc, process.env)
  if (secret === undefined) {
    return Promise.reject(
      new SignInRefused("failed", `the environment variable ${oidc.clientSecretEnv} (the client secret) is not set`)
    )
  }
  const cacheKey = JSON.stringify([oidc.issuer, oidc.clientId, secret, tolerance])
  const cached = configurations.get(cacheKey)
  if (cached !== undefined) return cached
  const issuer = new URL(oidc.issuer)
  const found = client
    .discovery(
      issuer,
      oidc.clientId,
      { [client.clockTolerance]: tolerance },
      client.ClientSecretBasic(secret),
      issuer.protocol === "http:" && loopback(issuer) ? { execute: [client.allowInsecureRequests] } : {}
    )
    .catch((error: unknown) => {
      configurations.delete(cacheKey)
      throw new SignInRefused("failed", `discovery of ${oidc.issuer} failed: ${describe(error)}`)
    })
  configurations.set(cacheKey, found)
  return found
}

/** the error and what caused it (openid-client says which claim is wrong only in the cause) */
const describe = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error)
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : ""
  return `${error.name}: ${error.message}${cause}`
}

/**
 * What a sign-in keeps server-side between the redirect and the callback.
 *
 * @since 0.3.0
 * @category models
 */
export const Pending = Schema.Struct({ nonce: Schema.String, verifier: Schema.String })

/**
 * @since 0.3.0
 * @category models
 */
export type Pending = typeof Pending.Type

/**
 * What `start` kept, read back; undefined if it is not (a row from another version).
 *
 * @since 0.3.0
 * @category constructors
 */
export const readPending = (stored: string): Pending | undefined =>
  Result.getOrUndefined(Schema.decodeUnknownResult(Schema.fromJsonString(Pending))(stored))

/**
 * The provider's authorization URL for a new sign-in, with its state and what to keep.
 *
 * @since 0.3.0
 * @category operations
 */
export const start = async (
  config: SignInConfig.SchoolSignIn,
  oidc: OidcConfig,
  school: string
): Promise<{ readonly url: URL; readonly state: string; readonly pending: Pending }> => {
  const found = await configuration(oidc, SignInConfig.clockTolerance(config))
  const verifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const nonce = client.randomNonce()
  const url = client.buildAuthorizationUrl(found, {
    redirect_uri: SignInConfig.addresses(config, school).oidcCallback,
    scope: ["openid", ...(oidc.scopes ?? ["profile", "email"])].join(" "),
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce
  })
  return { url, state, pending: { nonce, verifier } }
}

const strings = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null)

/**
 * Completes a sign-in from the callback's query: the code exchanged with the verifier, the
 * ID token checked, the person described.
 *
 * @since 0.3.0
 * @category operations
 */
export const finish = async (input: {
  readonly config: SignInConfig.SchoolSignIn
  readonly oidc: OidcConfig
  readonly school: string
  readonly query: URLSearchParams
  readonly state: string
  readonly pending: Pending
  readonly now: Date
}): Promise<{ readonly identity: SignInConfig.Identity; readonly idToken: string }> => {
  const tolerance = SignInConfig.clockTolerance(input.config)
  const found = await configuration(input.oidc, tolerance)
  const current = new URL(SignInConfig.addresses(input.config, input.school).oidcCallback)
  current.search = input.query.toString()
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>
  try {
    tokens = await client.authorizationCodeGrant(found, current, {
      pkceCodeVerifier: input.pending.verifier,
      expectedState: input.state,
      expectedNonce: input.pending.nonce,
      idTokenExpected: true
    })
  } catch (error) {
    throw new SignInRefused("failed", describe(error))
  }
  const claims = tokens.claims()
  const idToken = tokens.id_token
  if (claims === undefined || idToken === undefined) throw new SignInRefused("failed", "no ID token")
  const skew = Math.abs(claims.iat - Math.floor(input.now.getTime() / 1000))
  if (skew > tolerance) {
    throw new SignInRefused(
      "failed",
      `the ID token was issued ${skew} s from our clock (tolerance ${tolerance} s): a clock is too far off`
    )
  }
  const raw: Record<string, unknown> = { ...claims }
  const identity: SignInConfig.Identity = {
    subject: `oidc:${claims.iss}#${claims.sub}`,
    displayName: strings(raw.name) ?? strings(raw.preferred_username),
    email: strings(raw.email),
    claims: SignInConfig.normalizeClaims(raw)
  }
  return { identity, idToken }
}

/**
 * Where to send a person to end their session at the provider (RP-initiated logout), if it
 * has an end-session endpoint.
 *
 * @since 0.3.0
 * @category operations
 */
export const logoutUrl = async (
  config: SignInConfig.SchoolSignIn,
  oidc: OidcConfig,
  school: string,
  idToken: string
): Promise<URL | null> => {
  const found = await configuration(oidc, SignInConfig.clockTolerance(config))
  if (found.serverMetadata().end_session_endpoint === undefined) return null
  return client.buildEndSessionUrl(found, {
    id_token_hint: idToken,
    post_logout_redirect_uri: SignInConfig.addresses(config, school).signedOut
  })
}
