/**
 * The decisions taken at every sign-in, as pure functions: scopes from claims under the
 * school's rules (deny by default), allowed domains, the faculty id an employee-id claim
 * binds (never a name or an address), and a configuration checked whole.
 */
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import * as SignInConfig from "../../src/signin/SignInConfig.js"

const base = {
  publicUrl: "https://rapport.example.edu",
  label: "Example University",
  oidc: { issuer: "https://idp.example.edu", clientId: "rapport", clientSecret: "s3cret" },
  grants: [
    { claim: "groups", value: "rapport-deans", scopes: ["dashboards:read"] },
    { claim: "eduPersonAffiliation", value: "staff", scopes: ["aggregates:read"] }
  ]
}

const config = (extra: Record<string, unknown> = {}): SignInConfig.SchoolSignIn => {
  const decoded = SignInConfig.decode({ ...base, ...extra })
  if (Result.isFailure(decoded)) throw new Error(decoded.failure.join("; "))
  return decoded.success
}

const person = (claims: Record<string, unknown>, email: string | null = "dana@example.edu"): SignInConfig.Identity => ({
  subject: "oidc:https://idp.example.edu#dana",
  displayName: "Dana Dean",
  email,
  claims: SignInConfig.normalizeClaims(claims)
})

describe("SignInConfig.scopesFor", () => {
  it("grants the union of the matching rules, and nothing when none matches (deny by default)", () => {
    const { grants } = config()
    expect(SignInConfig.scopesFor(grants, person({ groups: ["students", "rapport-deans"] }))).toEqual([
      "dashboards:read"
    ])
    expect(
      SignInConfig.scopesFor(
        grants,
        person({ groups: "rapport-deans", "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["member", "staff"] })
      )
    ).toEqual(["aggregates:read", "dashboards:read"])
    expect(SignInConfig.scopesFor(grants, person({ groups: ["students"], name: "rapport-deans" }))).toEqual([])
    expect(SignInConfig.scopesFor([], person({ groups: ["rapport-deans"] }))).toEqual([])
    // a value that merely contains the rule's value is not it
    expect(SignInConfig.scopesFor(grants, person({ groups: "rapport-deans-alumni" }))).toEqual([])
  })

  it("never grants more than the dashboard's reading scopes", () => {
    const decoded = SignInConfig.decode({
      ...base,
      grants: [{ claim: "groups", value: "it", scopes: ["admin"] }]
    })
    expect(Result.isFailure(decoded)).toBe(true)
  })
})

describe("SignInConfig.facultyIdFrom", () => {
  it("binds by the employee-id claim only, when it holds exactly one well-formed id", () => {
    const withClaim = config({ employeeIdClaim: "employee_id" })
    expect(SignInConfig.facultyIdFrom(withClaim, person({ employee_id: "fac-001" }))).toBe("fac-001")
    expect(SignInConfig.facultyIdFrom(withClaim, person({ employee_id: ["fac-001", "fac-002"] }))).toBeUndefined()
    expect(SignInConfig.facultyIdFrom(withClaim, person({ employee_id: "fac 001; drop" }))).toBeUndefined()
    expect(SignInConfig.facultyIdFrom(withClaim, person({ name: "fac-001", email: "fac-001" }))).toBeUndefined()
    expect(SignInConfig.facultyIdFrom(config(), person({ employee_id: "fac-001" }))).toBeUndefined()
  })
})

describe("SignInConfig.domainAllowed", () => {
  it("allows any domain when none is listed, else only those listed (a person without an address is refused)", () => {
    expect(SignInConfig.domainAllowed(config(), person({}, null))).toBe(true)
    const listed = config({ allowedDomains: ["Example.edu"] })
    expect(SignInConfig.domainAllowed(listed, person({}, "dana@example.EDU"))).toBe(true)
    expect(SignInConfig.domainAllowed(listed, person({}, "dana@example.edu.evil.test"))).toBe(false)
    expect(SignInConfig.domainAllowed(listed, person({}, null))).toBe(false)
  })
})

describe("SignInConfig.decode", () => {
  it("says every problem, one line each, and needs a provider", () => {
    const decoded = SignInConfig.decode({
      ...base,
      publicUrl: "rapport.example.edu",
      clockToleranceSeconds: 9000,
      extra: 1
    })
    expect(Result.isFailure(decoded) ? decoded.failure.length : 0).toBeGreaterThanOrEqual(3)
    const { oidc: _, ...withoutProvider } = base
    expect(SignInConfig.decode(withoutProvider)).toEqual(
      Result.fail(["a configuration needs an `oidc` or a `saml` provider (or both)"])
    )
  })

  it("takes the client secret or the environment variable holding it, exactly one", () => {
    const { clientSecret: _, ...withoutSecret } = base.oidc
    const fromEnv = config({ oidc: { ...withoutSecret, clientSecretEnv: "ALPHA_OIDC_SECRET" } })
    if (fromEnv.oidc === undefined) throw new Error("no oidc")
    expect(SignInConfig.clientSecretOf(fromEnv.oidc, { ALPHA_OIDC_SECRET: "from-env" })).toBe("from-env")
    expect(SignInConfig.clientSecretOf(fromEnv.oidc, {})).toBeUndefined()
    const both = SignInConfig.decode({ ...base, oidc: { ...base.oidc, clientSecretEnv: "ALPHA_OIDC_SECRET" } })
    const neither = SignInConfig.decode({ ...base, oidc: withoutSecret })
    for (const decoded of [both, neither]) {
      expect(Result.isFailure(decoded) ? decoded.failure.join() : "").toContain("either `clientSecret`")
    }
  })

  it("makes the addresses to register from the public URL", () => {
    expect(SignInConfig.addresses(config({ publicUrl: "https://rapport.example.edu/" }), "med school")).toMatchObject({
      oidcCallback: "https://rapport.example.edu/v1/session/oidc/med%20school/callback",
      samlAcs: "https://rapport.example.edu/v1/session/saml/med%20school/acs",
      samlMetadata: "https://rapport.example.edu/v1/session/saml/med%20school/metadata"
    })
  })
})
