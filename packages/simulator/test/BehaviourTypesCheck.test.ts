/**
 * The dependency check of issue #16 (scripts/check-behaviour-types.mjs): only the
 * simulator and the checks read behaviour types. It passes on this repository and fails on
 * a package that imports them.
 */
import { spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

const script = new URL("../../../scripts/check-behaviour-types.mjs", import.meta.url).pathname
const run = (root?: string) =>
  spawnSync(process.execPath, [script, ...(root === undefined ? [] : ["--root", root])], { encoding: "utf8" })

const treeWith = (path: string, text: string): string => {
  const root = mkdtempSync(join(tmpdir(), "behaviour-check-"))
  const file = join(root, path)
  mkdirSync(join(file, ".."), { recursive: true })
  writeFileSync(file, text)
  return root
}

describe("the behaviour-types dependency check", () => {
  it("passes on this repository", () => {
    const result = run()
    expect(result.stderr).toBe("")
    expect(result.status).toBe(0)
  })

  it.each([
    ["packages/core/src/Cheat.ts", 'import type { BehaviourType } from "@rapport/simulator/GroundTruth"\n'],
    ["apps/server/src/cheat.ts", 'import { GroundTruth } from "@rapport/simulator"\n'],
    ["packages/analytics/src/Cheat.ts", 'import { Simulation } from "@rapport/simulator"\nconst t = run.truth\n']
  ])("fails when %s reads them", (path, text) => {
    const root = treeWith(path, text)
    try {
      const result = run(root)
      expect(result.status).toBe(1)
      expect(result.stderr).toContain(path)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it("lets the simulator and its benches read them", () => {
    const root = treeWith("packages/simulator/bench/x.mjs", 'import { GroundTruth } from "@rapport/simulator"\n')
    try {
      expect(run(root).status).toBe(0)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
