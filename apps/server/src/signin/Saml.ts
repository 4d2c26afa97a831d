/**
 * SAML 2.0 sign-in as a service provider (`@node-saml/node-saml`): an AuthnRequest by the
 * HTTP-Redirect binding, the response read at the assertion consumer service (HTTP-POST),
 * the service provider's metadata, and single logout by redirect where the provider has it.
 *
 * A response is accepted only if the response or its assertion is signed by one of the
 * school's identity-provider certificates, its assertion names the school's identity
 * provider as issuer and this school's service provider as audience, answers a request
 * this school made (the request id is kept server-side and used once), lies within its
 * validity window (with the school's clock tolerance), and carries an assertion id never
 * seen before.
 *
 * The single-logout return is a landing page: it ends and grants nothing, so the
 * provider's LogoutResponse is not trusted and not checked (the Rapport session ended
 * before the person was sent to the provider).
 *
 * @since 0.3.0
 */
import { type CacheProvider, type Profile, SAML, ValidateInResponseTo } from "@node-saml/node-saml"
import * as Effect from "effect/Effect"
import type { SignInStore } from "../control/SignInStore.js"
import { SignInRefused } from "./Oidc.js"
import * as SignInConfig from "./SignInConfig.js"

type SamlConfig = NonNullable<SignInConfig.SchoolSignIn["saml"]>

const requestLifetimeMs = 10 * 60 * 1000

/** The request ids this school issued, in the control tables (so several instances agree). */
const cacheFor = (store: SignInStore, school: string, now: () => Date): CacheProvider => ({
  saveAsync: async (key, value) => {
    await Effect.runPromise(store.putPending(key, school, "saml", value, new Date(now().getTime() + requestLifetimeMs)))
    return { value, createdAt: now().getTime() }
  },
  getAsync: async (key) => {
    const pending = await Effect.runPromise(store.peekPending(key, now()))
    // a request another school made is no answer to this one
    return pending === undefined || pending.school !== school || pending.kind !== "saml" ? null : pending.secret
  },
  removeAsync: async (key) => {
    if (key !== null) await Effect.runPromise(store.removePending(key))
    return key
  }
})

const pem = (certificate: string): string =>
  certificate.includes("BEGIN CERTIFICATE")
    ? certificate
    : `-----BEGIN CERTIFICATE-----\n${certificate.replace(/\s+/g, "")}\n-----END CERTIFICATE-----`

/**
 * The service provider of a school.
 *
 * @since 0.3.0
 * @category constructors
 */
export const serviceProvider = (
  config: SignInConfig.SchoolSignIn,
  saml: SamlConfig,
  school: string,
  store: SignInStore,
  now: () => Date
): SAML => {
  const addresses = SignInConfig.addresses(config, school)
  return new SAML({
    entryPoint: saml.idpSsoUrl,
    issuer: addresses.samlMetadata,
    audience: addresses.samlMetadata,
    callbackUrl: addresses.samlAcs,
    idpCert: saml.idpCertificates.map(pem),
    idpIssuer: saml.idpEntityId,
    // Either the response or its assertion must be signed (node-saml refuses when neither is).
    wantAuthnResponseSigned: false,
    wantAssertionsSigned: false,
    acceptedClockSkewMs: SignInConfig.clockTolerance(config) * 1000,
    maxAssertionAgeMs: requestLifetimeMs,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: requestLifetimeMs,
    cacheProvider: cacheFor(store, school, now),
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    ...(saml.idpSloUrl === undefined ? {} : { logoutUrl: saml.idpSloUrl }),
    logoutCallbackUrl: addresses.samlLogout
  })
}

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error)

const assertionId = (profile: Profile): string | undefined => {
  const assertion = profile.getAssertion?.()
  const inner = assertion === undefined ? undefined : Reflect.get(assertion, "Assertion")
  const attributes = typeof inner === "object" && inner !== null ? Reflect.get(inner, "$") : undefined
  const id = typeof attributes === "object" && attributes !== null ? Reflect.get(attributes, "ID") : undefined
  return typeof id === "string" ? id : undefined
}

const first = (value: unknown): string | null => {
  const one = Array.isArray(value) ? value[0] : value
  return typeof one === "string" && one !== "" ? one : null
}

/**
 * Reads a response posted to the assertion consumer service.
 *
 * @since 0.3.0
 * @category operations
 */
export const finish = async (input: {
  readonly provider: SAML
  readonly saml: SamlConfig
  readonly store: SignInStore
  readonly samlResponse: string
  readonly now: Date
}): Promise<{
  readonly identity: SignInConfig.Identity
  readonly nameId: string
  readonly nameIdFormat: string | null
  readonly sessionIndex: string | null
}> => {
  let profile: Profile | null
  try {
    ;({ profile } = await input.provider.validatePostResponseAsync({ SAMLResponse: input.samlResponse }))
  } catch (error) {
    throw new SignInRefused("failed", describe(error))
  }
  if (profile === null) throw new SignInRefused("failed", "the response carried no assertion")
  // node-saml checks the issuer of logout messages only: a login assertion's is checked here
  if (profile.issuer !== input.saml.idpEntityId) {
    throw new SignInRefused(
      "failed",
      `the assertion's issuer ${String(profile.issuer)} is not the school's identity provider ${input.saml.idpEntityId}`
    )
  }
  const id = assertionId(profile)
  if (id === undefined) throw new SignInRefused("failed", "the assertion has no ID")
  const fresh = await Effect.runPromise(
    input.store.firstUse(`saml:${input.saml.idpEntityId}#${id}`, new Date(input.now.getTime() + 2 * requestLifetimeMs))
  )
  if (!fresh) throw new SignInRefused("failed", `assertion ${id} was used before (a replay)`)
  const attributes: Record<string, unknown> =
    typeof profile.attributes === "object" && profile.attributes !== null ? { ...profile.attributes } : {}
  const claims = SignInConfig.normalizeClaims(attributes)
  const persistent = profile.nameIDFormat === "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
  const stableId =
    (persistent ? profile.nameID : undefined) ??
    claims["urn:oasis:names:tc:SAML:attribute:subject-id"]?.[0] ??
    claims.eduPersonPrincipalName?.[0] ??
    profile.nameID
  return {
    identity: {
      subject: `saml:${input.saml.idpEntityId}#${stableId}`,
      displayName: first(claims.displayName),
      email: first(claims.mail) ?? first(profile.email),
      claims
    },
    nameId: profile.nameID,
    nameIdFormat: profile.nameIDFormat ?? null,
    sessionIndex: profile.sessionIndex ?? null
  }
}
