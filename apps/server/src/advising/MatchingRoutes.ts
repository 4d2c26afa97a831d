import { Advising } from "@rapport/core"
import * as Effect from "effect/Effect"
import { randomUUID } from "node:crypto"
import { problem } from "../http/Problem.js"
import { type AnyRoute, erase, route } from "../http/Route.js"
import * as Ingest from "../ingest/Ingest.js"
import { readJsonBody } from "../routes/body.js"
import { advisorsByRole } from "./Advising.js"
import {
  type AdvisingDeps,
  AssignBody,
  Json,
  RoleQuery,
  StudentParams,
  advisorPool,
  forbidden,
  json,
  programOfCurrent,
  scoped,
  tools
} from "./RouteParts.js"

/**
 * @since 0.4.0
 * @category routes
 */
export const matchingRoutes = (deps: AdvisingDeps): ReadonlyArray<AnyRoute> => {
  const { service } = deps
  const { audit, visibleFile } = tools(deps)
  return [
    erase(
      route<typeof StudentParams.Type, typeof RoleQuery.Type>({
        operationId: "mentorSuggestions",
        method: "GET",
        path: "/v1/advising/students/{id}/suggestions",
        tag: "advising",
        summary: "Faculty with room to advise the student in a role, each with a plain reason",
        description:
          "Load against capacity, shared specialty or department, past contact; no opaque score. For counseling roles, nobody who supervised the student, gave them feedback, or sits on a grading or promotions committee.",
        access: scoped("advising", "dashboards:read"),
        params: StudentParams,
        query: RoleQuery,
        responses: { 200: { description: "Suggestions", schema: Json } },
        errors: [400, 401, 403, 404, 503],
        handle: ({ principal, params, query }) =>
          Effect.gen(function* () {
            const { caller, file } = yield* visibleFile(principal, params.id)
            const advisors = yield* advisorPool(deps, caller, query.role)
            const current = advisorsByRole(file, caller.settings)[query.role]
            return json({
              role: query.role,
              current: current ?? null,
              suggestions: Advising.Matching.suggest(file, query.role, advisors, current)
            })
          })
      })
    ),
    erase(
      route<typeof StudentParams.Type>({
        operationId: "assignMentor",
        method: "POST",
        path: "/v1/advising/students/{id}/mentors",
        tag: "advising",
        summary: "Assign or change the student's advisor in a role (stores MentorAssigned)",
        description:
          "The previous advisor in the role gets MentorshipEnded. The answer warns when the pair breaks LCME 11.1 (a counselor who assessed the student or sits on a grading or promotions committee). Allowed to the dean's office and to the student's current advisor in that role.",
        access: scoped("advising:write"),
        params: StudentParams,
        requestBody: { description: "The role and the faculty id", content: { "application/json": AssignBody } },
        responses: { 200: { description: "Assigned", schema: Json } },
        errors: [401, 403, 404, 409, 413, 415, 503],
        handle: ({ principal, params, request, requestId }) =>
          Effect.gen(function* () {
            const { caller, file } = yield* visibleFile(principal, params.id)
            const me = yield* service.actingAs(caller)
            const body = yield* readJsonBody(request, AssignBody, 4096)
            const current = advisorsByRole(file, caller.settings)[body.role]
            if (!caller.dean && current !== me)
              return yield* Effect.fail(
                forbidden("Only the dean's office or the current advisor in this role may assign one.")
              )
            const program = Advising.Roles.programsOf(caller.settings.programRoles, body.role)[0]
            if (program === undefined)
              return yield* Effect.fail(
                problem(409, `No program of this school maps to ${body.role}; set one in the advising settings.`)
              )
            const profiles = yield* deps.advising.profiles(caller.school)
            const conflicts = Advising.Matching.conflictsOf(
              file,
              { facultyId: body.facultyId, committees: profiles.get(body.facultyId)?.committees ?? [] },
              body.role
            )
            if (current === body.facultyId)
              return json({
                role: body.role,
                facultyId: body.facultyId,
                changed: false,
                warnings: conflicts.map(Advising.Matching.conflictSentence)
              })
            const at = deps.now().toISOString()
            const ended =
              current === undefined
                ? []
                : [
                    {
                      id: randomUUID(),
                      type: "MentorshipEnded",
                      v: 2,
                      occurredAt: at,
                      data: {
                        studentId: params.id,
                        facultyId: current,
                        program: programOfCurrent(file, caller, body.role) ?? program
                      }
                    }
                  ]
            const events = [
              ...ended,
              {
                id: randomUUID(),
                type: "MentorAssigned",
                v: 2,
                occurredAt: at,
                data: { studentId: params.id, facultyId: body.facultyId, program }
              }
            ]
            const valid = Ingest.validate(events, deps.now())
            if (valid._tag === "Failure") return yield* Effect.fail(problem(400, "The assignment does not validate."))
            yield* Ingest.append(deps.store, caller.school, valid.success)
            yield* audit(caller, "assigned-mentor", params.id, `${body.role}:${body.facultyId}`, requestId)
            return json({
              role: body.role,
              facultyId: body.facultyId,
              previous: current ?? null,
              changed: true,
              warnings: conflicts.map(
                (c) =>
                  `${body.facultyId} ${Advising.Matching.conflictSentence(c)}: LCME 11.1 asks that counseling come from someone with no role in assessing or promoting the student.`
              )
            })
          })
      })
    ),
    erase(
      route({
        operationId: "counselingConflicts",
        method: "GET",
        path: "/v1/advising/conflicts",
        tag: "advising",
        summary: "Every counselor–student pair that breaks LCME 11.1",
        access: scoped("dashboards:read"),
        responses: { 200: { description: "The pairs", schema: Json } },
        errors: [401, 403, 503],
        handle: ({ principal }) =>
          Effect.gen(function* () {
            const caller = yield* service.caller(principal)
            const files = yield* service.files(caller.school)
            const profiles = yield* deps.advising.profiles(caller.school)
            const pairs = [...files.values()].flatMap((file) =>
              Object.entries(advisorsByRole(file, caller.settings)).flatMap(([role, facultyId]) => {
                if (!Advising.Roles.isRole(role)) return []
                const conflicts = Advising.Matching.conflictsOf(
                  file,
                  { facultyId, committees: profiles.get(facultyId)?.committees ?? [] },
                  role
                )
                return conflicts.length === 0
                  ? []
                  : [
                      {
                        studentId: file.studentId,
                        facultyId,
                        role,
                        conflicts,
                        reason: conflicts.map(Advising.Matching.conflictSentence).join("; ")
                      }
                    ]
              })
            )
            return json({ pairs: pairs.sort((a, b) => (a.studentId < b.studentId ? -1 : 1)) })
          })
      })
    )
  ]
}
