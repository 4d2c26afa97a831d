import { defineConfig } from "vitest/config"

// Browser tests: one Chromium at a time against one server (the machine has two cores).
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts"],
    globalSetup: ["e2e/harness/globalSetup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 600_000
  }
})
