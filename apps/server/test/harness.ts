/**
 * A server for route tests: the app over an in-memory event store and in-memory control
 * tables, with keys of every scope for two schools.
 */
import { Sql } from "@rapport/analytics"
import { InMemoryEventStore } from "@rapport/event-store"
import type { EventStoreShape } from "@rapport/event-store"
import { makeApp, type AppServices } from "../src/app.js"
import * as ControlStore from "../src/control/ControlStore.js"
import { type PromisedControl, promised } from "./control.js"
import { scopes, type Scope } from "../src/http/Route.js"
import type { LogLine } from "../src/middleware/access-log/index.js"

export interface Harness {
  readonly app: ReturnType<typeof makeApp>["app"]
  readonly table: ReturnType<typeof makeApp>["table"]
  readonly store: EventStoreShape
  readonly control: PromisedControl
  /** keys[school][scope] */
  readonly keys: Record<"a" | "b", Record<Scope, string>>
  readonly logs: Array<LogLine>
  readonly now: Date
}

export const harness = async (overrides: Partial<AppServices> = {}): Promise<Harness> => {
  const store = InMemoryEventStore.make()
  const typed = await ControlStore.make(Sql.openSqlite(":memory:"))
  const control = promised(typed)
  const now = new Date("2026-11-01T12:00:00Z")
  const keys = { a: {}, b: {} } as Record<"a" | "b", Record<Scope, string>>
  for (const school of ["a", "b"] as const) {
    for (const scope of scopes) {
      const created = await control.createKey({
        school: `school-${school}`,
        name: `${school}-${scope}`,
        scopes: [scope],
        now
      })
      keys[school][scope] = created.key
    }
  }
  const logs: Array<LogLine> = []
  const { app, table } = makeApp({
    store,
    control: typed,
    projectorPosition: async () => 0,
    now: () => now,
    log: (line) => logs.push(line),
    version: "test",
    rateLimit: { perSecond: 10_000, burst: 10_000 },
    ...overrides
  })
  return { app, table, store, control, keys, logs, now }
}

export const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` })

let counter = 0
export const eventId = (): string => {
  counter += 1
  return `0193a1c4-5e2b-7c1d-9f00-${counter.toString(16).padStart(12, "0")}`
}

export const officeHours = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: eventId(),
  type: "OfficeHoursVisited",
  v: 1,
  occurredAt: "2026-10-01T15:30:00Z",
  source: "office-hours-scheduler",
  data: { studentId: "s-1001", facultyId: "f-204", durationMinutes: 20, topic: "career", initiatedBy: "student" },
  ...overrides
})
