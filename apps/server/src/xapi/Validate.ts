/**
 * Validation of xAPI statements as the specification (xAPI 2.0.0, IEEE 9274.1.1; 1.0.3
 * alike) requires of an LRS: every problem of a statement, each with its path and a
 * sentence. ADL's conformance suite was the checklist (docs/xapi.md).
 *
 * This module must never accept a statement the specification says an LRS must reject.
 *
 * @since 0.3.0
 */
import {
  ifiKeys,
  isDuration,
  isIri,
  isJsonObject as isObject,
  isTimestamp,
  isUuid,
  languagePattern,
  mboxPattern,
  sha1Pattern,
  type StatementIssue,
  versionPattern,
  voided
} from "./Statement.js"

type Path = ReadonlyArray<string | number>
type Json = Readonly<Record<string, unknown>>

class Checker {
  readonly issues: Array<StatementIssue> = []

  fail(path: Path, message: string): void {
    this.issues.push({ path, message })
  }

  object(value: unknown, path: Path, allowed: ReadonlyArray<string>, what: string): value is Json {
    if (!isObject(value)) {
      this.fail(path, `Expected ${what} (a JSON object)`)
      return false
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.fail([...path, key], `Unknown property of ${what}`)
    }
    return true
  }

  string(value: unknown, path: Path, what = "a string"): value is string {
    if (typeof value === "string") return true
    this.fail(path, `Expected ${what}`)
    return false
  }

  iri(value: unknown, path: Path): void {
    if (!isIri(value)) this.fail(path, "Expected an absolute IRI")
  }

  uuid(value: unknown, path: Path): void {
    if (!isUuid(value)) this.fail(path, "Expected a UUID")
  }

  boolean(value: unknown, path: Path): void {
    if (typeof value !== "boolean") this.fail(path, "Expected true or false")
  }

  languageMap(value: unknown, path: Path): void {
    if (!isObject(value)) {
      this.fail(path, "Expected a language map (an object of RFC 5646 language tags to strings)")
      return
    }
    for (const [tag, text] of Object.entries(value)) {
      if (!languagePattern.test(tag)) this.fail([...path, tag], "Expected an RFC 5646 language tag")
      if (typeof text !== "string") this.fail([...path, tag], "Expected a string")
    }
  }

  extensions(value: unknown, path: Path): void {
    if (!isObject(value)) {
      this.fail(path, "Expected extensions (an object whose keys are IRIs)")
      return
    }
    for (const key of Object.keys(value)) if (!isIri(key)) this.fail([...path, key], "Expected an IRI as the key")
  }

  /** an Agent or a Group; `requireType` when objectType must be given (as an object) */
  actor(value: unknown, path: Path, options: { readonly groupOnly?: boolean; readonly requireType?: boolean } = {}) {
    if (!isObject(value)) {
      this.fail(path, "Expected an Agent or a Group")
      return
    }
    const type = value.objectType
    if (type === "Group" || options.groupOnly === true) {
      if (type !== "Group") this.fail([...path, "objectType"], 'Expected "Group"')
      this.object(value, path, ["objectType", "name", "member", ...ifiKeys], "a Group")
      this.group(value, path)
      return
    }
    if (type !== undefined && type !== "Agent") this.fail([...path, "objectType"], 'Expected "Agent" or "Group"')
    if (options.requireType === true && type === undefined) this.fail([...path, "objectType"], 'Expected "Agent"')
    this.object(value, path, ["objectType", "name", ...ifiKeys], "an Agent")
    if (value.name !== undefined) this.string(value.name, [...path, "name"])
    const count = this.ifis(value, path)
    if (count !== 1) this.fail(path, `Expected exactly one of ${ifiKeys.join(", ")} (found ${count})`)
  }

  group(value: Json, path: Path): void {
    if (value.name !== undefined) this.string(value.name, [...path, "name"])
    const count = this.ifis(value, path)
    if (count > 1) this.fail(path, `Expected at most one of ${ifiKeys.join(", ")} (found ${count})`)
    if (value.member === undefined) {
      if (count === 0) this.fail([...path, "member"], "An anonymous Group needs its members")
      return
    }
    if (!Array.isArray(value.member)) {
      this.fail([...path, "member"], "Expected an array of Agents")
      return
    }
    if (count === 0 && value.member.length === 0) this.fail([...path, "member"], "An anonymous Group needs members")
    value.member.forEach((member: unknown, index) => {
      if (isObject(member) && member.objectType === "Group") this.fail([...path, "member", index], "Expected an Agent")
      else this.actor(member, [...path, "member", index])
    })
  }

  ifis(value: Json, path: Path): number {
    let count = 0
    if (value.mbox !== undefined) {
      count += 1
      if (typeof value.mbox !== "string" || !mboxPattern.test(value.mbox))
        this.fail([...path, "mbox"], 'Expected "mailto:" and an e-mail address')
    }
    if (value.mbox_sha1sum !== undefined) {
      count += 1
      if (typeof value.mbox_sha1sum !== "string" || !sha1Pattern.test(value.mbox_sha1sum))
        this.fail([...path, "mbox_sha1sum"], "Expected 40 hexadecimal digits")
    }
    if (value.openid !== undefined) {
      count += 1
      this.iri(value.openid, [...path, "openid"])
    }
    if (value.account !== undefined) {
      count += 1
      const account = value.account
      if (this.object(account, [...path, "account"], ["homePage", "name"], "an account")) {
        this.iri(account.homePage, [...path, "account", "homePage"])
        this.string(account.name, [...path, "account", "name"])
      }
    }
    return count
  }

  verb(value: unknown, path: Path): void {
    if (!this.object(value, path, ["id", "display"], "a Verb")) return
    this.iri(value.id, [...path, "id"])
    if (value.display !== undefined) this.languageMap(value.display, [...path, "display"])
  }

  activity(value: unknown, path: Path): void {
    if (!this.object(value, path, ["objectType", "id", "definition"], "an Activity")) return
    if (value.objectType !== undefined && value.objectType !== "Activity")
      this.fail([...path, "objectType"], 'Expected "Activity"')
    this.iri(value.id, [...path, "id"])
    if (value.definition !== undefined) this.definition(value.definition, [...path, "definition"])
  }

  definition(value: unknown, path: Path): void {
    const interaction = ["choices", "scale", "source", "target", "steps"]
    const allowed = [
      "name",
      "description",
      "type",
      "moreInfo",
      "extensions",
      "interactionType",
      "correctResponsesPattern",
      ...interaction
    ]
    if (!this.object(value, path, allowed, "an activity definition")) return
    if (value.name !== undefined) this.languageMap(value.name, [...path, "name"])
    if (value.description !== undefined) this.languageMap(value.description, [...path, "description"])
    if (value.type !== undefined) this.iri(value.type, [...path, "type"])
    if (value.moreInfo !== undefined) this.iri(value.moreInfo, [...path, "moreInfo"])
    if (value.extensions !== undefined) this.extensions(value.extensions, [...path, "extensions"])
    const interactionTypes = [
      "true-false",
      "choice",
      "fill-in",
      "long-fill-in",
      "matching",
      "performance",
      "sequencing",
      "likert",
      "numeric",
      "other"
    ]
    if (value.interactionType !== undefined && !interactionTypes.includes(String(value.interactionType)))
      this.fail([...path, "interactionType"], `Expected one of ${interactionTypes.join(", ")}`)
    if (value.correctResponsesPattern !== undefined && value.interactionType === undefined)
      this.fail([...path, "correctResponsesPattern"], "Only with an interactionType")
    if (value.correctResponsesPattern !== undefined) {
      if (
        !Array.isArray(value.correctResponsesPattern) ||
        value.correctResponsesPattern.some((p) => typeof p !== "string")
      )
        this.fail([...path, "correctResponsesPattern"], "Expected an array of strings")
    }
    for (const key of interaction) {
      const list = value[key]
      if (list === undefined) continue
      if (value.interactionType === undefined) this.fail([...path, key], "Only with an interactionType")
      if (!Array.isArray(list)) {
        this.fail([...path, key], "Expected an array of interaction components")
        continue
      }
      list.forEach((component: unknown, index) => {
        if (!this.object(component, [...path, key, index], ["id", "description"], "an interaction component")) return
        this.string(component.id, [...path, key, index, "id"])
        if (component.description !== undefined)
          this.languageMap(component.description, [...path, key, index, "description"])
      })
    }
  }

  statementRef(value: unknown, path: Path): void {
    if (!this.object(value, path, ["objectType", "id"], "a StatementRef")) return
    if (value.objectType !== "StatementRef") this.fail([...path, "objectType"], 'Expected "StatementRef"')
    this.uuid(value.id, [...path, "id"])
  }

  target(value: unknown, path: Path, inSubStatement: boolean): void {
    if (!isObject(value)) {
      this.fail(path, "Expected an Activity, Agent, Group, StatementRef or SubStatement")
      return
    }
    switch (value.objectType) {
      case undefined:
      case "Activity":
        this.activity(value, path)
        return
      case "Agent":
      case "Group":
        this.actor(value, path)
        return
      case "StatementRef":
        this.statementRef(value, path)
        return
      case "SubStatement":
        if (inSubStatement) this.fail([...path, "objectType"], "A SubStatement cannot hold a SubStatement")
        else this.body(value, path, true)
        return
      default:
        this.fail([...path, "objectType"], 'Expected "Activity", "Agent", "Group", "StatementRef" or "SubStatement"')
    }
  }

  result(value: unknown, path: Path): void {
    const allowed = ["score", "success", "completion", "response", "duration", "extensions"]
    if (!this.object(value, path, allowed, "a Result")) return
    if (value.score !== undefined) this.score(value.score, [...path, "score"])
    if (value.success !== undefined) this.boolean(value.success, [...path, "success"])
    if (value.completion !== undefined) this.boolean(value.completion, [...path, "completion"])
    if (value.response !== undefined) this.string(value.response, [...path, "response"])
    if (value.duration !== undefined && !isDuration(value.duration))
      this.fail([...path, "duration"], "Expected an ISO 8601 duration, e.g. PT20M")
    if (value.extensions !== undefined) this.extensions(value.extensions, [...path, "extensions"])
  }

  score(value: unknown, path: Path): void {
    if (!this.object(value, path, ["scaled", "raw", "min", "max"], "a Score")) return
    for (const key of ["scaled", "raw", "min", "max"]) {
      if (value[key] !== undefined && typeof value[key] !== "number") this.fail([...path, key], "Expected a number")
    }
    // compared only when numbers (a cast would let an object reach `<`)
    const number = (key: string): number | undefined => (typeof value[key] === "number" ? value[key] : undefined)
    const [scaled, raw, min, max] = [number("scaled"), number("raw"), number("min"), number("max")]
    if (scaled !== undefined && (scaled < -1 || scaled > 1)) this.fail([...path, "scaled"], "Expected -1 to 1")
    if (min !== undefined && max !== undefined && min >= max) this.fail([...path, "min"], "Expected less than max")
    if (raw !== undefined && min !== undefined && raw < min) this.fail([...path, "raw"], "Expected at least min")
    if (raw !== undefined && max !== undefined && raw > max) this.fail([...path, "raw"], "Expected at most max")
  }

  context(value: unknown, path: Path, objectIsActivity: boolean): void {
    const allowed = [
      "registration",
      "instructor",
      "team",
      "contextActivities",
      "contextAgents",
      "contextGroups",
      "revision",
      "platform",
      "language",
      "statement",
      "extensions"
    ]
    if (!this.object(value, path, allowed, "a Context")) return
    if (value.registration !== undefined) this.uuid(value.registration, [...path, "registration"])
    if (value.instructor !== undefined) this.actor(value.instructor, [...path, "instructor"])
    if (value.team !== undefined) this.actor(value.team, [...path, "team"], { groupOnly: true })
    if (value.revision !== undefined) {
      this.string(value.revision, [...path, "revision"])
      if (!objectIsActivity) this.fail([...path, "revision"], "Only when the object is an Activity")
    }
    if (value.platform !== undefined) {
      this.string(value.platform, [...path, "platform"])
      if (!objectIsActivity) this.fail([...path, "platform"], "Only when the object is an Activity")
    }
    if (value.language !== undefined && (typeof value.language !== "string" || !languagePattern.test(value.language)))
      this.fail([...path, "language"], "Expected an RFC 5646 language tag")
    if (value.statement !== undefined) this.statementRef(value.statement, [...path, "statement"])
    if (value.extensions !== undefined) this.extensions(value.extensions, [...path, "extensions"])
    if (value.contextActivities !== undefined) {
      const activities = value.contextActivities
      const kinds = ["parent", "grouping", "category", "other"]
      if (this.object(activities, [...path, "contextActivities"], kinds, "contextActivities")) {
        for (const kind of kinds) {
          const entry = activities[kind]
          if (entry === undefined) continue
          if (Array.isArray(entry)) {
            entry.forEach((a, i) => {
              this.activity(a, [...path, "contextActivities", kind, i])
            })
          } else this.activity(entry, [...path, "contextActivities", kind])
        }
      }
    }
    this.contextActors(value.contextAgents, [...path, "contextAgents"], "Agent")
    this.contextActors(value.contextGroups, [...path, "contextGroups"], "Group")
  }

  contextActors(value: unknown, path: Path, kind: "Agent" | "Group"): void {
    if (value === undefined) return
    if (!Array.isArray(value)) {
      this.fail(path, "Expected an array")
      return
    }
    const key = kind === "Agent" ? "agent" : "group"
    value.forEach((entry: unknown, index) => {
      if (!this.object(entry, [...path, index], ["objectType", key, "relevantTypes"], `a context ${kind}`)) return
      if (entry.objectType !== `context${kind}`) this.fail([...path, index, "objectType"], `Expected "context${kind}"`)
      this.actor(entry[key], [...path, index, key], kind === "Group" ? { groupOnly: true } : {})
      if (entry.relevantTypes !== undefined) {
        if (!Array.isArray(entry.relevantTypes) || entry.relevantTypes.length === 0)
          this.fail([...path, index, "relevantTypes"], "Expected a non-empty array of IRIs")
        else
          entry.relevantTypes.forEach((t: unknown, i) => {
            this.iri(t, [...path, index, "relevantTypes", i])
          })
      }
    })
  }

  /** what a statement and a SubStatement share */
  body(value: Json, path: Path, sub: boolean): void {
    const allowed = sub
      ? ["objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"]
      : [
          "id",
          "actor",
          "verb",
          "object",
          "result",
          "context",
          "timestamp",
          "stored",
          "authority",
          "version",
          "attachments"
        ]
    this.object(value, path, allowed, sub ? "a SubStatement" : "a Statement")
    for (const key of ["actor", "verb", "object"]) {
      if (value[key] === undefined) this.fail([...path, key], `A ${sub ? "SubStatement" : "Statement"} needs ${key}`)
    }
    if (value.actor !== undefined) this.actor(value.actor, [...path, "actor"])
    if (value.verb !== undefined) this.verb(value.verb, [...path, "verb"])
    if (value.object !== undefined) this.target(value.object, [...path, "object"], sub)
    if (value.result !== undefined) this.result(value.result, [...path, "result"])
    const object = value.object
    const objectIsActivity = isObject(object) && (object.objectType === undefined || object.objectType === "Activity")
    if (value.context !== undefined) this.context(value.context, [...path, "context"], objectIsActivity)
    if (value.timestamp !== undefined && !isTimestamp(value.timestamp))
      this.fail([...path, "timestamp"], "Expected an ISO 8601 timestamp with a time zone (never -00:00)")
    if (value.attachments !== undefined) this.attachments(value.attachments, [...path, "attachments"])
    if (isObject(value.verb) && value.verb.id === voided && !(isObject(object) && object.objectType === "StatementRef"))
      this.fail([...path, "object"], "A voiding statement's object must be a StatementRef")
  }

  /** an Agent, or an anonymous Group of exactly two Agents (an OAuth consumer and a user) */
  authority(value: unknown): void {
    this.actor(value, ["authority"])
    if (!isObject(value) || value.objectType !== "Group") return
    if (ifiKeys.some((key) => value[key] !== undefined))
      this.fail(["authority"], "An authority Group is anonymous (two Agents, no identifier)")
    if (!Array.isArray(value.member) || value.member.length !== 2)
      this.fail(["authority", "member"], "An authority Group has exactly two Agents")
  }

  attachments(value: unknown, path: Path): void {
    if (!Array.isArray(value)) {
      this.fail(path, "Expected an array of attachments")
      return
    }
    const allowed = ["usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"]
    value.forEach((attachment: unknown, index) => {
      const at = [...path, index]
      if (!this.object(attachment, at, allowed, "an attachment")) return
      this.iri(attachment.usageType, [...at, "usageType"])
      this.languageMap(attachment.display, [...at, "display"])
      if (attachment.description !== undefined) this.languageMap(attachment.description, [...at, "description"])
      this.string(attachment.contentType, [...at, "contentType"], "a media type")
      if (typeof attachment.length !== "number" || !Number.isInteger(attachment.length) || attachment.length < 0)
        this.fail([...at, "length"], "Expected a whole number of bytes")
      this.string(attachment.sha2, [...at, "sha2"], "the SHA-2 hash of the attachment")
      if (attachment.fileUrl === undefined)
        this.fail([...at, "fileUrl"], "Attachments are accepted by fileUrl only (this LRS takes no multipart bodies)")
      else this.iri(attachment.fileUrl, [...at, "fileUrl"])
    })
  }
}

/**
 * Validates one statement: every problem, each with its path.
 *
 * @since 0.3.0
 * @category operations
 */
export const validate = (value: unknown): ReadonlyArray<StatementIssue> => {
  const checker = new Checker()
  if (!isObject(value)) return [{ path: [], message: "Expected a Statement (a JSON object)" }]
  checker.body(value, [], false)
  if (value.id !== undefined) checker.uuid(value.id, ["id"])
  if (value.version !== undefined && (typeof value.version !== "string" || !versionPattern.test(value.version)))
    checker.fail(["version"], 'Expected a version starting with "1.0" or "2.0"')
  if (value.stored !== undefined && !isTimestamp(value.stored))
    checker.fail(["stored"], "Expected an ISO 8601 timestamp")
  if (value.authority !== undefined) checker.authority(value.authority)
  return checker.issues
}
