/**
 * Real identity providers on loopback, inside the test process: `oidc-provider` (a certified
 * OpenID provider; its development login accepts any user name, whose claims come from the
 * table given here) and a SAML identity provider built with `samlify`, whose login page
 * signs in the user typed and posts a response to the service provider. The SAML provider
 * can be told to misbehave for the next response (unsigned, signed with another key, for
 * another audience, expired, from a skewed clock) so that refusals are tested against a
 * real one.
 *
 * It must never listen on anything but 127.0.0.1, nor keep a key after the test.
 *
 * @since 0.3.0
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import Provider from "oidc-provider"
import * as samlify from "samlify"

/**
 * @since 0.3.0
 * @category models
 */
export type Claims = Readonly<Record<string, string | ReadonlyArray<string>>>

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)))

const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })

/**
 * How the OpenID provider issues the next ID tokens.
 *
 * @since 0.3.0
 * @category models
 */
export interface IdTokenBehaviour {
  /** the issue time this many seconds from the real time (a provider whose clock is off) */
  readonly skewSeconds?: number
  /** the audience, when not the client that asked */
  readonly audience?: string
}

/**
 * An OpenID provider with one client per school.
 *
 * @since 0.3.0
 * @category constructors
 */
export const startOidc = async (options: {
  readonly people: Readonly<Record<string, Claims>>
  readonly clients: ReadonlyArray<{
    readonly clientId: string
    readonly secret: string
    readonly redirectUri: string
    readonly signedOut: string
  }>
}) => {
  const server = createServer()
  const port = await listen(server)
  const issuer = `http://127.0.0.1:${port}`
  const provider = new Provider(issuer, {
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.secret,
      redirect_uris: [c.redirectUri],
      post_logout_redirect_uris: [c.signedOut],
      grant_types: ["authorization_code"],
      response_types: ["code"]
    })),
    pkce: { required: () => true },
    conformIdTokenClaims: false,
    claims: { openid: ["sub"], profile: ["name", "groups", "employee_id"], email: ["email"] },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ["rapport-e2e-cookie-key"] },
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, ...(options.people[id] ?? {}) })
    })
  })
  // How the next ID tokens are issued, each signed by the provider as usual: from a clock
  // that is off (oidc-provider keeps an `iat` set on the token), or for another audience (the
  // client as the token sees it, with another client id).
  let idTokens: IdTokenBehaviour = {}
  const issue = provider.IdToken.prototype.issue
  provider.IdToken.prototype.issue = function (this: InstanceType<typeof provider.IdToken>, context) {
    if (idTokens.skewSeconds !== undefined) this.set("iat", Math.floor(Date.now() / 1000) + idTokens.skewSeconds)
    if (idTokens.audience !== undefined) {
      Object.defineProperty(this, "client", {
        value: Object.create(this.client, { clientId: { value: idTokens.audience } })
      })
    }
    return issue.call(this, context)
  }
  // Holding a redirect: the person's browser gets a page instead of the redirect back to the
  // relying party, and the test gets the address (with its code and state) unused.
  let hold: ((location: string) => boolean) | undefined
  const held: Array<string> = []
  provider.use(async (ctx, next) => {
    await next()
    const location: unknown = ctx.response.get("location")
    if (hold !== undefined && typeof location === "string" && location !== "" && hold(location)) {
      held.push(location)
      ctx.remove("location")
      ctx.status = 200
      ctx.type = "html"
      ctx.body = "<!doctype html><title>Held</title><h1>Held by the test</h1>"
    }
  })
  server.on("request", provider.callback())
  return {
    issuer,
    port,
    /** how the ID tokens issued from now on are made ({}: as usual) */
    issueIdTokens: (next: IdTokenBehaviour) => {
      idTokens = next
    },
    /** holds every redirect whose address passes `predicate` (undefined: none) */
    holdRedirects: (predicate: ((location: string) => boolean) | undefined) => {
      hold = predicate
    },
    held: () => [...held],
    stop: () => close(server)
  }
}

/**
 * A key pair and a self-signed certificate (openssl), in PEM.
 *
 * @since 0.3.0
 * @category constructors
 */
export const signingKey = (): { readonly key: string; readonly cert: string } => {
  const dir = mkdtempSync(join(tmpdir(), "rapport-saml-key-"))
  try {
    const result = spawnSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=rapport-e2e-idp",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem")
      ],
      { encoding: "utf8" }
    )
    if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`)
    return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * How the SAML identity provider answers the next sign-in.
 *
 * @since 0.3.0
 * @category models
 */
export interface SamlBehaviour {
  /** which parts are signed, and with which key ("other": a key the service provider does not know) */
  readonly sign: "assertion" | "response" | "none" | "other"
  /** the audience, when not the service provider's own entity id */
  readonly audience?: string
  /** shifts every instant of the response (a skewed clock; an old response) */
  readonly shiftMs?: number
  /** the issuer the response and its assertion name, when not this provider's entity id */
  readonly issuer?: string
}

const xmlText = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;")

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let body = ""
    request.setEncoding("utf8")
    request.on("data", (chunk: string) => {
      body += chunk
    })
    request.on("end", () => resolve(body))
    request.on("error", reject)
  })

const attributeStatement = (claims: Claims): string =>
  `<saml:AttributeStatement>${Object.entries(claims)
    .map(
      ([name, value]) =>
        `<saml:Attribute Name="${xmlText(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${(Array.isArray(
          value
        )
          ? value
          : [value]
        )
          .map((v) => `<saml:AttributeValue xsi:type="xs:string">${xmlText(v)}</saml:AttributeValue>`)
          .join("")}</saml:Attribute>`
    )
    .join("")}</saml:AttributeStatement>`

/**
 * A SAML identity provider (HTTP-Redirect in, HTTP-POST out) with a login page.
 *
 * @since 0.3.0
 * @category constructors
 */
export const startSaml = async (options: { readonly people: Readonly<Record<string, Claims>> }) => {
  samlify.setSchemaValidator({ validate: async () => "skipped" })
  const server = createServer()
  const port = await listen(server)
  const base = `http://127.0.0.1:${port}`
  const entityId = `${base}/idp`
  const key = signingKey()
  const otherKey = signingKey()
  const idpWith = (signing: { key: string; cert: string }) =>
    samlify.IdentityProvider({
      entityID: entityId,
      signingCert: signing.cert,
      privateKey: signing.key,
      wantAuthnRequestsSigned: false,
      nameIDFormat: ["urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"],
      singleSignOnService: [{ Binding: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", Location: `${base}/sso` }],
      singleLogoutService: [{ Binding: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", Location: `${base}/slo` }]
    })
  const idp = idpWith(key)
  const otherIdp = idpWith(otherKey)
  let behaviour: SamlBehaviour = { sign: "assertion" }
  /** every response posted, so that a test can replay one */
  const responses: Array<{ readonly acs: string; readonly samlResponse: string }> = []
  let logouts = 0

  const respond = async (acs: string, spEntityId: string, requestId: string, user: string) => {
    const now = Date.now() + (behaviour.shiftMs ?? 0)
    const iso = (ms: number) => new Date(ms).toISOString()
    const sp = samlify.ServiceProvider({
      entityID: spEntityId,
      assertionConsumerService: [{ Binding: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST", Location: acs }],
      wantAssertionsSigned: behaviour.sign === "assertion" || behaviour.sign === "other",
      wantMessageSigned: behaviour.sign === "response"
    })
    const values = {
      ID: `_r${crypto.randomUUID()}`,
      AssertionID: `_a${crypto.randomUUID()}`,
      Destination: acs,
      Audience: behaviour.audience ?? spEntityId,
      SubjectRecipient: acs,
      Issuer: behaviour.issuer ?? entityId,
      IssueInstant: iso(now),
      StatusCode: "urn:oasis:names:tc:SAML:2.0:status:Success",
      ConditionsNotBefore: iso(now - 1000),
      ConditionsNotOnOrAfter: iso(now + 5 * 60_000),
      SubjectConfirmationDataNotOnOrAfter: iso(now + 5 * 60_000),
      NameIDFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
      NameID: `id-${user}`,
      InResponseTo: requestId,
      AuthnStatement: "",
      AttributeStatement: ""
    }
    // samlify escapes the values it puts in a template: the statements go in as XML afterwards
    const statements = `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="_s-${user}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>${attributeStatement(options.people[user] ?? {})}`
    const xml = samlify.SamlLib.replaceTagsByValue(
      samlify.SamlLib.defaultLoginResponseTemplate.context,
      values
    ).replace("</saml:Conditions></saml:Assertion>", `</saml:Conditions>${statements}</saml:Assertion>`)
    if (behaviour.sign === "none") return Buffer.from(xml).toString("base64")
    const signer = behaviour.sign === "other" ? otherIdp : idp
    const made = await signer.createLoginResponse(
      sp,
      { extract: { request: { id: requestId } } },
      "post",
      {},
      (template: string) => ({
        id: values.ID,
        context: template === "" ? xml : xml
      })
    )
    return made.context
  }

  server.on("request", async (request, response) => {
    try {
      const url = new URL(request.url ?? "/", base)
      if (url.pathname === "/sso") {
        // the login page: the request travels on in a hidden field
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" })
        response.end(`<!doctype html><title>Test university login</title><h1>Test university login</h1>
<form method="post" action="/login"><input type="hidden" name="SAMLRequest" value="${xmlText(url.searchParams.get("SAMLRequest") ?? "")}">
<label>User name <input name="user"></label><button type="submit">Log in</button></form>`)
        return
      }
      if (url.pathname === "/login" && request.method === "POST") {
        const form = new URLSearchParams(await readBody(request))
        const deflated = Buffer.from(form.get("SAMLRequest") ?? "", "base64")
        const { inflateRawSync } = await import("node:zlib")
        const requestXml = inflateRawSync(deflated).toString("utf8")
        const requestId = /\sID="([^"]+)"/.exec(requestXml)?.[1] ?? ""
        const acs = /AssertionConsumerServiceURL="([^"]+)"/.exec(requestXml)?.[1] ?? ""
        const spEntityId = /<saml:Issuer[^>]*>([^<]+)</.exec(requestXml)?.[1] ?? ""
        const samlResponse = await respond(acs, spEntityId, requestId, form.get("user") ?? "")
        responses.push({ acs, samlResponse })
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" })
        response.end(`<!doctype html><title>Signing you in</title>
<form method="post" action="${xmlText(acs)}"><input type="hidden" name="SAMLResponse" value="${samlResponse}"><button type="submit">Continue</button></form>
<script>document.forms[0].submit()</script>`)
        return
      }
      if (url.pathname === "/slo") {
        logouts += 1
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" })
        response.end("<!doctype html><title>Signed out</title><h1>You are signed out of the test university</h1>")
        return
      }
      response.writeHead(404)
      response.end()
    } catch (error) {
      response.writeHead(500, { "content-type": "text/plain" })
      response.end(String(error))
    }
  })
  return {
    entityId,
    ssoUrl: `${base}/sso`,
    sloUrl: `${base}/slo`,
    cert: key.cert,
    behave: (next: SamlBehaviour) => {
      behaviour = next
    },
    responses: () => [...responses],
    logouts: () => logouts,
    stop: () => close(server)
  }
}
