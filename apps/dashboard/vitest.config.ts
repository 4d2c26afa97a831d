import { defineConfig } from "vitest/config"

// Unit tests only: the browser tests under e2e/ need a running server and run with `pnpm e2e`.
export default defineConfig({ test: { include: ["test/**/*.test.ts", "test/**/*.test.tsx"] } })
