/**
 * Rapport's xAPI profile: which statements become which Rapport events. Each template
 * names its verb, the shape of its object, where the student and the faculty member are,
 * and the extensions that carry the event's choices. `match` reads a valid statement and
 * says which template it follows (with the agents to resolve and the data to fill in), or
 * why it follows none. `document` is the profile as JSON-LD (xAPI Profiles 1.0), served at
 * `GET /xapi/profile` and shown in docs/xapi.md.
 *
 * Pure: this module never resolves an agent, reads a clock or stores anything.
 *
 * @since 0.3.0
 */
import { durationMinutes, isJsonObject, type Statement } from "./Statement.js"

/**
 * @since 0.3.0
 * @category constants
 */
export const profileIri = "https://rapport.dev/xapi/profile"

/**
 * @since 0.3.0
 * @category constants
 */
export const profileVersionIri = "https://rapport.dev/xapi/profile/v1"

const ext = (name: string) => `https://rapport.dev/xapi/extensions/${name}`
const activityType = (name: string) => `https://rapport.dev/xapi/activity-types/${name}`

/**
 * The IRIs the profile uses.
 *
 * @since 0.3.0
 * @category constants
 */
export const Iri = {
  attended: "http://adlnet.gov/expapi/verbs/attended",
  mentored: "http://id.tincanapi.com/verb/mentored",
  commented: "http://adlnet.gov/expapi/verbs/commented",
  acknowledge: "http://activitystrea.ms/schema/1.0/acknowledge",
  author: "http://activitystrea.ms/schema/1.0/author",
  interviewed: "http://id.tincanapi.com/verb/interviewed",
  join: "http://activitystrea.ms/schema/1.0/join",
  meeting: "http://adlnet.gov/expapi/activities/meeting",
  officeHours: activityType("office-hours"),
  clinicalEncounter: activityType("clinical-encounter"),
  letter: activityType("letter-of-recommendation"),
  researchProject: activityType("research-project"),
  support: activityType("support"),
  student: ext("student"),
  topic: ext("topic"),
  topics: ext("topics"),
  initiatedBy: ext("initiated-by"),
  setting: ext("setting"),
  domains: ext("domains"),
  kind: ext("kind"),
  channel: ext("channel"),
  letterId: ext("letter-id"),
  projectId: ext("project-id"),
  role: ext("role")
} as const

/**
 * Where an agent of a template stands in the statement.
 *
 * @since 0.3.0
 * @category models
 */
export type Place = "actor" | "object" | "instructor" | "student extension"

/**
 * A statement that follows a template: the agents to resolve, and the event's data once
 * they are resolved.
 *
 * @since 0.3.0
 * @category models
 */
export interface Matched {
  readonly _tag: "Matched"
  readonly type: string
  readonly student: { readonly place: Place; readonly agent: unknown }
  readonly faculty: { readonly place: Place; readonly agent: unknown }
  /** the event's data without `studentId` and `facultyId` */
  readonly data: Readonly<Record<string, unknown>>
  /** the statement keeps no free text (support check-ins) */
  readonly sensitive: boolean
}

/**
 * A statement that follows no template, and why (a stable code and a sentence).
 *
 * @since 0.3.0
 * @category models
 */
export interface NotUsed {
  readonly _tag: "NotUsed"
  readonly reason: "not-in-profile" | "incomplete"
  readonly detail: string
}

type Json = Readonly<Record<string, unknown>>

const contextOf = (statement: Statement): Json => (isJsonObject(statement.context) ? statement.context : {})
const extensionsOf = (statement: Statement): Json => {
  const extensions = contextOf(statement).extensions
  return isJsonObject(extensions) ? extensions : {}
}
const categories = (statement: Statement): ReadonlyArray<string> => {
  const activities = contextOf(statement).contextActivities
  const category = isJsonObject(activities) ? activities.category : undefined
  const list = Array.isArray(category) ? category : category === undefined ? [] : [category]
  return list.flatMap((entry: unknown) => (isJsonObject(entry) && typeof entry.id === "string" ? [entry.id] : []))
}
const objectOf = (statement: Statement): Json => (isJsonObject(statement.object) ? statement.object : {})
const isAgentObject = (statement: Statement) => objectOf(statement).objectType === "Agent"
const activityTypeOf = (statement: Statement): string | undefined => {
  const object = objectOf(statement)
  if (object.objectType !== undefined && object.objectType !== "Activity") return undefined
  const definition = object.definition
  return isJsonObject(definition) && typeof definition.type === "string" ? definition.type : undefined
}
const minutesOf = (statement: Statement): number | undefined => {
  const result = statement.result
  const duration = isJsonObject(result) ? result.duration : undefined
  if (typeof duration !== "string") return undefined
  const minutes = durationMinutes(duration)
  return minutes === undefined ? undefined : Math.max(1, Math.round(minutes))
}

const incomplete = (detail: string): NotUsed => ({ _tag: "NotUsed", reason: "incomplete", detail })

/** reads the extensions a template needs; a missing one (without default) makes the statement incomplete */
const fields = (
  statement: Statement,
  wanted: Readonly<Record<string, { readonly iri: string; readonly fallback?: unknown }>>
): Record<string, unknown> | NotUsed => {
  const extensions = extensionsOf(statement)
  const out: Record<string, unknown> = {}
  for (const [field, { iri, fallback }] of Object.entries(wanted)) {
    const value = extensions[iri] ?? fallback
    if (value === undefined) return incomplete(`context.extensions needs ${iri} (${field})`)
    out[field] = value
  }
  return out
}

const matched = (
  type: string,
  student: Matched["student"],
  faculty: Matched["faculty"],
  data: Record<string, unknown> | NotUsed,
  sensitive = false
): Matched | NotUsed =>
  "_tag" in data ? (data as NotUsed) : { _tag: "Matched", type, student, faculty, data, sensitive }

const instructor = (statement: Statement): Matched["faculty"] | NotUsed => {
  const agent = contextOf(statement).instructor
  return agent === undefined
    ? incomplete("context.instructor must name the faculty member")
    : { place: "instructor", agent }
}
const studentExtension = (statement: Statement): Matched["student"] | NotUsed => {
  const agent = extensionsOf(statement)[Iri.student]
  return isJsonObject(agent)
    ? { place: "student extension", agent }
    : incomplete(`context.extensions needs ${Iri.student} (the student, as an Agent)`)
}
const both = <A, B>(a: A | NotUsed, b: B | NotUsed, f: (a: A, b: B) => Matched | NotUsed): Matched | NotUsed => {
  if (isNotUsed(a)) return a
  if (isNotUsed(b)) return b
  return f(a, b)
}
const isNotUsed = (value: unknown): value is NotUsed => isJsonObject(value) && value._tag === "NotUsed"
const actor = (statement: Statement) => ({ place: "actor" as const, agent: statement.actor })
const objectAgent = (statement: Statement) => ({ place: "object" as const, agent: statement.object })

/**
 * The statement templates, by the event type they make.
 *
 * @since 0.3.0
 * @category constants
 */
export const templates: ReadonlyArray<{
  readonly type: string
  readonly verb: string
  readonly summary: string
  readonly match: (statement: Statement) => Matched | NotUsed | undefined
}> = [
  {
    type: "OfficeHoursVisited",
    verb: Iri.attended,
    summary: `A student (actor) attended office hours: an Activity of type ${Iri.meeting} with category ${Iri.officeHours}; the faculty member is context.instructor; result.duration; extensions topic and initiated-by (default "student").`,
    match: (s) => {
      if (activityTypeOf(s) !== Iri.meeting || !categories(s).includes(Iri.officeHours)) return undefined
      const minutes = minutesOf(s)
      if (minutes === undefined) return incomplete("result.duration must say how long the visit was (e.g. PT20M)")
      return both(instructor(s), true, (faculty) =>
        matched(
          "OfficeHoursVisited",
          actor(s),
          faculty,
          withMinutes(
            minutes,
            fields(s, { topic: { iri: Iri.topic }, initiatedBy: { iri: Iri.initiatedBy, fallback: "student" } })
          )
        )
      )
    }
  },
  {
    type: "MentorshipMeetingHeld",
    verb: Iri.mentored,
    summary: `A faculty member (actor) mentored a student (the object, an Agent); result.duration; extension topics (an array).`,
    match: (s) => {
      if (!isAgentObject(s)) return undefined
      const minutes = minutesOf(s)
      if (minutes === undefined) return incomplete("result.duration must say how long the meeting was (e.g. PT45M)")
      return matched(
        "MentorshipMeetingHeld",
        objectAgent(s),
        actor(s),
        withMinutes(minutes, fields(s, { topics: { iri: Iri.topics } }))
      )
    }
  },
  {
    type: "ClinicalFeedbackGiven",
    verb: Iri.commented,
    summary: `A faculty member (actor) commented on a student's clinical work: an Activity of type ${Iri.clinicalEncounter}; the student in extension student; extensions setting and domains.`,
    match: (s) => {
      if (activityTypeOf(s) !== Iri.clinicalEncounter) return undefined
      return both(studentExtension(s), true, (student) =>
        matched(
          "ClinicalFeedbackGiven",
          student,
          actor(s),
          fields(s, { setting: { iri: Iri.setting }, domains: { iri: Iri.domains } })
        )
      )
    }
  },
  {
    type: "FollowUpSent",
    verb: Iri.acknowledge,
    summary: `A student (actor) acknowledged a faculty member (the object, an Agent): a follow-up; extensions kind (default "thank-you") and channel (default "other").`,
    match: (s) =>
      isAgentObject(s)
        ? matched(
            "FollowUpSent",
            actor(s),
            objectAgent(s),
            fields(s, {
              kind: { iri: Iri.kind, fallback: "thank-you" },
              channel: { iri: Iri.channel, fallback: "other" }
            })
          )
        : undefined
  },
  {
    type: "LetterSubmitted",
    verb: Iri.author,
    summary: `A faculty member (actor) authored a letter of recommendation: an Activity of type ${Iri.letter} (never its text); the student in extension student; extension letter-id.`,
    match: (s) => {
      if (activityTypeOf(s) !== Iri.letter) return undefined
      return both(studentExtension(s), true, (student) =>
        matched("LetterSubmitted", student, actor(s), fields(s, { letterId: { iri: Iri.letterId } }))
      )
    }
  },
  {
    type: "ResearchRoleStarted",
    verb: Iri.join,
    summary: `A student (actor) joined a research project: an Activity of type ${Iri.researchProject}; the principal investigator is context.instructor; extensions project-id and role (default "assistant").`,
    match: (s) => {
      if (activityTypeOf(s) !== Iri.researchProject) return undefined
      return both(instructor(s), true, (faculty) =>
        matched(
          "ResearchRoleStarted",
          actor(s),
          faculty,
          fields(s, { projectId: { iri: Iri.projectId }, role: { iri: Iri.role, fallback: "assistant" } })
        )
      )
    }
  },
  {
    type: "SupportCheckInHeld",
    verb: Iri.interviewed,
    summary: `A faculty or staff member (actor) checked in with a student (the object, an Agent), with category ${Iri.support}; extension kind. Sensitive: the statement is kept without free text.`,
    match: (s) =>
      isAgentObject(s) && categories(s).includes(Iri.support)
        ? matched("SupportCheckInHeld", objectAgent(s), actor(s), fields(s, { kind: { iri: Iri.kind } }), true)
        : undefined
  }
]

const withMinutes = (minutes: number, data: Record<string, unknown> | NotUsed): Record<string, unknown> | NotUsed =>
  isNotUsed(data) ? data : { ...data, durationMinutes: minutes }

/**
 * Which template a valid statement follows, or why none.
 *
 * @since 0.3.0
 * @category operations
 */
export const match = (statement: Statement): Matched | NotUsed => {
  const verb = isJsonObject(statement.verb) ? statement.verb.id : undefined
  const candidates = templates.filter((template) => template.verb === verb)
  if (candidates.length === 0)
    return { _tag: "NotUsed", reason: "not-in-profile", detail: `the verb ${String(verb)} is not in Rapport's profile` }
  for (const template of candidates) {
    const found = template.match(statement)
    if (found !== undefined) return found
  }
  return {
    _tag: "NotUsed",
    reason: "not-in-profile",
    detail: `no template of Rapport's profile for the verb ${String(verb)} fits this object`
  }
}

/**
 * A support check-in statement without free text: ids, the agents, the verb's id, the
 * category and the kind; no names, descriptions, responses or other extensions.
 *
 * @since 0.3.0
 * @category operations
 */
export const withoutFreeText = (statement: Statement): Statement => {
  const agent = (value: unknown) => {
    if (!isJsonObject(value)) return value
    const { name: _name, ...rest } = value
    return rest
  }
  const kind = extensionsOf(statement)[Iri.kind]
  return {
    ...(statement.id === undefined ? {} : { id: statement.id }),
    actor: agent(statement.actor),
    verb: { id: Iri.interviewed },
    object: agent(statement.object),
    context: {
      contextActivities: { category: [{ id: Iri.support }] },
      ...(kind === undefined ? {} : { extensions: { [Iri.kind]: kind } })
    },
    ...(statement.timestamp === undefined ? {} : { timestamp: statement.timestamp })
  }
}
