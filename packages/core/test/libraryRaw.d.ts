// Vite's `?raw` import of a TypeScript file: its text, for library-doc.test.ts.
declare module "*.ts?raw" {
  const text: string
  export default text
}

// The quick start logs like any program; the package compiles for ES2022 without DOM or
// Node types, so declare the little of `console` it uses (it merges with either).
interface Console {
  log(...data: ReadonlyArray<unknown>): void
  error(...data: ReadonlyArray<unknown>): void
}
declare var console: Console
