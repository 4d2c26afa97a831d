/**
 * `rapport sign-in set | show | remove` (a school's identity provider) and
 * `rapport people list | bind | sign-out` (the people who signed in with it).
 *
 * `set` validates the whole configuration file before storing anything and says what is
 * wrong, one line per problem; `show` never prints the client secret.
 *
 * @since 0.3.0
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { readFileSync } from "node:fs"
import { ConfigError, load } from "../Config.js"
import * as SignInStore from "../control/SignInStore.js"
import * as Installation from "../Installation.js"
import * as SignInConfig from "../signin/SignInConfig.js"

const schoolPattern = /^[A-Za-z0-9._~:@-]{1,128}$/

type Out = (line: string) => void

const withSignIn = async (
  db: string | undefined,
  body: (store: SignInStore.SignInStore) => Effect.Effect<number, unknown>
): Promise<number> => {
  const installation = await Installation.open(load({ db }, process.env))
  try {
    return await Effect.runPromise(body(SignInStore.make(installation.control.database)))
  } finally {
    await installation.close()
  }
}

const schoolFlag = (command: string, school: string | undefined): string => {
  if (school === undefined || !schoolPattern.test(school)) {
    throw new ConfigError({ sentence: `${command} needs --school <id> (1–128 letters, digits or ._~:@-).` })
  }
  return school
}

/**
 * `sign-in set --school <id> --config <file.json>`
 *
 * @since 0.3.0
 * @category commands
 */
export const set = (input: {
  readonly flags: {
    readonly db?: string | undefined
    readonly school?: string | undefined
    readonly config?: string | undefined
  }
  readonly out: Out
}): Promise<number> => {
  const school = schoolFlag("sign-in set", input.flags.school)
  const file = input.flags.config
  if (file === undefined) throw new ConfigError({ sentence: "sign-in set needs --config <file.json>." })
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"))
  } catch (error) {
    throw new ConfigError({
      sentence: `${file} could not be read as JSON: ${error instanceof Error ? error.message : String(error)}`
    })
  }
  const decoded = SignInConfig.decode(parsed)
  if (Result.isFailure(decoded)) {
    throw new ConfigError({
      sentence: `${file} is not a valid sign-in configuration:\n  ${decoded.failure.join("\n  ")}`
    })
  }
  const config = decoded.success
  return withSignIn(input.flags.db, (store) =>
    Effect.map(store.setConfig(school, config, new Date()), () => {
      const addresses = SignInConfig.addresses(config, school)
      input.out(`School ${school} signs in with ${config.label}.`)
      if (config.oidc !== undefined) {
        input.out(`OpenID Connect redirect URI: ${addresses.oidcCallback}`)
        input.out(`OpenID Connect post-logout redirect URI: ${addresses.signedOut}`)
        const variable = config.oidc.clientSecretEnv
        if (variable !== undefined) {
          input.out(`The client secret is read from ${variable} in the environment of \`rapport serve\`.`)
        }
      }
      if (config.saml !== undefined) {
        input.out(`SAML entity id and metadata: ${addresses.samlMetadata}`)
        input.out(`SAML assertion consumer service (HTTP-POST): ${addresses.samlAcs}`)
        input.out(`SAML single logout (HTTP-Redirect): ${addresses.samlLogout}`)
      }
      input.out(
        config.grants.length === 0
          ? "No grants yet: nobody can sign in until a rule maps a group to a scope."
          : `${config.grants.length} grant rule(s); anyone matching none is refused.`
      )
      input.out(`Key sign-in to the dashboard: ${config.keySignIn === false ? "off" : "on"}.`)
      return 0
    })
  )
}

/**
 * `sign-in show --school <id>`: the stored configuration, the client secret masked.
 *
 * @since 0.3.0
 * @category commands
 */
export const show = (input: {
  readonly flags: { readonly db?: string | undefined; readonly school?: string | undefined }
  readonly out: Out
}): Promise<number> => {
  const school = schoolFlag("sign-in show", input.flags.school)
  return withSignIn(input.flags.db, (store) =>
    Effect.flatMap(store.configs(), (configs) => {
      const stored = configs.get(school)
      if (stored === undefined) {
        return Effect.fail(new ConfigError({ sentence: `School ${school} has no sign-in configuration.` }))
      }
      const decoded = SignInConfig.decode(stored)
      if (Result.isFailure(decoded)) {
        return Effect.fail(new ConfigError({ sentence: `The stored configuration of ${school} is no longer valid.` }))
      }
      const config = decoded.success
      const masked =
        config.oidc?.clientSecret === undefined
          ? config
          : { ...config, oidc: { ...config.oidc, clientSecret: "(set; not shown)" } }
      for (const line of JSON.stringify(masked, null, 2).split("\n")) input.out(line)
      return Effect.succeed(0)
    })
  )
}

/**
 * `sign-in remove --school <id>`
 *
 * @since 0.3.0
 * @category commands
 */
export const remove = (input: {
  readonly flags: { readonly db?: string | undefined; readonly school?: string | undefined }
  readonly out: Out
}): Promise<number> => {
  const school = schoolFlag("sign-in remove", input.flags.school)
  return withSignIn(input.flags.db, (store) =>
    Effect.flatMap(store.removeConfig(school), (removed) => {
      if (!removed) return Effect.fail(new ConfigError({ sentence: `School ${school} has no sign-in configuration.` }))
      input.out(`School ${school} no longer signs in with an identity provider.`)
      return Effect.succeed(0)
    })
  )
}

/**
 * `people list --school <id>`
 *
 * @since 0.3.0
 * @category commands
 */
export const people = (input: {
  readonly flags: { readonly db?: string | undefined; readonly school?: string | undefined }
  readonly out: Out
}): Promise<number> => {
  const school = schoolFlag("people list", input.flags.school)
  return withSignIn(input.flags.db, (store) =>
    Effect.map(store.people(school), (list) => {
      if (list.length === 0) input.out(`Nobody has signed in at ${school} yet.`)
      for (const person of list) {
        input.out(
          [
            person.personId,
            person.displayName ?? "-",
            person.email ?? "-",
            person.facultyId === null ? "not bound" : `faculty ${person.facultyId} (by ${person.boundBy ?? "?"})`,
            person.scopes.join(",") || "-",
            `last ${person.lastSignIn}`
          ].join("\t")
        )
      }
      return 0
    })
  )
}

/**
 * `people bind <person id> --school <id> --faculty <faculty id>` (`--faculty none` unbinds)
 *
 * @since 0.3.0
 * @category commands
 */
export const bind = (input: {
  readonly flags: {
    readonly db?: string | undefined
    readonly school?: string | undefined
    readonly faculty?: string | undefined
  }
  readonly args: readonly [person: string]
  readonly out: Out
}): Promise<number> => {
  const school = schoolFlag("people bind", input.flags.school)
  const faculty = input.flags.faculty
  if (faculty === undefined || (faculty !== "none" && !schoolPattern.test(faculty))) {
    throw new ConfigError({ sentence: "people bind needs --faculty <faculty id> (or --faculty none to unbind)." })
  }
  return withSignIn(input.flags.db, (store) =>
    Effect.flatMap(store.bindFaculty(school, input.args[0], faculty === "none" ? null : faculty), (person) => {
      if (person === undefined) {
        return Effect.fail(new ConfigError({ sentence: `No person ${input.args[0]} signed in at ${school}.` }))
      }
      input.out(
        person.facultyId === null
          ? `${person.personId} is bound to no faculty id.`
          : `${person.personId} is bound to faculty ${person.facultyId}.`
      )
      return Effect.succeed(0)
    })
  )
}

/**
 * `people sign-out <person id> --school <id>`: ends every session of the person now.
 *
 * @since 0.3.0
 * @category commands
 */
export const signOut = (input: {
  readonly flags: { readonly db?: string | undefined; readonly school?: string | undefined }
  readonly args: readonly [person: string]
  readonly out: Out
}): Promise<number> => {
  const school = schoolFlag("people sign-out", input.flags.school)
  return withSignIn(input.flags.db, (store) =>
    Effect.flatMap(store.endSessionsOf(school, input.args[0]), (ended) => {
      if (ended === undefined) {
        return Effect.fail(new ConfigError({ sentence: `No person ${input.args[0]} signed in at ${school}.` }))
      }
      input.out(`Ended ${ended} session(s) of ${input.args[0]}.`)
      return Effect.succeed(0)
    })
  )
}
