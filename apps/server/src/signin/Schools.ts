/**
 * Sign-in with a school's provider, between the protocols and the session: the school's
 * configuration read from the control tables, and the decision taken at the end of every
 * sign-in — scopes from the person's claims under the school's rules (deny by default), the
 * allowed domains, the person recorded (and bound by an employee-id claim), and a session
 * of at most eight hours that carries the scopes granted at this sign-in.
 *
 * @since 0.3.0
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type { ControlUnavailable } from "../control/ControlError.js"
import type { Person, ProviderLogout, SignInStore } from "../control/SignInStore.js"
import { SignInRefused } from "./Oidc.js"
import * as SignInConfig from "./SignInConfig.js"

/**
 * The longest a person's session lasts.
 *
 * @since 0.3.0
 * @category constants
 */
export const sessionTtlMs = 8 * 60 * 60 * 1000

/**
 * A school's sign-in configuration, if it has a valid one.
 *
 * @since 0.3.0
 * @category operations
 */
export const configOf = (
  store: SignInStore,
  school: string
): Effect.Effect<SignInConfig.SchoolSignIn | undefined, ControlUnavailable> =>
  Effect.map(store.configs(), (configs) => {
    const stored = configs.get(school)
    if (stored === undefined) return undefined
    const decoded = SignInConfig.decode(stored)
    return Result.isSuccess(decoded) ? decoded.success : undefined
  })

/**
 * Every school's valid configuration.
 *
 * @since 0.3.0
 * @category operations
 */
export const all = (
  store: SignInStore
): Effect.Effect<ReadonlyArray<readonly [string, SignInConfig.SchoolSignIn]>, ControlUnavailable> =>
  Effect.map(store.configs(), (configs) => {
    const out: Array<readonly [string, SignInConfig.SchoolSignIn]> = []
    for (const [school, stored] of configs) {
      const decoded = SignInConfig.decode(stored)
      if (Result.isSuccess(decoded)) out.push([school, decoded.success])
    }
    return out
  })

/**
 * Decides a sign-in: the person's scopes and domain checked, the person recorded, a session
 * made. Fails with `SignInRefused` ("no-access") when no rule grants a scope or the domain
 * is not allowed; nothing is recorded then.
 *
 * @since 0.3.0
 * @category operations
 */
export const admit = (input: {
  readonly store: SignInStore
  readonly school: string
  readonly config: SignInConfig.SchoolSignIn
  readonly identity: SignInConfig.Identity
  readonly logout: ProviderLogout | null
  readonly now: Date
}): Effect.Effect<
  { readonly person: Person; readonly token: string; readonly csrf: string },
  SignInRefused | ControlUnavailable
> =>
  Effect.gen(function* () {
    const { config, identity } = input
    if (!SignInConfig.domainAllowed(config, identity)) {
      return yield* Effect.fail(
        // the domain only: logs hold no personal data
        new SignInRefused(
          "no-access",
          `the e-mail domain ${identity.email?.split("@").at(-1) ?? "(no address)"} is not an allowed one`
        )
      )
    }
    const scopes = SignInConfig.scopesFor(config.grants, identity)
    if (scopes.length === 0) {
      return yield* Effect.fail(new SignInRefused("no-access", "no rule of the school grants this person a scope"))
    }
    const person = yield* input.store.recordSignIn({
      school: input.school,
      subject: identity.subject,
      displayName: identity.displayName,
      email: identity.email,
      scopes,
      facultyIdFromClaim: SignInConfig.facultyIdFrom(config, identity),
      now: input.now
    })
    const session = yield* input.store.createSession({
      personId: person.personId,
      scopes,
      logout: input.logout,
      expiresAt: new Date(input.now.getTime() + sessionTtlMs),
      now: input.now
    })
    return { person, ...session }
  })
