/**
 * A school's sign-in with its own identity provider, as data: the provider (OpenID Connect
 * and/or SAML 2.0), the rules that turn a person's groups, affiliations or entitlements into
 * Rapport scopes, the e-mail domains allowed, and whether keys may still open the dashboard.
 *
 * Also the pure decisions made at every sign-in: which scopes a person's claims grant (deny
 * by default: no rule matched, no access), whether their domain is allowed, and which faculty
 * id an employee-id claim binds them to. It never reads a clock, a file or the network, and it
 * never binds a person to anyone by name or e-mail.
 *
 * @since 0.3.0
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"

/**
 * the scopes a person's session may carry: the dashboard's reading scopes and the advising
 * scopes (an advisor's own caseload, and acting on it with the session's CSRF token), never
 * `events:write` or `admin`
 */
const PersonScope = Schema.Literals(["dashboards:read", "aggregates:read", "advising", "advising:write"])

/**
 * @since 0.3.0
 * @category models
 */
export type PersonScope = typeof PersonScope.Type

const Url = Schema.String.check(Schema.isPattern(/^https?:\/\/[^\s]+$/u), Schema.isMaxLength(2000))
const Text = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(2000))

/**
 * One rule: a person whose claim (or SAML attribute) `claim` holds `value` gets `scopes`.
 *
 * @since 0.3.0
 * @category models
 */
export const Grant = Schema.Struct({
  claim: Text,
  value: Text,
  scopes: Schema.Array(PersonScope).check(Schema.isMinLength(1))
})

/**
 * @since 0.3.0
 * @category models
 */
export type Grant = typeof Grant.Type

/**
 * A school's OpenID Connect provider.
 *
 * @since 0.3.0
 * @category models
 */
export const OidcProvider = Schema.Struct({
  /** the issuer, exactly as the provider's discovery document states it */
  issuer: Url,
  clientId: Text,
  /** the client secret itself (stored with the configuration, in the control tables) */
  clientSecret: Schema.optionalKey(Text),
  /** or the name of the environment variable of `rapport serve` that holds it (kept out of the database) */
  clientSecretEnv: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/u))),
  /** scopes asked of the provider besides `openid` (default: profile email) */
  scopes: Schema.optionalKey(Schema.Array(Text))
})

/**
 * A school's SAML 2.0 identity provider.
 *
 * @since 0.3.0
 * @category models
 */
export const SamlProvider = Schema.Struct({
  /** the identity provider's entity id: the issuer its responses must name */
  idpEntityId: Text,
  /** where people are sent to sign in (HTTP-Redirect binding) */
  idpSsoUrl: Url,
  /** where sign-out is sent (SAML single logout, HTTP-Redirect binding), if the provider has one */
  idpSloUrl: Schema.optionalKey(Url),
  /** the provider's signing certificates (PEM or base64 DER); a response or its assertion must be signed by one */
  idpCertificates: Schema.Array(Text).check(Schema.isMinLength(1))
})

/**
 * A school's sign-in configuration (`rapport sign-in set --school <id> --config <file.json>`).
 *
 * @since 0.3.0
 * @category models
 */
export const SchoolSignIn = Schema.Struct({
  /** the address people reach Rapport at; redirect, ACS and metadata URLs are made from it */
  publicUrl: Url,
  /** the provider's name on the sign-in page ("Sign in with …") */
  label: Text,
  oidc: Schema.optionalKey(OidcProvider),
  saml: Schema.optionalKey(SamlProvider),
  grants: Schema.Array(Grant),
  /** e-mail domains a person's address must be in (none listed: any) */
  allowedDomains: Schema.optionalKey(Schema.Array(Text)),
  /** the claim or attribute that holds a faculty member's employee id, which binds them to that faculty id */
  employeeIdClaim: Schema.optionalKey(Text),
  /** whether personal keys may still open the dashboard of this school (default true) */
  keySignIn: Schema.optionalKey(Schema.Boolean),
  /** how far the provider's clock may be from ours, in seconds (default 120, at most 600) */
  clockToleranceSeconds: Schema.optionalKey(Schema.Number.check(Schema.isBetween({ minimum: 0, maximum: 600 })))
}).annotate({ identifier: "SchoolSignIn" })

/**
 * @since 0.3.0
 * @category models
 */
export type SchoolSignIn = typeof SchoolSignIn.Type

/**
 * Decodes a configuration; a failure lists what is wrong, one line per problem.
 *
 * @since 0.3.0
 * @category constructors
 */
export const decode = (input: unknown): Result.Result<SchoolSignIn, ReadonlyArray<string>> => {
  const decoded = Schema.decodeUnknownResult(SchoolSignIn)(input, { errors: "all", onExcessProperty: "error" })
  if (Result.isFailure(decoded)) {
    return Result.fail(
      SchemaIssue.makeFormatterStandardSchemaV1()(decoded.failure.issue).issues.map(
        (issue) =>
          `${(issue.path ?? []).map((k) => String(typeof k === "object" ? k.key : k)).join(".")}: ${issue.message}`
      )
    )
  }
  const config = decoded.success
  if (config.oidc === undefined && config.saml === undefined) {
    return Result.fail(["a configuration needs an `oidc` or a `saml` provider (or both)"])
  }
  if (
    config.oidc !== undefined &&
    (config.oidc.clientSecret === undefined) === (config.oidc.clientSecretEnv === undefined)
  ) {
    return Result.fail([
      "oidc: give either `clientSecret` (the secret) or `clientSecretEnv` (the environment variable that holds it)"
    ])
  }
  return Result.succeed(config)
}

/**
 * The OpenID Connect client secret: the one configured, or the value of the environment
 * variable it names (undefined when that is not set).
 *
 * @since 0.3.0
 * @category operations
 */
export const clientSecretOf = (
  oidc: NonNullable<SchoolSignIn["oidc"]>,
  env: Readonly<Record<string, string | undefined>>
): string | undefined => {
  if (oidc.clientSecret !== undefined) return oidc.clientSecret
  const value = oidc.clientSecretEnv === undefined ? undefined : env[oidc.clientSecretEnv]
  return value === undefined || value === "" ? undefined : value
}

/**
 * The person as the provider described them, in one shape for both protocols.
 *
 * @since 0.3.0
 * @category models
 */
export interface Identity {
  /** the provider's stable id of the person, qualified by the provider (never an e-mail address) */
  readonly subject: string
  readonly displayName: string | null
  readonly email: string | null
  /** every claim or attribute, by name, as lists of strings */
  readonly claims: Readonly<Record<string, ReadonlyArray<string>>>
}

/**
 * The usual SAML attribute names (OIDs) and the friendly names a rule may use for them.
 *
 * @since 0.3.0
 * @category constants
 */
export const attributeNames: Readonly<Record<string, string>> = {
  "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": "eduPersonAffiliation",
  "urn:oid:1.3.6.1.4.1.5923.1.1.1.9": "eduPersonScopedAffiliation",
  "urn:oid:1.3.6.1.4.1.5923.1.1.1.7": "eduPersonEntitlement",
  "urn:oid:1.3.6.1.4.1.5923.1.1.1.6": "eduPersonPrincipalName",
  "urn:oid:1.3.6.1.4.1.5923.1.5.1.1": "isMemberOf",
  "urn:oid:0.9.2342.19200300.100.1.3": "mail",
  "urn:oid:2.16.840.1.113730.3.1.241": "displayName",
  "urn:oid:2.16.840.1.113730.3.1.3": "employeeNumber",
  "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups": "groups",
  "http://schemas.microsoft.com/identity/claims/displayname": "displayName",
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": "mail"
}

/**
 * Claims as lists of strings, under their own names and their friendly names.
 *
 * @since 0.3.0
 * @category constructors
 */
export const normalizeClaims = (raw: Readonly<Record<string, unknown>>): Record<string, ReadonlyArray<string>> => {
  const out: Record<string, Array<string>> = Object.create(null)
  const add = (name: string, value: unknown) => {
    const values = Array.isArray(value) ? value : [value]
    for (const v of values) {
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") continue
      const list = out[name] ?? []
      list.push(String(v))
      out[name] = list
    }
  }
  for (const [name, value] of Object.entries(raw)) {
    add(name, value)
    const friendly = attributeNames[name]
    if (friendly !== undefined && friendly !== name) add(friendly, value)
  }
  return out
}

/**
 * The scopes a person's claims grant under a school's rules: the union of every matching
 * rule's scopes, and none when no rule matches (deny by default).
 *
 * @since 0.3.0
 * @category operations
 */
export const scopesFor = (grants: ReadonlyArray<Grant>, identity: Identity): ReadonlyArray<PersonScope> => {
  const granted = new Set<PersonScope>()
  for (const grant of grants) {
    const values = identity.claims[grant.claim] ?? []
    if (values.includes(grant.value)) for (const scope of grant.scopes) granted.add(scope)
  }
  return [...granted].sort()
}

/**
 * Whether a person's e-mail domain is one the school allows (any, when it lists none; a
 * person without an address is refused when it lists some).
 *
 * @since 0.3.0
 * @category operations
 */
export const domainAllowed = (config: SchoolSignIn, identity: Identity): boolean => {
  const domains = config.allowedDomains ?? []
  if (domains.length === 0) return true
  const domain = identity.email?.split("@").at(-1)?.toLowerCase()
  return domain !== undefined && domains.some((allowed) => allowed.toLowerCase() === domain)
}

const facultyIdPattern = /^[A-Za-z0-9._~:@-]{1,128}$/

/**
 * The faculty id the school's employee-id claim binds a person to, if it names exactly one
 * well-formed id. Names and e-mail addresses never bind anyone.
 *
 * @since 0.3.0
 * @category operations
 */
export const facultyIdFrom = (config: SchoolSignIn, identity: Identity): string | undefined => {
  if (config.employeeIdClaim === undefined) return undefined
  const values = identity.claims[config.employeeIdClaim] ?? []
  const [only, ...rest] = values
  return only !== undefined && rest.length === 0 && facultyIdPattern.test(only) ? only : undefined
}

/**
 * The clock tolerance, in seconds.
 *
 * @since 0.3.0
 * @category operations
 */
export const clockTolerance = (config: SchoolSignIn): number => config.clockToleranceSeconds ?? 120

/**
 * Where the provider sends people back, and the SAML service provider's own addresses.
 *
 * @since 0.3.0
 * @category operations
 */
export const addresses = (config: SchoolSignIn, school: string) => {
  const base = `${config.publicUrl.replace(/\/+$/, "")}/v1/session`
  const s = encodeURIComponent(school)
  return {
    oidcCallback: `${base}/oidc/${s}/callback`,
    samlAcs: `${base}/saml/${s}/acs`,
    samlMetadata: `${base}/saml/${s}/metadata`,
    samlLogout: `${base}/saml/${s}/logout`,
    signedOut: `${config.publicUrl.replace(/\/+$/, "")}/?signed-out=1`
  }
}
