import { defineConfig } from "tsup"

export default defineConfig({
  // The threads' entries are bundles of their own beside index.js (see @rapport/event-store/thread).
  entry: {
    index: "src/index.ts",
    ProjectorEntry: "src/internal/ProjectorEntry.ts",
    SqliteReadEntry: "src/internal/SqliteReadEntry.ts"
  },
  format: ["esm"],
  // declarations come from tsc (tsconfig.build.json): the bundled d.ts drops the value of a name
  // exported both as a schema and as a type through a namespace (`Event.OfficeHoursVisitedData`)
  dts: false,
  sourcemap: true,
  clean: true,
  target: "es2022",
  treeshake: true,
  // the store adapters the projector thread loads on demand stay packages of their own
  external: ["@rapport/event-store-sqlite", "@rapport/event-store-postgres"],
  // keep `node:sqlite` as written: it exists only under its `node:` name
  removeNodeProtocol: false
})
