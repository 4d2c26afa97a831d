/**
 * docs/xapi.md against the code: every example statement is valid and becomes the event
 * its heading names, every template of the profile has an example, and the profile shown
 * is the one `GET /xapi/profile` serves.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import * as Actors from "../../src/xapi/Actors.js"
import * as Profile from "../../src/xapi/Profile.js"
import * as ProfileDocument from "../../src/xapi/ProfileDocument.js"
import { validate } from "../../src/xapi/Validate.js"

const docs = readFileSync(join(import.meta.dirname, "../../../../docs/xapi.md"), "utf8")

/** the JSON block after each `### <EventType>` heading */
const examples = [...docs.matchAll(/^### (\w+)\n\n```json\n([\s\S]*?)\n```/gm)].map((match) => ({
  type: match[1] ?? "",
  statement: JSON.parse(match[2] ?? "null") as Record<string, unknown>
}))

const resolver: Actors.Resolver = {
  homePages: { "*": ["https://lms.example.edu"] },
  byEmail: (_school, email) =>
    Effect.succeed(email === "grace@example.edu" ? { kind: "faculty", id: "f-204" } : undefined)
}

describe("docs/xapi.md", () => {
  it("has an example for every template of the profile", () => {
    expect(examples.map((e) => e.type).sort()).toEqual(Profile.templates.map((t) => t.type).sort())
  })

  for (const { type, statement } of examples) {
    it(`the ${type} example is valid and becomes a ${type}`, async () => {
      expect(validate(statement)).toEqual([])
      const matched = Profile.match(statement)
      expect(matched).toMatchObject({ _tag: "Matched", type })
      if (matched._tag !== "Matched") return
      const student = await Effect.runPromise(
        Actors.resolve(resolver, "x", "lms-feed", matched.student.agent, "student")
      )
      const faculty = await Effect.runPromise(
        Actors.resolve(resolver, "x", "lms-feed", matched.faculty.agent, "faculty")
      )
      expect(student?.id).toBe("s-1001")
      expect(faculty?.id).toBe("f-204")
    })
  }

  it("shows the profile GET /xapi/profile serves", () => {
    const block = /## The profile document\n\n[\s\S]*?```json\n([\s\S]*?)\n```/.exec(docs)?.[1]
    expect(JSON.parse(block ?? "null")).toEqual(JSON.parse(JSON.stringify(ProfileDocument.document)))
  })
})
