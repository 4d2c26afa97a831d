/**
 * Who an xAPI agent is in Rapport: by `account`, when its `homePage` is one configured
 * for the source system (the key's name) and its `name` is a Rapport id; or by `mbox`,
 * through the school's directory (one entry with that address). Anything else is not
 * matched, and the statement is kept without becoming an event.
 *
 * Also where a statement is kept in the event store: in the stream of the student it
 * names (erased with them), or, when its student is not matched, in a stream of its own
 * per agent identifier, which the erasure of the directory entry it would match deletes
 * (`unmatchedStream`).
 *
 * @since 0.3.0
 */
import { Ids } from "@rapport/core"
import type { StreamId } from "@rapport/event-store"
import * as Effect from "effect/Effect"
import type { ControlUnavailable } from "../control/ControlError.js"
import { refHash } from "./StatementIndex.js"
import { ifiOf, isJsonObject } from "./Statement.js"

/**
 * @since 0.3.0
 * @category models
 */
export interface Person {
  readonly kind: "student" | "faculty"
  readonly id: string
}

/**
 * How agents are matched: the homePages configured per source system (`*` for every
 * system), and the directory lookup by e-mail address.
 *
 * @since 0.3.0
 * @category models
 */
export interface Resolver {
  readonly homePages: Readonly<Record<string, ReadonlyArray<string>>>
  readonly byEmail: (school: string, email: string) => Effect.Effect<Person | undefined, ControlUnavailable>
}

const sameHomePage = (a: string, b: string): boolean => a.replace(/\/+$/, "") === b.replace(/\/+$/, "")

/**
 * The Rapport person an agent is, expected to be of `kind`; undefined when not matched.
 *
 * @since 0.3.0
 * @category operations
 */
export const resolve = (
  resolver: Resolver,
  school: string,
  source: string,
  agent: unknown,
  kind: Person["kind"]
): Effect.Effect<Person | undefined, ControlUnavailable> => {
  if (!isJsonObject(agent) || agent.objectType === "Group") return Effect.succeed(undefined)
  const account = agent.account
  if (isJsonObject(account) && typeof account.homePage === "string" && typeof account.name === "string") {
    const configured = [...(resolver.homePages[source] ?? []), ...(resolver.homePages["*"] ?? [])]
    const homePage = account.homePage
    const ok = configured.some((page) => sameHomePage(page, homePage)) && Ids.isOpaqueId(account.name)
    return Effect.succeed(ok ? { kind, id: account.name } : undefined)
  }
  if (typeof agent.mbox === "string") {
    return Effect.map(resolver.byEmail(school, agent.mbox.slice("mailto:".length)), (person) =>
      person?.kind === kind ? person : undefined
    )
  }
  return Effect.succeed(undefined)
}

/**
 * The stream of statements whose student is not matched, per agent identifier: the
 * erasure of a directory entry deletes the stream of its address.
 *
 * @since 0.3.0
 * @category constructors
 */
export const unmatchedStream = (school: string, agent: unknown): StreamId => ({
  school,
  kind: "school",
  id: `xapi-unmatched:${refHash(ifiOf(agent) ?? "anonymous").slice(0, 48)}`
})

/**
 * The unmatched stream a directory entry's e-mail address would match.
 *
 * @since 0.3.0
 * @category constructors
 */
export const unmatchedStreamOfEmail = (school: string, email: string): StreamId =>
  unmatchedStream(school, { mbox: `mailto:${email}` })
