import { defineConfig } from "tsup"

export default defineConfig({
  // The writer thread's entry is a bundle of its own beside index.js (see @rapport/event-store/thread).
  entry: { index: "src/index.ts", WriterEntry: "src/internal/WriterEntry.ts" },
  format: ["esm"],
  // declarations come from tsc (tsconfig.build.json), see packages/core/tsup.config.ts
  dts: false,
  sourcemap: true,
  clean: true,
  target: "es2022",
  treeshake: true,
  // `node:sqlite` exists only with its prefix: a bare "sqlite" would be looked up on npm.
  removeNodeProtocol: false
})
