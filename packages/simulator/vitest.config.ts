import { defineConfig } from "vitest/config"

// Whole-school tests generate and fold a school of ~150,000 events: allow them time (a
// limit, not a timed assertion).
export default defineConfig({ test: { include: ["test/**/*.test.ts"], testTimeout: 180_000, hookTimeout: 180_000 } })
