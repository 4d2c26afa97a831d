import { defineConfig } from "vitest/config"

// Projection tests fold whole simulated schools; on a loaded 2-core machine they need more than 5 s.
export default defineConfig({ test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 } })
