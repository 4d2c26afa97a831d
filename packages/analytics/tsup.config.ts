import { defineConfig } from "tsup"

export default defineConfig({
  // The threads' entries are files of their own: ProjectorWorker and SqliteReads start them with `new Worker(url)`.
  entry: {
    index: "src/index.ts",
    ProjectorThread: "src/ProjectorThread.ts",
    SqliteReadThread: "src/SqliteReadThread.ts"
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
