import { defineConfig } from "vitest/config"

// CI runs every package's tests side by side on two cores: a property test that takes 1 s
// alone can take 10 s there. Timeouts catch hangs, not slowness (speed lives in bench/).
export default defineConfig({ test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 } })
