/**
 * `rapport keys create | list | revoke`: API keys. `create` prints the key once, alone
 * on the last line of standard output, so scripts can take it with `tail -n 1`.
 *
 * @since 0.1.0
 */
import { parseArgs } from "node:util"
import * as ApiKeys from "../control/ApiKeys.js"
import { ConfigError } from "../Config.js"
import { scopes as knownScopes } from "../http/Route.js"
import type { Installation } from "../Installation.js"

const schoolPattern = /^[A-Za-z0-9._~:@-]{1,128}$/

/**
 * @since 0.1.0
 * @category commands
 */
export const run = async (
  installation: Installation,
  args: ReadonlyArray<string>,
  out: (line: string) => void
): Promise<number> => {
  const [verb, ...rest] = args
  const { control } = installation
  switch (verb) {
    case "create": {
      const { values } = parseArgs({
        args: [...rest],
        options: { school: { type: "string" }, scopes: { type: "string" }, name: { type: "string" } },
        strict: true
      })
      if (values.school === undefined || !schoolPattern.test(values.school)) {
        throw new ConfigError({ sentence: "keys create needs --school <id> (1–128 letters, digits or ._~:@-)." })
      }
      if (values.name === undefined || values.name.trim() === "" || values.name.length > 200) {
        throw new ConfigError({
          sentence: "keys create needs --name <holder>: the person or system that holds the key."
        })
      }
      const parsed = ApiKeys.parseScopes(values.scopes ?? "", knownScopes)
      if (parsed.unknown.length > 0 || parsed.scopes.length === 0) {
        throw new ConfigError({
          sentence: `keys create needs --scopes, a comma-separated list of ${knownScopes.join(", ")}${parsed.unknown.length > 0 ? ` (unknown: ${parsed.unknown.join(", ")})` : ""}.`
        })
      }
      const existing = await control.listKeys()
      if (existing.some((key) => key.name === values.name && key.revokedAt === null)) {
        throw new ConfigError({
          sentence: `An active key named "${values.name}" exists; revoke it first or choose another name.`
        })
      }
      const { key, record } = await control.createKey({
        school: values.school,
        name: values.name,
        scopes: parsed.scopes,
        now: new Date()
      })
      out(`Created key "${record.name}" for school ${record.school} with scopes ${record.scopes.join(",")}.`)
      out("It is shown only this once; store it in your secret manager:")
      out(key)
      return 0
    }
    case "list": {
      const keys = await control.listKeys()
      if (keys.length === 0)
        out("No keys yet: create one with `rapport keys create --school <id> --scopes <a,b> --name <holder>`.")
      for (const key of keys) {
        out(
          `${key.name}\t${key.school}\t${key.scopes.join(",")}\tcreated ${key.createdAt}${key.revokedAt === null ? "" : `\trevoked ${key.revokedAt}`}`
        )
      }
      return 0
    }
    case "revoke": {
      const name = rest[0]
      if (name === undefined || rest.length !== 1)
        throw new ConfigError({ sentence: "keys revoke needs exactly one key name." })
      const revoked = await control.revokeKey(name, new Date())
      if (!revoked) throw new ConfigError({ sentence: `No active key is named "${name}".` })
      out(`Revoked key "${name}".`)
      return 0
    }
    default:
      throw new ConfigError({ sentence: "keys needs one of: create, list, revoke." })
  }
}
