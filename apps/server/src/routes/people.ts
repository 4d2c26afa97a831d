/**
 * The people who signed in with their school's identity provider (`admin` keys, within the
 * key's school): list them, bind one to a faculty id (or undo it), and end all of a
 * person's sessions at once.
 *
 * @since 0.3.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { Person, SignInStore } from "../control/SignInStore.js"
import { problem } from "../http/Problem.js"
import { type AnyRoute, erase, type Principal, route } from "../http/Route.js"
import { readJsonBody } from "./body.js"

const Id = Schema.String.check(Schema.isPattern(/^[A-Za-z0-9._~:@-]{1,128}$/u))
const Params = Schema.Struct({ id: Id })

const PersonSchema = Schema.Struct({
  personId: Schema.String,
  displayName: Schema.NullOr(Schema.String),
  email: Schema.NullOr(Schema.String),
  facultyId: Schema.NullOr(Schema.String),
  boundBy: Schema.NullOr(Schema.String),
  scopes: Schema.Array(Schema.String),
  firstSignIn: Schema.String,
  lastSignIn: Schema.String
}).annotate({ identifier: "Person" })

const Binding = Schema.Struct({ facultyId: Schema.NullOr(Id) }).annotate({ identifier: "FacultyBinding" })

const view = (person: Person) => ({
  personId: person.personId,
  displayName: person.displayName,
  email: person.email,
  facultyId: person.facultyId,
  boundBy: person.boundBy,
  scopes: person.scopes,
  firstSignIn: person.firstSignIn,
  lastSignIn: person.lastSignIn
})

const json = (body: unknown): Response =>
  new Response(JSON.stringify(body), { headers: { "content-type": "application/json", "cache-control": "no-store" } })

const schoolOf = (principal: Principal | undefined): string => principal?.school ?? ""

const noSuchPerson = () => problem(404, "No person of that id signed in at this school.")

/**
 * @since 0.3.0
 * @category routes
 */
export const routes = (deps: { readonly signIn: SignInStore }): ReadonlyArray<AnyRoute> => [
  erase(
    route({
      operationId: "listPeople",
      method: "GET",
      path: "/v1/people",
      tag: "admin",
      summary: "The people who signed in with the school's identity provider",
      access: { _tag: "Scoped", anyOf: ["admin"] },
      responses: {
        200: { description: "People", schema: Schema.Struct({ people: Schema.Array(PersonSchema) }) }
      },
      errors: [],
      handle: ({ principal }) =>
        Effect.map(deps.signIn.people(schoolOf(principal)), (people) => json({ people: people.map(view) }))
    })
  ),
  erase(
    route({
      operationId: "bindPersonToFaculty",
      method: "PUT",
      path: "/v1/people/{id}/faculty",
      tag: "admin",
      summary: "Bind a person to a faculty id (null: unbind)",
      description: "An admin's binding is kept over the one an employee-id claim would make.",
      access: { _tag: "Scoped", anyOf: ["admin"] },
      params: Params,
      requestBody: { description: "The faculty id", content: { "application/json": Binding } },
      responses: { 200: { description: "Bound", schema: PersonSchema } },
      errors: [404, 413, 415],
      handle: ({ params, principal, request }) =>
        Effect.gen(function* () {
          const body = yield* readJsonBody(request, Binding, 4096)
          const person = yield* deps.signIn.bindFaculty(schoolOf(principal), params.id, body.facultyId)
          if (person === undefined) return yield* Effect.fail(noSuchPerson())
          return json(view(person))
        })
    })
  ),
  erase(
    route({
      operationId: "endPersonSessions",
      method: "DELETE",
      path: "/v1/people/{id}/sessions",
      tag: "admin",
      summary: "End every session of a person now",
      access: { _tag: "Scoped", anyOf: ["admin"] },
      params: Params,
      responses: { 200: { description: "Ended", schema: Schema.Struct({ ended: Schema.Number }) } },
      errors: [404],
      handle: ({ params, principal }) =>
        Effect.gen(function* () {
          const ended = yield* deps.signIn.endSessionsOf(schoolOf(principal), params.id)
          if (ended === undefined) return yield* Effect.fail(noSuchPerson())
          return json({ ended })
        })
    })
  )
]
