import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts", "src/testing.ts", "src/thread.ts"],
  format: ["esm"],
  // declarations come from tsc (tsconfig.build.json): the bundled d.ts drops the value of a name
  // exported both as a schema and as a type through a namespace (`Event.OfficeHoursVisitedData`)
  dts: false,
  sourcemap: true,
  clean: true,
  target: "es2022",
  treeshake: true,
  // keep `node:sqlite` as written: it exists only under its `node:` name
  removeNodeProtocol: false
})
