/**
 * `rapport keys create | list | revoke`: API keys. `create` prints the key once, alone
 * on the last line of standard output, so scripts can take it with `tail -n 1`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as ApiKeys from "../control/ApiKeys.js"
import type { ControlStore } from "../control/ControlStore.js"
import { ConfigError, load } from "../Config.js"
import { scopes as knownScopes } from "../http/Route.js"
import * as Installation from "../Installation.js"

const schoolPattern = /^[A-Za-z0-9._~:@-]{1,128}$/

type Out = (line: string) => void

/** Runs `body` on the control tables of the installation `--db` names, and closes it. */
const withControl = async (
  db: string | undefined,
  body: (control: ControlStore) => Effect.Effect<number, unknown>
): Promise<number> => {
  const installation = await Installation.open(load({ db }, process.env))
  try {
    return await Effect.runPromise(body(installation.control))
  } finally {
    await installation.close()
  }
}

/**
 * `keys create --school <id> --scopes <a,b> --name <holder>`
 *
 * @since 0.1.0
 * @category commands
 */
export const create = async (input: {
  readonly flags: {
    readonly db?: string | undefined
    readonly school?: string | undefined
    readonly scopes?: string | undefined
    readonly name?: string | undefined
  }
  readonly out: Out
}): Promise<number> => {
  const { school, name } = input.flags
  if (school === undefined || !schoolPattern.test(school)) {
    throw new ConfigError({ sentence: "keys create needs --school <id> (1–128 letters, digits or ._~:@-)." })
  }
  if (name === undefined || name.trim() === "" || name.length > 200) {
    throw new ConfigError({
      sentence: "keys create needs --name <holder>: the person or system that holds the key."
    })
  }
  const parsed = ApiKeys.parseScopes(input.flags.scopes ?? "", knownScopes)
  if (parsed.unknown.length > 0 || parsed.scopes.length === 0) {
    throw new ConfigError({
      sentence: `keys create needs --scopes, a comma-separated list of ${knownScopes.join(", ")}${parsed.unknown.length > 0 ? ` (unknown: ${parsed.unknown.join(", ")})` : ""}.`
    })
  }
  return withControl(input.flags.db, (control) =>
    Effect.gen(function* () {
      const existing = yield* control.listKeys()
      if (existing.some((key) => key.name === name && key.revokedAt === null)) {
        return yield* Effect.fail(
          new ConfigError({
            sentence: `An active key named "${name}" exists; revoke it first or choose another name.`
          })
        )
      }
      const { key, record } = yield* control.createKey({ school, name, scopes: parsed.scopes, now: new Date() })
      input.out(`Created key "${record.name}" for school ${record.school} with scopes ${record.scopes.join(",")}.`)
      input.out("It is shown only this once; store it in your secret manager:")
      input.out(key)
      return 0
    })
  )
}

/**
 * `keys list`: every key's name, school, scopes and dates (never the key itself).
 *
 * @since 0.1.0
 * @category commands
 */
export const list = (input: { readonly flags: { readonly db?: string | undefined }; readonly out: Out }) =>
  withControl(input.flags.db, (control) =>
    Effect.map(control.listKeys(), (keys) => {
      if (keys.length === 0)
        input.out("No keys yet: create one with `rapport keys create --school <id> --scopes <a,b> --name <holder>`.")
      for (const key of keys) {
        input.out(
          `${key.name}\t${key.school}\t${key.scopes.join(",")}\tcreated ${key.createdAt}${key.revokedAt === null ? "" : `\trevoked ${key.revokedAt}`}`
        )
      }
      return 0
    })
  )

/**
 * `keys revoke <name>`: the active key of that name stops working at once.
 *
 * @since 0.1.0
 * @category commands
 */
export const revoke = (input: {
  readonly flags: { readonly db?: string | undefined }
  readonly args: readonly [name: string]
  readonly out: Out
}) =>
  withControl(input.flags.db, (control) =>
    Effect.flatMap(control.revokeKey(input.args[0], new Date()), (revoked) => {
      if (!revoked) return Effect.fail(new ConfigError({ sentence: `No active key is named "${input.args[0]}".` }))
      input.out(`Revoked key "${input.args[0]}".`)
      return Effect.succeed(0)
    })
  )
