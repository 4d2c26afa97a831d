/**
 * The forms `GET /xapi/statements` answers in: `exact` (as kept), `ids` (agents, groups,
 * activities and verbs by their identifiers only) and `canonical` (one language per
 * language map: the first the client's `Accept-Language` names, else the first kept).
 * And the one normalisation applied on receipt: context activities are always arrays, as
 * the specification asks an LRS to return them.
 *
 * @since 0.3.0
 */
import { isJsonObject, type Statement } from "./Statement.js"

/**
 * @since 0.3.0
 * @category models
 */
export type Format = "exact" | "ids" | "canonical"

const agentKeys = ["actor", "instructor", "team", "authority", "member", "agent", "group"]
const activityKeys = ["object", "parent", "grouping", "category", "other"]

const idsOnly = (value: unknown, key: string): unknown => {
  if (Array.isArray(value)) return value.map((item) => idsOnly(item, key))
  if (!isJsonObject(value) || key === "extensions") return value
  if (key === "verb") return { id: value.id }
  const type = value.objectType
  if (type === "Agent" || type === "Group" || (type === undefined && agentKeys.includes(key))) {
    const { name: _name, ...rest } = value
    return rest.member === undefined ? rest : { ...rest, member: idsOnly(rest.member, "member") }
  }
  if ((type === undefined || type === "Activity") && typeof value.id === "string" && activityKeys.includes(key))
    return { id: value.id }
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = idsOnly(v, k)
  return out
}

/** the languages of an Accept-Language header, by preference */
const preferred = (acceptLanguage: string | null): ReadonlyArray<string> =>
  (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";")
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find((v) => v !== undefined)
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q) }
    })
    .filter((entry) => entry.tag !== "" && entry.tag !== "*" && entry.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((entry) => entry.tag)

const languageMapKeys = new Set(["display", "description", "name"])

const canonical = (value: unknown, languages: ReadonlyArray<string>, key: string, parent: string): unknown => {
  if (Array.isArray(value)) return value.map((item) => canonical(item, languages, key, parent))
  if (!isJsonObject(value) || key === "extensions") return value
  // `name` is a language map in an activity definition only (an agent's name is a string)
  if (languageMapKeys.has(key) && (key !== "name" || parent === "definition")) {
    const tags = Object.keys(value)
    const chosen =
      languages.flatMap((language) =>
        tags.filter((tag) => tag.toLowerCase() === language || tag.toLowerCase().startsWith(`${language}-`))
      )[0] ?? tags[0]
    return chosen === undefined ? value : { [chosen]: value[chosen] }
  }
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = canonical(v, languages, k, key)
  return out
}

/**
 * A kept statement in the form asked for.
 *
 * @since 0.3.0
 * @category operations
 */
export const formatted = (statement: Statement, format: Format, acceptLanguage: string | null): unknown =>
  format === "ids"
    ? idsOnly(statement, "")
    : format === "canonical"
      ? canonical(statement, preferred(acceptLanguage), "", "")
      : statement

/**
 * A valid statement with its context activities as arrays (in a SubStatement too).
 *
 * @since 0.3.0
 * @category operations
 */
export const normalised = (statement: Statement): Statement => {
  const withArrays = (context: unknown): unknown => {
    if (!isJsonObject(context) || !isJsonObject(context.contextActivities)) return context
    const activities: Record<string, unknown> = {}
    for (const [kind, entry] of Object.entries(context.contextActivities))
      activities[kind] = Array.isArray(entry) ? entry : [entry]
    return { ...context, contextActivities: activities }
  }
  const object = statement.object
  return {
    ...statement,
    ...(statement.context === undefined ? {} : { context: withArrays(statement.context) }),
    ...(isJsonObject(object) && object.objectType === "SubStatement" && object.context !== undefined
      ? { object: { ...object, context: withArrays(object.context) } }
      : {})
  }
}
