/**
 * Vitest global setup of the browser tests: starts the target once (a real `rapport demo`
 * by default) and hands its address and keys to every test file.
 *
 * @since 0.1.0
 */
import type { TestProject } from "vitest/node"
import { start, type Target } from "./Target.ts"

declare module "vitest" {
  export interface ProvidedContext {
    target: { mode: "server" | "mock"; baseUrl: string; school: string; keys: Target["keys"] }
  }
}

let target: Target | undefined

export const setup = async (project: TestProject) => {
  target = await start()
  project.provide("target", { mode: target.mode, baseUrl: target.baseUrl, school: target.school, keys: target.keys })
}

export const teardown = async () => {
  await target?.stop()
}
