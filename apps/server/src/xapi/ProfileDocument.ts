/**
 * Rapport's xAPI profile as a JSON-LD document per the xAPI Profiles specification 1.0:
 * the concepts Rapport defines (activity types and context extensions) and one statement
 * template per Rapport event type a statement can become, with the rules a statement
 * must follow. Built from the same IRIs `Profile.match` reads, so the two cannot drift.
 *
 * @since 0.3.0
 */
import { EventField } from "@rapport/core"
import { Iri, profileIri, profileVersionIri, templates } from "./Profile.js"

const en = (text: string) => ({ en: text })

const activityTypes: ReadonlyArray<readonly [string, string, string]> = [
  [Iri.officeHours, "office hours", "A faculty member's office hours, as the category of a meeting."],
  [
    Iri.clinicalEncounter,
    "clinical encounter",
    "A rotation, clerkship or simulation encounter a faculty member observed."
  ],
  [Iri.letter, "letter of recommendation", "A letter of recommendation, identified by its letter id (never its text)."],
  [Iri.researchProject, "research project", "A research project a student joins."],
  [Iri.support, "support", "A support check-in (encouragement or wellbeing), as a category. Sensitive."]
]

const enumOf = (values: ReadonlyArray<string>) => ({ type: "string", enum: values })
const arrayOf = (values: ReadonlyArray<string>) => ({ type: "array", minItems: 1, items: enumOf(values) })

const extensions: ReadonlyArray<readonly [string, string, string, unknown]> = [
  [Iri.student, "student", "The student a faculty member's statement is about, as an Agent.", { type: "object" }],
  [Iri.topic, "topic", "What an office-hours visit was about.", enumOf(EventField.officeHoursTopics)],
  [Iri.initiatedBy, "initiated by", "Who asked for the visit (default: student).", enumOf(EventField.initiators)],
  [Iri.topics, "topics", "What a mentoring meeting covered.", arrayOf(EventField.mentorshipTopics)],
  [Iri.setting, "setting", "Where clinical feedback was given.", enumOf(EventField.clinicalSettings)],
  [Iri.domains, "domains", "The clinical domains feedback covered.", arrayOf(EventField.clinicalDomains)],
  [
    Iri.kind,
    "kind",
    "The kind of a follow-up (default: thank-you) or of a support check-in.",
    enumOf([...EventField.followUpKinds, ...EventField.supportKinds])
  ],
  [Iri.channel, "channel", "How a follow-up was sent (default: other).", enumOf(EventField.channels)],
  [Iri.letterId, "letter id", "The school's id of a letter of recommendation.", { type: "string" }],
  [Iri.projectId, "project id", "The school's id of a research project.", { type: "string" }],
  [Iri.role, "role", "A student's role in a research project (default: assistant).", enumOf(EventField.researchRoles)]
]

const slug = (type: string) => type.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase()

/** where each template's agents and extensions must be */
const rules: Readonly<Record<string, ReadonlyArray<Record<string, unknown>>>> = {
  OfficeHoursVisited: [
    { location: "$.context.instructor", presence: "included" },
    { location: "$.result.duration", presence: "included" },
    { location: `$.context.extensions['${Iri.topic}']`, presence: "included" },
    { location: `$.context.extensions['${Iri.initiatedBy}']`, presence: "recommended" }
  ],
  MentorshipMeetingHeld: [
    { location: "$.object.objectType", presence: "included", all: ["Agent"] },
    { location: "$.result.duration", presence: "included" },
    { location: `$.context.extensions['${Iri.topics}']`, presence: "included" }
  ],
  ClinicalFeedbackGiven: [
    { location: `$.context.extensions['${Iri.student}']`, presence: "included" },
    { location: `$.context.extensions['${Iri.setting}']`, presence: "included" },
    { location: `$.context.extensions['${Iri.domains}']`, presence: "included" }
  ],
  FollowUpSent: [
    { location: "$.object.objectType", presence: "included", all: ["Agent"] },
    { location: `$.context.extensions['${Iri.kind}']`, presence: "recommended" },
    { location: `$.context.extensions['${Iri.channel}']`, presence: "recommended" }
  ],
  LetterSubmitted: [
    { location: `$.context.extensions['${Iri.student}']`, presence: "included" },
    { location: `$.context.extensions['${Iri.letterId}']`, presence: "included" }
  ],
  ResearchRoleStarted: [
    { location: "$.context.instructor", presence: "included" },
    { location: `$.context.extensions['${Iri.projectId}']`, presence: "included" },
    { location: `$.context.extensions['${Iri.role}']`, presence: "recommended" }
  ],
  SupportCheckInHeld: [
    { location: "$.object.objectType", presence: "included", all: ["Agent"] },
    { location: `$.context.extensions['${Iri.kind}']`, presence: "included", any: [...EventField.supportKinds] },
    { location: "$.result.response", presence: "excluded" }
  ]
}

const objectTypes: Readonly<Record<string, string>> = {
  OfficeHoursVisited: "http://adlnet.gov/expapi/activities/meeting",
  ClinicalFeedbackGiven: Iri.clinicalEncounter,
  LetterSubmitted: Iri.letter,
  ResearchRoleStarted: Iri.researchProject
}

const categories: Readonly<Record<string, ReadonlyArray<string>>> = {
  OfficeHoursVisited: [Iri.officeHours],
  SupportCheckInHeld: [Iri.support]
}

/**
 * The profile.
 *
 * @since 0.3.0
 * @category constants
 */
export const document = {
  "@context": "https://w3id.org/xapi/profiles/context",
  id: profileIri,
  type: "Profile",
  conformsTo: "https://w3id.org/xapi/profiles#1.0",
  prefLabel: en("Rapport: relationships between medical students and faculty"),
  definition: en(
    "Statements from school systems that Rapport turns into its own events (office hours, mentoring, clinical feedback, follow-ups, letters, research roles, support check-ins). Intended use: formative outreach, never grading or evaluating students or faculty."
  ),
  author: { type: "Organization", name: "Rapport" },
  versions: [{ id: profileVersionIri, generatedAtTime: "2026-12-07T00:00:00Z" }],
  concepts: [
    ...activityTypes.map(([id, label, definition]) => ({
      id,
      type: "ActivityType",
      inScheme: profileVersionIri,
      prefLabel: en(label),
      definition: en(definition)
    })),
    ...extensions.map(([id, label, definition, schema]) => ({
      id,
      type: "ContextExtension",
      inScheme: profileVersionIri,
      prefLabel: en(label),
      definition: en(definition),
      inlineSchema: JSON.stringify(schema)
    }))
  ],
  templates: templates.map((template) => ({
    id: `https://rapport.dev/xapi/templates/${slug(template.type)}`,
    type: "StatementTemplate",
    inScheme: profileVersionIri,
    prefLabel: en(template.type),
    definition: en(template.summary),
    verb: template.verb,
    ...(objectTypes[template.type] === undefined ? {} : { objectActivityType: objectTypes[template.type] }),
    ...(categories[template.type] === undefined ? {} : { contextCategoryActivityType: categories[template.type] }),
    rules: rules[template.type] ?? []
  }))
} as const
